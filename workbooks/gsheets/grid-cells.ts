// A Sheets API cell (CellData, read as grid data: the effective value unformatted, dates as serial
// numbers, and the effective number format) as the RawValue the .xlsx reader would give for the
// same cell in an .xlsx export: a date-formatted number is a date, a percent-formatted one a
// number flagged percent, text kept as typed (a phone number stored as text keeps its 0), an
// empty string nothing, a formula's error its Excel spelling.

import type { sheets_v4 } from '@googleapis/sheets';
import { numberText, type RawRow, type RawValue } from '../../rules/workbook/raw.js';

export type CellData = sheets_v4.Schema$CellData;
export type GridData = sheets_v4.Schema$GridData;

const EMPTY: RawValue = { kind: 'empty' };

/** The Sheets API's error types as Excel writes them. */
const ERROR_TEXT: Record<string, string> = {
  ERROR: '#ERROR!',
  NULL_VALUE: '#NULL!',
  DIVIDE_BY_ZERO: '#DIV/0!',
  VALUE: '#VALUE!',
  REF: '#REF!',
  NAME: '#NAME?',
  NUM: '#NUM!',
  N_A: '#N/A',
  LOADING: '#LOADING',
};

type FormatKind = 'date' | 'percent' | 'number';

/** The number format's kind: Google names it (type); a bare pattern is read as the .xlsx reader reads a format code. */
function formatKind(format: sheets_v4.Schema$NumberFormat | undefined): FormatKind {
  switch (format?.type) {
    case 'DATE':
    case 'TIME':
    case 'DATE_TIME':
      return 'date';
    case 'PERCENT':
      return 'percent';
    case 'NUMBER':
    case 'CURRENCY':
    case 'SCIENTIFIC':
    case 'TEXT':
      return format.pattern?.includes('%') && !/[dmyhs]/i.test(format.pattern.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '')) ? 'percent' : 'number';
    default:
      return 'number';
  }
}

/** Sheets counts days from 1899-12-30, as Excel's 1900 system does from its day 1 on (no 1904 system). */
function dateOf(serial: number): RawValue {
  const d = new Date(Math.round((serial - 25569) * 86_400_000));
  if (Number.isNaN(d.getTime())) return { kind: 'error', text: 'invalid date' };
  return { kind: 'date', y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mi: d.getUTCMinutes(), ss: d.getUTCSeconds() };
}

export function cellValue(cell: CellData | undefined): RawValue {
  const v = cell?.effectiveValue;
  if (!v) return EMPTY;
  if (typeof v.numberValue === 'number') {
    const n = v.numberValue;
    const kind = formatKind(cell.effectiveFormat?.numberFormat ?? cell.userEnteredFormat?.numberFormat);
    if (kind === 'date') return dateOf(n);
    const text = Number.isSafeInteger(n) && Math.abs(n) < 1e15 ? String(n) : numberText(n);
    return { kind: 'number', value: n, text, percent: kind === 'percent' };
  }
  if (typeof v.stringValue === 'string') return v.stringValue === '' ? EMPTY : { kind: 'text', text: v.stringValue };
  if (typeof v.boolValue === 'boolean') return { kind: 'bool', value: v.boolValue };
  if (v.errorValue) return { kind: 'error', text: ERROR_TEXT[v.errorValue.type ?? ''] ?? '#ERROR!' };
  return EMPTY;
}

/**
 * A GridData block's rows, numbered from 1, each cut after its last non-empty cell; rows with
 * nothing in them are left out, as the .xlsx reader leaves them out.
 */
export function gridRows(grid: GridData): RawRow[] {
  const out: RawRow[] = [];
  const top = grid.startRow ?? 0;
  const left = grid.startColumn ?? 0;
  const rows = grid.rowData ?? [];
  for (let r = 0; r < rows.length; r++) {
    const values = rows[r]?.values;
    if (!values || values.length === 0) continue;
    let cells: RawValue[] | null = null;
    for (let c = 0; c < values.length; c++) {
      const v = cellValue(values[c]);
      if (v === EMPTY || v.kind === 'empty') continue;
      cells ??= [];
      while (cells.length < left + c) cells.push(EMPTY);
      cells.push(v);
    }
    if (cells) out.push({ row: top + r + 1, cells });
  }
  return out;
}
