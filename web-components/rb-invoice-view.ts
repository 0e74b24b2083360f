// An invoice as its printable page (SPEC §8): the bill's own invoices/<INVOICE>.html, fetched with
// the token (a frame cannot send one) and shown in a sandboxed frame — no scripts run in it — with
// Print and the page's and the .xlsx's downloads. Fires `invoice-closed`.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import { billFilePath, billFileText } from './api-review.js';
import { define } from './define.js';
import { invoicePage } from './period-text.js';
import { shared } from './styles.js';
import './rb-download.js';
import './rb-error.js';

export class RbInvoiceView extends LitElement {
  static override styles = [
    shared,
    css`
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.6rem;
      }
      .bar h3 {
        margin: 0 auto 0 0;
      }
      iframe {
        width: 100%;
        min-height: 24rem;
        border: 1px solid var(--rb-border);
        border-radius: 8px;
        background: #fff;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property() period = '';
  @property() invoice = '';
  /** The bill's files: the invoice's .html and .xlsx are looked up here. */
  @property({ attribute: false }) files: string[] = [];

  @state() private page: string | null = null;
  @state() private failure: ApiFailure | null = null;
  @query('iframe') private frame?: HTMLIFrameElement;
  private asking: AbortController | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('invoice') || changed.has('period')) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.asking?.abort();
  }

  private async load(): Promise<void> {
    this.asking?.abort();
    const asking = (this.asking = new AbortController());
    this.page = null;
    this.failure = null;
    if (!this.invoice) return;
    try {
      const text = await billFileText(this.api, this.period, invoicePage(this.invoice), asking.signal);
      if (!asking.signal.aborted) this.page = text;
    } catch (e) {
      if (!asking.signal.aborted) this.failure = asFailure(e);
    }
  }

  override render() {
    if (!this.invoice) return nothing;
    const xlsx = invoicePage(this.invoice, 'xlsx');
    const htmlFile = invoicePage(this.invoice);
    return html`<div class="bar">
        <h3 id="invoice-title">Invoice ${this.invoice}</h3>
        <button type="button" ?disabled=${this.page === null} @click=${this.print}>Print</button>
        ${this.files.includes(htmlFile) ? html`<rb-download .api=${this.api} path=${billFilePath(this.period, htmlFile)} file=${`${this.invoice}.html`}></rb-download>` : nothing}
        ${this.files.includes(xlsx) ? html`<rb-download .api=${this.api} path=${billFilePath(this.period, xlsx)} file=${`${this.invoice}.xlsx`}></rb-download>` : nothing}
        <button type="button" @click=${this.close} aria-label="Close invoice ${this.invoice}">Close</button>
      </div>
      <rb-error .failure=${this.failure}></rb-error>
      ${this.page !== null
        ? html`<iframe title="Invoice ${this.invoice}, printable page" sandbox="allow-same-origin allow-modals" .srcdoc=${this.page} @load=${this.fit}></iframe>`
        : this.failure
          ? nothing
          : html`<p class="muted">Loading the invoice…</p>`}`;
  }

  /** The frame as tall as the page up to most of the window: a short invoice reads whole, a long one scrolls in its frame. */
  private fit(): void {
    const doc = this.frame?.contentDocument;
    if (this.frame && doc?.documentElement) this.frame.style.height = `${Math.min(doc.documentElement.scrollHeight + 8, Math.round(window.innerHeight * 0.8))}px`;
  }

  private print(): void {
    this.frame?.contentWindow?.print();
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('invoice-closed', { bubbles: true, composed: true }));
  }
}

define('rb-invoice-view', RbInvoiceView);

declare global {
  interface HTMLElementTagNameMap {
    'rb-invoice-view': RbInvoiceView;
  }
}
