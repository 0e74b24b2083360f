// A version's diff against another, tab by tab: rows added, removed and changed by key, with the
// changed cells marked (the old value struck through, the new one highlighted).

import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import type { TabDiff, VersionDiff } from './api-types.js';
import { define } from './define.js';
import { diffGrid, type DiffGridRow } from './diff-rows.js';
import { formatCount } from './format.js';
import { shared } from './styles.js';

const ALL_VISIBLE = 15;

export class RbVersionDiff extends LitElement {
  static override styles = [
    shared,
    css`
      section {
        margin-bottom: 1rem;
      }
      h3 .muted {
        font-weight: 400;
        font-size: 0.9rem;
      }
      vaadin-grid.scroll {
        height: 20rem;
      }
      mark.changed {
        background: var(--rb-changed-bg);
        color: inherit;
        border-radius: 3px;
        padding: 0 0.2rem;
      }
      del {
        color: var(--rb-muted);
      }
      .kind.added {
        color: var(--rb-ok);
      }
      .kind.removed {
        color: var(--rb-error);
      }
      .kind.changed {
        color: var(--rb-warning);
      }
    `,
  ];

  @property({ attribute: false }) diff: VersionDiff | null = null;

  override render() {
    const d = this.diff;
    if (!d) return nothing;
    if (d.tabs.length === 0) return html`<p class="muted">No differences: the two versions have the same content.</p>`;
    return d.tabs.map((t) => this.renderTab(t));
  }

  private renderTab(t: TabDiff) {
    const g = diffGrid(t);
    const counts = t.counts ?? { added: t.added.length, removed: t.removed.length, changed: t.changed.length };
    const listed = t.added.length + t.removed.length + t.changed.length;
    const whole = counts.added + counts.removed + counts.changed;
    return html`<section aria-label="Changes on ${t.tab}">
      <h3>${t.tab} <span class="muted">${formatCount(counts.added)} added, ${formatCount(counts.removed)} removed, ${formatCount(counts.changed)} changed</span></h3>
      ${listed < whole ? html`<p class="muted">The first ${formatCount(listed)} of ${formatCount(whole)} rows are listed.</p>` : nothing}
      <vaadin-grid theme="wrap-cell-content" .items=${g.rows} accessible-name="Rows changed on ${t.tab}" ?all-rows-visible=${g.rows.length <= ALL_VISIBLE} class=${g.rows.length <= ALL_VISIBLE ? '' : 'scroll'}>
        <vaadin-grid-column header="Change" width="6rem" flex-grow="0" ${columnBodyRenderer<DiffGridRow>((r) => html`<span class="kind ${r.kind}">${r.kind}</span>`, [])}></vaadin-grid-column>
        <vaadin-grid-column header=${t.keyColumns?.join(' / ') || 'Key'} path="key" width="14rem" flex-grow="1"></vaadin-grid-column>
        ${g.columns.map((c) => html`<vaadin-grid-column header=${c} width="9rem" ${columnBodyRenderer<DiffGridRow>((r) => this.renderCell(r, c), [])}></vaadin-grid-column>`)}
      </vaadin-grid>
    </section>`;
  }

  private renderCell(r: DiffGridRow, column: string) {
    const cell = r.cells[column];
    if (!cell) return nothing;
    if (cell.text !== undefined) return r.kind === 'removed' ? html`<del>${cell.text}</del>` : cell.text;
    return html`<mark class="changed" title="${column}: ${cell.from} → ${cell.to}"><del>${cell.from || "(blank)"}</del> → <ins>${cell.to || "(blank)"}</ins></mark>`;
  }
}

define('rb-version-diff', RbVersionDiff);

declare global {
  interface HTMLElementTagNameMap {
    'rb-version-diff': RbVersionDiff;
  }
}
