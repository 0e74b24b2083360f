// A version's problems grouped by tab, each with its `Tab!Cell`, severity, code and message.

import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import type { Problem } from './api-types.js';
import { define } from './define.js';
import { groupProblems } from './problem-groups.js';
import { shared } from './styles.js';
import './rb-problem-counts.js';

/** A group with more rows than this scrolls inside its grid. */
const ALL_VISIBLE = 15;

export class RbVersionProblems extends LitElement {
  static override styles = [
    shared,
    css`
      details {
        margin-bottom: 0.8rem;
      }
      summary {
        cursor: pointer;
        display: flex;
        gap: 0.6rem;
        align-items: center;
        padding: 0.3rem 0;
      }
      summary h3 {
        display: inline;
        margin: 0;
      }
      vaadin-grid.scroll {
        height: 18rem;
      }
      code {
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ attribute: false }) problems: Problem[] = [];

  override render() {
    if (this.problems.length === 0) return html`<p class="muted">No problems: every tab passed validation.</p>`;
    return groupProblems(this.problems).map(
      (g) => html`<details open>
        <summary>
          <h3>${g.tab}</h3>
          <rb-problem-counts .errors=${g.counts.error} .warnings=${g.counts.warning} .notices=${g.counts.notice}></rb-problem-counts>
        </summary>
        <vaadin-grid theme="wrap-cell-content row-stripes" .items=${g.problems} accessible-name="Problems on ${g.tab}" ?all-rows-visible=${g.problems.length <= ALL_VISIBLE} class=${g.problems.length <= ALL_VISIBLE ? '' : 'scroll'}>
          <vaadin-grid-column header="Severity" width="7rem" flex-grow="0" ${columnBodyRenderer<Problem>((p) => html`<span class="badge ${p.severity}">${p.severity}</span>`, [])}></vaadin-grid-column>
          <vaadin-grid-column header="Cell" width="9rem" flex-grow="0" ${columnBodyRenderer<Problem>((p) => (p.at ? html`<code>${p.at}</code>` : nothing), [])}></vaadin-grid-column>
          <vaadin-grid-column header="Code" path="code" width="14rem" flex-grow="0"></vaadin-grid-column>
          <vaadin-grid-column header="Message" path="message" flex-grow="1"></vaadin-grid-column>
        </vaadin-grid>
      </details>`,
    );
  }
}

define('rb-version-problems', RbVersionProblems);

declare global {
  interface HTMLElementTagNameMap {
    'rb-version-problems': RbVersionProblems;
  }
}
