// A tab's diff as grid rows: one row per added, removed or changed key, with a cell per column
// that either side wrote; a changed row holds only its changed cells, as `from` → `to`.

import type { TabDiff } from './api-types.js';

export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffCell {
  text?: string;
  from?: string;
  to?: string;
}

export interface DiffGridRow {
  kind: DiffKind;
  key: string;
  cells: Record<string, DiffCell>;
}

export interface DiffGrid {
  columns: string[];
  rows: DiffGridRow[];
}

export function diffGrid(t: TabDiff): DiffGrid {
  const columns: string[] = [];
  const seen = new Set<string>();
  const note = (c: string): void => {
    if (!seen.has(c)) {
      seen.add(c);
      columns.push(c);
    }
  };
  const rows: DiffGridRow[] = [];
  for (const c of t.changed) {
    const cells: Record<string, DiffCell> = {};
    for (const x of c.cells) {
      note(x.column);
      cells[x.column] = { from: x.from, to: x.to };
    }
    rows.push({ kind: 'changed', key: c.key, cells });
  }
  for (const [kind, list] of [['added', t.added], ['removed', t.removed]] as const) {
    for (const r of list) {
      const cells: Record<string, DiffCell> = {};
      for (const x of r.cells) {
        note(x.column);
        cells[x.column] = { text: x.text };
      }
      rows.push({ kind, key: r.key, cells });
    }
  }
  return { columns, rows };
}
