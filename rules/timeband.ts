// The time band of a local instant (SPEC §2): per weekday a minute-of-day table, and one for
// holidays whose Hol rows are tried first. Built once; a lookup is two array reads.

import type { HolidayRow, TimeBandRow } from './rows.js';

const MINUTES = 1440;
const DAY_MS = 86_400_000;

export class BandIndex {
  readonly names: string[] = [];
  /** [weekday 0=Mon][minute] -> index into names, -1 for no band. */
  private readonly week: Int16Array[];
  private readonly holiday: Int16Array;
  private readonly holidays: Set<number>;

  constructor(rows: readonly TimeBandRow[], holidays: readonly HolidayRow[]) {
    this.week = Array.from({ length: 7 }, () => new Int16Array(MINUTES).fill(-1));
    this.holiday = new Int16Array(MINUTES).fill(-1);
    this.holidays = new Set(holidays.map((h) => h.date));
    for (const r of rows) {
      let id = this.names.indexOf(r.timeBand);
      if (id < 0) id = this.names.push(r.timeBand) - 1;
      // A row wrapping past midnight covers From–24:00 and 00:00–To of the same weekday.
      const spans: [number, number][] = r.from < r.to ? [[r.from, r.to]] : r.from === r.to ? [[0, MINUTES]] : [[r.from, MINUTES], [0, r.to]];
      const tables = [...r.days.map((d) => this.week[d]), ...(r.holiday ? [this.holiday] : [])];
      for (const t of tables) for (const [a, b] of spans) for (let m = a; m < b; m++) if (t[m] < 0) t[m] = id;
    }
  }

  /** The band name of a local wall-clock time (ms whose UTC fields are local), '' when none. */
  bandAt(localMs: number): string {
    const day = Math.floor(localMs / DAY_MS);
    const minute = Math.floor((localMs - day * DAY_MS) / 60_000);
    if (this.holidays.has(day)) {
      const h = this.holiday[minute];
      if (h >= 0) return this.names[h];
    }
    const w = this.week[(((day + 3) % 7) + 7) % 7][minute];
    return w >= 0 ? this.names[w] : '';
  }

  /** Milliseconds from a local time to the next minute at which the band may change. */
  static toNextMinute(localMs: number): number {
    return 60_000 - (((localMs % 60_000) + 60_000) % 60_000);
  }
}
