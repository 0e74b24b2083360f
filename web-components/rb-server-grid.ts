// A vaadin-grid over one of the server's grid pages (SPEC §7 Grid pages): the grid asks for the
// rows it is about to show, the server pages, sorts and filters, and the total it answers sizes
// the scroll bar — so a 1,000,000-row run keeps a few dozen rows in the page. Each column's header
// has its sorter and a filter field; money cells are formatted, never computed.

import { LitElement, css, html, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import '@vaadin/grid/vaadin-grid-sorter.js';
import type { Grid, GridDataProviderCallback, GridDataProviderParams } from '@vaadin/grid';
import { columnBodyRenderer, columnHeaderRenderer } from '@vaadin/grid/lit.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { GridRow } from './api-types.js';
import { define } from './define.js';
import { formatAmount, formatCount } from './format.js';
import { gridRequestOf } from './grid-request.js';
import { shared } from './styles.js';
import './rb-error.js';

export interface GridColumn {
  /** The column's name in the server's rows (and in sort= and filter[…]=). */
  key: string;
  label: string;
  /** Right-aligned; its filter also takes >=x and <=x. */
  numeric?: boolean;
  /** A decimal string shown with thousands separators (and the grid's currency). */
  money?: boolean;
  width?: string;
  flexGrow?: number;
}

/**
 * A press on a sorter does not move focus into the header cell: focusing a cell of a column the
 * grid has scrolled sideways scrolls it again, so the release (and the click that sorts) would land
 * beside the sorter. The click still sorts; the keyboard still reaches the sorter (Enter on the cell).
 */
const keepScroll = (e: MouseEvent): void => e.preventDefault();

/** How long typing in a filter waits before asking the server. */
const FILTER_WAIT_MS = 300;

export class RbServerGrid extends LitElement {
  static override styles = [
    shared,
    css`
      input.filter {
        display: block;
        margin-top: 0.25rem;
        width: 100%;
        min-width: 3rem;
        padding: 0.15rem 0.35rem;
        font-size: 0.8rem;
      }
      vaadin-grid {
        height: var(--rb-grid-height, 28rem);
      }
      .total {
        margin: 0.3rem 0;
        font-size: 0.9rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  /** The grid page route, e.g. `/runs/3/rated`. */
  @property() path = '';
  @property({ attribute: false }) columns: GridColumn[] = [];
  /** Names the grid for assistive technology: `Rated calls`. */
  @property() label = '';
  /** What a row is, for the count: `call`, `calls`. */
  @property() noun = 'row';
  @property() nouns = 'rows';
  @property() currency: string | null = null;
  /** Filters set from outside (a reason picked elsewhere); the header fields show and change them. */
  @property({ attribute: false }) filters: Record<string, string> = {};
  @property({ type: Number, attribute: 'page-size' }) pageSize = 100;

  @state() private total: number | null = null;
  @state() private failure: ApiFailure | null = null;
  @query('vaadin-grid') private grid!: Grid<GridRow>;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingFilters: Record<string, string> = {};
  /** The sort and filters of the latest request: an answer to an older one says nothing about the total. */
  private latest = '';

  /** Asks the server again (after the rows changed there). */
  refresh(): void {
    this.grid?.clearCache();
  }

  private readonly dataProvider = (params: GridDataProviderParams<GridRow>, callback: GridDataProviderCallback<GridRow>): void => {
    const req = gridRequestOf({ page: params.page, pageSize: params.pageSize, sortOrders: params.sortOrders.map((s) => ({ path: String(s.path), direction: s.direction ?? null })) }, this.filters);
    const key = JSON.stringify([this.path, req.sort, req.filters]);
    this.latest = key;
    this.api.gridPage(this.path, req).then(
      (page) => {
        // vaadin-grid drops rows answered for a cleared cache by itself; the total is ours to guard.
        if (key !== this.latest) return callback(page.rows, page.total);
        this.failure = null;
        if (this.total !== page.total) {
          this.total = page.total;
          this.dispatchEvent(new CustomEvent('grid-total', { detail: { total: page.total }, bubbles: true, composed: true }));
        }
        callback(page.rows, page.total);
      },
      (e: unknown) => {
        if (key === this.latest) this.failure = asFailure(e);
        callback([], 0);
      },
    );
  };

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('path') && changed.get('path') !== undefined) || (changed.has('filters') && changed.get('filters') !== undefined)) this.refresh();
  }

  override render() {
    const t = this.total;
    return html`<p class="total muted" aria-live="polite">${t === null ? 'Loading…' : `${formatCount(t)} ${t === 1 ? this.noun : this.nouns}`}</p>
      <rb-error .failure=${this.failure}></rb-error>
      <vaadin-grid .dataProvider=${this.dataProvider} .pageSize=${this.pageSize} accessible-name=${this.label}>
        ${this.columns.map(
          (c) => html`<vaadin-grid-column
            path=${c.key}
            width=${c.width ?? (c.numeric ? '7rem' : '9rem')}
            flex-grow=${c.flexGrow ?? (c.numeric ? 0 : 1)}
            text-align=${c.numeric ? 'end' : 'start'}
            resizable
            ${columnHeaderRenderer(() => this.renderHeader(c), [this.filters[c.key] ?? ''])}
            ${columnBodyRenderer<GridRow>((row) => this.renderCell(c, row), [this.currency])}
          ></vaadin-grid-column>`,
        )}
      </vaadin-grid>`;
  }

  /**
   * The sorter comes first in the cell, so the grid's keyboard reaches both: Space on a header cell
   * clicks its first element (sorts), Enter goes into the cell's field (filters), Escape back out.
   */
  private renderHeader(c: GridColumn) {
    return html`<vaadin-grid-sorter path=${c.key} @mousedown=${keepScroll}>${c.label}</vaadin-grid-sorter
      ><input
        class="filter"
        type="search"
        aria-label="Filter ${c.label}"
        title=${c.numeric ? 'text, or >=number, <=number' : 'text the cell contains'}
        placeholder=${c.numeric ? '≥, ≤ or text' : 'Filter'}
        .value=${this.filters[c.key] ?? ''}
        @input=${(e: Event) => this.setFilter(c.key, (e.target as HTMLInputElement).value)}
      />`;
  }

  private renderCell(c: GridColumn, row: GridRow) {
    const v = row[c.key];
    if (v === null || v === undefined) return '';
    if (c.money) return formatAmount(String(v), this.currency);
    if (c.numeric && typeof v === 'number') return formatCount(v);
    return String(v);
  }

  private setFilter(key: string, value: string): void {
    // Typed into several fields within the wait: every field's text goes in the one request.
    this.pendingFilters[key] = value;
    clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => {
      this.filters = { ...this.filters, ...this.pendingFilters };
      this.pendingFilters = {};
      this.dispatchEvent(new CustomEvent('filters-changed', { detail: { filters: this.filters }, bubbles: true, composed: true }));
    }, FILTER_WAIT_MS);
  }
}

define('rb-server-grid', RbServerGrid);

declare global {
  interface HTMLElementTagNameMap {
    'rb-server-grid': RbServerGrid;
  }
}
