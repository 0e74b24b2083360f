// The tabs of a run's page (run-sections.ts): which part of the run is shown, and links to the others.

import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { define } from './define.js';
import { RUN_SECTIONS } from './run-sections.js';
import { shared } from './styles.js';

export class RbRunNav extends LitElement {
  static override styles = [
    shared,
    css`
      nav {
        display: flex;
        gap: 0.3rem;
        border-bottom: 1px solid var(--rb-border);
        margin-bottom: 1rem;
      }
      a {
        padding: 0.45rem 0.8rem;
        text-decoration: none;
        border-bottom: 2px solid transparent;
        color: var(--rb-text);
      }
      a[aria-current='page'] {
        border-bottom-color: var(--rb-accent);
        color: var(--rb-accent);
        font-weight: 600;
      }
    `,
  ];

  @property({ type: Number, attribute: 'run-id' }) runId = 0;
  /** The hash of the part shown. */
  @property() current = '';

  override render() {
    return html`<nav aria-label="Run ${this.runId}">
      ${RUN_SECTIONS.map((s) => {
        const href = s.href(this.runId);
        return html`<a href=${href} aria-current=${href === this.current ? 'page' : 'false'}>${s.label}</a>`;
      })}
    </nav>`;
  }
}

define('rb-run-nav', RbRunNav);

declare global {
  interface HTMLElementTagNameMap {
    'rb-run-nav': RbRunNav;
  }
}
