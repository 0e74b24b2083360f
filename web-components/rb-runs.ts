// #/runs (SPEC §8): CDR files dropped or picked become a run, with progress bars for the upload and
// the rating (for the roles that may start runs); the list of runs, newest first.

import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { Role, RunSummaryRow, VersionList } from './api-types.js';
import { define } from './define.js';
import { formatAmount, formatCount, formatWhen } from './format.js';
import { may } from './permissions.js';
import { exceptionCount, fileNames } from './run-figures.js';
import { shared } from './styles.js';
import './rb-error.js';
import './rb-run-upload.js';

export class RbRuns extends LitElement {
  static override styles = [
    shared,
    css`
      vaadin-grid:not([all-rows-visible]) {
        height: 26rem;
      }
      .status.failed {
        color: var(--rb-error);
      }
      .status.done {
        color: var(--rb-ok);
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) callerRole: Role | undefined;

  @state() private runs: RunSummaryRow[] | null = null;
  @state() private versions: VersionList | null = null;
  @state() private failure: ApiFailure | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    if (may(this.callerRole, 'upload-cdrs')) void this.api.versions().then((v) => (this.versions = v), () => undefined);
  }

  async load(): Promise<void> {
    try {
      this.runs = (await this.api.runs()).runs;
      this.failure = null;
    } catch (e) {
      this.failure = asFailure(e);
    }
  }

  override render() {
    return html`<h1>Runs</h1>
      ${may(this.callerRole, 'upload-cdrs')
        ? html`<section class="card" aria-labelledby="rate-title">
            <h2 id="rate-title">Rate CDR files</h2>
            <rb-run-upload .api=${this.api} .versions=${this.versions?.versions ?? []} .published=${this.versions?.published ?? null} @run-started=${this.load} @run-finished=${this.load}></rb-run-upload>
          </section>`
        : nothing}
      <section class="card" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        <rb-error .failure=${this.failure}></rb-error>
        ${this.runs ? this.renderList(this.runs) : this.failure ? nothing : html`<p class="muted">Loading…</p>`}
      </section>`;
  }

  private renderList(runs: RunSummaryRow[]) {
    if (runs.length === 0) return html`<p class="muted">No runs yet.</p>`;
    const num = (f: (r: RunSummaryRow) => string) => columnBodyRenderer<RunSummaryRow>((r) => html`<span class="num">${f(r)}</span>`, []);
    return html`<vaadin-grid .items=${runs} accessible-name="Runs" ?all-rows-visible=${runs.length <= 12}>
      <vaadin-grid-column header="Run" width="5.5rem" flex-grow="0" ${columnBodyRenderer<RunSummaryRow>((r) => html`<a href="#/runs/${r.id}">Run ${r.id}</a>`, [])}></vaadin-grid-column>
      <vaadin-grid-column header="Status" width="6rem" flex-grow="0" ${columnBodyRenderer<RunSummaryRow>((r) => html`<span class="status ${r.status}" title=${r.error ?? ''}>${r.status}</span>`, [])}></vaadin-grid-column>
      <vaadin-grid-column header="Version" width="5rem" flex-grow="0" ${columnBodyRenderer<RunSummaryRow>((r) => html`<a href="#/workbooks/${r.version}">${r.version}</a>`, [])}></vaadin-grid-column>
      <vaadin-grid-column header="Files" flex-grow="2" ${columnBodyRenderer<RunSummaryRow>((r) => fileNames(r.files).join(', '), [])}></vaadin-grid-column>
      <vaadin-grid-column header="By" path="createdBy" width="7rem"></vaadin-grid-column>
      <vaadin-grid-column header="When" width="9rem" ${columnBodyRenderer<RunSummaryRow>((r) => formatWhen(r.createdAt), [])}></vaadin-grid-column>
      <vaadin-grid-column header="Input" text-align="end" width="6rem" flex-grow="0" ${num((r) => formatCount(r.input))}></vaadin-grid-column>
      <vaadin-grid-column header="Rated" text-align="end" width="6rem" flex-grow="0" ${num((r) => formatCount(r.rated))}></vaadin-grid-column>
      <vaadin-grid-column header="Exceptions" text-align="end" width="7rem" flex-grow="0" ${num((r) => formatCount(exceptionCount(r.exceptions)))}></vaadin-grid-column>
      <vaadin-grid-column header="Charge" text-align="end" width="8rem" flex-grow="0" ${num((r) => formatAmount(r.charge))}></vaadin-grid-column>
      <vaadin-grid-column header="Cost" text-align="end" width="8rem" flex-grow="0" ${num((r) => formatAmount(r.cost))}></vaadin-grid-column>
    </vaadin-grid>`;
  }
}

define('rb-runs', RbRuns);

declare global {
  interface HTMLElementTagNameMap {
    'rb-runs': RbRuns;
  }
}
