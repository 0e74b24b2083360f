// The per-minute fraud rule's memory (SPEC §2 step 5): how many calls of a number start in
// [start − 59 s, start], for calls arriving in any order, for a whole run.
//
// Every call is one entry of global paged columns (start, next call of the same number by
// arrival, the caller's index: 16 bytes); a number is a 32-byte record in one typed array, under
// a dense id. No per-number objects, so the GC has nothing to trace.
//
// A number's calls arrive as runs in time order (one file after another, or one interleaved
// file): the current run is the calls since the last one that came earlier than its predecessor.
// Within a run the calls in the window are its tail, kept as (oldest call in the window, count),
// so a call costs O(1) amortised — nothing at all past the number's slots when its previous call
// is over a minute earlier, as nearly every call is. While a number has had one run only, the
// count is exact for the calls seen so far; once it has had more, the current run's count is
// a lower bound (sound: the whole run counts at least as many) and the number is swept at the
// end: its calls gathered, their starts sorted, each call's window counted by binary search.
// A number that was ever counted over the limit is swept too, since calls arriving later at the
// same start second (counted by the earlier ones' windows) would raise their counts.

import { Float64Column, Int32Column } from './paged-column.js';

/** [start − 59 s, start]: 59 s before, inclusive. */
export const WINDOW_MS = 59_000;

const SWEEP = 1;
const DISORDERED = 2;

// A number's record: Int32 fields (index into `ints` from num * 8) …
/** Its first call. */
const FIRST = 0;
/** Its last call by arrival. */
const LAST = 1;
/** The oldest call of the current run still within the window of the run's latest. */
const TAIL = 2;
/** Calls of the current run from TAIL on. */
const COUNT = 3;
const TOTAL = 4;
const STATE = 5;
/** … and the start of the current run's latest call, a Float64 (index into `doubles` from num * 4). */
const LATEST = 3;

export class MinuteWindow {
  /** Per call: its start. */
  private readonly start = new Float64Column();
  /** Per call: [next call of its number by arrival or -1, the caller's index]. */
  private readonly link = new Int32Column();
  /**
   * Per number id, one 32-byte record (one cache line holds two, and a call touches one):
   * Int32 fields at FIRST…STATE, the current run's latest start as a Float64 at LATEST.
   */
  private ints = new Int32Array(256 * 8);
  private doubles = new Float64Array(this.ints.buffer);
  /** Numbers whose verdicts need a sweep. */
  private readonly toSweep: number[] = [];

  constructor(private readonly limit: number) {}

  /**
   * Counts call `index` of number `num` (a dense id) starting at `startMs`; returns how many of
   * the number's calls so far it can show start within the call's window (this one included).
   */
  observe(num: number, startMs: number, index: number): number {
    const o = this.start.push(startMs);
    this.link.push(-1);
    this.link.push(index);
    if (num * 8 >= this.ints.length) this.grow(num);
    const ints = this.ints;
    const r = num * 8;
    const latest = this.doubles[num * 4 + LATEST];
    if (ints[r + TOTAL]++ === 0) {
      ints[r + FIRST] = o;
      this.begin(num, o, startMs);
      return 1;
    }
    this.link.set(2 * ints[r + LAST], o);
    ints[r + LAST] = o;
    const lo = startMs - WINDOW_MS;
    if (startMs < latest) {
      this.mark(num, DISORDERED);
      this.begin(num, o, startMs);
      return 1;
    }
    if (latest < lo) {
      this.begin(num, o, startMs);
      return 1;
    }
    this.doubles[num * 4 + LATEST] = startMs;
    let c = ints[r + COUNT] + 1;
    let t = ints[r + TAIL];
    while (this.start.get(t) < lo) {
      t = this.link.get(2 * t);
      c--;
    }
    ints[r + TAIL] = t;
    ints[r + COUNT] = c;
    if (c > this.limit) this.mark(num, SWEEP);
    return c;
  }

  /** Each call the whole run counts over the limit, with its count, number by number. */
  sweep(emit: (num: number, index: number, count: number) => void): void {
    let sorted = new Float64Array(64);
    for (const num of this.toSweep) {
      const n = this.ints[num * 8 + TOTAL];
      if (n <= this.limit) continue;
      if (sorted.length < n) sorted = new Float64Array(2 * n);
      for (let o = this.ints[num * 8 + FIRST], k = 0; o !== -1; o = this.link.get(2 * o)) sorted[k++] = this.start.get(o);
      const starts = sorted.subarray(0, n);
      if (this.ints[num * 8 + STATE] & DISORDERED) starts.sort();
      for (let o = this.ints[num * 8 + FIRST]; o !== -1; o = this.link.get(2 * o)) {
        const at = this.start.get(o);
        const count = upper(starts, at) - lower(starts, at - WINDOW_MS);
        if (count > this.limit) emit(num, this.link.get(2 * o + 1), count);
      }
    }
  }

  /** A new current run from call o. */
  private begin(num: number, o: number, startMs: number): void {
    const r = num * 8;
    this.ints[r + LAST] = o;
    this.ints[r + TAIL] = o;
    this.ints[r + COUNT] = 1;
    this.doubles[num * 4 + LATEST] = startMs;
  }

  private mark(num: number, flag: number): void {
    const at = num * 8 + STATE;
    if (this.ints[at] === 0) this.toSweep.push(num);
    this.ints[at] |= flag;
  }

  private grow(num: number): void {
    let size = this.ints.length;
    while (size <= num * 8) size *= 2;
    const ints = new Int32Array(size);
    ints.set(this.ints);
    this.ints = ints;
    this.doubles = new Float64Array(ints.buffer);
  }
}

/** First position in sorted a whose value is >= x. */
function lower(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in sorted a whose value is > x. */
function upper(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
