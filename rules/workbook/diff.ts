// Two workbook versions compared per tab by key (SPEC §1 Versions): rows added, removed and
// changed, with the changed cells as people read them. Cells are compared as display text —
// money as a trimmed 6-decimal number, dates YYYY-MM-DD, percentages `20%`, lists comma-joined —
// so a value typed differently but meaning the same is no change. Sheet row numbers are ignored
// (they are reported, not compared); unknown columns (`extra`) are compared like any other.

import { SETTINGS_DEFAULTS, TAB_COLUMNS, TAB_KEYS, type ColumnSpec, type TabKey } from './columns.js';
import { formatDay } from '../day.js';
import { formatMicro } from '../money.js';
import { TAB_NAMES, WEEKDAYS, type Settings, type SheetRows } from './rows.js';

export interface CellChange {
  /** The column header (as the template writes it, or as written for an unknown column). */
  column: string;
  from: string;
  to: string;
}

/** A row only one side has. */
export interface DiffRow {
  key: string;
  /** Sheet row on its side (0 for Settings, whose rows are keys with defaults filled in). */
  row: number;
  /** Every non-blank cell, by header, in column order. */
  cells: { column: string; text: string }[];
}

/** A row both sides have (same key) whose cells differ. */
export interface RowChange {
  key: string;
  rowA: number;
  rowB: number;
  cells: CellChange[];
}

export interface TabDiff {
  /** The tab as the workbook names it (`Rates`). */
  tab: string;
  /** The key columns' headers (`Tariff`, `Destination`, …). */
  keyColumns: string[];
  added: DiffRow[];
  removed: DiffRow[];
  changed: RowChange[];
}

export interface WorkbookDiff {
  /** Only the tabs with a difference, in workbook order. */
  tabs: TabDiff[];
}

/** The key fields of each tab (SPEC §1 Versions); others by their first column. */
export const DIFF_KEYS: Record<TabKey, readonly string[]> = {
  settings: ['key'],
  customers: ['account'],
  numbers: ['number', 'extension', 'dateSold'],
  destinations: ['prefix'],
  tariffs: ['tariff'],
  rates: ['tariff', 'destination', 'timeBand', 'fromSecond', 'effectiveFrom'],
  tariffAssignments: ['account', 'number', 'callClass'],
  timeBands: ['timeBand', 'days', 'from'],
  holidays: ['date'],
  features: ['account', 'number', 'feature', 'startDate'],
  discounts: ['plan', 'kind', 'applies'],
  cdrFormats: ['format', 'field'],
};

type AnyRow = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Display text of typed values

const trimDecimals = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/** Micro-units as the shortest exact decimal: 50000 -> "0.05", 1000000 -> "1". */
export const microText = (v: number): string => trimDecimals(formatMicro(v, 6));

// Dates repeat a great deal across rows: format each day once.
const dayTexts = new Map<number, string>();
function dayText(day: number): string {
  let t = dayTexts.get(day);
  if (t === undefined) {
    if (dayTexts.size > 100_000) dayTexts.clear();
    t = formatDay(day);
    dayTexts.set(day, t);
  }
  return t;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : '' + n);

/** Minutes since midnight as HH:MM (1440 -> 24:00). */
export const minuteText = (m: number): string => `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;

/** Weekdays 0=Mon..6=Sun as written in TimeBands: runs of three or more as `Mon-Fri`, `Hol` last. */
export function daysText(days: readonly number[], holiday: boolean): string {
  const parts: string[] = [];
  const sorted = [...new Set(days)].sort((x, y) => x - y);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${WEEKDAYS[sorted[i]]}-${WEEKDAYS[sorted[j]]}`);
    else for (let k = i; k <= j; k++) parts.push(WEEKDAYS[sorted[k]]);
    i = j + 1;
  }
  if (holiday) parts.push('Hol');
  return parts.join(',');
}

/** A typed cell as the workbook shows it; '' for a blank. */
export function cellText(col: ColumnSpec, row: AnyRow): string {
  const v = row[col.field];
  if (v === null || v === undefined) return '';
  switch (col.type) {
    case 'date':
      return dayText(v as number);
    case 'amount':
      return microText(v as number);
    case 'percent':
      return microText(v as number) + '%';
    case 'decimal':
      // Discounts.Value: minutes for InclusiveMinutes, a percentage for Percentage.
      return microText(v as number) + (row.kind === 'Percentage' ? '%' : '');
    case 'time':
      return minuteText(v as number);
    case 'days':
      return daysText(v as number[], row.holiday === true);
    case 'phones':
      return (v as string[]).join(', ');
    case 'bool':
      return v ? 'Yes' : 'No';
    default:
      return Array.isArray(v) ? v.join(', ') : String(v);
  }
}

const SETTING_COLUMNS = TAB_COLUMNS.settings;
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** Settings as Key/Value rows with their effective values (defaults filled in), in template order. */
export function settingsRows(settings: Settings): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const seen = new Set<string>();
  const s = settings as unknown as AnyRow;
  const text = (field: string): string => {
    const v = s[field];
    if (v === null || v === undefined) return '';
    if (field === 'taxRate') return microText(v as number) + '%';
    return Array.isArray(v) ? v.join(', ') : String(v);
  };
  for (const d of SETTINGS_DEFAULTS) {
    const field = lowerFirst(d.key);
    seen.add(field);
    if (field in s) out.push({ key: d.key, value: text(field) });
  }
  // A setting added to Settings before SETTINGS_DEFAULTS knows it is still compared.
  for (const field of Object.keys(s)) if (!seen.has(field)) out.push({ key: field, value: text(field) });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pairing and comparing

interface Side {
  list: AnyRow[];
  /** Per row, the key that pairs it: the key cells' text joined by NUL, then `#n` for the n-th repeat. */
  pairKeys: string[];
}

const specOf = (tab: TabKey, field: string): ColumnSpec => {
  const c = TAB_COLUMNS[tab].find((x) => x.field === field);
  if (!c) throw new Error(`diff: ${tab} has no column ${field}`);
  return c;
};

function side(list: AnyRow[], keyCols: readonly ColumnSpec[]): Side {
  const pairKeys = new Array<string>(list.length);
  const seen = new Map<string, number>();
  for (let r = 0; r < list.length; r++) {
    let exact = cellText(keyCols[0], list[r]);
    for (let i = 1; i < keyCols.length; i++) exact += '\u0000' + cellText(keyCols[i], list[r]);
    // Repeated keys pair up in order: the n-th repeat on one side with the n-th on the other.
    const n = (seen.get(exact) ?? 0) + 1;
    seen.set(exact, n);
    pairKeys[r] = n === 1 ? exact : `${exact}\u0000#${n}`;
  }
  return { list, pairKeys };
}

/** `Business / UK Mobile / (blank) / 0 / 2026-10-01`, and ` #2` for a repeat. */
function shownKey(pairKey: string, keyCount: number): string {
  const parts = pairKey.split('\u0000');
  const repeat = parts.length > keyCount ? ' ' + parts[keyCount] : '';
  return parts.slice(0, keyCount).map((p) => (p === '' ? '(blank)' : p)).join(' / ') + repeat;
}

function fullCells(cols: readonly ColumnSpec[], row: AnyRow): { column: string; text: string }[] {
  const out: { column: string; text: string }[] = [];
  for (const c of cols) {
    const text = cellText(c, row);
    if (text !== '') out.push({ column: c.header, text });
  }
  const extra = row.extra as Record<string, string> | undefined;
  if (extra) for (const [column, text] of Object.entries(extra)) if (text !== '') out.push({ column, text });
  return out;
}

function changedCells(cols: readonly ColumnSpec[], a: AnyRow, b: AnyRow): CellChange[] {
  const out: CellChange[] = [];
  for (const c of cols) {
    const va = a[c.field];
    const vb = b[c.field];
    // Equal primitives show the same; only the rest (arrays, Days with Hol, Value by Kind) are rendered.
    if (va === vb && typeof va !== 'object' && c.type !== 'days' && c.type !== 'decimal') continue;
    const from = cellText(c, a);
    const to = cellText(c, b);
    if (from !== to) out.push({ column: c.header, from, to });
  }
  if (a.extra === undefined && b.extra === undefined) return out;
  const ea = (a.extra as Record<string, string> | undefined) ?? {};
  const eb = (b.extra as Record<string, string> | undefined) ?? {};
  for (const column of new Set([...Object.keys(ea), ...Object.keys(eb)])) {
    const from = ea[column] ?? '';
    const to = eb[column] ?? '';
    if (from !== to) out.push({ column, from, to });
  }
  return out;
}

function diffTab(tab: TabKey, listA: AnyRow[], listB: AnyRow[]): TabDiff {
  const cols = TAB_COLUMNS[tab];
  const keyCols = DIFF_KEYS[tab].map((f) => specOf(tab, f));
  const A = side(listA, keyCols);
  const B = side(listB, keyCols);
  const rowOf = (r: AnyRow): number => (typeof r.row === 'number' ? r.row : 0);
  const keyOf = (k: string): string => shownKey(k, keyCols.length);
  const indexA = new Map<string, number>();
  for (let i = 0; i < A.pairKeys.length; i++) indexA.set(A.pairKeys[i], i);
  const paired = new Uint8Array(A.list.length);
  const d: TabDiff = { tab: TAB_NAMES[tab], keyColumns: keyCols.map((c) => c.header), added: [], removed: [], changed: [] };
  for (let j = 0; j < B.list.length; j++) {
    const i = indexA.get(B.pairKeys[j]);
    const b = B.list[j];
    if (i === undefined) {
      d.added.push({ key: keyOf(B.pairKeys[j]), row: rowOf(b), cells: fullCells(cols, b) });
      continue;
    }
    paired[i] = 1;
    const cells = changedCells(cols, A.list[i], b);
    if (cells.length > 0) d.changed.push({ key: keyOf(B.pairKeys[j]), rowA: rowOf(A.list[i]), rowB: rowOf(b), cells });
  }
  for (let i = 0; i < A.list.length; i++) {
    if (!paired[i]) d.removed.push({ key: keyOf(A.pairKeys[i]), row: rowOf(A.list[i]), cells: fullCells(cols, A.list[i]) });
  }
  return d;
}

/** Version a -> version b, per tab by key. Pure; never throws on user data. */
export function diffWorkbooks(a: SheetRows, b: SheetRows): WorkbookDiff {
  const tabs: TabDiff[] = [];
  for (const tab of TAB_KEYS) {
    const listA = tab === 'settings' ? settingsRows(a.settings) : ((a[tab] ?? []) as unknown as AnyRow[]);
    const listB = tab === 'settings' ? settingsRows(b.settings) : ((b[tab] ?? []) as unknown as AnyRow[]);
    const d = diffTab(tab, listA, listB);
    if (d.added.length > 0 || d.removed.length > 0 || d.changed.length > 0) tabs.push(d);
  }
  return { tabs };
}

export const diffIsEmpty = (d: WorkbookDiff): boolean => d.tabs.length === 0;

const shown = (s: string): string => (s === '' ? '(blank)' : s);

/**
 * The diff as text, grouped by tab:
 * `Rates: 2 added, 1 removed, 3 changed`, then `+ Rates KEY: Col value; …`, `- …` and
 * `~ Rates Business / UK Mobile / Peak / 0 / 2026-10-01: PerMinute 0.05 -> 0.055`.
 * `maxPerTab` caps the lines per tab (the rest is counted).
 */
export function formatDiff(diff: WorkbookDiff, opts: { maxPerTab?: number } = {}): string {
  if (diff.tabs.length === 0) return 'The workbooks have the same content.';
  const max = opts.maxPerTab ?? Infinity;
  const lines: string[] = [];
  for (const t of diff.tabs) {
    lines.push(`${t.tab}: ${t.added.length} added, ${t.removed.length} removed, ${t.changed.length} changed`);
    const body: string[] = [];
    const keyHeaders = new Set(t.keyColumns);
    const rowLine = (mark: string, r: DiffRow): string => {
      const rest = r.cells.filter((c) => !keyHeaders.has(c.column)).map((c) => `${c.column} ${c.text}`);
      return `  ${mark} ${t.tab} ${r.key}${rest.length > 0 ? ': ' + rest.join('; ') : ''}`;
    };
    for (const r of t.added) body.push(rowLine('+', r));
    for (const r of t.removed) body.push(rowLine('-', r));
    for (const c of t.changed) body.push(`  ~ ${t.tab} ${c.key}: ${c.cells.map((x) => `${x.column} ${shown(x.from)} -> ${shown(x.to)}`).join('; ')}`);
    lines.push(...body.slice(0, max));
    if (body.length > max) lines.push(`  … and ${body.length - max} more in ${t.tab}`);
  }
  return lines.join('\n');
}
