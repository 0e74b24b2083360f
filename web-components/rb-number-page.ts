// #/numbers/NUMBER (SPEC §8): a number's page — the Numbers rows that hold it, its customer, the
// tariffs in force per call class and the assignments that apply (GET /api/numbers/:number), and
// its recent calls: the latest rated calls of the number in the newest done runs.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { GridRow, Role } from './api-types.js';
import { numberPage, ratedPage } from './api-review.js';
import { define } from './define.js';
import { formatAmount, formatCount } from './format.js';
import type { NumberPage, TariffInForce, TextRow } from './review-types.js';
import { shared } from './styles.js';
import './rb-error.js';

/** Recent calls: this many at most, from this many of the newest done runs. */
const RECENT_CALLS = 10;
const RECENT_RUNS = 5;

const MATCH: Record<NumberPage['rows'][number]['match'], string> = { number: 'its own row', alt: 'an alternative CDR number of', range: 'inside the range of' };

type RecentCall = GridRow & { run: number };

/** The Numbers row's own fields are shown; its customer's (joined in by the server) are in the Customer card. */
const NUMBER_LEAVE_OUT = ['Row', 'Account', 'Name', 'Company', 'Address', 'CustomerStatus'];

export class RbNumberPage extends LitElement {
  static override styles = [
    shared,
    css`
      dl.facts {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0.2rem 1rem;
        margin: 0;
      }
      dl.facts dt {
        color: var(--rb-muted);
        font-size: 0.9rem;
      }
      dl.facts dd {
        margin: 0;
      }
      .pair {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr));
        gap: 0 1rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) callerRole: Role | undefined;
  /** The number, as typed or as Numbers holds it. */
  @property() number = '';

  @state() private page: NumberPage | null = null;
  @state() private failure: ApiFailure | null = null;
  @state() private calls: RecentCall[] | null = null;
  @state() private callsFailure: ApiFailure | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('number')) void this.load();
  }

  private async load(): Promise<void> {
    const n = this.number;
    this.page = null;
    this.failure = null;
    this.calls = null;
    this.callsFailure = null;
    try {
      const page = await numberPage(this.api, n);
      if (n !== this.number) return;
      this.page = page;
      void this.loadCalls(page.number);
    } catch (e) {
      if (n === this.number) this.failure = asFailure(e);
    }
  }

  /** The latest calls of the number, newest run first (each run's own newest first). */
  private async loadCalls(number: string): Promise<void> {
    try {
      const runs = (await this.api.runs()).runs.filter((r) => r.status === 'done').sort((a, b) => b.id - a.id).slice(0, RECENT_RUNS);
      const calls: RecentCall[] = [];
      for (const r of runs) {
        if (calls.length >= RECENT_CALLS) break;
        const page = await ratedPage(this.api, r.id, { offset: 0, limit: RECENT_CALLS - calls.length, sort: [{ column: 'start', direction: 'desc' }], filters: { number } });
        // The filter is a substring: keep the number's own calls.
        calls.push(...page.rows.filter((row) => String(row.number) === number).map((row) => ({ ...row, run: r.id })));
      }
      if (number === this.page?.number) this.calls = calls;
    } catch (e) {
      this.callsFailure = asFailure(e);
    }
  }

  override render() {
    return html`<p><a href="#/search">← Search</a></p>
      <h1>Number ${this.page?.number ?? this.number}</h1>
      <rb-error .failure=${this.failure}></rb-error>
      ${this.page ? this.renderPage(this.page) : this.failure ? nothing : html`<p class="muted">Loading…</p>`}`;
  }

  private renderPage(p: NumberPage) {
    return html`<p class="muted">From the published version ${p.version}.</p>
      ${p.rows.map((row, i) => {
        const n = row.number;
        const c = row.customer;
        return html`${p.rows.length > 1 ? html`<h2>Row ${i + 1} of ${p.rows.length}: ${MATCH[row.match]} ${String(n.Number ?? '')}</h2>` : nothing}
          <div class="pair">
            <section class="card" aria-labelledby="customer-${i}">
              <h2 id="customer-${i}">Customer</h2>
              ${c ? this.renderFacts(c, ['Account', 'Name', 'Company', 'Address', 'Email', 'Status', 'Tariff', 'Markup', 'PaymentMethod'], ['Row']) : html`<p class="muted">No customer holds this row's account (${String(n.Account ?? '')}).</p>`}
            </section>
            <section class="card" aria-labelledby="number-${i}">
              <h2 id="number-${i}">The number${row.match === 'number' ? '' : ` (${MATCH[row.match]} ${String(n.Number ?? '')})`}</h2>
              ${this.renderFacts(n, ['Number', 'RangeEnd', 'Extension', 'Description', 'Site', 'Status', 'NumberType', 'Direction', 'DateSold', 'CallsStartDate', 'DroppedDate', 'AltCdrNumbers', 'FallbackMarkup', 'DiscountPlan', 'Tariffs'], NUMBER_LEAVE_OUT)}
            </section>
          </div>
          <section class="card" aria-labelledby="tariffs-${i}">
            <h2 id="tariffs-${i}">Tariffs in force</h2>
            ${this.renderTariffs(row.tariffs)}
            ${row.assignments.length ? this.renderAssignments(row.assignments) : html`<p class="muted">No TariffAssignments row applies: the customer's own Tariff or Markup does.</p>`}
          </section>`;
      })}
      <section class="card" aria-labelledby="calls-title">
        <h2 id="calls-title">Recent calls</h2>
        <p class="muted">The latest ${RECENT_CALLS} rated calls of ${p.number} in the newest ${RECENT_RUNS} done runs.</p>
        <rb-error .failure=${this.callsFailure}></rb-error>
        ${this.renderCalls()}
      </section>`;
  }

  /** The fields that have a value, in this order, then any others but those left out. */
  private renderFacts(row: TextRow, order: string[], leaveOut: string[] = []) {
    const keys = [...order.filter((k) => k in row), ...Object.keys(row).filter((k) => !order.includes(k) && !leaveOut.includes(k))].filter((k) => row[k] !== null && row[k] !== '');
    return html`<dl class="facts">${keys.map((k) => html`<dt>${k}</dt><dd>${String(row[k])}</dd>`)}</dl>`;
  }

  private renderTariffs(tariffs: TariffInForce[]) {
    return html`<vaadin-grid .items=${tariffs} accessible-name="Tariffs in force by call class" all-rows-visible>
      <vaadin-grid-column header="Call class" path="callClass" width="10rem"></vaadin-grid-column>
      <vaadin-grid-column header="Tariff" width="9rem" ${columnBodyRenderer<TariffInForce>((t) => t.tariff ?? html`<span class="muted">none</span>`, [])}></vaadin-grid-column>
      <vaadin-grid-column header="Markup" width="7rem" ${columnBodyRenderer<TariffInForce>((t) => t.markup ?? '', [])}></vaadin-grid-column>
      <vaadin-grid-column header="Fallback markup" width="9rem" ${columnBodyRenderer<TariffInForce>((t) => t.fallbackMarkup ?? '', [])}></vaadin-grid-column>
      <vaadin-grid-column header="Charge decimals" text-align="end" width="9.5rem" flex-grow="0" path="chargeDecimals"></vaadin-grid-column>
      <vaadin-grid-column header="Rounding" path="rounding" width="8rem"></vaadin-grid-column>
    </vaadin-grid>`;
  }

  private renderAssignments(rows: TextRow[]) {
    const columns = Object.keys(rows[0]);
    return html`<h3 style="margin-top: 0.8rem">TariffAssignments rows that apply</h3>
      <vaadin-grid .items=${rows} accessible-name="Tariff assignments that apply" all-rows-visible>
        ${columns.map((k) => html`<vaadin-grid-column header=${k} ${columnBodyRenderer<TextRow>((r) => String(r[k] ?? ''), [])}></vaadin-grid-column>`)}
      </vaadin-grid>`;
  }

  private renderCalls() {
    const calls = this.calls;
    if (calls === null) return this.callsFailure ? nothing : html`<p class="muted">Loading…</p>`;
    if (calls.length === 0) return html`<p>No rated calls of this number in the newest runs.</p>`;
    const num = (f: (r: RecentCall) => string) => columnBodyRenderer<RecentCall>((r) => html`<span class="num">${f(r)}</span>`, []);
    return html`<vaadin-grid .items=${calls} accessible-name="Recent calls" all-rows-visible>
      <vaadin-grid-column header="Run" width="5rem" flex-grow="0" ${columnBodyRenderer<RecentCall>((r) => html`<a href="#/runs/${r.run}">Run ${r.run}</a>`, [])}></vaadin-grid-column>
      <vaadin-grid-column header="Start" path="start" width="15.5rem" flex-grow="0"></vaadin-grid-column>
      <vaadin-grid-column header="Dir." path="direction" width="4.5rem" flex-grow="0"></vaadin-grid-column>
      <vaadin-grid-column header="Called" path="called" width="9rem"></vaadin-grid-column>
      <vaadin-grid-column header="Destination" path="destination" width="10rem"></vaadin-grid-column>
      <vaadin-grid-column header="Class" path="class" width="8rem"></vaadin-grid-column>
      <vaadin-grid-column header="Tariff" path="tariff" width="7rem"></vaadin-grid-column>
      <vaadin-grid-column header="Seconds" text-align="end" width="6rem" flex-grow="0" ${num((r) => formatCount(Number(r.duration)))}></vaadin-grid-column>
      <vaadin-grid-column header="Charge" text-align="end" width="7rem" flex-grow="0" ${num((r) => formatAmount(String(r.charge ?? '')))}></vaadin-grid-column>
    </vaadin-grid>`;
  }
}

define('rb-number-page', RbNumberPage);

declare global {
  interface HTMLElementTagNameMap {
    'rb-number-page': RbNumberPage;
  }
}
