// #/runs/ID/whatif (SPEC §8): pick a version; the run's calls rated with it and compared with the
// run as it stands, changing nothing — totals before and after, and the change in charges by
// customer, by call class and by destination, charted and tabled. The server works out every
// figure; this only formats them.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { Role, RunDetail, VersionList } from './api-types.js';
import { whatIf } from './api-review.js';
import { compareDecimals } from './bar-scale.js';
import { define } from './define.js';
import { formatAmount, formatCount } from './format.js';
import { hashOf } from './hash-route.js';
import type { Bar } from './rb-bar-chart.js';
import type { GroupChange, WhatIf } from './review-types.js';
import { shared } from './styles.js';
import { firstChoice, ratingVersions, versionText } from './version-choice.js';
import './rb-bar-chart.js';
import './rb-error.js';
import './rb-run-nav.js';

interface TotalRow {
  what: string;
  before: string;
  after: string;
}

type Group = GroupChange & { key: string };

/** A change as people read it: `+1.25`, `-0.40`, `0.00` (the server's digits, only punctuated). */
export const formatChange = (change: string): string => (compareDecimals(change, '0') > 0 ? `+${formatAmount(change)}` : formatAmount(change));

export class RbWhatif extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 0.8rem;
        align-items: center;
      }
      .up {
        color: var(--rb-ok);
      }
      .down {
        color: var(--rb-error);
      }
      .totals {
        max-width: 40rem;
      }
      vaadin-grid:not([all-rows-visible]) {
        height: 22rem;
      }
      rb-bar-chart {
        margin-bottom: 0.8rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) callerRole: Role | undefined;
  @property({ type: Number, attribute: 'run-id' }) runId = 0;
  /** The version to compare with (from `?version=`): compared as soon as the page opens. */
  @property({ attribute: false }) version: number | null = null;

  @state() private versions: VersionList | null = null;
  @state() private run: RunDetail | null = null;
  @state() private chosen: number | null = null;
  @state() private result: WhatIf | null = null;
  @state() private busy = false;
  @state() private failure: ApiFailure | null = null;
  @state() private compareFailure: ApiFailure | null = null;
  private asking: AbortController | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.asking?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('runId')) void this.load();
  }

  async load(): Promise<void> {
    const id = this.runId;
    try {
      const [versions, run] = await Promise.all([this.api.versions(), this.api.run(id)]);
      if (id !== this.runId) return;
      this.versions = versions;
      this.run = run;
      this.failure = null;
      this.chosen = this.version !== null && ratingVersions(versions.versions).some((v) => v.seq === this.version) ? this.version : firstChoice(versions.versions, run.version ?? null);
      if (this.version !== null && this.chosen === this.version) void this.compare();
    } catch (e) {
      this.failure = asFailure(e);
    }
  }

  override render() {
    const id = this.runId;
    return html`<p><a href="#/runs">← All runs</a></p>
      <h1>Run ${id}: what if</h1>
      <rb-run-nav run-id=${id} current="#/runs/${id}/whatif"></rb-run-nav>
      <rb-error .failure=${this.failure}></rb-error>
      ${this.versions && this.run ? this.renderPicker(this.versions, this.run) : this.failure ? nothing : html`<p class="muted">Loading…</p>`}
      ${this.result ? this.renderResult(this.result) : nothing}`;
  }

  private renderPicker(list: VersionList, run: RunDetail) {
    const usable = ratingVersions(list.versions);
    return html`<section class="card" aria-labelledby="pick-title">
      <h2 id="pick-title">Compare with a version</h2>
      <p class="muted">The run's calls are rated again with the version you pick and compared with the run as it stands (version ${run.version ?? '?'}). Nothing in the run changes.</p>
      ${usable.length === 0
        ? html`<p>No version without errors to compare with.</p>`
        : html`<form @submit=${this.onSubmit}>
            <label for="whatif-version">Version</label>
            <select id="whatif-version" @change=${(e: Event) => (this.chosen = Number((e.target as HTMLSelectElement).value))}>
              ${usable.map((v) => html`<option value=${v.seq} ?selected=${v.seq === this.chosen}>${versionText(v, list.published, run.version ?? null)}</option>`)}
            </select>
            <button type="submit" class="primary" ?disabled=${this.busy || this.chosen === null}>Compare</button>
            ${this.busy ? html`<span role="status">Rating the run's ${formatCount(run.summary?.input ?? null)} calls with version ${this.chosen}…</span>` : nothing}
          </form>`}
      <rb-error .failure=${this.compareFailure}></rb-error>
    </section>`;
  }

  private renderResult(w: WhatIf) {
    const reasons = [...new Set([...Object.keys(w.before.byReason), ...Object.keys(w.after.byReason)])];
    const rows: TotalRow[] = [
      { what: 'Input calls', before: formatCount(w.before.input), after: formatCount(w.after.input) },
      { what: 'Rated calls', before: formatCount(w.before.rated), after: formatCount(w.after.rated) },
      { what: 'Exceptions', before: formatCount(w.before.exceptions), after: formatCount(w.after.exceptions) },
      ...reasons.map((r) => ({ what: `  ${r}`, before: formatCount(w.before.byReason[r] ?? 0), after: formatCount(w.after.byReason[r] ?? 0) })),
      { what: 'Charge', before: formatAmount(w.before.charge), after: formatAmount(w.after.charge) },
      { what: 'Carrier cost', before: formatAmount(w.before.cost), after: formatAmount(w.after.cost) },
    ];
    const byCustomer: Group[] = w.byCustomer.map((g) => ({ ...g, key: g.account }));
    const byClass: Group[] = w.byClass.map((g) => ({ ...g, key: g.class }));
    const byDestination: Group[] = w.byDestination.map((g) => ({ ...g, key: g.destination }));
    return html`<section class="card" aria-labelledby="totals-title">
        <h2 id="totals-title">Totals: run ${w.run} with version ${w.runVersion}, and with version ${w.version}</h2>
        <vaadin-grid class="totals" .items=${rows} accessible-name="Totals before and after" all-rows-visible>
          <vaadin-grid-column header="" path="what" width="12rem" ${columnBodyRenderer<TotalRow>((r) => (r.what.startsWith('  ') ? html`<span class="muted">&emsp;${r.what.trim()}</span>` : r.what), [])}></vaadin-grid-column>
          <vaadin-grid-column header="Before (version ${w.runVersion})" text-align="end" ${columnBodyRenderer<TotalRow>((r) => html`<span class="num" data-before=${r.what.trim()}>${r.before}</span>`, [])}></vaadin-grid-column>
          <vaadin-grid-column header="After (version ${w.version})" text-align="end" ${columnBodyRenderer<TotalRow>((r) => html`<span class="num" data-after=${r.what.trim()}>${r.after}</span>`, [])}></vaadin-grid-column>
        </vaadin-grid>
      </section>
      ${this.renderGroups('customer', 'Change in charges by customer', 'Account', byCustomer)}
      ${this.renderGroups('class', 'Change in charges by call class', 'Call class', byClass)}
      ${this.renderGroups('destination', 'Change in charges by destination', 'Destination', byDestination, false)}`;
  }

  private renderGroups(id: string, title: string, keyHeader: string, groups: Group[], chart = true) {
    const bars: Bar[] = groups.map((g) => ({ label: g.key, value: g.change, text: formatChange(g.change) }));
    const num = (f: (g: Group) => string) => columnBodyRenderer<Group>((g) => html`<span class="num">${f(g)}</span>`, []);
    return html`<section class="card" aria-labelledby="${id}-title">
      <h2 id="${id}-title">${title}</h2>
      ${chart ? html`<rb-bar-chart .bars=${bars} label=${title} max="15" no-caption></rb-bar-chart>` : nothing}
      <vaadin-grid .items=${groups} accessible-name=${title} ?all-rows-visible=${groups.length <= 12}>
        <vaadin-grid-column header=${keyHeader} path="key" flex-grow="2"></vaadin-grid-column>
        <vaadin-grid-column header="Calls before" text-align="end" width="7rem" flex-grow="0" ${num((g) => formatCount(g.callsBefore))}></vaadin-grid-column>
        <vaadin-grid-column header="Calls after" text-align="end" width="7rem" flex-grow="0" ${num((g) => formatCount(g.callsAfter))}></vaadin-grid-column>
        <vaadin-grid-column header="Charge before" text-align="end" width="9rem" flex-grow="0" ${num((g) => formatAmount(g.before))}></vaadin-grid-column>
        <vaadin-grid-column header="Charge after" text-align="end" width="9rem" flex-grow="0" ${num((g) => formatAmount(g.after))}></vaadin-grid-column>
        <vaadin-grid-column
          header="Change"
          text-align="end"
          width="9rem"
          flex-grow="0"
          ${columnBodyRenderer<Group>((g) => {
            const sign = compareDecimals(g.change, '0');
            return html`<span class="num ${sign > 0 ? 'up' : sign < 0 ? 'down' : ''}">${formatChange(g.change)}</span>`;
          }, [])}
        ></vaadin-grid-column>
      </vaadin-grid>
    </section>`;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.chosen === null) return;
    // The address keeps the version: a reload or a shared link compares again.
    history.replaceState(history.state, '', hashOf(`/runs/${this.runId}/whatif`, { version: String(this.chosen) }));
    void this.compare();
  }

  private async compare(): Promise<void> {
    const version = this.chosen;
    if (version === null) return;
    this.asking?.abort();
    const asking = (this.asking = new AbortController());
    this.busy = true;
    this.compareFailure = null;
    this.result = null;
    try {
      const r = await whatIf(this.api, this.runId, version, asking.signal);
      if (!asking.signal.aborted) this.result = r;
    } catch (err) {
      if (!asking.signal.aborted) this.compareFailure = asFailure(err);
    } finally {
      if (this.asking === asking) this.busy = false;
    }
  }
}

define('rb-whatif', RbWhatif);

declare global {
  interface HTMLElementTagNameMap {
    'rb-whatif': RbWhatif;
  }
}
