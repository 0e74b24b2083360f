// Reads a Google Sheet into the RawWorkbook the .xlsx reader makes (SPEC §7.1 Import), so the
// same validation, problems at `Tab!Cell` and the same content hash follow.
//
// One call lists the tabs (names, hidden, grid sizes); then the contract's tabs are read as grid
// data — effective values unformatted, dates as serial numbers, and each cell's number format, the
// only way to tell a date or a percent from a plain number — in ranges of at most READ_CELLS grid
// cells a call, several small tabs sharing a call: the sample takes 3 calls in all, a sheet whose
// Numbers tab has 170,000 rows (26 columns) 21, 18 of them for that tab. Tabs outside the contract
// are listed by name only: a notice, never part of the content.

import { TAB_NAMES } from '../../rules/workbook/rows.js';
import { headerKey } from '../../rules/workbook/columns.js';
import { columnLetter, type RawSheet, type RawWorkbook } from '../../rules/workbook/raw.js';
import { gridRows } from './grid-cells.js';
import { SheetsApi, type SheetsApiOptions } from './sheets-api.js';

/** Grid cells (rows × columns of the tab's grid) one read asks for: a few MB of JSON at most. */
export const READ_CELLS = 250_000;

const CONTRACT_TABS = new Set(Object.values(TAB_NAMES).map(headerKey));

export interface TabInfo {
  sheetId: number;
  title: string;
  hidden: boolean;
  rowCount: number;
  columnCount: number;
}

export interface SheetRead {
  spreadsheetId: string;
  title: string;
  workbook: RawWorkbook;
  /** The API calls made, in order. */
  calls: SheetsApi['calls'];
}

/** `'Rates 2026'!A1:H5000`: a tab's name always quoted, its quotes doubled. */
export const a1Range = (tab: string, firstRow: number, lastRow: number, columns: number): string =>
  `'${tab.replace(/'/g, "''")}'!A${firstRow}:${columnLetter(Math.max(1, columns) - 1)}${lastRow}`;

/** The tabs in order, from one metadata call. */
export async function listTabs(api: SheetsApi): Promise<{ title: string; tabs: TabInfo[] }> {
  const meta = await api.get({ fields: 'properties(title),sheets(properties(sheetId,title,hidden,sheetType,gridProperties(rowCount,columnCount)))' });
  const tabs: TabInfo[] = [];
  for (const s of meta.sheets ?? []) {
    const p = s.properties;
    // Charts and data-source sheets hold no cells, as chart sheets in an .xlsx do not.
    if (!p || (p.sheetType && p.sheetType !== 'GRID')) continue;
    tabs.push({
      sheetId: p.sheetId ?? 0,
      title: p.title ?? '',
      hidden: p.hidden === true,
      rowCount: p.gridProperties?.rowCount ?? 0,
      columnCount: p.gridProperties?.columnCount ?? 0,
    });
  }
  return { title: meta.properties?.title ?? '', tabs };
}

interface Piece {
  tab: TabInfo;
  range: string;
  cells: number;
}

/** Each contract tab cut into ranges of at most READ_CELLS cells, then packed into calls of at most READ_CELLS. */
export function readPlan(tabs: readonly TabInfo[], budget = READ_CELLS): string[][] {
  const pieces: Piece[] = [];
  for (const tab of tabs) {
    if (tab.rowCount === 0 || tab.columnCount === 0) continue;
    const rowsPer = Math.max(1, Math.floor(budget / tab.columnCount));
    for (let first = 1; first <= tab.rowCount; first += rowsPer) {
      const last = Math.min(tab.rowCount, first + rowsPer - 1);
      pieces.push({ tab, range: a1Range(tab.title, first, last, tab.columnCount), cells: (last - first + 1) * tab.columnCount });
    }
  }
  const calls: string[][] = [];
  let current: string[] = [];
  let cells = 0;
  for (const p of pieces) {
    if (current.length > 0 && cells + p.cells > budget) {
      calls.push(current);
      current = [];
      cells = 0;
    }
    current.push(p.range);
    cells += p.cells;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

/** The first tab of each contract name is read (parse reports a second one as a duplicate by its name alone). */
function contractTabs(tabs: readonly TabInfo[]): TabInfo[] {
  const seen = new Set<string>();
  return tabs.filter((t) => {
    const key = headerKey(t.title);
    if (!CONTRACT_TABS.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const GRID_FIELDS = 'sheets(properties(sheetId),data(startRow,startColumn,rowData(values(effectiveValue,effectiveFormat(numberFormat(type,pattern))))))';

export async function readGoogleSheet(spreadsheetId: string, options: Omit<SheetsApiOptions, 'write'> = {}): Promise<SheetRead> {
  const api = await SheetsApi.open(spreadsheetId, { ...options, write: false });
  const { title, tabs } = await listTabs(api);
  const sheets = new Map<number, RawSheet>(tabs.map((t) => [t.sheetId, { name: t.title, hidden: t.hidden, rows: [] }]));
  for (const ranges of readPlan(contractTabs(tabs))) {
    const answer = await api.get({ ranges, includeGridData: true, fields: GRID_FIELDS });
    for (const s of answer.sheets ?? []) {
      const sheet = sheets.get(s.properties?.sheetId ?? -1);
      if (!sheet) continue;
      for (const grid of s.data ?? []) for (const row of gridRows(grid)) sheet.rows.push(row);
    }
  }
  // Ranges of one tab may come back in any order: rows go in sheet order, as the .xlsx reader gives them.
  for (const s of sheets.values()) s.rows.sort((a, b) => a.row - b.row);
  return { spreadsheetId, title, workbook: { sheets: tabs.map((t) => sheets.get(t.sheetId)!), date1904: false }, calls: api.calls };
}
