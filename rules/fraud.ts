// SPEC §2 step 5 over a run's outbound calls that passed steps 1–4, per owning number.
// Calls per minute: more than N starting in [start − 59 s, start]. Short calls per day: more than K
// calls of 0 < duration <= S on one local day flags all of them.
// A run streams: observe() answers from the calls seen so far, which is final for files in time
// order; verdicts() answers from the whole run, and also flags calls that only a later line (a
// later short call, an earlier call in another file) condemned. Memory: one start time and index
// per outbound call, plus a counter per number and day.

import { formatDay } from './day.js';

export interface FraudSettings {
  maxCallsPerMinute: number;
  shortCallSeconds: number;
  shortCallsPerDay: number;
}

const WINDOW_MS = 59_000;

/** First position in sorted `a` whose value is >= x. */
function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in sorted `a` whose value is > x. */
function upperBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class FraudWatch {
  /** number -> start times, sorted, with the run index of each call beside it. */
  private readonly starts = new Map<string, { t: number[]; i: number[] }>();
  /** `number|day` -> run indexes of its short calls. */
  private readonly short = new Map<string, number[]>();

  constructor(private readonly s: FraudSettings) {}

  get active(): boolean {
    return this.s.maxCallsPerMinute > 0 || this.shortRule;
  }

  private get shortRule(): boolean {
    return this.s.shortCallSeconds > 0 && this.s.shortCallsPerDay > 0;
  }

  /** Records a call; returns why it is flagged on what the run has seen so far, else null. */
  observe(number: string, startMs: number, duration: number, day: number, index: number): string | null {
    let why: string | null = null;
    const n = this.s.maxCallsPerMinute;
    if (n > 0) {
      let st = this.starts.get(number);
      if (!st) {
        st = { t: [], i: [] };
        this.starts.set(number, st);
      }
      const last = st.t.length - 1;
      if (last < 0 || st.t[last] <= startMs) {
        st.t.push(startMs);
        st.i.push(index);
      } else {
        const at = upperBound(st.t, startMs);
        st.t.splice(at, 0, startMs);
        st.i.splice(at, 0, index);
      }
      const count = upperBound(st.t, startMs) - lowerBound(st.t, startMs - WINDOW_MS);
      if (count > n) why = `${number} made ${count} calls within a minute (limit ${n})`;
    }
    if (this.shortRule && duration > 0 && duration <= this.s.shortCallSeconds) {
      const key = `${number}|${day}`;
      let list = this.short.get(key);
      if (!list) this.short.set(key, (list = []));
      list.push(index);
      if (list.length > this.s.shortCallsPerDay) why ??= this.shortReason(number, day, list.length);
    }
    return why;
  }

  private shortReason(number: string, day: number, count: number): string {
    return `${number} made ${count} calls of ${this.s.shortCallSeconds} s or less on ${formatDay(day)} (limit ${this.s.shortCallsPerDay})`;
  }

  /** Every flagged call of the whole run, by run index. */
  verdicts(): Map<number, string> {
    const out = new Map<number, string>();
    const n = this.s.maxCallsPerMinute;
    if (n > 0) {
      for (const [number, { t, i }] of this.starts) {
        if (t.length <= n) continue;
        let lo = 0;
        let hi = 0;
        for (let k = 0; k < t.length; k++) {
          while (t[k] - t[lo] > WINDOW_MS) lo++;
          if (hi < k) hi = k;
          while (hi + 1 < t.length && t[hi + 1] === t[k]) hi++;
          const count = hi - lo + 1;
          if (count > n) out.set(i[k], `${number} made ${count} calls within a minute (limit ${n})`);
        }
      }
    }
    for (const [key, list] of this.short) {
      if (list.length <= this.s.shortCallsPerDay) continue;
      const bar = key.lastIndexOf('|');
      const why = this.shortReason(key.slice(0, bar), Number(key.slice(bar + 1)), list.length);
      for (const idx of list) if (!out.has(idx)) out.set(idx, why);
    }
    return out;
  }
}
