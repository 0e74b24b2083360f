// "Re-rate with version N" (SPEC §7 POST /api/runs/:id/rerate): a run's exceptions rated again with
// a chosen version — typically a draft that fixes them — and what moved into the rated calls.
// Fires `run-changed` after a re-rate so the page reloads its figures and grid.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { VersionSummary } from './api-types.js';
import { rerate } from './api-review.js';
import { define } from './define.js';
import { formatAmount, formatCount, plural } from './format.js';
import type { Rerated } from './review-types.js';
import { shared } from './styles.js';
import { firstChoice, ratingVersions, versionText } from './version-choice.js';
import './rb-error.js';

export class RbRerateForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 0.8rem;
        align-items: center;
      }
      .result {
        margin: 0.6rem 0 0;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ type: Number, attribute: 'run-id' }) runId = 0;
  /** The version the run was rated with. */
  @property({ attribute: false }) runVersion: number | null = null;
  @property({ attribute: false }) versions: VersionSummary[] = [];
  @property({ attribute: false }) published: number | null = null;

  @state() private chosen: number | null = null;
  @state() private busy = false;
  @state() private failure: ApiFailure | null = null;
  @state() private result: (Rerated & { version: number }) | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('versions') || changed.has('runVersion')) && (this.chosen === null || !ratingVersions(this.versions).some((v) => v.seq === this.chosen))) {
      this.chosen = firstChoice(this.versions, this.runVersion);
    }
  }

  override render() {
    const usable = ratingVersions(this.versions);
    if (usable.length === 0) return html`<p class="muted">No version without errors to re-rate with.</p>`;
    return html`<form @submit=${this.onSubmit}>
        <label for="rerate-version">Version</label>
        <select id="rerate-version" .value=${String(this.chosen ?? '')} @change=${(e: Event) => (this.chosen = Number((e.target as HTMLSelectElement).value))}>
          ${usable.map((v) => html`<option value=${v.seq} ?selected=${v.seq === this.chosen}>${versionText(v, this.published, this.runVersion)}</option>`)}
        </select>
        <button type="submit" class="primary" ?disabled=${this.busy || this.chosen === null}>${this.busy ? 'Re-rating…' : `Re-rate with version ${this.chosen}`}</button>
      </form>
      <rb-error .failure=${this.failure}></rb-error>
      ${this.result ? this.renderResult(this.result) : nothing}`;
  }

  private renderResult(r: Rerated & { version: number }) {
    const reasons = Object.entries(r.byReason).filter(([, n]) => n > 0);
    return html`<p class="result" role="status" data-testid="rerate-result">
      Re-rated with version ${r.version}: <strong data-figure="moved">${formatCount(r.moved)}</strong> ${r.moved === 1 ? 'call' : 'calls'} moved to the rated calls${reasons.length
        ? ` (${reasons.map(([k, n]) => `${k} ${formatCount(n)}`).join(', ')})`
        : ''}${r.charge !== undefined ? html`, charge <span class="num">${formatAmount(r.charge)}</span>` : nothing}; ${plural(r.remaining, 'exception')} ${r.remaining === 1 ? 'remains' : 'remain'}.
    </p>`;
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const version = this.chosen;
    if (version === null) return;
    this.busy = true;
    this.failure = null;
    this.result = null;
    try {
      const r = await rerate(this.api, this.runId, version);
      this.result = { ...r, version };
      this.dispatchEvent(new CustomEvent('run-changed', { detail: r, bubbles: true, composed: true }));
    } catch (err) {
      this.failure = asFailure(err);
    } finally {
      this.busy = false;
    }
  }
}

define('rb-rerate-form', RbRerateForm);

declare global {
  interface HTMLElementTagNameMap {
    'rb-rerate-form': RbRerateForm;
  }
}
