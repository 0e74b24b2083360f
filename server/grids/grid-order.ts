// Rows in the order of a grid's sort columns, as cheaply as the view allows (column-grid.ts asks).
//
// A column's first sort ranks its values (column-rank.ts) and keeps its rows in ascending order
// with the start of each rank's run of rows in that order (`asc`, `starts`); every later sort by
// it starts from those:
// - descending is the runs of ascending taken last to first, each run kept in row order (so ties
//   stay in file order both ways), one sequential pass;
// - several columns: the order of the later columns, then one stable pass placing each row in its
//   run of the first column (the runs' starts are known, so no counting pass); the orders of the
//   later columns are cached, so they too are one pass each;
// - a few rows (a filter's): sorted by themselves, never the whole grid (sortSome).

import type { Column } from './column-rank.js';
import { Lru } from './lru.js';
import { Slicer } from './slicer.js';

export interface SortKey {
  column: Column;
  desc: boolean;
}

/**
 * out[i] = the column's rank of rows[i] (reversed for desc). One loop per kind of column, so each
 * loop reads its arrays directly.
 */
function ranksOf(c: Column, rows: Uint32Array | null, out: Uint32Array, desc: boolean): void {
  const m = out.length;
  if (c.kind === 'int') {
    const rowRank = c.rowRank!;
    if (rows === null) out.set(rowRank.subarray(0, m));
    else for (let i = 0; i < m; i++) out[i] = rowRank[rows[i]];
  } else {
    const rank = c.rank!;
    const codes = c.codes;
    if (rows === null) for (let i = 0; i < m; i++) out[i] = rank[codes[i]];
    else for (let i = 0; i < m; i++) out[i] = rank[codes[rows[i]]];
  }
  if (desc) for (let i = 0, top = c.ranks - 1; i < m; i++) out[i] = top - out[i];
}

/**
 * The rows of a ranked column in ascending order and where each rank's run starts in it: a counting
 * sort over the ranks, stable (ties in row order), in slices.
 */
export async function orderColumn(c: Column, rows: number): Promise<void> {
  const slicer = new Slicer();
  const ranks = c.ranks;
  const rank = new Uint32Array(rows);
  ranksOf(c, null, rank, false);
  await slicer.maybeYield();
  const starts = new Uint32Array(ranks + 1);
  for (let r = 0; r < rows; r++) starts[rank[r] + 1]++;
  for (let k = 1; k <= ranks; k++) starts[k] += starts[k - 1];
  await slicer.maybeYield();
  const next = starts.slice(0, ranks);
  const asc = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) asc[next[rank[r]]++] = r;
  c.asc = asc;
  c.starts = starts;
}

/** Orders of the whole grid by one or more sort keys, the most recent kept. */
export class GridOrders {
  private readonly cache = new Lru<Uint32Array>(6);

  constructor(private readonly rows: number) {}

  /** The order already made for these keys, if any (a column's ascending order always is). */
  cached(keys: readonly SortKey[]): Uint32Array | undefined {
    if (keys.length === 1 && !keys[0].desc) return keys[0].column.asc!;
    return this.cache.get(keyOf(keys));
  }

  /** All rows in the order of the keys (every key's column ranked and ordered). */
  all(keys: readonly SortKey[]): Uint32Array {
    const hit = this.cached(keys);
    if (hit) return hit;
    const [first, ...rest] = keys;
    const c = first.column;
    const out = rest.length === 0 ? descending(c.asc!, c.starts!, this.rows) : placeInRuns(this.all(rest), first, this.rows);
    this.cache.set(keyOf(keys), out);
    return out;
  }
}

/** Ascending's runs from the last to the first, each in its own (row) order. */
function descending(asc: Uint32Array, starts: Uint32Array, rows: number): Uint32Array {
  const out = new Uint32Array(rows);
  let o = 0;
  for (let k = starts.length - 2; k >= 0; k--) for (let i = starts[k], end = starts[k + 1]; i < end; i++) out[o++] = asc[i];
  return out;
}

/** Rows of `perm` (all rows) moved, stably, into the runs of the key's column. */
function placeInRuns(perm: Uint32Array, key: SortKey, rows: number): Uint32Array {
  const c = key.column;
  const starts = c.starts!;
  const ranks = c.ranks;
  // Where each rank's run starts in the result: ascending as ranked, descending from the end.
  const next = new Uint32Array(ranks);
  if (key.desc) for (let k = 0; k < ranks; k++) next[k] = rows - starts[k + 1];
  else next.set(starts.subarray(0, ranks));
  const rank = new Uint32Array(rows);
  ranksOf(c, perm, rank, false);
  const out = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) out[next[rank[i]]++] = perm[i];
  return out;
}

/**
 * Some rows (a filter's, in row order) sorted by the keys, last key first, each pass stable: by a
 * native sort of (rank, position) packed in one float when the rows are few beside the column's
 * ranks, else by a counting sort of their ranks.
 */
export function sortSome(rows: Uint32Array, keys: readonly SortKey[]): Uint32Array {
  let perm = rows;
  const m = rows.length;
  const rank = new Uint32Array(m);
  for (let k = keys.length - 1; k >= 0; k--) {
    const { column: c, desc } = keys[k];
    ranksOf(c, perm, rank, desc);
    const out = new Uint32Array(m);
    if (m * 4 < c.ranks) {
      // rank × m + position is exact in a double for any grid this server holds (< 2^53).
      const packed = new Float64Array(m);
      for (let i = 0; i < m; i++) packed[i] = rank[i] * m + i;
      packed.sort();
      for (let j = 0; j < m; j++) out[j] = perm[packed[j] % m];
    } else {
      const count = new Uint32Array(c.ranks + 1);
      for (let i = 0; i < m; i++) count[rank[i] + 1]++;
      for (let i = 1; i <= c.ranks; i++) count[i] += count[i - 1];
      for (let i = 0; i < m; i++) out[count[rank[i]]++] = perm[i];
    }
    perm = out;
  }
  return perm;
}

export const keyOf = (keys: readonly SortKey[]): string => keys.map((s) => `${s.column.name}:${s.desc ? 'd' : 'a'}`).join(',');
