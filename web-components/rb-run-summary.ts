// A run's summary (SPEC §8): input = rated + exceptions, the charge and the cost, as the server
// sent them (decimal strings only formatted), and the exceptions by reason.

import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { RateSummary } from './api-types.js';
import { define } from './define.js';
import { formatAmount, formatCount } from './format.js';
import { exceptionCount } from './run-figures.js';
import { shared } from './styles.js';

export class RbRunSummary extends LitElement {
  static override styles = [
    shared,
    css`
      .equation {
        margin: 0.2rem 0 0.8rem;
      }
      ul.reasons {
        list-style: none;
        padding: 0;
        margin: 0.6rem 0 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
    `,
  ];

  @property({ attribute: false }) summary: RateSummary | null = null;
  @property() currency: string | null = null;

  override render() {
    const s = this.summary;
    if (!s) return nothing;
    const exceptions = exceptionCount(s.exceptions) ?? 0;
    const byReason = typeof s.exceptions === 'object' && s.exceptions ? Object.entries(s.exceptions).filter(([, n]) => n > 0) : [];
    return html`<p class="equation" data-testid="equation">
        Input <strong>${formatCount(s.input)}</strong> calls = <strong>${formatCount(s.rated)}</strong> rated + <strong>${formatCount(exceptions)}</strong> exceptions
      </p>
      <dl class="figures">
        <div><dt>Input</dt><dd data-figure="input">${formatCount(s.input)}</dd></div>
        <div><dt>Rated</dt><dd data-figure="rated">${formatCount(s.rated)}</dd></div>
        <div><dt>Exceptions</dt><dd data-figure="exceptions">${formatCount(exceptions)}</dd></div>
        <div><dt>Charge</dt><dd data-figure="charge">${formatAmount(s.charge, this.currency)}</dd></div>
        <div><dt>Cost</dt><dd data-figure="cost">${formatAmount(s.cost, this.currency)}</dd></div>
      </dl>
      ${byReason.length
        ? html`<ul class="reasons" aria-label="Exceptions by reason">
            ${byReason.map(([reason, n]) => html`<li class="badge warning">${reason}: ${formatCount(n)}</li>`)}
          </ul>`
        : nothing}`;
  }
}

define('rb-run-summary', RbRunSummary);

declare global {
  interface HTMLElementTagNameMap {
    'rb-run-summary': RbRunSummary;
  }
}
