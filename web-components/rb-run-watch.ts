// A run's rating progress, followed on its event stream (SPEC §7 GET /api/runs/:id/events):
// bytes read of the run's files as a progress bar and the lines rated so far; `run-finished`
// ({event}) when the stream says done or failed.

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { RunEvent, RunProgress } from './api-types.js';
import { define } from './define.js';
import { formatBytes, formatCount } from './format.js';
import { shared } from './styles.js';
import './rb-error.js';
import './rb-progress.js';

export class RbRunWatch extends LitElement {
  static override styles = [shared];

  @property({ attribute: false }) api!: ApiClient;
  @property({ type: Number, attribute: 'run-id' }) runId = 0;

  @state() private progress: RunProgress | null = null;
  @state() private finished: RunEvent | null = null;
  @state() private failure: ApiFailure | null = null;
  private abort: AbortController | null = null;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('runId') && this.runId > 0) void this.follow(this.runId);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Put back on the page (a screen shown again): follow again if it was still rating.
    if (this.hasUpdated && this.runId > 0 && !this.finished) void this.follow(this.runId);
  }

  private async follow(id: number): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.progress = null;
    this.finished = null;
    this.failure = null;
    try {
      const end = await this.api.watchRun(id, (e) => {
        if (e.kind === 'progress') this.progress = e.progress;
      }, abort.signal);
      if (abort.signal.aborted || !end) return;
      this.finished = end;
      this.dispatchEvent(new CustomEvent('run-finished', { detail: { id, event: end }, bubbles: true, composed: true }));
    } catch (e) {
      if (!abort.signal.aborted) this.failure = asFailure(e);
    }
  }

  override render() {
    const p = this.progress;
    const end = this.finished;
    const total = p?.totalBytes ?? 0;
    const done = end?.kind === 'done';
    const value = done ? total || 1 : (p?.bytes ?? 0);
    const lines = end?.kind === 'done' && end.summary ? end.summary.input : (p?.lines ?? 0);
    const detail = p || end ? `${formatCount(lines)} lines${total ? `, ${formatBytes(Math.min(value, total))} of ${formatBytes(total)}` : ''}` : 'waiting to start';
    return html`<rb-progress label="Rating run ${this.runId}" .value=${value} .max=${total || 1} detail=${detail} state=${end ? end.kind : p ? 'rating' : 'queued'}></rb-progress>
      ${end?.kind === 'failed' ? html`<rb-error .failure=${{ status: 0, error: `Run ${this.runId} failed: ${end.error}` }}></rb-error>` : nothing}
      <rb-error .failure=${this.failure}></rb-error>`;
  }
}

define('rb-run-watch', RbRunWatch);

declare global {
  interface HTMLElementTagNameMap {
    'rb-run-watch': RbRunWatch;
  }
}
