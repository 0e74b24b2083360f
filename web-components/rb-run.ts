// #/runs/ID (SPEC §8): the run's state (its rating followed live while it runs), the summary, the
// rated calls in a server-paged grid that sorts and filters on every column, and the downloads.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { Role, RunDetail } from './api-types.js';
import { define } from './define.js';
import { formatWhen } from './format.js';
import { RATED_COLUMNS } from './run-columns.js';
import { fileNames } from './run-figures.js';
import { shared } from './styles.js';
import './rb-download.js';
import './rb-error.js';
import './rb-run-nav.js';
import './rb-run-summary.js';
import './rb-run-watch.js';
import './rb-server-grid.js';

/** The files a done run offers (SPEC §7 GET /api/runs/:id/files/:name). */
export const RUN_FILES = ['rated.csv', 'exceptions.csv', 'exceptions.xlsx', 'summary.json'] as const;

export class RbRun extends LitElement {
  static override styles = [
    shared,
    css`
      .downloads {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .facts {
        margin-top: -0.3rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) callerRole: Role | undefined;
  @property({ type: Number, attribute: 'run-id' }) runId = 0;

  @state() private run: RunDetail | null = null;
  @state() private failure: ApiFailure | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('runId')) void this.load();
  }

  async load(): Promise<void> {
    const id = this.runId;
    try {
      const run = await this.api.run(id);
      if (id !== this.runId) return;
      this.run = run;
      this.failure = null;
    } catch (e) {
      this.failure = asFailure(e);
    }
  }

  override render() {
    const id = this.runId;
    const r = this.run?.id === id ? this.run : null;
    return html`<p><a href="#/runs">← All runs</a></p>
      <h1>Run ${id}</h1>
      ${r ? html`<p class="facts muted">${this.facts(r)}</p>` : nothing}
      <rb-run-nav run-id=${id} current="#/runs/${id}"></rb-run-nav>
      <rb-error .failure=${this.failure}></rb-error>
      ${r ? this.renderRun(r) : this.failure ? nothing : html`<p class="muted">Loading…</p>`}`;
  }

  private facts(r: RunDetail): string {
    const parts = [`status ${r.status}`];
    if (r.version !== undefined) parts.push(`version ${r.version}`);
    const names = fileNames(r.files);
    if (names.length) parts.push(names.join(', '));
    if (r.createdBy) parts.push(`by ${r.createdBy}`);
    if (r.createdAt) parts.push(formatWhen(r.createdAt));
    return parts.join(' · ');
  }

  private renderRun(r: RunDetail) {
    if (r.status === 'queued' || r.status === 'rating')
      return html`<section class="card"><h2>Rating</h2><rb-run-watch .api=${this.api} run-id=${r.id} @run-finished=${this.load}></rb-run-watch></section>`;
    if (r.status === 'failed')
      return html`<rb-error .failure=${{ status: 0, error: `This run failed: ${r.error ?? 'no reason was given'}` }}></rb-error>`;
    return html`<section class="card" aria-labelledby="summary-title">
        <h2 id="summary-title">Summary</h2>
        <rb-run-summary .summary=${r.summary ?? null}></rb-run-summary>
      </section>
      <section class="card" aria-labelledby="rated-title">
        <h2 id="rated-title">Rated calls</h2>
        <rb-server-grid .api=${this.api} path="/runs/${r.id}/rated" .columns=${RATED_COLUMNS} label="Rated calls of run ${r.id}" noun="rated call" nouns="rated calls"></rb-server-grid>
      </section>
      <section class="card" aria-labelledby="files-title">
        <h2 id="files-title">Downloads</h2>
        <div class="downloads">${RUN_FILES.map((f) => html`<rb-download .api=${this.api} path="/runs/${r.id}/files/${f}" file=${f}></rb-download>`)}</div>
      </section>`;
  }
}

define('rb-run', RbRun);

declare global {
  interface HTMLElementTagNameMap {
    'rb-run': RbRun;
  }
}
