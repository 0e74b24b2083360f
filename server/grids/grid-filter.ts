// The rows a grid's filters keep (column-grid.ts asks), as a mask of a byte per row.
//
// Each filter's mask is kept on its own, so a filter asked again with another sort or beside
// another filter costs nothing, and several filters are their masks ANDed four rows at a time. A
// filter's mask is made once: a verdict per distinct value of a text or money column (the column
// is dictionary-coded, so "dest 1" is looked for in a few thousand values, not a million rows),
// then each row through its code. A text typed on from an earlier one (`44`, then `4420`) keeps
// a subset of that one's rows: when those are few, only they are looked at again.

import type { Column, DictColumn } from './column-rank.js';
import { foldAscii, holds, markHolders } from './csv-bytes.js';
import type { GridFilter } from './grid-query.js';
import { Lru } from './lru.js';

export interface RowSet {
  /** 1 for a row kept; its length a multiple of 4 (the bytes past the last row are 0). */
  mask: Uint8Array;
  count: number;
}

interface Kept {
  filter: GridFilter;
  set: RowSet;
}

export class GridFilters {
  private readonly single = new Lru<Kept>(16);
  private readonly combined = new Lru<RowSet>(6);

  constructor(
    private readonly columns: ReadonlyMap<string, Column>,
    private readonly rows: number,
  ) {}

  /** The rows every filter keeps. */
  rowsOf(filters: readonly GridFilter[]): RowSet {
    if (filters.length === 1) return this.one(filters[0]);
    const key = filtersKey(filters);
    const hit = this.combined.get(key);
    if (hit) return hit;
    const sets = filters.map((f) => this.one(f)).sort((a, b) => a.count - b.count);
    const mask = new Uint8Array(sets[0].mask);
    const words = new Uint32Array(mask.buffer, 0, mask.length >>> 2);
    let count = 0;
    for (const s of sets.slice(1)) {
      const other = new Uint32Array(s.mask.buffer, s.mask.byteOffset, words.length);
      count = 0;
      for (let i = 0; i < words.length; i++) {
        const w = words[i] & other[i];
        words[i] = w;
        // Each byte is 0 or 1: the multiply sums the four into the top byte.
        count += Math.imul(w, 0x01010101) >>> 24;
      }
    }
    const set = { mask, count };
    this.combined.set(key, set);
    return set;
  }

  private one(f: GridFilter): RowSet {
    const key = filterKey(f);
    const hit = this.single.get(key);
    if (hit) return hit.set;
    const c = this.columns.get(f.column)!;
    const set = c.kind === 'int' ? this.ints(c.values, f) : (this.refined(c, f) ?? this.byValue(c, f));
    this.single.set(key, { filter: f, set });
    return set;
  }

  private blank(): Uint8Array {
    return new Uint8Array((this.rows + 3) & ~3);
  }

  private ints(values: Float64Array, f: GridFilter): RowSet {
    const mask = this.blank();
    let count = 0;
    if (f.kind === 'range') {
      const min = f.min ?? -Infinity;
      const max = f.max ?? Infinity;
      for (let r = 0; r < this.rows; r++) {
        const x = values[r];
        if (x >= min && x <= max) {
          mask[r] = 1;
          count++;
        }
      }
    } else {
      const needle = Buffer.from(f.text, 'utf8');
      const digits = new Uint8Array(24);
      for (let r = 0; r < this.rows; r++) {
        if (intHolds(values[r], needle, digits)) {
          mask[r] = 1;
          count++;
        }
      }
    }
    return { mask, count };
  }

  /** A verdict per distinct value, then per row through its code. */
  private byValue(c: DictColumn, f: GridFilter): RowSet {
    const ok = verdicts(c, f);
    const codes = c.codes;
    const mask = this.blank();
    let count = 0;
    for (let r = 0; r < this.rows; r++) count += mask[r] = ok[codes[r]];
    return { mask, count };
  }

  /**
   * A contains filter whose text holds an earlier one's on the same column keeps a subset of its
   * rows: when that one kept few rows (and the column has many values), only they are looked at.
   * Null when there is no such earlier filter.
   */
  private refined(c: DictColumn, f: GridFilter): RowSet | null {
    if (f.kind !== 'contains' || c.dict.size * 8 < this.rows) return null;
    let base: RowSet | null = null;
    for (const [, k] of this.single.entries()) {
      const g = k.filter;
      if (g.column === f.column && g.kind === 'contains' && f.text.includes(g.text) && (base === null || k.set.count < base.count)) base = k.set;
    }
    if (base === null || base.count * 8 > this.rows) return null;
    const d = c.dict;
    const ascii = /^[\x00-\x7f]*$/.test(f.text);
    const hay = ascii ? (c.folded ??= foldAscii(d.arena)) : null;
    const needle = Buffer.from(f.text, 'latin1');
    const codes = c.codes;
    const from = base.mask;
    const mask = this.blank();
    let count = 0;
    for (let r = 0; r < this.rows; r++) {
      if (from[r] === 0) continue;
      const v = codes[r];
      const keep = hay ? holds(hay, d.start(v), d.ends[v], needle) : d.text(v).toLowerCase().includes(f.text);
      if (keep) {
        mask[r] = 1;
        count++;
      }
    }
    return { mask, count };
  }
}

/** 1 for each value of a text or money column the filter keeps. */
function verdicts(c: DictColumn, f: GridFilter): Uint8Array {
  const d = c.dict;
  const ok = new Uint8Array(d.size);
  if (f.kind === 'range') {
    const micro = c.micro ?? new Float64Array(d.size).fill(NaN);
    const min = f.min === null ? -Infinity : Math.round(f.min * 1e6);
    const max = f.max === null ? Infinity : Math.round(f.max * 1e6);
    for (let i = 0; i < d.size; i++) ok[i] = micro[i] >= min && micro[i] <= max ? 1 : 0;
  } else if (/^[\x00-\x7f]*$/.test(f.text)) {
    markHolders((c.folded ??= foldAscii(d.arena)), d.ends, Buffer.from(f.text, 'latin1'), ok);
  } else {
    // A needle beyond ASCII: lower-cased as text, as the row grid does.
    for (let i = 0; i < d.size; i++) ok[i] = d.text(i).toLowerCase().includes(f.text) ? 1 : 0;
  }
  return ok;
}

const filterKey = (f: GridFilter): string => JSON.stringify(f.kind === 'contains' ? [f.column, 'c', f.text] : [f.column, 'r', f.min, f.max]);

/** A set of filters as a key, whatever their order. */
export const filtersKey = (filters: readonly GridFilter[]): string => filters.map(filterKey).sort().join('\u0001');

/** True when the decimal text of v (as String(v) writes a whole number) holds the needle. */
function intHolds(v: number, needle: Uint8Array, digits: Uint8Array): boolean {
  if (v !== v) return false;
  if (!Number.isInteger(v) || Math.abs(v) >= 1e21) return String(v).includes(Buffer.from(needle).toString());
  let a = Math.abs(v);
  let i = digits.length;
  do {
    digits[--i] = 48 + (a % 10);
    a = Math.floor(a / 10);
  } while (a > 0);
  if (v < 0) digits[--i] = 45;
  return holds(digits, i, digits.length, needle);
}
