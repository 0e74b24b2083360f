// A workbook's cells (as the project's .xlsx reader gives them) as Google would hold the same sheet:
// dates as serial numbers in a DATE or DATE_TIME format, percent numbers in a PERCENT format,
// other numbers unformatted, text as text, errors as Google's error types. What the fake serves.

import type { RawValue, RawWorkbook } from '../../../rules/workbook/raw.js';
import type { FakeCell, FakeTab } from './fake-sheets.js';

const ERROR_TYPE: Record<string, string> = { '#N/A': 'N_A', '#DIV/0!': 'DIVIDE_BY_ZERO', '#VALUE!': 'VALUE', '#REF!': 'REF', '#NAME?': 'NAME', '#NUM!': 'NUM', '#NULL!': 'NULL_VALUE' };

export function fakeCell(v: RawValue): FakeCell | undefined {
  switch (v.kind) {
    case 'empty':
      return undefined;
    case 'text':
      return { v: v.text };
    case 'bool':
      return { v: v.value };
    case 'error':
      return { v: { error: ERROR_TYPE[v.text] ?? 'ERROR' } };
    case 'number':
      return v.percent ? { v: v.value, format: { type: 'PERCENT', pattern: '0.00%' } } : { v: v.value };
    case 'date': {
      const serial = Date.UTC(v.y, v.m - 1, v.d, v.hh, v.mi, v.ss) / 86_400_000 + 25569;
      return v.hh || v.mi || v.ss ? { v: serial, format: { type: 'DATE_TIME', pattern: 'yyyy-mm-dd hh:mm:ss' } } : { v: serial, format: { type: 'DATE', pattern: 'yyyy-mm-dd' } };
    }
  }
}

/** Tabs for FakeSheets.addBook: Google's default grid (1,000 × 26) or the data's size when larger. */
export function fakeTabsOf(wb: RawWorkbook): Partial<FakeTab>[] {
  return wb.sheets.map((s) => {
    const rows: (FakeCell | undefined)[][] = [];
    let width = 0;
    for (const r of s.rows) {
      rows[r.row - 1] = r.cells.map(fakeCell);
      width = Math.max(width, r.cells.length);
    }
    return { title: s.name, hidden: s.hidden, rows, rowCount: Math.max(1000, rows.length), columnCount: Math.max(26, width) };
  });
}
