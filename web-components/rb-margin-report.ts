// A bill's margin reports (SPEC §8): margin_by_customer.csv, margin_by_class.csv and
// margin_by_destination.csv as tables with a bar chart of the margin, and the loss-making calls and
// housekeeping findings as tables — read from the bill's own CSV files, cells kept as the text the
// file holds (amounts only formatted).

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import { billFileText } from './api-review.js';
import { compareDecimals } from './bar-scale.js';
import { csvRecords, parseCsv } from './csv-text.js';
import { define } from './define.js';
import { formatAmount } from './format.js';
import type { Bar } from './rb-bar-chart.js';
import { shared } from './styles.js';
import './rb-bar-chart.js';
import './rb-error.js';

interface Report {
  file: string;
  label: string;
  /** Margin reports chart their margin by the first column. */
  chart: boolean;
}

export const REPORTS: Report[] = [
  { file: 'margin_by_customer.csv', label: 'Margin by customer', chart: true },
  { file: 'margin_by_class.csv', label: 'Margin by call class', chart: true },
  { file: 'margin_by_destination.csv', label: 'Margin by destination', chart: true },
  { file: 'loss_making_calls.csv', label: 'Loss-making calls', chart: false },
  { file: 'housekeeping.csv', label: 'Housekeeping', chart: false },
];

const MONEY = new Set(['charge', 'cost', 'margin']);
const COUNTS = new Set(['calls', 'seconds', 'calls_without_cost', 'line', 'duration']);
const HEADERS: Record<string, string> = { calls_without_cost: 'Calls, no cost', margin_percent: 'Margin %' };
const headerOf = (h: string): string => HEADERS[h] ?? h.charAt(0).toUpperCase() + h.slice(1).replace(/_/g, ' ');

type Row = Record<string, string>;

export class RbMarginReport extends LitElement {
  static override styles = [
    shared,
    css`
      .tabs {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        margin-bottom: 0.8rem;
      }
      .tabs button[aria-pressed='true'] {
        background: var(--rb-accent);
        border-color: var(--rb-accent);
        color: #fff;
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
  @property() period = '';
  /** The bill's files: only the reports it has are offered. */
  @property({ attribute: false }) files: string[] = [];
  @property() currency = '';

  @state() private which = REPORTS[0].file;
  @state() private table: { file: string; header: string[]; rows: Row[] } | null = null;
  @state() private failure: ApiFailure | null = null;
  private asking: AbortController | null = null;

  private get available(): Report[] {
    return REPORTS.filter((r) => this.files.includes(r.file));
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('files') && !this.available.some((r) => r.file === this.which) && this.available[0]) this.which = this.available[0].file;
    if (changed.has('period') || changed.has('which') || (changed.has('files') && this.table?.file !== this.which)) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.asking?.abort();
  }

  private async load(): Promise<void> {
    this.asking?.abort();
    const asking = (this.asking = new AbortController());
    const file = this.which;
    this.failure = null;
    if (!this.files.includes(file)) return;
    try {
      const t = parseCsv(await billFileText(this.api, this.period, file, asking.signal));
      if (!asking.signal.aborted) this.table = { file, header: t.header, rows: csvRecords(t) };
    } catch (e) {
      if (!asking.signal.aborted) this.failure = asFailure(e);
    }
  }

  override render() {
    const reports = this.available;
    if (reports.length === 0) return html`<p class="muted">This bill has no reports.</p>`;
    const report = reports.find((r) => r.file === this.which) ?? reports[0];
    const t = this.table?.file === report.file ? this.table : null;
    return html`<div class="tabs" role="group" aria-label="Reports">
        ${reports.map((r) => html`<button type="button" aria-pressed=${r.file === report.file ? 'true' : 'false'} @click=${() => (this.which = r.file)}>${r.label}</button>`)}
      </div>
      <rb-error .failure=${this.failure}></rb-error>
      ${t ? this.renderTable(report, t) : this.failure ? nothing : html`<p class="muted">Loading…</p>`}`;
  }

  private renderTable(report: Report, t: { header: string[]; rows: Row[] }) {
    if (t.rows.length === 0) return html`<p class="muted">${report.label}: nothing to report.</p>`;
    const key = t.header[0];
    const chart = report.chart && t.header.includes('margin');
    // The chart: the biggest margins first (decimal strings compared exactly).
    const bars: Bar[] = chart ? [...t.rows].sort((a, b) => compareDecimals(b.margin, a.margin)).map((r) => ({ label: r[key], value: r.margin, text: formatAmount(r.margin, this.currency) })) : [];
    return html`${chart ? html`<rb-bar-chart .bars=${bars} label=${report.label} max="15"></rb-bar-chart>` : nothing}
      <vaadin-grid .items=${t.rows} accessible-name=${report.label} ?all-rows-visible=${t.rows.length <= 12}>
        ${t.header.map((h) => {
          const right = MONEY.has(h) || COUNTS.has(h) || h === 'margin_percent';
          return html`<vaadin-grid-column
            header=${headerOf(h)}
            text-align=${right ? 'end' : 'start'}
            flex-grow=${right ? 0 : 1}
            width=${right ? '8rem' : '10rem'}
            resizable
            ${columnBodyRenderer<Row>((r) => this.cell(h, r[h] ?? ''), [this.currency])}
          ></vaadin-grid-column>`;
        })}
      </vaadin-grid>`;
  }

  private cell(column: string, text: string) {
    if (MONEY.has(column)) return html`<span class="num">${formatAmount(text, this.currency)}</span>`;
    if (COUNTS.has(column) && /^\d+$/.test(text)) return html`<span class="num">${text.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}</span>`;
    if (column === 'margin_percent') return html`<span class="num">${text === '' ? '' : `${text}%`}</span>`;
    return text;
  }
}

define('rb-margin-report', RbMarginReport);

declare global {
  interface HTMLElementTagNameMap {
    'rb-margin-report': RbMarginReport;
  }
}
