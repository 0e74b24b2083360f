// What GET /api/versions/:seq/diff answers per tab: whole counts, at most `limit` rows of each kind.
// Made where the diff is made (here or on the model thread), so only the page crosses threads.

import { diffWorkbooks, type TabDiff } from '../../rules/workbook/diff.js';
import type { SheetRows } from '../../rules/workbook/rows.js';

export interface DiffTabAnswer extends TabDiff {
  counts: { added: number; removed: number; changed: number };
}

/** Version `from` -> version `to`, per tab by key. */
export function diffAnswer(from: SheetRows, to: SheetRows, limit: number): DiffTabAnswer[] {
  return diffWorkbooks(from, to).tabs.map((t) => ({
    tab: t.tab,
    keyColumns: t.keyColumns,
    counts: { added: t.added.length, removed: t.removed.length, changed: t.changed.length },
    added: t.added.slice(0, limit),
    removed: t.removed.slice(0, limit),
    changed: t.changed.slice(0, limit),
  }));
}
