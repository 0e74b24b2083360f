// Writes tables into a Google Sheet as whole tabs (SPEC §7.1 Write back): each tab is created, or
// cleared and resized to its rows, header frozen and bold, money columns in their decimals — all in
// one batchUpdate, which Google applies whole or not at all; then the values, sent RAW (text stays
// text: `=1+1` is not a formula, and no apostrophe is added) in calls of about WRITE_BYTES of JSON,
// small tabs sharing a call. Tabs not written are never touched; a cleared tab keeps its sheetId,
// so links and formulas elsewhere that point at it still do.
//
// Calls: one to list the tabs, one batchUpdate, then one values:batchUpdate per WRITE_BYTES —
// three for a run of the sample, more only for large tabs.

import type { CellValue, Column, Table } from '../../rules/tables.js';
import { listTabs, type TabInfo } from './sheet-reader.js';
import { SheetsApi, type CallRecord, type Schema$Request, type Schema$ValueRange, type SheetsApiOptions } from './sheets-api.js';

/** JSON of values one write sends at most (Google recommends payloads of 2 MB at most). */
export const WRITE_BYTES = 2_000_000;

export interface TabWritten {
  tab: string;
  /** Rows under the header. */
  rows: number;
}

export interface SheetWrite {
  spreadsheetId: string;
  tabs: TabWritten[];
  calls: CallRecord[];
}

type SheetCell = string | number | boolean;

/**
 * A cell as the API gets it. Money and counts go as numbers when their decimal text survives the
 * trip exactly (JSON writes the shortest text that reads back as the same number, so "0.1234"
 * goes as 0.1234); anything else as text. An empty cell is an empty string (null would leave what
 * was there).
 */
export function sheetCell(column: Column, v: CellValue): SheetCell {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (column.kind === 'money' || column.kind === 'int') {
    const n = Number(v);
    if (v !== '' && Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(v) && sameDecimal(String(n), v)) return n;
  }
  return v;
}

/** "1.50" and "1.5" are the same decimal; "1e21" is not written by us, and is left as text. */
function sameDecimal(shortest: string, text: string): boolean {
  const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  return trim(shortest) === trim(text).replace(/^(-?)0+(?=\d)/, '$1');
}

/** `'Tab'!A12`: where a block of rows starts. */
const startCell = (tab: string, row: number): string => `'${tab.replace(/'/g, "''")}'!A${row}`;

/** The structural requests for one tab: create or clear, size, freeze, formats. */
function tabRequests(table: Table, existing: TabInfo | undefined, sheetId: number): Schema$Request[] {
  const rowCount = Math.max(2, table.rows.length + 1); // Google cannot freeze every row of a tab
  const columnCount = Math.max(1, table.columns.length);
  const grid = { rowCount, columnCount, frozenRowCount: 1 };
  const out: Schema$Request[] = existing
    ? [
        { updateCells: { range: { sheetId }, fields: 'userEnteredValue' } },
        { updateSheetProperties: { properties: { sheetId, gridProperties: grid }, fields: 'gridProperties.rowCount,gridProperties.columnCount,gridProperties.frozenRowCount' } },
      ]
    : [{ addSheet: { properties: { sheetId, title: table.name, gridProperties: grid } } }];
  out.push({ repeatCell: { range: { sheetId, startRowIndex: 0, endRowIndex: 1 }, cell: { userEnteredFormat: { textFormat: { bold: true } } }, fields: 'userEnteredFormat.textFormat.bold' } });
  table.columns.forEach((c, i) => {
    if (c.kind !== 'money') return;
    const pattern = `0.${'0'.repeat(c.decimals ?? 2)}`;
    out.push({
      repeatCell: { range: { sheetId, startRowIndex: 1, startColumnIndex: i, endColumnIndex: i + 1 }, cell: { userEnteredFormat: { numberFormat: { type: 'NUMBER', pattern } } }, fields: 'userEnteredFormat.numberFormat' },
    });
  });
  return out;
}

/** Ids for new tabs: unused, and not guessable as another tab's. */
function newSheetIds(taken: Set<number>, n: number): number[] {
  const ids: number[] = [];
  for (let id = 1_000_001; ids.length < n; id++) if (!taken.has(id)) ids.push(id);
  return ids;
}

/** The value writes: every table's header and rows, in calls of about WRITE_BYTES. */
export function valueBatches(tables: readonly Table[], budget = WRITE_BYTES): Schema$ValueRange[][] {
  const batches: Schema$ValueRange[][] = [];
  let batch: Schema$ValueRange[] = [];
  let bytes = 0;
  for (const t of tables) {
    let block: SheetCell[][] = [t.columns.map((c) => c.header)];
    let blockStart = 1;
    bytes += JSON.stringify(block[0]).length;
    const flushBlock = (): void => {
      if (block.length > 0) batch.push({ range: startCell(t.name, blockStart), majorDimension: 'ROWS', values: block });
    };
    for (let r = 0; r < t.rows.length; r++) {
      const row = t.rows[r];
      const cells = t.columns.map((c, i) => sheetCell(c, row[i] ?? null));
      const size = JSON.stringify(cells).length + 1;
      if (bytes + size > budget && (block.length > 0 || batch.length > 0)) {
        flushBlock();
        batches.push(batch);
        batch = [];
        bytes = 0;
        block = [];
        blockStart = r + 2;
      }
      block.push(cells);
      bytes += size;
    }
    flushBlock();
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Writes each table as a whole tab; throws SheetsError (404, 403, 429, 502, 503). */
export async function writeGoogleTabs(spreadsheetId: string, tables: readonly Table[], options: Omit<SheetsApiOptions, 'write'> = {}): Promise<SheetWrite> {
  const api = await SheetsApi.open(spreadsheetId, { ...options, write: true });
  const { tabs } = await listTabs(api);
  // Google's tab names are unique whatever their case: "exceptions" is the Exceptions tab.
  const byName = new Map(tabs.map((t) => [t.title.toLowerCase(), t]));
  const fresh = newSheetIds(new Set(tabs.map((t) => t.sheetId)), tables.length);
  const requests: Schema$Request[] = [];
  // A tab already there is written under its own spelling of the name.
  const named = tables.map((t) => {
    const existing = byName.get(t.name.toLowerCase());
    requests.push(...tabRequests(t, existing, existing ? existing.sheetId : fresh.shift()!));
    return existing ? { ...t, name: existing.title } : t;
  });
  await api.batchUpdate(requests);
  for (const batch of valueBatches(named)) await api.writeValues(batch);
  return { spreadsheetId, tabs: named.map((t) => ({ tab: t.name, rows: t.rows.length })), calls: api.calls };
}
