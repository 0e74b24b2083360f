// A workbook as the readers deliver it (xlsx file or Google Sheet), before any meaning is given
// to a cell. The readers keep every cell's kind so the core can say exactly what was wrong where.

export type RawValue =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  /** `text` is the shortest round-trip decimal of `value` at most 15 significant digits (Excel's precision). */
  | { kind: 'number'; value: number; text: string; percent: boolean }
  /** A date cell (or a serial number in a date format): the sheet's clock fields, no zone. */
  | { kind: 'date'; y: number; m: number; d: number; hh: number; mi: number; ss: number }
  | { kind: 'bool'; value: boolean }
  /** An error cell (`#N/A`), or a formula with no cached result (`text` says which). */
  | { kind: 'error'; text: string };

export interface RawRow {
  /** 1-based row number in the sheet. */
  row: number;
  /** 0-based by column; holes are empty cells. */
  cells: RawValue[];
}

export interface RawSheet {
  name: string;
  hidden: boolean;
  rows: RawRow[];
}

export interface RawWorkbook {
  sheets: RawSheet[];
  /** Mac Excel's 1904 date system: serial numbers count from 1904-01-01. */
  date1904: boolean;
}

export const EMPTY: RawValue = { kind: 'empty' };

/** 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetter(col: number): string {
  let s = '';
  let n = col + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export const cellAddress = (sheet: string, col: number, row: number): string => `${sheet}!${columnLetter(col)}${row}`;

/** Shortest decimal text of a binary float at Excel's 15 significant digits: 0.30000000000000004 -> "0.3". */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const s = String(Number(value.toPrecision(15)));
  return s.includes('e') ? expandExponent(s) : s;
}

function expandExponent(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expText] = m;
  const exp = Number(expText);
  const digits = int + frac;
  const point = int.length + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  out = out.replace(/^0+(?=\d)/, '');
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  return sign + out;
}

/** The raw cell as a person would read it, for messages (`got "abc"`). */
export function rawText(v: RawValue): string {
  switch (v.kind) {
    case 'empty':
      return '';
    case 'text':
      return v.text;
    case 'number':
      return v.text;
    case 'date': {
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      const date = `${p(v.y, 4)}-${p(v.m)}-${p(v.d)}`;
      return v.hh || v.mi || v.ss ? `${date} ${p(v.hh)}:${p(v.mi)}:${p(v.ss)}` : date;
    }
    case 'bool':
      return v.value ? 'TRUE' : 'FALSE';
    case 'error':
      return v.text;
  }
}
