// #/billing and #/billing/PERIOD (SPEC §8): draft a period (clerk), the bills, and a period's bill —
// the invoice list with totals, an invoice shown as its printable page, finalise (manager only),
// the downloads and the margin reports with charts. Totals are the server's, only formatted.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import { ApiFailure, asFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { Role } from './api-types.js';
import { bill as getBill, billFilePath, bills as getBills, makeBill } from './api-review.js';
import { define } from './define.js';
import { formatAmount, formatCount, formatWhen, plural } from './format.js';
import { hashOf } from './hash-route.js';
import { lastMonth, PERIOD, periodName } from './period-text.js';
import { may } from './permissions.js';
import type { Bill } from './review-types.js';
import { shared } from './styles.js';
import './rb-download.js';
import './rb-error.js';
import './rb-invoice-list.js';
import './rb-invoice-view.js';
import './rb-margin-report.js';

const STATUS_BADGE: Record<Bill['status'], string> = { draft: 'warning', final: 'ok', billing: 'notice', failed: 'error' };

export class RbBilling extends LitElement {
  static override styles = [
    shared,
    css`
      form.draft {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 0.8rem;
        align-items: center;
      }
      .title {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem;
        align-items: baseline;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem;
        align-items: center;
        margin-top: 0.9rem;
      }
      .confirm {
        border: 1px solid var(--rb-warning);
        background: var(--rb-warning-bg);
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
        margin-top: 0.8rem;
      }
      .downloads {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      vaadin-grid:not([all-rows-visible]) {
        height: 20rem;
      }
      rb-invoice-view {
        margin-top: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) callerRole: Role | undefined;
  /** The period shown (`2026-10`), or null for the list. */
  @property({ attribute: false }) period: string | null = null;
  /** The invoice open as its printable page (from `?invoice=`). */
  @property({ attribute: false }) invoice: string | null = null;

  @state() private list: Bill[] | null = null;
  @state() private bill: Bill | null = null;
  @state() private failure: ApiFailure | null = null;
  @state() private billFailure: ApiFailure | null = null;
  @state() private drafting = false;
  @state() private draftFailure: ApiFailure | null = null;
  @state() private confirming = false;
  @state() private finalising = false;
  @state() private finalFailure: ApiFailure | null = null;
  @state() private done: string | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('period')) {
      this.bill = null;
      this.billFailure = null;
      this.confirming = false;
      this.done = null;
      void this.load();
    }
  }

  async load(): Promise<void> {
    const period = this.period;
    const [list, one] = await Promise.allSettled([getBills(this.api), period ? getBill(this.api, period) : Promise.resolve(null)]);
    if (period !== this.period) return;
    if (list.status === 'fulfilled') {
      this.list = list.value.bills;
      this.failure = null;
    } else this.failure = asFailure(list.reason);
    if (one.status === 'fulfilled') {
      this.bill = one.value;
      this.billFailure = null;
    } else this.billFailure = asFailure(one.reason);
  }

  override render() {
    const p = this.period;
    return html`${p ? html`<p><a href="#/billing">← All bills</a></p>` : nothing}
      <h1>${p ? `Billing: ${periodName(p)}` : 'Billing'}</h1>
      ${p ? this.renderPeriod(p) : nothing}
      ${!p && may(this.callerRole, 'draft-bill') ? this.renderDraft() : nothing}
      ${p ? nothing : this.renderList()}`;
  }

  private renderDraft() {
    return html`<section class="card" aria-labelledby="draft-title">
      <h2 id="draft-title">Draft a period</h2>
      <p class="muted">Bills the period from the rated calls of every run that did not fail, with the published version. A new draft replaces the last one.</p>
      <form class="draft" @submit=${this.onDraft}>
        <label for="period">Period</label>
        <input id="period" name="period" type="month" required .value=${this.list?.[0]?.period && this.list[0].status !== 'final' ? this.list[0].period : lastMonth()} />
        <button type="submit" class="primary" ?disabled=${this.drafting}>${this.drafting ? 'Drafting…' : 'Draft the bill'}</button>
        ${this.drafting ? html`<span role="status">Making the invoices…</span>` : nothing}
      </form>
      <rb-error .failure=${this.draftFailure}></rb-error>
    </section>`;
  }

  private renderList() {
    const list = this.list;
    const money = (f: (b: Bill) => string) => columnBodyRenderer<Bill>((b) => html`<span class="num">${formatAmount(f(b), b.currency)}</span>`, []);
    return html`<section class="card" aria-labelledby="bills-title">
      <h2 id="bills-title">Bills</h2>
      <rb-error .failure=${this.failure}></rb-error>
      ${!list
        ? this.failure
          ? nothing
          : html`<p class="muted">Loading…</p>`
        : list.length === 0
          ? html`<p class="muted">No period has been billed yet.</p>`
          : html`<vaadin-grid .items=${list} accessible-name="Bills" ?all-rows-visible=${list.length <= 12}>
              <vaadin-grid-column header="Period" width="10rem" ${columnBodyRenderer<Bill>((b) => html`<a href="#/billing/${b.period}">${periodName(b.period)}</a>`, [])}></vaadin-grid-column>
              <vaadin-grid-column header="Status" width="6rem" flex-grow="0" ${columnBodyRenderer<Bill>((b) => html`<span class="badge ${STATUS_BADGE[b.status]}">${b.status}</span>`, [])}></vaadin-grid-column>
              <vaadin-grid-column header="Invoices" text-align="end" width="6rem" flex-grow="0" ${columnBodyRenderer<Bill>((b) => html`<span class="num">${formatCount(b.invoices.length)}</span>`, [])}></vaadin-grid-column>
              <vaadin-grid-column header="Net" text-align="end" width="9rem" flex-grow="0" ${money((b) => b.net)}></vaadin-grid-column>
              <vaadin-grid-column header="VAT" text-align="end" width="8rem" flex-grow="0" ${money((b) => b.tax)}></vaadin-grid-column>
              <vaadin-grid-column header="Total" text-align="end" width="9rem" flex-grow="0" ${money((b) => b.total)}></vaadin-grid-column>
              <vaadin-grid-column header="By" path="createdBy" width="7rem"></vaadin-grid-column>
              <vaadin-grid-column header="When" width="9rem" ${columnBodyRenderer<Bill>((b) => formatWhen(b.createdAt), [])}></vaadin-grid-column>
            </vaadin-grid>`}
    </section>`;
  }

  private renderPeriod(period: string) {
    const b = this.bill;
    if (!b) {
      return html`<rb-error .failure=${this.billFailure}></rb-error>
        ${this.billFailure ? (may(this.callerRole, 'draft-bill') && this.billFailure.status === 404 ? this.renderRedraft(period, 'Draft it') : nothing) : html`<p class="muted">Loading…</p>`}`;
    }
    const facts = [`by ${b.createdBy}`, formatWhen(b.createdAt)];
    if (b.version !== undefined) facts.push(`version ${b.version}`);
    if (b.runs?.length) facts.push(`runs ${b.runs.join(', ')}`);
    const downloads = b.files.filter((f) => !f.startsWith('invoices/'));
    return html`<section class="card" aria-labelledby="bill-title">
        <div class="title">
          <h2 id="bill-title">${periodName(period)} (${period})</h2>
          <span class="badge ${STATUS_BADGE[b.status]}" data-testid="bill-status">${b.status}</span>
        </div>
        <p class="muted">${facts.join(' · ')}</p>
        ${b.status === 'failed' || b.attempt?.status === 'failed'
          ? html`<rb-error .failure=${{ status: 0, error: `The last attempt to bill ${period} failed: ${b.error ?? b.attempt?.error ?? 'no reason was given'}` }}></rb-error>`
          : nothing}
        ${b.status === 'billing' || b.attempt?.status === 'billing' ? html`<p role="status">A bill for ${period} is being made. <button type="button" @click=${this.load}>Look again</button></p>` : nothing}
        <dl class="figures">
          <div><dt>Invoices</dt><dd data-figure="invoices">${formatCount(b.invoices.length)}</dd></div>
          <div><dt>Net</dt><dd data-figure="net">${formatAmount(b.net, b.currency)}</dd></div>
          <div><dt>VAT</dt><dd data-figure="tax">${formatAmount(b.tax, b.currency)}</dd></div>
          <div><dt>Total</dt><dd data-figure="total">${formatAmount(b.total, b.currency)}</dd></div>
        </dl>
        ${b.waitingCalls ? html`<p class="muted">${plural(b.waitingCalls, 'call')} of non-billable numbers wait for a later invoice.</p>` : nothing}
        ${this.done ? html`<p role="status">${this.done}</p>` : nothing}
        ${this.renderActions(b)}
      </section>
      <section class="card" aria-labelledby="invoices-title">
        <h2 id="invoices-title">Invoices</h2>
        <rb-invoice-list .invoices=${b.invoices} currency=${b.currency} selected=${this.invoice ?? ''} @invoice-picked=${(e: CustomEvent<{ invoice: string }>) => this.openInvoice(e.detail.invoice)}></rb-invoice-list>
        ${this.invoice ? html`<rb-invoice-view .api=${this.api} period=${period} invoice=${this.invoice} .files=${b.files} @invoice-closed=${() => this.openInvoice(null)}></rb-invoice-view>` : nothing}
      </section>
      <section class="card" aria-labelledby="reports-title">
        <h2 id="reports-title">Margin reports</h2>
        <rb-margin-report .api=${this.api} period=${period} .files=${b.files} currency=${b.currency}></rb-margin-report>
      </section>
      <section class="card" aria-labelledby="files-title">
        <h2 id="files-title">Downloads</h2>
        <div class="downloads">${downloads.map((f) => html`<rb-download .api=${this.api} path=${billFilePath(period, f)} file=${f}></rb-download>`)}</div>
      </section>`;
  }

  private renderActions(b: Bill) {
    const mayFinalise = may(this.callerRole, 'finalise-bill') && b.status === 'draft';
    const mayRedraft = may(this.callerRole, 'draft-bill') && b.status !== 'final';
    if (!mayFinalise && !mayRedraft) return nothing;
    return html`<div class="actions">
        ${mayRedraft ? this.renderRedraft(b.period, 'Draft again') : nothing}
        ${mayFinalise && !this.confirming ? html`<button type="button" class="primary" @click=${() => (this.confirming = true)}>Finalise ${b.period}…</button>` : nothing}
      </div>
      ${mayFinalise && this.confirming
        ? html`<div class="confirm" role="group" aria-labelledby="confirm-text">
            <p id="confirm-text">
              Finalising bills ${b.period} afresh from the rated calls as they are now and makes its invoices final: they join the billing history and
              the period cannot be billed again.
            </p>
            <div class="actions">
              <button type="button" class="primary" ?disabled=${this.finalising} @click=${this.onFinalise}>${this.finalising ? 'Finalising…' : `Finalise ${b.period} now`}</button>
              <button type="button" ?disabled=${this.finalising} @click=${() => (this.confirming = false)}>Cancel</button>
            </div>
          </div>`
        : nothing}
      <rb-error .failure=${this.finalFailure}></rb-error>`;
  }

  private renderRedraft(period: string, label: string) {
    return html`<span>
      <button type="button" ?disabled=${this.drafting} @click=${() => this.draft(period)}>${this.drafting ? 'Drafting…' : label}</button>
      <rb-error .failure=${this.draftFailure}></rb-error>
    </span>`;
  }

  private openInvoice(invoice: string | null): void {
    this.invoice = invoice;
    if (!this.period) return;
    // The address keeps the open invoice for a reload or a shared link, without opening a new screen.
    history.replaceState(history.state, '', hashOf(`/billing/${this.period}`, invoice ? { invoice } : undefined));
    if (invoice) void this.updateComplete.then(() => this.renderRoot.querySelector('rb-invoice-view')?.scrollIntoView({ block: 'start' }));
  }

  private onDraft(e: SubmitEvent): void {
    e.preventDefault();
    const period = String(new FormData(e.target as HTMLFormElement).get('period') ?? '').trim();
    if (!PERIOD.test(period)) {
      this.draftFailure = new ApiFailure({ status: 0, error: 'Pick a month to bill.', issues: [{ at: 'Period', message: 'a month as YYYY-MM, e.g. 2026-10' }] });
      return;
    }
    void this.draft(period);
  }

  private async draft(period: string): Promise<void> {
    this.drafting = true;
    this.draftFailure = null;
    this.done = null;
    try {
      const b = await makeBill(this.api, period, false);
      if (this.period === period) {
        this.bill = b;
        this.done = `Drafted ${period} again: ${plural(b.invoices.length, 'invoice')}.`;
        void this.load();
      } else location.hash = `#/billing/${period}`;
    } catch (err) {
      this.draftFailure = asFailure(err);
    } finally {
      this.drafting = false;
    }
  }

  private async onFinalise(): Promise<void> {
    const period = this.period;
    if (!period) return;
    this.finalising = true;
    this.finalFailure = null;
    try {
      const b = await makeBill(this.api, period, true);
      this.bill = b;
      this.confirming = false;
      this.done = `${period} is final: ${plural(b.invoices.length, 'invoice')}.`;
      void this.load();
    } catch (err) {
      this.finalFailure = asFailure(err);
    } finally {
      this.finalising = false;
    }
  }
}

define('rb-billing', RbBilling);

declare global {
  interface HTMLElementTagNameMap {
    'rb-billing': RbBilling;
  }
}
