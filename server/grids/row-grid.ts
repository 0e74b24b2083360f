// Grid pages over rows held as objects (a version's tabs, SmartSearch answers): small enough to
// filter and sort whole on each request. The rated calls of a big run use a columnar grid instead.

import { parseMicro } from '../../rules/money.js';
import type { GridPage, GridQuery } from './grid-query.js';

type Cell = string | number | null;

/** Numeric columns compare as numbers (money as decimal strings included); others as text. */
export function pageRows<Row extends Record<string, Cell>>(rows: readonly Row[], q: GridQuery, numeric: ReadonlySet<string> = new Set()): GridPage<Row> {
  let out = rows.filter((r) =>
    q.filters.every((f) => {
      const v = r[f.column];
      if (f.kind === 'contains') return v !== null && v !== undefined && String(v).toLowerCase().includes(f.text);
      if (v === null || v === undefined || v === '') return false;
      const n = Number(v);
      return !Number.isNaN(n) && (f.min === null || n >= f.min) && (f.max === null || n <= f.max);
    }),
  );
  if (q.sort.length > 0) {
    out = [...out].sort((a, b) => {
      for (const s of q.sort) {
        const c = compareCells(a[s.column], b[s.column], numeric.has(s.column));
        if (c !== 0) return s.desc ? -c : c;
      }
      return 0;
    });
  }
  return { total: out.length, rows: out.slice(q.offset, q.offset + q.limit) };
}

function compareCells(a: Cell | undefined, b: Cell | undefined, numeric: boolean): number {
  const ea = a === null || a === undefined || a === '';
  const eb = b === null || b === undefined || b === '';
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1; // blanks last
  if (numeric) return compareNumbers(String(a), String(b));
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Numeric cells in order: exactly, as micro-units, when both are decimals of at most 6 places
 * (every amount is); otherwise (a count past 2^53 / 10^6, an exponent) as plain numbers.
 */
function compareNumbers(a: string, b: string): number {
  const x = parseMicro(a);
  const y = parseMicro(b);
  if (x.ok && y.ok) return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
  return Number(a) - Number(b);
}
