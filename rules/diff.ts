// Two workbook versions compared per tab by key (SPEC §1 Versions): rows added, removed and
// changed, with the changed cells as people read them.

import { TAB_COLUMNS, TAB_KEYS, type ColumnSpec, type TabKey } from './columns.js';
import { formatDay } from './day.js';
import { formatMicro } from './money.js';
import { TAB_NAMES, WEEKDAYS, type SheetRows } from './rows.js';

export interface CellChange {
  column: string;
  from: string;
  to: string;
}

export interface TabDiff {
  tab: string;
  added: string[];
  removed: string[];
  changed: { key: string; cells: CellChange[] }[];
}

export interface WorkbookDiff {
  tabs: TabDiff[];
}

const KEYS: Record<TabKey, string[]> = {
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

const trimDecimals = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** A typed cell value as text, the way the workbook shows it. */
function show(col: ColumnSpec | undefined, field: string, value: unknown, row: Record<string, unknown>): string {
  if (value === null || value === undefined) return '';
  if (field === 'days') return [...(value as number[]).map((d) => WEEKDAYS[d]), ...(row.holiday ? ['Hol'] : [])].join(',');
  switch (col?.type) {
    case 'date':
      return formatDay(value as number);
    case 'amount':
    case 'decimal':
      return trimDecimals(formatMicro(value as number, 6));
    case 'percent':
      return `${trimDecimals(formatMicro(value as number, 6))}%`;
    case 'time':
      return hhmm(value as number);
    case 'phones':
      return (value as string[]).join(', ');
    case 'bool':
      return value ? 'Yes' : 'No';
    default:
      return String(value);
  }
}

function cellsOf(tab: TabKey, row: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const col of TAB_COLUMNS[tab]) out.set(col.header, show(col, col.field, row[col.field], row));
  const extra = row.extra as Record<string, string> | undefined;
  if (extra) for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out;
}

function settingsRows(rows: SheetRows): Record<string, unknown>[] {
  return Object.entries(rows.settings).map(([key, value]) => ({ key, value: Array.isArray(value) ? value.join(',') : String(value) }));
}

function keyed(tab: TabKey, list: Record<string, unknown>[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const row of list) {
    const cells = tab === 'settings' ? new Map([['Key', String(row.key)], ['Value', String(row.value)]]) : cellsOf(tab, row);
    const base = KEYS[tab].map((f) => show(TAB_COLUMNS[tab].find((c) => c.field === f), f, row[f], row)).join(' / ');
    // Repeated keys pair up in order.
    let k = base;
    for (let n = 2; out.has(k); n++) k = `${base} #${n}`;
    out.set(k, cells);
  }
  return out;
}

export function diffWorkbooks(a: SheetRows, b: SheetRows): WorkbookDiff {
  const tabs: TabDiff[] = [];
  for (const tab of TAB_KEYS) {
    const listA = tab === 'settings' ? settingsRows(a) : (a[tab] as unknown as Record<string, unknown>[]);
    const listB = tab === 'settings' ? settingsRows(b) : (b[tab] as unknown as Record<string, unknown>[]);
    const ka = keyed(tab, listA);
    const kb = keyed(tab, listB);
    const d: TabDiff = { tab: TAB_NAMES[tab], added: [], removed: [], changed: [] };
    for (const k of kb.keys()) if (!ka.has(k)) d.added.push(k);
    for (const [k, cellsA] of ka) {
      const cellsB = kb.get(k);
      if (!cellsB) {
        d.removed.push(k);
        continue;
      }
      const cells: CellChange[] = [];
      for (const col of new Set([...cellsA.keys(), ...cellsB.keys()])) {
        const from = cellsA.get(col) ?? '';
        const to = cellsB.get(col) ?? '';
        if (from !== to) cells.push({ column: col, from, to });
      }
      if (cells.length > 0) d.changed.push({ key: k, cells });
    }
    if (d.added.length || d.removed.length || d.changed.length) tabs.push(d);
  }
  return { tabs };
}

export function formatDiff(diff: WorkbookDiff): string {
  if (diff.tabs.length === 0) return 'The workbooks have the same content.';
  const lines: string[] = [];
  for (const t of diff.tabs) {
    lines.push(`${t.tab}: ${t.added.length} added, ${t.removed.length} removed, ${t.changed.length} changed`);
    for (const k of t.added) lines.push(`  + ${k}`);
    for (const k of t.removed) lines.push(`  - ${k}`);
    for (const c of t.changed) lines.push(`  ~ ${t.tab} ${c.key}: ${c.cells.map((x) => `${x.column} ${x.from || '(blank)'} -> ${x.to || '(blank)'}`).join('; ')}`);
  }
  return lines.join('\n');
}

