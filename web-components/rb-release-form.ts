// Release calls held as SUSPECTED_FRAUD after review (SPEC §7 POST /api/runs/:id/release, manager):
// all of them or the ones listed as file:line, with the reason, which goes to the audit log. Fires
// `run-changed` after a release.

import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiFailure, asFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import { release } from './api-review.js';
import { define } from './define.js';
import { formatAmount, formatCount, plural } from './format.js';
import { readReleaseLines } from './release-lines.js';
import type { Released, ReleaseChoice } from './review-types.js';
import { shared } from './styles.js';
import './rb-error.js';

export class RbReleaseForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        gap: 0.6rem;
        max-width: 44rem;
      }
      fieldset {
        border: 1px solid var(--rb-border);
        border-radius: 8px;
        padding: 0.5rem 0.8rem;
        margin: 0;
      }
      legend {
        font-size: 0.9rem;
        padding: 0 0.3rem;
      }
      .choice {
        display: flex;
        gap: 0.4rem;
        align-items: center;
      }
      textarea {
        font: inherit;
        width: 100%;
        padding: 0.35rem 0.5rem;
        border-radius: 6px;
        border: 1px solid var(--rb-border-strong);
      }
      textarea:focus-visible {
        outline: 2px solid var(--rb-focus);
        outline-offset: 2px;
      }
      .field {
        display: grid;
        gap: 0.2rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ type: Number, attribute: 'run-id' }) runId = 0;
  /** Calls held as SUSPECTED_FRAUD now. */
  @property({ type: Number }) held = 0;

  @state() private which: 'all' | 'lines' = 'all';
  @state() private busy = false;
  @state() private failure: ApiFailure | null = null;
  @state() private result: Released | null = null;

  override render() {
    return html`<form @submit=${this.onSubmit}>
        <fieldset>
          <legend>Which calls</legend>
          <div class="choice">
            <input type="radio" id="release-all" name="which" value="all" .checked=${this.which === 'all'} @change=${() => (this.which = 'all')} />
            <label for="release-all">All ${plural(this.held, 'held call')}</label>
          </div>
          <div class="choice">
            <input type="radio" id="release-lines" name="which" value="lines" .checked=${this.which === 'lines'} @change=${() => (this.which = 'lines')} />
            <label for="release-lines">Only the calls listed</label>
          </div>
          ${this.which === 'lines'
            ? html`<div class="field">
                <label for="lines">Calls to release, one a line as file:line (the File and Line columns below)</label>
                <textarea id="lines" name="lines" rows="3" placeholder="sample-calls.csv:812"></textarea>
              </div>`
            : nothing}
        </fieldset>
        <div class="field">
          <label for="why">Why they are released (kept in the audit log)</label>
          <textarea id="why" name="why" rows="2" required placeholder="Checked with the customer: genuine calls"></textarea>
        </div>
        <div><button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? 'Releasing…' : 'Release the calls'}</button></div>
      </form>
      <rb-error .failure=${this.failure}></rb-error>
      ${this.result ? this.renderResult(this.result) : nothing}`;
  }

  private renderResult(r: Released) {
    const failed = Object.entries(r.failed ?? {}).filter(([, n]) => n > 0);
    return html`<p role="status" data-testid="release-result">
      Released: <strong>${formatCount(r.moved)}</strong> ${r.moved === 1 ? 'call' : 'calls'} moved to the rated calls${r.charge !== undefined ? html`, charge <span class="num">${formatAmount(r.charge)}</span>` : nothing}${failed.length
        ? `; ${failed.map(([k, n]) => `${formatCount(n)} failed ${k}`).join(', ')} and stay exceptions`
        : ''}.${r.held !== undefined ? ` ${plural(r.held, 'call')} still held.` : ''} ${plural(r.remaining, 'exception')} in the run.
    </p>`;
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const reason = String(data.get('why') ?? '').trim();
    this.result = null;
    if (!reason) {
      this.failure = new ApiFailure({ status: 0, error: 'Say why the calls are released: it goes to the audit log.' });
      return;
    }
    let choice: ReleaseChoice = { all: true };
    if (this.which === 'lines') {
      const read = readReleaseLines(String(data.get('lines') ?? ''));
      if (!read.ok) {
        this.failure = new ApiFailure({ status: 0, error: 'Some calls to release are not written as file:line.', issues: read.issues });
        return;
      }
      choice = { lines: read.lines };
    }
    this.busy = true;
    this.failure = null;
    try {
      this.result = await release(this.api, this.runId, choice, reason);
      (e.target as HTMLFormElement).reset();
      this.which = 'all';
      this.dispatchEvent(new CustomEvent('run-changed', { detail: this.result, bubbles: true, composed: true }));
    } catch (err) {
      this.failure = asFailure(err);
    } finally {
      this.busy = false;
    }
  }
}

define('rb-release-form', RbReleaseForm);

declare global {
  interface HTMLElementTagNameMap {
    'rb-release-form': RbReleaseForm;
  }
}
