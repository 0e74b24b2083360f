// Tables to an .xlsx (xlsx-writer.ts): a sheet per table, bold frozen header with filters, money
// and counts as numbers in their formats, text always text (never a formula), a table's note
// below its rows after a blank one.

import { writeFile } from 'node:fs/promises';
import type { CellValue, Column, Table } from '../rules/tables.js';
import { sheetName, xlsxBytes, type XlsxRow, type XlsxSheet } from './xlsx-writer.js';

const numFmt = (c: Column): string | null => (c.kind === 'money' ? `0.${'0'.repeat(c.decimals ?? 2)}` : c.kind === 'int' ? '0' : null);

/** What a cell holds: a money or int text that is a number becomes that number. */
function cellOf(c: Column, v: CellValue): string | number | null {
  if (v === null || v === '') return null;
  if (typeof v === 'number') return v;
  if (c.kind === 'money' || c.kind === 'int') {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  return v;
}

function* tableRows(t: Table, formats: readonly (string | null)[]): Generator<XlsxRow> {
  yield { cells: t.columns.map((c) => c.header), bold: true };
  for (const r of t.rows) yield { cells: t.columns.map((c, i) => cellOf(c, r[i] ?? null)), formats };
  if (t.note) {
    yield { cells: [] };
    yield { cells: [t.note] };
  }
}

/** A table as a sheet (its name made valid and unique among `taken`). */
export function tableSheet(t: Table, taken: Set<string>): XlsxSheet {
  return {
    name: sheetName(t.name, taken),
    widths: t.columns.map((c) => c.width ?? Math.max(10, c.header.length + 2)),
    rows: tableRows(t, t.columns.map(numFmt)),
    header: true,
  };
}

/** The .xlsx package of these tables, as bytes. */
export function tablesXlsx(tables: readonly Table[]): Buffer {
  const taken = new Set<string>();
  return xlsxBytes(tables.map((t) => tableSheet(t, taken)));
}

export async function writeTablesXlsx(path: string, tables: readonly Table[]): Promise<void> {
  await writeFile(path, tablesXlsx(tables));
}
