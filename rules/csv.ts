// CSV fields and lines: RFC 4180 quoting and formula-injection safety (SPEC §6: a text cell that
// starts with = + - @ tab or CR and is not a number gets a leading ' so no spreadsheet runs it).
// Pure, so the core can format its hot-path lines directly.

import type { CellValue } from './tables.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True when a spreadsheet could read the text as a formula. */
export function isRisky(s: string): boolean {
  if (s.length === 0) return false;
  const c = s.charCodeAt(0);
  // = + - @ \t \r
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return false;
  return !NUMBER.test(s);
}

/**
 * The text a CSV cell held before csvField guarded it: a text that a spreadsheet could run gets a
 * leading `'`, taken off here. (A text that itself began with `'` and then a risky character reads
 * back without its `'`: the writer leaves the two the same.)
 */
export const unguard = (s: string): string => (s.charCodeAt(0) === 39 && isRisky(s.slice(1)) ? s.slice(1) : s);

export function csvField(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  let s = v;
  if (isRisky(s)) s = `'${s}`;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}

export function csvLine(values: readonly CellValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += csvField(values[i]);
  }
  return line + '\n';
}

