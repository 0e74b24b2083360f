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
// is already final. Once a number's calls have come out of time order, observe() counts only the
// calls of its latest in-order stretch (a lower bound, so what it flags the run flags, with a
// count that may be below the count so far) and verdicts() counts that number in full.
//
// Memory (see MinuteWindow, ShortCalls, NumberIds): 16 bytes per call for the per-minute rule and
// 8 per short call for the short-call rule, in paged typed-array columns; per number, its digits
// as a double in a hash table (~23–46 bytes) and a 32-byte record; ~40 bytes per number and day
// with short calls. No object per call, number or day. A rule that is off stores nothing.

import type { Cdr } from '../cdr/cdr.js';
import { formatDay, type Day } from '../day.js';
import { MinuteWindow } from './minute-window.js';
import { NumberIds } from './number-ids.js';
import type { Settings } from '../workbook/rows.js';
import { ShortCalls } from './short-calls.js';
import { utcToLocalMs } from '../zone.js';

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

const MS_PER_DAY = 86_400_000;

export class FraudWatch {
  /** Owning numbers, as dense ids. */
  private readonly numbers = new NumberIds();
  private readonly minute: MinuteWindow | null;
  private readonly short: ShortCalls | null;
  private verdictCache: Map<number, string> | null = null;
  private readonly perMinute: number;
  private readonly shortSeconds: number;
  private readonly shortPerDay: number;

  constructor(private readonly s: FraudSettings) {
    this.perMinute = s.maxCallsPerMinute > 0 ? s.maxCallsPerMinute : 0;
    const shortOn = s.shortCallSeconds > 0 && s.shortCallsPerDay > 0;
    this.shortSeconds = shortOn ? s.shortCallSeconds : 0;
    this.shortPerDay = shortOn ? s.shortCallsPerDay : 0;
    this.minute = this.perMinute > 0 ? new MinuteWindow(this.perMinute) : null;
    this.short = shortOn ? new ShortCalls(this.shortPerDay) : null;
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
    if (!this.counts(duration)) return null;
    return this.observeId(this.numbers.intern(number), startMs, duration, day, index);
  }

  /** observe() of a number of 1–15 digits given as its value `1<digits>` (10^length + the number). */
  observeValue(value: number, startMs: number, duration: number, day: Day, index: number): string | null {
    if (!this.counts(duration)) return null;
    return this.observeId(this.numbers.internValue(value), startMs, duration, day, index);
  }

  /**
   * Takes these numbers (as observeValue() gives them) first, so that number `values[i]` has id i:
   * the ids the rating model gives single numbers (E_FRAUD). Only before anything is observed.
   */
  seedNumbers(values: Float64Array): void {
    if (this.numbers.size !== 0) throw new Error('FraudWatch.seedNumbers after observing');
    for (let i = 0; i < values.length; i++) {
      if (this.numbers.internValue(values[i]) !== i) throw new Error('FraudWatch.seedNumbers: numbers repeat');
    }
  }

  /** observe() of the number with id `id` of seedNumbers(): nothing to look up. */
  observeSeeded(id: number, startMs: number, duration: number, day: Day, index: number): string | null {
    if (!this.counts(duration)) return null;
    return this.observeId(id, startMs, duration, day, index);
  }

  /** Some rule counts a call of this duration (a number no rule counts is not remembered). */
  private counts(duration: number): boolean {
    return this.minute !== null || (this.short !== null && duration > 0 && duration <= this.shortSeconds);
  }

  private observeId(num: number, startMs: number, duration: number, day: Day, index: number): string | null {
    this.verdictCache = null;
    let why: string | null = null;
    if (this.minute !== null) {
      const count = this.minute.observe(num, startMs, index);
      if (count > this.perMinute) why = this.minuteReason(this.numbers.text(num), count);
    }
    if (this.short !== null && duration > 0 && duration <= this.shortSeconds) {
      const count = this.short.observe(num, day, index);
      if (why === null && count > this.shortPerDay) why = this.shortReason(this.numbers.text(num), day, count);
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
    // Numbers come number by number (days day by day): their texts are made once each.
    let textOf = -1;
    let text = '';
    const textFor = (num: number): string => {
      if (num !== textOf) {
        textOf = num;
        text = this.numbers.text(num);
      }
      return text;
    };
    this.minute?.sweep((num, index, count) => {
      out.set(index, this.minuteReason(textFor(num), count));
    });
    this.short?.sweep((num, day, count) => {
      const why = this.shortReason(textFor(num), day, count);
      return (index) => {
        if (!out.has(index)) out.set(index, why);
      };
    });
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
