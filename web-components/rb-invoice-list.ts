// A bill's invoices with their totals as the server sent them (net, tax, total: formatted, never
// added up here); each row opens the invoice's printable page. Fires `invoice-picked` {invoice}.

import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import { define } from './define.js';
import { formatAmount } from './format.js';
import type { BillInvoice } from './review-types.js';
import { shared } from './styles.js';

export class RbInvoiceList extends LitElement {
  static override styles = [
    shared,
    css`
      vaadin-grid:not([all-rows-visible]) {
        height: 22rem;
      }
      button {
        padding: 0.15rem 0.6rem;
        font-size: 0.85rem;
      }
      button[aria-pressed='true'] {
        background: var(--rb-accent-bg);
        border-color: var(--rb-accent);
      }
    `,
  ];

  @property({ attribute: false }) invoices: BillInvoice[] = [];
  @property() currency = '';
  /** The invoice shown (its button is pressed). */
  @property() selected = '';

  override render() {
    if (this.invoices.length === 0) return html`<p class="muted">This bill has no invoices: no customer had calls or charges in the period.</p>`;
    const money = (f: (i: BillInvoice) => string, key: string) =>
      columnBodyRenderer<BillInvoice>((i) => html`<span class="num" data-figure=${`${key} ${i.invoice}`}>${formatAmount(f(i), this.currency)}</span>`, [this.currency]);
    return html`<vaadin-grid .items=${this.invoices} accessible-name="Invoices" ?all-rows-visible=${this.invoices.length <= 12}>
      <vaadin-grid-column header="Invoice" path="invoice" width="9rem"></vaadin-grid-column>
      <vaadin-grid-column header="Account" path="account" width="9rem"></vaadin-grid-column>
      <vaadin-grid-column header="Net" text-align="end" width="8rem" ${money((i) => i.net, 'net')}></vaadin-grid-column>
      <vaadin-grid-column header="VAT" text-align="end" width="7rem" ${money((i) => i.tax, 'tax')}></vaadin-grid-column>
      <vaadin-grid-column header="Total" text-align="end" width="8rem" ${money((i) => i.total, 'total')}></vaadin-grid-column>
      <vaadin-grid-column
        header="Printable page"
        width="9rem"
        flex-grow="0"
        ${columnBodyRenderer<BillInvoice>(
          (i) => html`<button type="button" aria-label="Open invoice ${i.invoice}" aria-pressed=${i.invoice === this.selected ? 'true' : 'false'} @click=${() => this.pick(i.invoice)}>Open</button>`,
          [this.selected],
        )}
      ></vaadin-grid-column>
    </vaadin-grid>`;
  }

  private pick(invoice: string): void {
    this.dispatchEvent(new CustomEvent('invoice-picked', { detail: { invoice }, bubbles: true, composed: true }));
  }
}

define('rb-invoice-list', RbInvoiceList);

declare global {
  interface HTMLElementTagNameMap {
    'rb-invoice-list': RbInvoiceList;
  }
}
