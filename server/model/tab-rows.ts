// A version's tab as the workbook shows it, for grid pages: one object per row keyed by the tab's
// headers, each cell as text the way diff.ts renders it (money as a plain decimal, percentages
// `20%`, dates YYYY-MM-DD, times HH:MM, lists comma-joined, Yes/No), `Row` the sheet row.
// Tabs are looked up in the contract's own list, never used as a path.

import { TAB_COLUMNS, TAB_KEYS, headerKey, type ColumnSpec, type TabKey } from '../../rules/workbook/columns.js';
import { cellText, settingsRows } from '../../rules/workbook/diff.js';
import { TAB_NAMES, type SheetRows } from '../../rules/workbook/rows.js';

export type TextRow = Record<string, string | number | null>;

export interface TabTable {
  /** The tab as the workbook names it. */
  tab: string;
  /** `Row`, the contract's headers, then unknown columns in the order first met. */
  columns: string[];
  /** Columns that sort and filter as numbers (`>=x`, `<=x`). */
  numeric: Set<string>;
  rows: TextRow[];
}

/** The sheet row number's column. */
export const ROW_COLUMN = 'Row';

/** A tab by name: case, underscores and spaces ignored (`tariff_assignments`); undefined when the contract has no such tab. */
export function tabKeyOf(name: string): TabKey | undefined {
  const k = headerKey(name);
  return TAB_KEYS.find((t) => headerKey(TAB_NAMES[t]) === k);
}

/** Whole numbers and money compare as numbers; percentages (`20%`) and the rest as text. */
const isNumeric = (c: ColumnSpec): boolean => c.type === 'int' || c.type === 'amount';

/** One typed row as text by header (unknown columns too, unless a header of the contract has their name). */
export function textRow(cols: readonly ColumnSpec[], r: Record<string, unknown>): TextRow {
  const out: TextRow = { [ROW_COLUMN]: typeof r.row === 'number' ? r.row : null };
  for (const c of cols) out[c.header] = cellText(c, r);
  const extra = r.extra as Record<string, string> | undefined;
  if (extra) for (const [h, v] of Object.entries(extra)) if (!(h in out)) out[h] = v;
  return out;
}

export function tabTable(rows: SheetRows, tab: TabKey): TabTable {
  const cols = TAB_COLUMNS[tab];
  const numeric = new Set([ROW_COLUMN, ...cols.filter(isNumeric).map((c) => c.header)]);
  if (tab === 'settings') {
    // The effective settings, defaults filled in: what rating uses.
    return { tab: TAB_NAMES.settings, columns: [ROW_COLUMN, 'Key', 'Value'], numeric, rows: settingsRows(rows.settings).map((s) => ({ [ROW_COLUMN]: null, Key: s.key, Value: s.value })) };
  }
  const list = (rows[tab] ?? []) as unknown as Record<string, unknown>[];
  const columns = [ROW_COLUMN, ...cols.map((c) => c.header)];
  const known = new Set(columns);
  const out = list.map((r) => {
    const t = textRow(cols, r);
    for (const h of Object.keys(t)) {
      if (!known.has(h)) {
        known.add(h);
        columns.push(h);
      }
    }
    return t;
  });
  return { tab: TAB_NAMES[tab], columns, numeric, rows: out };
}
