// A grid's columns and how their values are ranked for sorting (grid-order.ts orders rows by
// these ranks): ints by value (small whole numbers rank as themselves), amounts
// by exact value, text by a radix sort of its bytes (UTF-8 byte order is code point order);
// equal values share a rank, blanks rank last. Ranking runs in slices (slicer.ts).

import type { Dictionary } from './byte-dictionary.js';
import { Slicer, yieldNow } from './slicer.js';

/** Bytes of a value ranked by radix sort before ties are settled by comparing whole values. */
const RADIX_BYTES = 32;

export interface DictColumn {
  kind: 'text' | 'money';
  name: string;
  codes: Uint32Array;
  dict: Dictionary;
  /** Money: each distinct value in micro-units (NaN when blank or not an amount). */
  micro: Float64Array | null;
  /** Rank of each distinct value in ascending order (equal amounts share one), once sorted. */
  rank: Uint32Array | null;
  ranks: number;
  /** The arena with A-Z folded to a-z, on the first contains filter (the arena itself when it has no capitals). */
  folded: Buffer | null;
  /** Rows in ascending order and where each rank's run starts in it, once sorted (grid-order.ts). */
  asc: Uint32Array | null;
  starts: Uint32Array | null;
}

export interface IntColumn {
  kind: 'int';
  name: string;
  values: Float64Array;
  /** Each row's rank (its value itself for small whole numbers), once sorted. */
  rowRank: Uint32Array | null;
  ranks: number;
  asc: Uint32Array | null;
  starts: Uint32Array | null;
}

export type Column = DictColumn | IntColumn;

/** Ranks of an int column: small whole numbers rank as themselves; other values by sorting them (NaN last). */
export async function rankInts(c: IntColumn): Promise<void> {
  const v = c.values;
  let max = 0;
  let small = true;
  for (let r = 0; r < v.length; r++) {
    const x = v[r];
    if (x !== x) continue;
    if (!(x >= 0 && x < 1 << 24 && x === Math.floor(x))) {
      small = false;
      break;
    }
    if (x > max) max = x;
  }
  if (small) {
    const rowRank = new Uint32Array(v.length);
    for (let r = 0; r < v.length; r++) rowRank[r] = v[r] === v[r] ? v[r] : max + 1;
    c.rowRank = rowRank;
    c.ranks = max + 2;
    return;
  }
  await yieldNow();
  const { rank, numbers } = rankNumbers(v);
  c.rowRank = rank;
  c.ranks = numbers + 1;
}

/** Ranks of a money column's distinct values by amount (equal amounts share a rank; blanks and non-amounts last). */
export function rankMoney(c: DictColumn): void {
  const { rank, numbers, blanks } = rankNumbers(c.micro!);
  c.rank = rank;
  c.ranks = numbers + (blanks ? 1 : 0);
}

/**
 * Each value's rank among the distinct numbers (equal ones share a rank); NaN (a blank) ranks
 * after them all, as `numbers`.
 */
function rankNumbers(v: Float64Array): { rank: Uint32Array; numbers: number; blanks: boolean } {
  const sorted = Float64Array.from(v).sort();
  let d = 0;
  for (let i = 0; i < sorted.length; i++) if (d === 0 || sorted[i] !== sorted[d - 1]) sorted[d++] = sorted[i];
  // NaN sorts last and never equals itself: the blanks, if any, are the last distinct slots.
  let numbers = d;
  while (numbers > 0 && sorted[numbers - 1] !== sorted[numbers - 1]) numbers--;
  const rank = new Uint32Array(v.length);
  let blanks = false;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== x) {
      rank[i] = numbers;
      blanks = true;
      continue;
    }
    let lo = 0;
    let hi = numbers - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  return { rank, numbers, blanks };
}

/**
 * Ranks of a text column's distinct values in byte order (blank last): an LSD radix sort of their
 * first RADIX_BYTES bytes, one pass a turn of the event loop, then values sharing those bytes
 * settled by comparing them whole.
 */
export async function rankText(c: DictColumn): Promise<void> {
  const d = c.dict;
  const n = d.size;
  const a = d.arena;
  const ends = d.ends;
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, ends[i] - d.start(i));
  const width = Math.min(longest, RADIX_BYTES);
  const slicer = new Slicer();
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let tmp = new Uint32Array(n);
  const starts = new Uint32Array(n);
  for (let i = 1; i < n; i++) starts[i] = ends[i - 1];
  // Two bytes a pass (a digit of 257 × 257: 0 when the value has no byte there, so shorter sorts
  // first); a digit every value shares is skipped.
  const BUCKETS = 257 * 257;
  const count = new Uint32Array(BUCKETS + 1);
  const digit = new Uint32Array(n);
  for (let p = ((width + 1) & ~1) - 2; p >= 0; p -= 2) {
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const s0 = starts[i] + p;
      const e = ends[i];
      const dg = (s0 < e ? a[s0] + 1 : 0) * 257 + (s0 + 1 < e ? a[s0 + 1] + 1 : 0);
      digit[i] = dg;
      count[dg + 1]++;
      if ((i & 65535) === 65535) await slicer.maybeYield();
    }
    if (count[digit[0] + 1] === n) continue;
    for (let k = 1; k <= BUCKETS; k++) count[k] += count[k - 1];
    for (let i = 0; i < n; i++) {
      const v = order[i];
      tmp[count[digit[v]]++] = v;
      if ((i & 65535) === 65535) await slicer.maybeYield();
    }
    [order, tmp] = [tmp, order];
  }
  if (longest > RADIX_BYTES) {
    // Runs of values equal in their first bytes and longer than them: sorted whole.
    const cmp = (x: number, y: number): number => a.compare(a, starts[y], ends[y], starts[x], ends[x]);
    const samePrefix = (x: number, y: number): boolean => {
      if (ends[x] - starts[x] < RADIX_BYTES || ends[y] - starts[y] < RADIX_BYTES) return false;
      for (let k = 0, sx = starts[x], sy = starts[y]; k < RADIX_BYTES; k++) if (a[sx + k] !== a[sy + k]) return false;
      return true;
    };
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && samePrefix(order[i], order[j])) j++;
      if (j - i > 1) order.subarray(i, j).sort(cmp);
      i = j;
      if ((i & 4095) === 0) await slicer.maybeYield();
    }
  }
  // Ranks in that order; equal values (a direct column repeats them) share one; blanks go last.
  const rank = new Uint32Array(n);
  let r = -1;
  let prev = -1;
  const blanks: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = order[i];
    const sv = starts[v];
    const len = ends[v] - sv;
    if (len === 0) {
      blanks.push(v);
      continue;
    }
    let same = prev >= 0 && ends[prev] - starts[prev] === len;
    for (let k = 0, sp = same ? starts[prev] : 0; same && k < len; k++) same = a[sp + k] === a[sv + k];
    if (!same) r++;
    rank[v] = r;
    prev = v;
    if ((i & 65535) === 65535) await slicer.maybeYield();
  }
  r++;
  for (const v of blanks) rank[v] = r;
  c.rank = rank;
  c.ranks = r + (blanks.length > 0 ? 1 : 0);
}
