// #/runs/ID/exceptions (SPEC §8, for managers): the reasons with count, seconds, cost and what fixes
// each; a chart of the exceptions by reason; the exceptions in a server-paged grid filtered by
// reason; "re-rate with version N"; and releasing calls held as SUSPECTED_FRAUD after review.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { Role, RunDetail, VersionList } from './api-types.js';
import { exceptionSummary } from './api-review.js';
import { define } from './define.js';
import { formatAmount, formatCount } from './format.js';
import { hashOf } from './hash-route.js';
import { may } from './permissions.js';
import type { Bar } from './rb-bar-chart.js';
import type { RbServerGrid } from './rb-server-grid.js';
import type { ReasonRow } from './review-types.js';
import { EXCEPTION_COLUMNS } from './run-columns.js';
import { shared } from './styles.js';
import './rb-bar-chart.js';
import './rb-error.js';
import './rb-release-form.js';
import './rb-rerate-form.js';
import './rb-run-nav.js';
import './rb-server-grid.js';

type Measure = 'count' | 'seconds' | 'cost';
const MEASURES: Record<Measure, string> = { count: 'calls', seconds: 'seconds', cost: 'carrier cost' };

export class RbExceptions extends LitElement {
  static override styles = [
    shared,
    css`
      .reasons {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr);
        gap: 1rem 1.5rem;
        align-items: start;
      }
      @media (max-width: 1100px) {
        .reasons {
          grid-template-columns: 1fr;
        }
      }
      .fix {
        white-space: normal;
        line-height: 1.3;
        font-size: 0.85rem;
      }
      .measure {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        margin-bottom: 0.4rem;
      }
      .filter {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.4rem;
      }
      button.show {
        padding: 0.15rem 0.5rem;
        font-size: 0.8rem;
      }
      .closed-loop {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr));
        gap: 0 1rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) callerRole: Role | undefined;
  @property({ type: Number, attribute: 'run-id' }) runId = 0;
  /** The reason to filter the grid by first (from `?reason=`); '' for every reason. */
  @property() reason = '';

  @state() private reasons: ReasonRow[] | null = null;
  @state() private run: RunDetail | null = null;
  @state() private versions: VersionList | null = null;
  @state() private failure: ApiFailure | null = null;
  @state() private measure: Measure = 'count';
  /** The grid's filters: changed only when they change, so the grid asks the server only then. */
  @state() private gridFilters: Record<string, string> = {};

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('runId')) void this.load();
    // The address's reason (a reload, a shared link) filters the grid.
    if (changed.has('reason')) this.gridFilters = withReason(this.gridFilters, this.reason);
  }

  async load(): Promise<void> {
    const id = this.runId;
    const wantVersions = may(this.callerRole, 'rerate');
    try {
      const [summary, run, versions] = await Promise.all([exceptionSummary(this.api, id), this.api.run(id), wantVersions ? this.api.versions() : Promise.resolve(null)]);
      if (id !== this.runId) return;
      this.reasons = summary.reasons;
      this.run = run;
      this.versions = versions;
      this.failure = null;
    } catch (e) {
      this.failure = asFailure(e);
    }
  }

  override render() {
    const id = this.runId;
    return html`<p><a href="#/runs">← All runs</a></p>
      <h1>Run ${id}: exceptions</h1>
      <rb-run-nav run-id=${id} current="#/runs/${id}/exceptions"></rb-run-nav>
      <rb-error .failure=${this.failure}></rb-error>
      ${this.reasons ? this.renderRun(this.reasons) : this.failure ? nothing : html`<p class="muted">Loading…</p>`}`;
  }

  private renderRun(reasons: ReasonRow[]) {
    const id = this.runId;
    const total = reasons.reduce((n, r) => n + r.count, 0);
    const held = reasons.find((r) => r.reason === 'SUSPECTED_FRAUD')?.count ?? 0;
    const mayRerate = may(this.callerRole, 'rerate');
    const mayRelease = may(this.callerRole, 'release') && held > 0;
    const picked = this.pickedReason();
    return html`<section class="card" aria-labelledby="reasons-title">
        <h2 id="reasons-title">Exceptions by reason</h2>
        ${total === 0 ? html`<p>Every call of this run rated: there are no exceptions.</p>` : this.renderReasons(reasons)}
      </section>
      ${mayRerate || mayRelease
        ? html`<div class="closed-loop">
            ${mayRerate && total > 0
              ? html`<section class="card" aria-labelledby="rerate-title">
                  <h2 id="rerate-title">Re-rate the exceptions</h2>
                  <p class="muted">After fixing the workbook (a new version), rate this run's exceptions with it: those that now rate join the rated calls.</p>
                  <rb-rerate-form .api=${this.api} run-id=${id} .runVersion=${this.run?.version ?? null} .versions=${this.versions?.versions ?? []} .published=${this.versions?.published ?? null} @run-changed=${this.onRunChanged}></rb-rerate-form>
                </section>`
              : nothing}
            ${mayRelease
              ? html`<section class="card" aria-labelledby="release-title">
                  <h2 id="release-title">Release held calls</h2>
                  <p class="muted">Calls held as SUSPECTED_FRAUD that the customer confirms are rated with the run's version.</p>
                  <rb-release-form .api=${this.api} run-id=${id} .held=${held} @run-changed=${this.onRunChanged}></rb-release-form>
                </section>`
              : nothing}
          </div>`
        : nothing}
      <section class="card" aria-labelledby="list-title" id="list">
        <h2 id="list-title">The exceptions</h2>
        <div class="filter">
          <label for="reason">Reason</label>
          <select id="reason" @change=${(e: Event) => this.pickReason((e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${picked === ''}>Every reason</option>
            ${reasons.filter((r) => r.count > 0 || r.reason === picked).map((r) => html`<option value=${r.reason} ?selected=${r.reason === picked}>${r.reason} (${formatCount(r.count)})</option>`)}
          </select>
        </div>
        <rb-server-grid
          .api=${this.api}
          path="/runs/${id}/exceptions"
          .columns=${EXCEPTION_COLUMNS}
          .filters=${this.gridFilters}
          label="Exceptions of run ${id}"
          noun="exception"
          nouns="exceptions"
          @filters-changed=${this.onGridFilters}
        ></rb-server-grid>
      </section>`;
  }

  private renderReasons(reasons: ReasonRow[]) {
    const shown = reasons.filter((r) => r.count > 0);
    const bars: Bar[] = shown.map((r) => ({
      label: r.reason,
      value: this.measure === 'cost' ? r.cost : String(r[this.measure]),
      text: this.measure === 'cost' ? formatAmount(r.cost) : `${formatCount(r[this.measure])} ${this.measure === 'count' ? (r.count === 1 ? 'call' : 'calls') : 's'}`,
    }));
    const num = (f: (r: ReasonRow) => string) => columnBodyRenderer<ReasonRow>((r) => html`<span class="num">${f(r)}</span>`, []);
    return html`<div class="reasons">
      <vaadin-grid .items=${shown} accessible-name="Exceptions by reason" all-rows-visible>
        <vaadin-grid-column header="Reason" path="reason" width="13rem" flex-grow="0"></vaadin-grid-column>
        <vaadin-grid-column header="Calls" text-align="end" width="5rem" flex-grow="0" ${num((r) => formatCount(r.count))}></vaadin-grid-column>
        <vaadin-grid-column header="Seconds" text-align="end" width="6rem" flex-grow="0" ${num((r) => formatCount(r.seconds))}></vaadin-grid-column>
        <vaadin-grid-column header="Cost" text-align="end" width="6rem" flex-grow="0" ${num((r) => formatAmount(r.cost))}></vaadin-grid-column>
        <vaadin-grid-column header="What fixes it" flex-grow="1" width="14rem" ${columnBodyRenderer<ReasonRow>((r) => html`<div class="fix">${r.fix}</div>`, [])}></vaadin-grid-column>
        <vaadin-grid-column
          header="List"
          width="5.5rem"
          flex-grow="0"
          ${columnBodyRenderer<ReasonRow>((r) => html`<button type="button" class="show" aria-label="Show the ${r.reason} calls" @click=${() => this.showReason(r.reason)}>Show</button>`, [])}
        ></vaadin-grid-column>
      </vaadin-grid>
      <div>
        <div class="measure">
          <label for="measure">Chart</label>
          <select id="measure" @change=${(e: Event) => (this.measure = (e.target as HTMLSelectElement).value as Measure)}>
            ${(Object.keys(MEASURES) as Measure[]).map((m) => html`<option value=${m} ?selected=${m === this.measure}>${MEASURES[m]}</option>`)}
          </select>
        </div>
        <rb-bar-chart .bars=${bars} label="Exceptions by reason (${MEASURES[this.measure]})"></rb-bar-chart>
      </div>
    </div>`;
  }

  /** The reason the grid's reason filter names exactly, or '' (none, or text typed in the grid's header). */
  private pickedReason(): string {
    const typed = (this.gridFilters.reason ?? '').trim().toLowerCase();
    return this.reasons?.find((r) => r.reason.toLowerCase() === typed)?.reason ?? '';
  }

  private pickReason(reason: string): void {
    this.gridFilters = withReason(this.gridFilters, reason);
    this.keepInAddress();
  }

  /** The address keeps the reason for a reload or a shared link, without opening a new screen. */
  private keepInAddress(): void {
    const reason = this.pickedReason();
    history.replaceState(history.state, '', hashOf(`/runs/${this.runId}/exceptions`, reason ? { reason } : undefined));
  }

  private showReason(reason: string): void {
    this.pickReason(reason);
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector<HTMLElement>('#list')?.scrollIntoView({ block: 'start' });
      this.renderRoot.querySelector<HTMLSelectElement>('#reason')?.focus();
    });
  }

  private onGridFilters(e: CustomEvent<{ filters: Record<string, string> }>): void {
    this.gridFilters = e.detail.filters;
    this.keepInAddress();
  }

  private async onRunChanged(): Promise<void> {
    await this.load();
    this.renderRoot.querySelector<RbServerGrid>('rb-server-grid')?.refresh();
  }
}

/** The filters with the reason column's set to `reason` ('' drops it). */
function withReason(f: Record<string, string>, reason: string): Record<string, string> {
  const rest = Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'reason'));
  return reason ? { ...rest, reason } : rest;
}

define('rb-exceptions', RbExceptions);

declare global {
  interface HTMLElementTagNameMap {
    'rb-exceptions': RbExceptions;
  }
}
