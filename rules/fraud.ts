// SPEC §2 step 5, SUSPECTED_FRAUD, over the run's outbound calls that passed steps 1–4, across all
// its files, per owning number (inbound calls are never flagged):
// - FraudMaxCallsPerMinute N > 0: the number has more than N such calls (this one included)
//   starting in [start − 59 s, start];
// - FraudShortCallSeconds S > 0 and FraudShortCallsPerDay K > 0: a call with 0 < duration <= S
//   whose number has more than K such calls on that local day — all of them are flagged.
//
// Streaming. The caller feeds every qualifying call once, in any order, with a run index of its
// choosing (< 2^31): observe() answers at once from the calls seen so far, and verdicts() answers
// for the whole run at the end. Every call observe() flags is also flagged by verdicts() (counts
// only grow); verdicts() adds the calls only a later line could condemn: the first K short calls
// of a day, and, when files overlap in time, a call whose minute fills up with calls that arrive
// later. When every file is in time order and files do not overlap, observe()'s per-minute answer
// is already final.
//
// Calls arrive out of time order across files (two switches' files of one month), so the
// per-minute window cannot be a simple sliding queue: each number keeps its start times as a few
// sorted runs (a log-structured merge: a call later than the last run's end is appended to it,
// else it starts a new run, and runs are merged so their sizes halve down the list — at most
// ~log2(calls) runs). A count over [start − 59 s, start] is a binary search per run; the final
// sweep merges the runs into one sorted list and slides the window. Every call of a number must be
// remembered until the end: any later line may fall within a minute of it.
//
// Memory: 12 bytes per outbound call for the per-minute rule (start as a Float64, run index as an
// Int32; growing runs hold up to twice that), plus ~200 bytes per number; 8 bytes per short call
// for the short-call rule, plus ~150 bytes per number and day with short calls. A rule that is off
// stores nothing.

import type { Cdr } from './cdr.js';
import { formatDay, type Day } from './day.js';
import type { Settings } from './rows.js';
import { utcToLocalMs } from './zone.js';

export interface FraudSettings {
  /** N: 0 turns the rule off. */
  maxCallsPerMinute: number;
  /** S: 0 turns the short-call rule off. */
  shortCallSeconds: number;
  /** K: 0 turns the short-call rule off. */
  shortCallsPerDay: number;
  /** IANA zone of the local day, for observeCall() (observe() is given the day). */
  zone?: string;
}

/** [start − 59 s, start]: 59 s before, inclusive. */
const WINDOW_MS = 59_000;
const MS_PER_DAY = 86_400_000;

/** One sorted run of start times with the run index of each call beside it. */
class Run {
  t: Float64Array;
  i: Int32Array;
  n = 0;

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.i = new Int32Array(capacity);
  }

  push(t: number, index: number): void {
    if (this.n === this.t.length) {
      const t2 = new Float64Array(this.n * 2);
      const i2 = new Int32Array(this.n * 2);
      t2.set(this.t);
      i2.set(this.i);
      this.t = t2;
      this.i = i2;
    }
    this.t[this.n] = t;
    this.i[this.n] = index;
    this.n++;
  }

  /** Calls with lo <= t <= hi. */
  count(lo: number, hi: number): number {
    return bound(this.t, this.n, hi, true) - bound(this.t, this.n, lo, false);
  }

  static merge(a: Run, b: Run): Run {
    const out = new Run(a.n + b.n + 8);
    let x = 0;
    let y = 0;
    let k = 0;
    while (x < a.n && y < b.n) {
      if (a.t[x] <= b.t[y]) {
        out.t[k] = a.t[x];
        out.i[k++] = a.i[x++];
      } else {
        out.t[k] = b.t[y];
        out.i[k++] = b.i[y++];
      }
    }
    while (x < a.n) {
      out.t[k] = a.t[x];
      out.i[k++] = a.i[x++];
    }
    while (y < b.n) {
      out.t[k] = b.t[y];
      out.i[k++] = b.i[y++];
    }
    out.n = k;
    return out;
  }
}

/** First position in sorted t[0..n) whose value is > x (after) or >= x (not after). */
function bound(t: Float64Array, n: number, x: number, after: boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid] < x || (after && t[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One number's start times: sorted runs, sizes halving down the list except the growing last. */
class Starts {
  runs: Run[] = [];
  total = 0;

  add(t: number, index: number): void {
    this.total++;
    const runs = this.runs;
    const last = runs.length > 0 ? runs[runs.length - 1] : null;
    if (last !== null && t >= last.t[last.n - 1]) {
      last.push(t, index);
      return;
    }
    // A new run: first settle the one that grew by appends, then merge like a binary counter.
    this.settle();
    const run = new Run(8);
    run.push(t, index);
    runs.push(run);
    this.settle();
  }

  private settle(): void {
    const runs = this.runs;
    while (runs.length >= 2 && runs[runs.length - 2].n <= 2 * runs[runs.length - 1].n) {
      const b = runs.pop()!;
      const a = runs.pop()!;
      runs.push(Run.merge(a, b));
    }
  }

  count(lo: number, hi: number): number {
    let c = 0;
    for (let r = 0; r < this.runs.length; r++) c += this.runs[r].count(lo, hi);
    return c;
  }

  /** All calls as one sorted run. */
  sorted(): Run {
    while (this.runs.length > 1) {
      const b = this.runs.pop()!;
      const a = this.runs.pop()!;
      this.runs.push(Run.merge(a, b));
    }
    return this.runs[0];
  }
}

export class FraudWatch {
  /** Owning number -> its calls' start times (per-minute rule). */
  private readonly starts = new Map<string, Starts>();
  /** Owning number -> local day -> run indexes of its short calls. */
  private readonly short = new Map<string, Map<Day, number[]>>();
  private verdictCache: Map<number, string> | null = null;
  private readonly perMinute: number;
  private readonly shortSeconds: number;
  private readonly shortPerDay: number;

  constructor(private readonly s: FraudSettings) {
    this.perMinute = s.maxCallsPerMinute > 0 ? s.maxCallsPerMinute : 0;
    const shortOn = s.shortCallSeconds > 0 && s.shortCallsPerDay > 0;
    this.shortSeconds = shortOn ? s.shortCallSeconds : 0;
    this.shortPerDay = shortOn ? s.shortCallsPerDay : 0;
  }

  static fromSettings(settings: Settings): FraudWatch {
    return new FraudWatch({
      maxCallsPerMinute: settings.fraudMaxCallsPerMinute,
      shortCallSeconds: settings.fraudShortCallSeconds,
      shortCallsPerDay: settings.fraudShortCallsPerDay,
      zone: settings.timezone,
    });
  }

  /** Some rule is on: without one, nothing need be observed. */
  get active(): boolean {
    return this.perMinute > 0 || this.shortSeconds > 0;
  }

  /**
   * Counts an outbound call that passed steps 1–4 (the caller's part: inbound calls, duplicates and
   * exceptions are not observed) for its owning `number`, starting at `startMs` and lasting
   * `duration` seconds, on local `day`, under the caller's run `index`. Returns why it is flagged
   * on what the run has seen so far, else null.
   */
  observe(number: string, startMs: number, duration: number, day: Day, index: number): string | null {
    this.verdictCache = null;
    let why: string | null = null;
    const n = this.perMinute;
    if (n > 0) {
      let st = this.starts.get(number);
      if (st === undefined) this.starts.set(number, (st = new Starts()));
      st.add(startMs, index);
      if (st.total > n) {
        const count = st.count(startMs - WINDOW_MS, startMs);
        if (count > n) why = this.minuteReason(number, count);
      }
    }
    if (this.shortSeconds > 0 && duration > 0 && duration <= this.shortSeconds) {
      let days = this.short.get(number);
      if (days === undefined) this.short.set(number, (days = new Map()));
      let list = days.get(day);
      if (list === undefined) days.set(day, (list = []));
      list.push(index);
      if (why === null && list.length > this.shortPerDay) why = this.shortReason(number, day, list.length);
    }
    return why;
  }

  /**
   * observe() for a Cdr: inbound calls are never counted (null); the local day is the start's in
   * FraudSettings.zone. The call's duration is the CDR's (an unanswered call has 0 s, or what its
   * switch wrote).
   */
  observeCall(number: string, cdr: Cdr, index: number): string | null {
    if (cdr.direction !== 'out') return null;
    if (this.s.zone === undefined) throw new Error('FraudWatch.observeCall needs FraudSettings.zone');
    const day = Math.floor(utcToLocalMs(this.s.zone, cdr.startMs) / MS_PER_DAY);
    return this.observe(number, cdr.startMs, cdr.duration, day, index);
  }

  private minuteReason(number: string, count: number): string {
    return `${number} made ${count} calls within a minute (limit ${this.perMinute})`;
  }

  private shortReason(number: string, day: Day, count: number): string {
    return `${number} made ${count} calls of ${this.shortSeconds} s or less on ${formatDay(day)} (limit ${this.shortPerDay})`;
  }

  /**
   * Every call the whole run flags, by run index, with why (the per-minute reason when both rules
   * flag it). Computed once; observing again starts over.
   */
  verdicts(): Map<number, string> {
    if (this.verdictCache !== null) return this.verdictCache;
    const out = new Map<number, string>();
    const n = this.perMinute;
    if (n > 0) {
      for (const [number, st] of this.starts) {
        if (st.total <= n) continue;
        const { t, i, n: len } = st.sorted();
        let lo = 0;
        let hi = 0;
        for (let k = 0; k < len; k++) {
          const at = t[k];
          while (at - t[lo] > WINDOW_MS) lo++;
          if (hi <= k) {
            hi = k + 1;
            while (hi < len && t[hi] === at) hi++;
          }
          const count = hi - lo;
          if (count > n) out.set(i[k], this.minuteReason(number, count));
        }
      }
    }
    for (const [number, days] of this.short) {
      for (const [day, list] of days) {
        if (list.length <= this.shortPerDay) continue;
        const why = this.shortReason(number, day, list.length);
        for (const idx of list) if (!out.has(idx)) out.set(idx, why);
      }
    }
    this.verdictCache = out;
    return out;
  }

  /** The run indexes verdicts() flags. */
  flagged(): Set<number> {
    return new Set(this.verdicts().keys());
  }

  isFlagged(index: number): boolean {
    return this.verdicts().has(index);
  }

  /** Why the run flags the call, or undefined. */
  reason(index: number): string | undefined {
    return this.verdicts().get(index);
  }
}
