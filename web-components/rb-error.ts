// An API error shown where it happened: the server's sentence, its status, and each issue with
// where it is (`Rates!D14`, `body.period`).

import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ApiErrorBody } from './api-types.js';
import { define } from './define.js';
import { shared } from './styles.js';

export class RbError extends LitElement {
  static override styles = [
    shared,
    css`
      :host([hidden]) {
        display: none;
      }
      .box {
        border: 1px solid var(--rb-error-border);
        background: var(--rb-error-bg);
        color: var(--rb-error);
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
        margin: 0.5rem 0;
      }
      .status {
        font-size: 0.8rem;
        opacity: 0.8;
      }
      ul {
        margin: 0.4rem 0 0;
        padding-left: 1.2rem;
      }
      code {
        font-weight: 600;
      }
    `,
  ];

  /** The error to show; nothing is shown without one. */
  @property({ attribute: false }) failure: ApiErrorBody | null = null;

  override render() {
    const f = this.failure;
    if (!f) return nothing;
    return html`<div class="box" role="alert">
      <span class="message">${f.error}</span>
      <span class="status">${f.status ? `(${f.status})` : ''}</span>
      ${f.issues?.length ? html`<ul>${f.issues.map((i) => html`<li><code>${i.at}</code>: ${i.message}</li>`)}</ul>` : nothing}
    </div>`;
  }
}

define('rb-error', RbError);

declare global {
  interface HTMLElementTagNameMap {
    'rb-error': RbError;
  }
}
