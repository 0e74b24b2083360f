// RawWorkbook -> SheetRows and every cell-level and row-level problem, in one pass (SPEC §1).
// Settings first, since phone numbers need CountryCode and the prefixes. Never throws: a bad row is
// left out of the rows and its problems are in the issues, each addressed to its cell.
//
// Each row is read by the tab's compiled field readers and row rules (schema.ts compileTab); a row
// with any problem is handed to the tab's zod schema, built from the same readers, which reports
// every problem of the row with its field — the zod path becomes the cell address.

import { TAB_COLUMNS, SETTINGS_DEFAULTS, headerKey, type ColumnSpec, type TabKey } from './columns.js';
import { isEmpty, type CellContext } from './cells.js';
import { cellAddress, columnLetter, rawText, EMPTY, type RawRow, type RawSheet, type RawValue, type RawWorkbook } from './raw.js';
import { issue, type Issue } from '../result.js';
import { TAB_NAMES, type Settings, type SheetRows } from './rows.js';
import {
  compileTab,
  defaultSettings,
  settingsSchema,
  tabSchema,
  type DataTab,
  type FieldNote,
  type RawRowInput,
  type RowEnv,
  type RowOf,
  type SettingsInput,
} from './schema.js';

/** Where each field's column really is (0-based), per tab, so later checks name the right cell. */
export type ColumnPositions = Partial<Record<TabKey, Record<string, number>>>;

export interface ParsedWorkbook {
  /** Every row that passed its cell and row rules; Settings with defaults where absent or bad. */
  rows: SheetRows;
  issues: Issue[];
  positions: ColumnPositions;
}

const TAB_BY_KEY = new Map<string, TabKey>((Object.entries(TAB_NAMES) as [TabKey, string][]).map(([k, name]) => [headerKey(name), k]));
const REQUIRED_TABS = ['customers', 'numbers'] as const;
const DATA_TABS = (Object.keys(TAB_NAMES) as TabKey[]).filter((k): k is DataTab => k !== 'settings');

export function parseWorkbook(wb: RawWorkbook): ParsedWorkbook {
  const issues: Issue[] = [];
  const positions: ColumnPositions = {};
  const sheets = guard(issues, 'the workbook', () => findTabs(wb, issues), new Map<TabKey, RawSheet>());
  const settings = guard(issues, 'Settings', () => parseSettings(sheets.get('settings'), issues, positions), null) ?? defaultSettings();
  const ctx: CellContext = {
    plan: {
      countryCode: settings.countryCode,
      nationalPrefix: settings.nationalPrefix,
      internationalPrefix: settings.internationalPrefix,
      shortCodeDigits: settings.shortCodeDigits,
    },
    date1904: wb?.date1904 === true,
  };
  const rows = { settings } as SheetRows;
  for (const key of DATA_TABS) {
    (rows as unknown as Record<DataTab, unknown[]>)[key] = guard(issues, TAB_NAMES[key], () => parseTab(key, sheets.get(key), ctx, issues, positions), []);
  }
  return { rows, issues, positions };
}

/** The core never throws on user data: should a bug meet a cell it did not expect, that tab is reported, not the workbook lost. */
function guard<T>(issues: Issue[], where: string, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (e) {
    issues.push(issue('error', 'PARSE_FAILED', `${where} could not be read (${e instanceof Error ? e.message : String(e)})`, where));
    return fallback;
  }
}

function findTabs(wb: RawWorkbook, issues: Issue[]): Map<TabKey, RawSheet> {
  const sheets = new Map<TabKey, RawSheet>();
  for (const sheet of Array.isArray(wb?.sheets) ? wb.sheets : []) {
    if (!sheet || typeof sheet !== 'object') continue;
    const name = String(sheet.name ?? '');
    const key = TAB_BY_KEY.get(headerKey(name));
    if (!key) {
      issues.push(issue('notice', 'UNKNOWN_TAB', `tab "${name}"${sheet.hidden ? ' (hidden)' : ''} is not one Ratebook reads; it is ignored`, name));
      continue;
    }
    const first = sheets.get(key);
    if (first) {
      issues.push(issue('error', 'DUPLICATE_TAB', `two tabs are named like ${TAB_NAMES[key]}: "${first.name}" and "${name}"; only the first is read`, name));
      continue;
    }
    sheets.set(key, sheet);
  }
  for (const key of REQUIRED_TABS) {
    if (!sheets.has(key)) issues.push(issue('error', 'MISSING_TAB', `the workbook has no ${TAB_NAMES[key]} tab`, TAB_NAMES[key]));
  }
  return sheets;
}

const rowsOf = (sheet: RawSheet): RawRow[] => (Array.isArray(sheet.rows) ? sheet.rows.filter((r) => r && typeof r === 'object' && Array.isArray(r.cells)) : []);

function rowIsEmpty(cells: readonly RawValue[]): boolean {
  for (let i = 0; i < cells.length; i++) if (!isEmpty(cells[i])) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Headers

interface Header {
  /** field -> 0-based column */
  fieldCol: Map<string, number>;
  /** Unknown columns, kept as custom attributes. */
  extras: { col: number; header: string }[];
  missing: ColumnSpec[];
}

/** Row 1, matched like SPEC §1 says (case, underscores, whitespace ignored); null when the tab has no row 1. */
function readHeader(key: TabKey, sheet: RawSheet, rows: RawRow[], issues: Issue[]): Header | null {
  const tabName = TAB_NAMES[key];
  const header = rows.find((r) => r.row === 1);
  if (!header || rowIsEmpty(header.cells)) {
    if (rows.some((r) => r.row !== 1 && !rowIsEmpty(r.cells))) {
      issues.push(issue('error', 'MISSING_HEADER', `${tabName} has no header in row 1 (the column names go there)`, `${tabName}!A1`));
    } else requireRows(key, sheet, issues);
    return null;
  }
  const specs = TAB_COLUMNS[key];
  const specByKey = new Map(specs.map((s) => [headerKey(s.header), s]));
  const fieldCol = new Map<string, number>();
  const extras: { col: number; header: string }[] = [];
  const seen = new Map<string, number>();
  for (let col = 0; col < header.cells.length; col++) {
    const c = header.cells[col];
    if (isEmpty(c)) continue;
    const label = rawText(c).trim();
    const k = headerKey(label);
    const spec = specByKey.get(k);
    const first = seen.get(k);
    if (first !== undefined) {
      issues.push(issue('error', 'DUPLICATE_HEADER', `${spec ? spec.header : label} appears twice in the header (also column ${columnLetter(first)})`, cellAddress(tabName, col, 1)));
      continue;
    }
    seen.set(k, col);
    if (spec) fieldCol.set(spec.field, col);
    else extras.push({ col, header: label });
  }
  const missing = specs.filter((s) => s.required && !fieldCol.has(s.field));
  for (const s of missing) issues.push(issue('error', 'MISSING_COLUMN', `${tabName} has no ${s.header} column (required)`, `${tabName}!1:1`));
  // Settings is a list of keys, not of records: nothing to keep a custom attribute on, and the
  // template's own `About` column beside the values is no news.
  if (extras.length > 0 && key !== 'settings') {
    const names = extras.map((e) => `"${e.header}"`).join(', ');
    issues.push(issue('notice', 'UNKNOWN_COLUMN', `${tabName}: column${extras.length > 1 ? 's' : ''} ${names} kept as custom attributes`, cellAddress(tabName, extras[0].col, 1)));
  }
  return { fieldCol, extras, missing };
}

/** The Issue code a schema put in a zod issue's params (`custom` issues); INVALID_CELL for zod's own. */
/**
 * SPEC §1 lets every tab but Customers and Numbers be absent or empty. An absent one is an error;
 * an empty one a warning, since the blank template must validate and a version with no customers
 * bills nobody rather than anybody wrongly.
 */
function requireRows(key: TabKey, sheet: RawSheet, issues: Issue[]): void {
  if ((REQUIRED_TABS as readonly string[]).includes(key)) issues.push(issue('warning', 'EMPTY_TAB', `the ${TAB_NAMES[key]} tab has no rows: nobody will be billed`, sheet.name));
}

const issueCode = (zi: object): string => {
  const code = (zi as { params?: { code?: unknown } }).params?.code;
  return typeof code === 'string' ? code : 'INVALID_CELL';
};

// ---------------------------------------------------------------------------------------------
// Settings

const SETTING_KEYS = new Map(SETTINGS_DEFAULTS.map((s) => [headerKey(s.key), s.key]));

function parseSettings(sheet: RawSheet | undefined, issues: Issue[], positions: ColumnPositions): Settings {
  const input: SettingsInput = {};
  const valueAt = new Map<string, { at: string; row: number }>();
  // Every problem of the tab, put in sheet order at the end (those of absent keys last).
  const found: { row: number; issue: Issue }[] = [];
  if (sheet) {
    const rows = rowsOf(sheet);
    const h = readHeader('settings', sheet, rows, issues);
    if (h && h.missing.length === 0) {
      positions.settings = Object.fromEntries(h.fieldCol);
      const keyCol = h.fieldCol.get('key')!;
      const valueCol = h.fieldCol.get('value');
      const keyAt = new Map<string, string>();
      for (const r of rows) {
        if (r.row === 1 || rowIsEmpty(r.cells)) continue;
        const k = r.cells[keyCol] ?? EMPTY;
        const v = valueCol === undefined ? EMPTY : (r.cells[valueCol] ?? EMPTY);
        const at = cellAddress('Settings', keyCol, r.row);
        const note = (severity: 'error' | 'warning', code: string, message: string): void => void found.push({ row: r.row, issue: issue(severity, code, message, at) });
        if (isEmpty(k)) {
          if (!isEmpty(v)) note('warning', 'UNKNOWN_SETTING', `a Value (${rawText(v).trim()}) with no Key; it is ignored`);
          continue;
        }
        const written = rawText(k).trim();
        const name = SETTING_KEYS.get(headerKey(written));
        if (!name) {
          note('warning', 'UNKNOWN_SETTING', `setting "${written}" is not one Ratebook knows; it is ignored`);
          continue;
        }
        if (keyAt.has(name)) {
          note('error', 'DUPLICATE_SETTING', `${name} is set twice (also at ${keyAt.get(name)})`);
          continue;
        }
        keyAt.set(name, at);
        valueAt.set(name, { at: cellAddress('Settings', valueCol ?? keyCol + 1, r.row), row: r.row });
        input[name] = v;
      }
    }
  }
  const place = (key: string, severity: Issue['severity'], code: string, message: string): void => {
    const where = valueAt.get(key);
    found.push({ row: where?.row ?? Infinity, issue: issue(severity, code, message, where?.at ?? 'Settings') });
  };
  let notes: FieldNote[] = [];
  const schema = settingsSchema((n) => notes.push(n));
  let parsed = schema.safeParse(input);
  if (!parsed.success) {
    // Report each bad value, then read again with the defaults in their place.
    for (const zi of parsed.error.issues) {
      const key = String(zi.path[0] ?? '');
      place(key, 'error', issueCode(zi), zi.message);
      delete input[key];
    }
    notes = [];
    parsed = schema.safeParse(input);
  }
  for (const n of notes) place(n.field, n.severity, n.code, n.message);
  found.sort((a, b) => a.row - b.row);
  for (const f of found) issues.push(f.issue);
  return parsed.success ? parsed.data : defaultSettings();
}

// ---------------------------------------------------------------------------------------------
// Data tabs

type Cells = Record<string, unknown>;

function parseTab<K extends DataTab>(key: K, sheet: RawSheet | undefined, ctx: CellContext, issues: Issue[], positions: ColumnPositions): RowOf[K][] {
  const out: RowOf[K][] = [];
  if (!sheet) return out;
  const tabName = TAB_NAMES[key];
  const rows = rowsOf(sheet);
  const h = readHeader(key, sheet, rows, issues);
  if (!h) return out;
  positions[key] = Object.fromEntries(h.fieldCol);

  const compiled = compileTab(key, ctx);
  const fields = compiled.fields;
  const cols = fields.map((f) => h.fieldCol.get(f.field) ?? -1);
  const present = (field: string): boolean => h.fieldCol.has(field);
  const missing = new Set(h.missing.map((s) => s.field));
  const colOf = (field: string): number => h.fieldCol.get(field) ?? Math.max(0, TAB_COLUMNS[key].findIndex((c) => c.field === field));

  let notes: FieldNote[] = [];
  let schema: ReturnType<typeof tabSchema<K>> | undefined;
  let rowFailed = false;
  const env: RowEnv = {
    ctx,
    error: () => void (rowFailed = true),
    note: (field, severity, code, message) => void notes.push({ field, severity, code, message }),
    pick: (...fs) => fs.find(present) ?? fs[fs.length - 1],
  };
  const flushNotes = (row: number): void => {
    if (notes.length > 1) notes.sort((a, b) => colOf(a.field) - colOf(b.field));
    for (const n of notes) issues.push(issue(n.severity, n.code, n.message, cellAddress(tabName, colOf(n.field), row)));
  };
  // The exceptional rows (any problem at all) go through the zod schema for the full list.
  const viaSchema = (r: RawRow): Cells | null => {
    schema ??= tabSchema(key, ctx, (n) => void notes.push(n), present, compiled);
    notes = [];
    const input: RawRowInput = {};
    for (let i = 0; i < fields.length; i++) input[fields[i].field] = cols[i] < 0 ? undefined : r.cells[cols[i]];
    const parsed = schema.safeParse(input);
    const found: { col: number; issue: Issue }[] = [];
    if (!parsed.success) {
      for (const zi of parsed.error.issues) {
        const field = String(zi.path[0] ?? '');
        // A column missing from the header is reported once, at the header, not on every row.
        if (missing.has(field)) continue;
        found.push({ col: colOf(field), issue: issue('error', issueCode(zi), zi.message, cellAddress(tabName, colOf(field), r.row)) });
      }
    }
    if (missing.size === 0) for (const n of notes) found.push({ col: colOf(n.field), issue: issue(n.severity, n.code, n.message, cellAddress(tabName, colOf(n.field), r.row)) });
    // A row's problems in the order of its cells.
    found.sort((a, b) => a.col - b.col);
    for (const f of found) issues.push(f.issue);
    return parsed.success && missing.size === 0 ? (parsed.data as Cells) : null;
  };

  let dataRows = 0;
  for (const r of rows) {
    if (r.row === 1 || rowIsEmpty(r.cells)) continue;
    dataRows++;
    let cells: Cells | null = null;
    if (missing.size === 0) {
      notes = [];
      cells = {};
      for (let i = 0; i < fields.length; i++) {
        // A column the sheet does not have is optional here (else `missing`): its default, unread.
        if (cols[i] < 0) {
          cells[fields[i].field] = fields[i].empty();
          continue;
        }
        const c = fields[i].read(r.cells[cols[i]]);
        if (!c.ok) {
          cells = null;
          break;
        }
        if (c.note) notes.push({ field: fields[i].field, ...c.note });
        cells[fields[i].field] = c.value;
      }
      if (cells !== null) {
        rowFailed = false;
        compiled.check(cells, env);
        if (rowFailed) cells = null;
        else {
          flushNotes(r.row);
          cells = compiled.finish(cells) as Cells;
        }
      }
    }
    if (cells === null) cells = viaSchema(r);
    if (cells === null) continue;
    const row = cells as RowOf[K] & Cells;
    row.row = r.row;
    if (h.extras.length > 0) {
      let extra: Record<string, string> | undefined;
      for (const e of h.extras) {
        const c = r.cells[e.col];
        if (!isEmpty(c)) (extra ??= {})[e.header] = rawText(c!).trim();
      }
      if (extra) row.extra = extra;
    }
    out.push(row);
  }
  if (dataRows === 0) requireRows(key, sheet, issues);
  return out;
}

// ---------------------------------------------------------------------------------------------

/** The address of a field's cell: its real column, else where the template puts it. */
export function fieldAddress(positions: ColumnPositions, tab: TabKey, field: string, row: number): string {
  const col = positions[tab]?.[field] ?? TAB_COLUMNS[tab].findIndex((c) => c.field === field);
  return cellAddress(TAB_NAMES[tab], Math.max(col, 0), row);
}
