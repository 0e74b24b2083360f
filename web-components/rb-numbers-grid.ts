// SmartSearch's results (SPEC §7 GET /api/numbers): the published version's Numbers rows with their
// customer, filtered by the search form's fields and paged and sorted by the server, as the grid
// asks for them. Each number opens its page.

import { LitElement, css, html, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import '@vaadin/grid/vaadin-grid-sorter.js';
import type { Grid, GridDataProviderCallback, GridDataProviderParams } from '@vaadin/grid';
import { columnBodyRenderer, columnHeaderRenderer } from '@vaadin/grid/lit.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import { numbersPage } from './api-review.js';
import { define } from './define.js';
import { formatCount } from './format.js';
import { gridRequestOf } from './grid-request.js';
import type { TextRow } from './review-types.js';
import { shared } from './styles.js';
import './rb-error.js';

const COLUMNS: { key: string; label: string; width: string; grow?: number }[] = [
  { key: 'Number', label: 'Number', width: '9rem' },
  { key: 'RangeEnd', label: 'Range end', width: '8rem' },
  { key: 'Account', label: 'Account', width: '7rem' },
  { key: 'Name', label: 'Customer', width: '10rem', grow: 1 },
  { key: 'Site', label: 'Site', width: '7rem' },
  { key: 'Status', label: 'Status', width: '6rem' },
  { key: 'NumberType', label: 'Type', width: '7rem' },
  { key: 'Tariffs', label: 'Tariffs', width: '9rem', grow: 1 },
  { key: 'CustomerStatus', label: 'Customer status', width: '7rem' },
  { key: 'Address', label: 'Address', width: '14rem', grow: 2 },
];

export class RbNumbersGrid extends LitElement {
  static override styles = [
    shared,
    css`
      vaadin-grid {
        height: var(--rb-grid-height, 24rem);
      }
      .total {
        margin: 0.3rem 0;
        font-size: 0.9rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  /** SmartSearch's fields (tariff, status, site, numberType, callClass, postcode, customerStatus). */
  @property({ attribute: false }) filters: Record<string, string> = {};

  @state() private total: number | null = null;
  @state() private failure: ApiFailure | null = null;
  @query('vaadin-grid') private grid?: Grid<TextRow>;

  private readonly dataProvider = (params: GridDataProviderParams<TextRow>, callback: GridDataProviderCallback<TextRow>): void => {
    const req = gridRequestOf({ page: params.page, pageSize: params.pageSize, sortOrders: params.sortOrders.map((s) => ({ path: String(s.path), direction: s.direction ?? null })) }, {});
    numbersPage(this.api, this.filters, req).then(
      (page) => {
        this.failure = null;
        this.total = page.total;
        callback(page.rows, page.total);
      },
      (e: unknown) => {
        this.failure = asFailure(e);
        this.total = 0;
        callback([], 0);
      },
    );
  };

  protected override updated(changed: PropertyValues<this>): void {
    // A new object with the same fields (the screen drawn again) asks nothing new.
    const before = changed.get('filters');
    if (changed.has('filters') && before !== undefined && JSON.stringify(before) !== JSON.stringify(this.filters)) this.grid?.clearCache();
  }

  override render() {
    const t = this.total;
    return html`<p class="total muted" aria-live="polite">${t === null ? 'Loading…' : `${formatCount(t)} ${t === 1 ? 'number' : 'numbers'}`}</p>
      <rb-error .failure=${this.failure}></rb-error>
      <vaadin-grid .dataProvider=${this.dataProvider} .pageSize=${100} accessible-name="Numbers found">
        ${COLUMNS.map(
          (c) => html`<vaadin-grid-column
            path=${c.key}
            width=${c.width}
            flex-grow=${c.grow ?? 0}
            resizable
            ${columnHeaderRenderer(() => html`<vaadin-grid-sorter path=${c.key}>${c.label}</vaadin-grid-sorter>`, [])}
            ${columnBodyRenderer<TextRow>((r) => (c.key === 'Number' ? html`<a href="#/numbers/${encodeURIComponent(String(r.Number ?? ''))}">${r.Number}</a>` : String(r[c.key] ?? '')), [])}
          ></vaadin-grid-column>`,
        )}
      </vaadin-grid>`;
  }
}

define('rb-numbers-grid', RbNumbersGrid);

declare global {
  interface HTMLElementTagNameMap {
    'rb-numbers-grid': RbNumbersGrid;
  }
}
