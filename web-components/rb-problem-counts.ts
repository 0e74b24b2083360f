// A version's problem counts as badges: `2 errors` `1 warning`, or `no problems`.

import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { define } from './define.js';
import { plural } from './format.js';
import { shared } from './styles.js';

export class RbProblemCounts extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: inline-flex;
        gap: 0.3rem;
        flex-wrap: wrap;
      }
    `,
  ];

  @property({ type: Number }) errors = 0;
  @property({ type: Number }) warnings = 0;
  @property({ type: Number }) notices = 0;

  override render() {
    if (this.errors + this.warnings + this.notices === 0) return html`<span class="badge ok">no problems</span>`;
    return html`${this.errors ? html`<span class="badge error">${plural(this.errors, 'error')}</span>` : ''}
    ${this.warnings ? html`<span class="badge warning">${plural(this.warnings, 'warning')}</span>` : ''}
    ${this.notices ? html`<span class="badge notice">${plural(this.notices, 'notice')}</span>` : ''}`;
  }
}

define('rb-problem-counts', RbProblemCounts);

declare global {
  interface HTMLElementTagNameMap {
    'rb-problem-counts': RbProblemCounts;
  }
}
