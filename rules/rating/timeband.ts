// The time band of a local instant (SPEC §2 "The time band of a call"). Built once: per weekday a
// minute-of-day table of band ids, and the same seven tables for holidays, where the rows naming
// `Hol` are tried first and the weekday's rows fill the minutes they leave. A lookup is a bitmap
// read and an array read. Beside each table, the minute each run of one band ends at, so BandSplit
// prices runs of seconds instead of single seconds.

import type { HolidayRow, TimeBandRow } from '../workbook/rows.js';

const MINUTES = 1440;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Band id 0 is the blank band: no TimeBands row holds the time (and Rates rows with blank TimeBand). */
export const BLANK_BAND = 0;

export interface BandTable {
  /** Band names by id; names[0] = ''. */
  names: string[];
  ids: Map<string, number>;
  /** [weekday × 1440 + minute] -> band id on an ordinary day (weekday 0 = Monday). */
  week: Int16Array;
  /** The same on a Holidays date: the `Hol` rows first, the weekday's rows where they hold nothing. */
  holidayWeek: Int16Array;
  /** [weekday × 1440 + minute] -> the first minute after it (<= 1440) whose band differs. */
  weekRunEnd: Int16Array;
  holidayWeekRunEnd: Int16Array;
  /** Holidays as a bitmap of day numbers from `holidayFrom`. */
  holidayFrom: number;
  holidayBits: Uint8Array;
}

/** Spans of minutes a row covers on each of its days: From > To wraps within the same weekday. */
function spansOf(r: TimeBandRow): number[] {
  if (r.from < r.to) return [r.from, r.to];
  if (r.from === r.to) return [0, MINUTES]; // README: From = To is the whole day
  return [r.from, MINUTES, 0, r.to];
}

function runEnds(table: Int16Array): Int16Array {
  const out = new Int16Array(table.length);
  for (let wd = 0; wd < 7; wd++) {
    const base = wd * MINUTES;
    let end = MINUTES;
    for (let m = MINUTES - 1; m >= 0; m--) {
      if (m < MINUTES - 1 && table[base + m] !== table[base + m + 1]) end = m + 1;
      out[base + m] = end;
    }
  }
  return out;
}

/**
 * The band tables of a workbook. `extraNames` are band names used elsewhere (Rates.TimeBand) that
 * get ids too, so rates can be indexed by id. Overlaps are a validation error; here the first row wins.
 */
export function buildBandTable(rows: readonly TimeBandRow[], holidays: readonly HolidayRow[], extraNames: Iterable<string> = []): BandTable {
  const names = [''];
  const ids = new Map<string, number>([['', BLANK_BAND]]);
  const idOf = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.push(name) - 1;
      ids.set(name, id);
    }
    return id;
  };
  const week = new Int16Array(7 * MINUTES);
  const hol = new Int16Array(MINUTES);
  for (const r of rows) {
    const id = idOf(r.timeBand);
    const spans = spansOf(r);
    for (let s = 0; s < spans.length; s += 2) {
      for (const d of r.days) {
        if (d < 0 || d > 6) continue;
        for (let m = spans[s]; m < spans[s + 1]; m++) if (week[d * MINUTES + m] === BLANK_BAND) week[d * MINUTES + m] = id;
      }
      if (r.holiday) for (let m = spans[s]; m < spans[s + 1]; m++) if (hol[m] === BLANK_BAND) hol[m] = id;
    }
  }
  for (const n of extraNames) idOf(n);
  const holidayWeek = new Int16Array(7 * MINUTES);
  for (let i = 0; i < holidayWeek.length; i++) holidayWeek[i] = hol[i % MINUTES] !== BLANK_BAND ? hol[i % MINUTES] : week[i];
  let from = 0;
  let bits = new Uint8Array(0);
  if (holidays.length > 0) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const h of holidays) {
      lo = Math.min(lo, h.date);
      hi = Math.max(hi, h.date);
    }
    from = lo;
    bits = new Uint8Array(hi - lo + 1);
    for (const h of holidays) bits[h.date - lo] = 1;
  }
  return { names, ids, week, holidayWeek, weekRunEnd: runEnds(week), holidayWeekRunEnd: runEnds(holidayWeek), holidayFrom: from, holidayBits: bits };
}

export function isHoliday(t: BandTable, day: number): boolean {
  const i = day - t.holidayFrom;
  return i >= 0 && i < t.holidayBits.length && t.holidayBits[i] === 1;
}

/** The band id of a local wall-clock time (ms whose UTC fields are the local fields). */
export function bandIdAt(t: BandTable, localMs: number): number {
  const day = Math.floor(localMs / DAY_MS);
  const minute = Math.floor((localMs - day * DAY_MS) / MINUTE_MS);
  const wd = (((day + 3) % 7) + 7) % 7;
  return (isHoliday(t, day) ? t.holidayWeek : t.week)[wd * MINUTES + minute];
}

/** SPEC §2: the band name of a local wall-clock time (ms whose UTC fields are local), '' when none. */
export function bandOf(t: BandTable, localMs: number): string {
  return t.names[bandIdAt(t, localMs)];
}

/**
 * Milliseconds from a local time to the end of its run of one band: the next minute at which the
 * band changes, or the end of the local day (the next day may be a holiday or another weekday).
 */
export function msToBandChange(t: BandTable, localMs: number): number {
  const day = Math.floor(localMs / DAY_MS);
  const inDay = localMs - day * DAY_MS;
  const minute = Math.floor(inDay / MINUTE_MS);
  const wd = (((day + 3) % 7) + 7) % 7;
  const end = (isHoliday(t, day) ? t.holidayWeekRunEnd : t.weekRunEnd)[wd * MINUTES + minute];
  return end * MINUTE_MS - inDay;
}
