// #/search?q=… (SPEC §8): what QuickSearch found — customers and numbers by account, name, company
// or any digits of a number — and SmartSearch: the numbers whose details match the fields of its
// form (tariff, status, site, number type, call class, postcode, customer status), kept in the
// address so a reload or a shared link returns to them.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import { CALL_CLASSES } from '../rules/workbook/rows.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { Role } from './api-types.js';
import { quickSearch } from './api-review.js';
import { define } from './define.js';
import { formatCount } from './format.js';
import { hashOf } from './hash-route.js';
import type { SearchAnswer, SearchCustomer, SearchNumber } from './review-types.js';
import { shared } from './styles.js';
import './rb-error.js';
import './rb-numbers-grid.js';

interface Field {
  key: string;
  label: string;
  /** The values a select offers; a text field without. */
  choices?: readonly string[];
  hint?: string;
}

/** SmartSearch's fields: the query parameters of GET /api/numbers. */
export const SMART_FIELDS: Field[] = [
  { key: 'tariff', label: 'Tariff', hint: 'Standard' },
  { key: 'status', label: 'Number status', choices: ['Active', 'Suspended', 'NonBillable', 'Dropped'] },
  { key: 'site', label: 'Site', hint: 'Leeds' },
  { key: 'numberType', label: 'Number type', hint: 'Geographic' },
  { key: 'callClass', label: 'Call class', choices: CALL_CLASSES },
  { key: 'postcode', label: 'Postcode', hint: 'EC3R' },
  { key: 'customerStatus', label: 'Customer status', choices: ['Active', 'Archived'] },
];

export class RbSearch extends LitElement {
  static override styles = [
    shared,
    css`
      .results {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
        gap: 1rem;
      }
      @media (max-width: 1000px) {
        .results {
          grid-template-columns: 1fr;
        }
      }
      form.smart {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
        gap: 0.6rem 1rem;
        align-items: end;
        margin-bottom: 0.8rem;
      }
      .field {
        display: grid;
        gap: 0.2rem;
      }
      .field input,
      .field select {
        width: 100%;
      }
      .buttons {
        grid-column: 1 / -1;
        display: flex;
        gap: 0.5rem;
      }
      vaadin-grid:not([all-rows-visible]) {
        height: 18rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) callerRole: Role | undefined;
  /** QuickSearch's text (from `?q=`). */
  @property() q = '';
  /** SmartSearch's fields (from the address). */
  @property({ attribute: false }) filters: Record<string, string> = {};

  @state() private found: SearchAnswer | null = null;
  @state() private failure: ApiFailure | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('q')) void this.search();
  }

  private async search(): Promise<void> {
    const q = this.q.trim();
    this.found = null;
    this.failure = null;
    if (!q) return;
    try {
      const found = await quickSearch(this.api, q);
      if (q === this.q.trim()) this.found = found;
    } catch (e) {
      if (q === this.q.trim()) this.failure = asFailure(e);
    }
  }

  override render() {
    const q = this.q.trim();
    return html`<h1>Search</h1>
      <section class="card" aria-labelledby="quick-title">
        <h2 id="quick-title">${q ? html`Customers and numbers matching “${q}”` : 'QuickSearch'}</h2>
        ${q ? nothing : html`<p class="muted">Type an account, a name, a company or any digits of a number in the search box at the top of every screen.</p>`}
        <rb-error .failure=${this.failure}></rb-error>
        ${q && !this.found && !this.failure ? html`<p class="muted">Searching…</p>` : nothing}
        ${this.found ? this.renderFound(this.found) : nothing}
      </section>
      <section class="card" aria-labelledby="smart-title">
        <h2 id="smart-title">SmartSearch: numbers by their details</h2>
        ${this.renderForm()}
        <rb-numbers-grid .api=${this.api} .filters=${this.filters}></rb-numbers-grid>
      </section>`;
  }

  private renderFound(f: SearchAnswer) {
    if (f.customers.length === 0 && f.numbers.length === 0) return html`<p>Nothing in version ${f.version} matches “${this.q.trim()}”.</p>`;
    return html`<p class="muted">In the published version ${f.version}${f.more ? '; more matched than are listed: type more to narrow it down' : ''}.</p>
      <div class="results">
        <div>
          <h3>${formatCount(f.customers.length)} ${f.customers.length === 1 ? 'customer' : 'customers'}</h3>
          ${f.customers.length
            ? html`<vaadin-grid .items=${f.customers} accessible-name="Customers found" ?all-rows-visible=${f.customers.length <= 8}>
                <vaadin-grid-column header="Account" path="account" width="7rem"></vaadin-grid-column>
                <vaadin-grid-column header="Name" path="name" flex-grow="1"></vaadin-grid-column>
                <vaadin-grid-column header="Company" path="company" flex-grow="1"></vaadin-grid-column>
                <vaadin-grid-column header="Status" path="status" width="6rem" flex-grow="0"></vaadin-grid-column>
                <vaadin-grid-column header="Numbers" text-align="end" width="6rem" flex-grow="0" ${columnBodyRenderer<SearchCustomer>((c) => formatCount(c.numberRows), [])}></vaadin-grid-column>
              </vaadin-grid>`
            : nothing}
        </div>
        <div>
          <h3>${formatCount(f.numbers.length)} ${f.numbers.length === 1 ? 'number' : 'numbers'}</h3>
          ${f.numbers.length
            ? html`<vaadin-grid .items=${f.numbers} accessible-name="Numbers matching" ?all-rows-visible=${f.numbers.length <= 8}>
                <vaadin-grid-column
                  header="Number"
                  width="10rem"
                  ${columnBodyRenderer<SearchNumber>((n) => {
                    const number = n.matched || n.number;
                    return html`<a href="#/numbers/${encodeURIComponent(number)}">${number}</a>`;
                  }, [])}
                ></vaadin-grid-column>
                <vaadin-grid-column header="Row's number" width="11rem" ${columnBodyRenderer<SearchNumber>((n) => (n.rangeEnd ? `${n.number}–${n.rangeEnd}` : n.number), [])}></vaadin-grid-column>
                <vaadin-grid-column header="Account" path="account" width="7rem"></vaadin-grid-column>
                <vaadin-grid-column header="Customer" path="name" flex-grow="1"></vaadin-grid-column>
                <vaadin-grid-column header="Site" path="site" width="7rem"></vaadin-grid-column>
                <vaadin-grid-column header="Status" path="status" width="6rem" flex-grow="0"></vaadin-grid-column>
              </vaadin-grid>`
            : nothing}
        </div>
      </div>`;
  }

  private renderForm() {
    return html`<form class="smart" @submit=${this.onSmart} aria-label="SmartSearch">
      ${SMART_FIELDS.map((f) => {
        const value = this.filters[f.key] ?? '';
        return html`<div class="field">
          <label for="smart-${f.key}">${f.label}</label>
          ${f.choices
            ? html`<select id="smart-${f.key}" name=${f.key}>
                <option value="" ?selected=${value === ''}>Any</option>
                ${f.choices.map((c) => html`<option value=${c} ?selected=${c.toLowerCase() === value.toLowerCase()}>${c}</option>`)}
              </select>`
            : html`<input id="smart-${f.key}" name=${f.key} type="search" .value=${value} placeholder=${f.hint ?? ''} autocomplete="off" />`}
        </div>`;
      })}
      <div class="buttons">
        <button type="submit" class="primary">Find numbers</button>
        <button type="button" @click=${this.onClear}>Clear</button>
      </div>
    </form>`;
  }

  private onSmart(e: SubmitEvent): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const filters: Record<string, string> = {};
    for (const f of SMART_FIELDS) {
      const v = String(data.get(f.key) ?? '').trim();
      if (v) filters[f.key] = v;
    }
    this.go(filters);
  }

  private onClear(): void {
    this.renderRoot.querySelector<HTMLFormElement>('form.smart')?.reset();
    this.go({});
  }

  /** The search in the address: the screen follows it (a reload or a shared link shows the same). */
  private go(filters: Record<string, string>): void {
    const q = this.q.trim();
    location.hash = hashOf('/search', { ...(q ? { q } : {}), ...filters });
  }
}

define('rb-search', RbSearch);

declare global {
  interface HTMLElementTagNameMap {
    'rb-search': RbSearch;
  }
}
