// One cell to one typed value, for each column type of the contract (SPEC §1). A converter says
// what is wrong in words a clerk understands, without the column name: the caller puts the header
// in front (`PerMinute` + ` must be a number >= 0 (got "abc")`) and the address beside it.
// Converters run once per cell of a 170,000-row workbook, so the common shapes are read by char
// scans and the rest by regular expressions.

import { numberText, rawText, type RawValue } from './raw.js';
import { dayFromSerial, type Day } from '../day.js';
import { parseMicro, type Micro, type MicroPct } from '../money.js';
import { normalisePhone, numberFromNumericCell, type NumberPlan } from '../phone.js';

/** A warning or notice found while reading a cell; the value is still good. */
export interface CellNote {
  severity: 'warning' | 'notice';
  /** PERCENT_BELOW_ONE, NUMERIC_PHONE from the converters; row checks add their own. */
  code: string;
  /** Without the column name, like the problem messages. */
  message: string;
}

/** Why a cell cannot be read. */
export type CellErrorCode = 'MISSING_VALUE' | 'ERROR_CELL' | 'INVALID_CELL' | 'TOO_MANY_DECIMALS' | 'OUT_OF_RANGE';

export type Cell<T> = { ok: true; value: T; note?: CellNote } | { ok: false; code: CellErrorCode; message: string };

/** What reading a cell needs from the workbook: the number plan (Settings) and its date system. */
export interface CellContext {
  plan: NumberPlan;
  date1904: boolean;
}

const good = <T>(value: T): Cell<T> => ({ ok: true, value });
const noted = <T>(value: T, note: CellNote): Cell<T> => ({ ok: true, value, note });
const bad = (code: CellErrorCode, message: string): Cell<never> => ({ ok: false, code, message });
/** `(got "abc")`: the cell as the clerk sees it. */
export const got = (v: RawValue): string => `(got "${rawText(v).trim()}")`;
const errorCell = (v: { text: string }): Cell<never> => bad('ERROR_CELL', `is an error cell (${v.text})`);

/** An absent, empty or all-blank cell. */
export const isEmpty = (v: RawValue | undefined): boolean =>
  v === undefined || v === null || v.kind === 'empty' || (v.kind === 'text' && v.text.trim() === '');

/** Micro-units (or micro-percent) as a person writes them: 1_250_000 -> "1.25". */
export function formatScaled(micro: number): string {
  const neg = micro < 0;
  const a = neg ? -micro : micro;
  const int = Math.floor(a / 1_000_000);
  const frac = String(a - int * 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return (neg ? '-' : '') + int + (frac ? '.' + frac : '');
}

// ---------------------------------------------------------------------------------------------
// text, expr

/** Any cell as trimmed text (a number as its shortest decimal, a date as YYYY-MM-DD); an error cell is an error. */
export function toText(v: RawValue): Cell<string> {
  if (v.kind === 'text') return good(v.text.trim());
  if (v.kind === 'error') return errorCell(v);
  return good(rawText(v).trim());
}

// ---------------------------------------------------------------------------------------------
// amounts and decimals

/** Money as people type it into a text cell: `1.50`, `£1.50`, `-£1.50`, `1,250.00`. */
function moneyText(text: string): string {
  let s = text.trim();
  // The common case, digits and a point, skips the clean-up.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46)) {
      s = s.replace(/^([+-]?)\s*[£$€]\s*/, '$1').replace(/,(?=\d{3}(?:\D|$))/g, '');
      break;
    }
  }
  return s;
}

/** Exact decimal text to micro-units, with the reason when it is not one (`what`: the kind of value wanted, or the least amount). */
function microOf(text: string, v: RawValue, what: string | Micro | undefined): Cell<Micro> {
  const r = parseMicro(text, 6);
  if (r.ok) return good(r.value);
  if (r.error.startsWith('more than')) return bad('TOO_MANY_DECIMALS', `has more than 6 decimals ${got(v)}`);
  if (r.error === 'too large') return bad('OUT_OF_RANGE', `is too large ${got(v)}`);
  return bad('INVALID_CELL', `${typeof what === 'string' ? what : numberWanted(what)} ${got(v)}`);
}

/**
 * Money in micro-units: a number cell through its shortest round-trip decimal at 15 significant
 * digits (0.30000000000000004 is 0.3), a text cell as typed; at most 6 decimals (SPEC §1).
 * `min` (micro-units) is the least value allowed.
 */
export function toAmount(v: RawValue, min?: Micro): Cell<Micro> {
  let r: Cell<Micro>;
  if (v.kind === 'number') r = microOf(v.text !== undefined ? v.text : numberText(v.value), v, min);
  else if (v.kind === 'text') r = microOf(moneyText(v.text), v, min);
  else if (v.kind === 'error') return errorCell(v);
  else return bad('INVALID_CELL', `${numberWanted(min)} ${got(v)}`);
  if (r.ok && min !== undefined && r.value < min) return bad('OUT_OF_RANGE', `${numberWanted(min)} ${got(v)}`);
  return r;
}

const numberWanted = (min: Micro | undefined): string => (min === undefined ? 'must be a number' : `must be a number >= ${formatScaled(min)}`);

/**
 * A plain decimal that may also be written as a percentage (Discounts.Value): `10`, `10%` or a
 * percent-formatted 0.1 all give 10 (as micro-units); `percent` says it was written as one.
 */
export function toDecimal(v: RawValue, min?: Micro): Cell<{ value: Micro; percent: boolean }> {
  const what = numberWanted(min);
  let r: Cell<Micro>;
  let percent = false;
  if (v.kind === 'number' && v.percent) {
    r = scaledPercent(v.text, v, what);
    percent = true;
  } else if (v.kind === 'text' && v.text.trim().endsWith('%')) {
    const t = v.text.trim();
    r = microOf(t.slice(0, -1).trim(), v, what);
    percent = true;
  } else r = toAmount(v, min);
  if (!r.ok) return r;
  if (min !== undefined && r.value < min) return bad('OUT_OF_RANGE', `${what} ${got(v)}`);
  return good({ value: r.value, percent });
}

/** A percent-formatted cell's fraction (0.2) as micro-percent (20_000_000): eight decimals of the fraction. */
function scaledPercent(text: string, v: RawValue, what: string): Cell<MicroPct> {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) return bad('INVALID_CELL', `${what} ${got(v)}`);
  // 0.123456789 as a percent is 12.3456789%: the fraction's point moves two places.
  const frac = m[3] ?? '';
  const shifted = `${m[1]}${m[2] || '0'}${frac.slice(0, 2).padEnd(2, '0')}${frac.length > 2 ? '.' + frac.slice(2) : ''}`;
  return microOf(shifted, v, what);
}

// ---------------------------------------------------------------------------------------------
// percentages

export interface PercentBounds {
  /** Micro-percent. */
  min?: MicroPct;
  max?: MicroPct;
}

/**
 * Micro-percent: `20`, `"20%"`, or 0.2 in a percent-formatted cell all mean twenty percent. A plain
 * value strictly between 0 and 1 is read as written (0.25%) with a warning: 25% was probably meant.
 */
export function toPercent(v: RawValue, bounds: PercentBounds = {}): Cell<MicroPct> {
  const { min, max } = bounds;
  let what: string | undefined;
  let r: Cell<MicroPct>;
  let plain = false;
  if (v.kind === 'number') {
    if (v.percent) r = scaledPercent(v.text, v, (what ??= percentWanted(bounds)));
    else {
      r = microOf(v.text, v, (what ??= percentWanted(bounds)));
      plain = true;
    }
  } else if (v.kind === 'text') {
    const t = v.text.trim();
    if (t.endsWith('%')) r = microOf(t.slice(0, -1).trim(), v, (what ??= percentWanted(bounds)));
    else {
      r = microOf(t, v, (what ??= percentWanted(bounds)));
      plain = true;
    }
  } else if (v.kind === 'error') return errorCell(v);
  else return bad('INVALID_CELL', `${percentWanted(bounds)} ${got(v)}`);
  if (!r.ok) return r;
  if ((min !== undefined && r.value < min) || (max !== undefined && r.value > max)) return bad('OUT_OF_RANGE', `${percentWanted(bounds)} ${got(v)}`);
  if (plain && r.value > 0 && r.value < 1_000_000) return noted(r.value, percentBelowOne(rawText(v).trim(), r.value));
  return r;
}

function percentWanted({ min, max }: PercentBounds): string {
  if (min !== undefined && max !== undefined) return `must be a percentage from ${formatScaled(min)} to ${formatScaled(max)}`;
  if (min !== undefined) return `must be a percentage >= ${formatScaled(min)}`;
  return 'must be a percentage such as 20 or 20%';
}

/** The warning for a plain 0.25 where 25 was probably meant (also used for Discounts.Value). */
export function percentBelowOne(written: string, micro: MicroPct): CellNote {
  const meant = formatScaled(micro * 100);
  return { severity: 'warning', code: 'PERCENT_BELOW_ONE', message: `${written} means ${written}%; if you meant ${meant}%, write ${meant} or ${meant}%` };
}

// ---------------------------------------------------------------------------------------------
// whole numbers, booleans

/** A whole number in [min, max]; `1.0` and `"12"` are fine, `1.5` is not. */
export function toInt(v: RawValue, min?: number, max?: number): Cell<number> {
  const wanted = (): string =>
    min !== undefined && max !== undefined ? `must be a whole number from ${min} to ${max}` : min !== undefined ? `must be a whole number >= ${min}` : 'must be a whole number';
  let n: number;
  if (v.kind === 'number') n = v.value;
  else if (v.kind === 'text') {
    const t = v.text.trim();
    n = intText(t);
  } else if (v.kind === 'error') return errorCell(v);
  else return bad('INVALID_CELL', `${wanted()} ${got(v)}`);
  if (!Number.isInteger(n)) return bad('INVALID_CELL', `${wanted()} ${got(v)}`);
  if (!Number.isSafeInteger(n)) return bad('OUT_OF_RANGE', `is too large ${got(v)}`);
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) return bad('OUT_OF_RANGE', `${wanted()} ${got(v)}`);
  return good(n);
}

/** `12`, `-3`, `+4`, `12.0` as a number; NaN for anything else. */
function intText(t: string): number {
  if (t === '') return NaN;
  let i = t.charCodeAt(0) === 45 || t.charCodeAt(0) === 43 ? 1 : 0;
  if (i === t.length) return NaN;
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) break;
  }
  if (i < t.length) {
    // a trailing `.0`, `.00`: still whole
    if (t.charCodeAt(i) !== 46 || i + 1 === t.length) return NaN;
    for (let j = i + 1; j < t.length; j++) if (t.charCodeAt(j) !== 48) return NaN;
    return Number(t.slice(0, i));
  }
  return Number(t);
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0']);

/** Yes/No, Y/N, TRUE/FALSE, 1/0 in any case, and bool cells. */
export function toBool(v: RawValue): Cell<boolean> {
  if (v.kind === 'bool') return good(v.value);
  if (v.kind === 'error') return errorCell(v);
  const t = rawText(v).trim().toLowerCase();
  if (TRUE_WORDS.has(t)) return good(true);
  if (FALSE_WORDS.has(t)) return good(false);
  return bad('INVALID_CELL', `must be Yes or No ${got(v)}`);
}

// ---------------------------------------------------------------------------------------------
// dates and times

/**
 * Days since 1970-01-01 of a real date, else -Infinity: day.ts's dayFromYmd and isRealDate by
 * arithmetic (H. Hinnant's days_from_civil), since they build Date objects and this runs for
 * every date cell of a 100,000-row tab.
 */
export function civilDay(y: number, m: number, d: number): Day {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || m < 1 || m > 12 || d < 1) return -Infinity;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31)) return -Infinity;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Serial numbers that are real dates: 1900-03-01 (after Excel's fictitious 1900-02-29) to 9999-12-31. */
const SERIAL_MIN_1900 = 61;
const SERIAL_MAX_1900 = 2_958_465;
const SERIAL_1904 = 1_462;

/** `YYYY-MM-DD` (also `YYYY/MM/DD`, and `YYYY-MM-DD 00:00[:00]` as some exports write a date) as a day, else null. */
export function dayText(text: string): Day | null {
  let t = text;
  if (t.length > 10) {
    // a date with a midnight time
    const rest = t.slice(10);
    if (!/^[ T]00:00(:00(\.0+)?)?$/.test(rest)) return null;
    t = t.slice(0, 10);
  }
  // YYYY-MM-DD by char codes; other widths (2026-1-5) by the pattern
  let y: number, m: number, d: number;
  if (t.length === 10 && (t[4] === '-' || t[4] === '/') && t[7] === t[4]) {
    y = digits(t, 0, 4);
    m = digits(t, 5, 7);
    d = digits(t, 8, 10);
  } else {
    const mt = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(t);
    if (!mt) return null;
    y = Number(mt[1]);
    m = Number(mt[2]);
    d = Number(mt[3]);
  }
  const day = civilDay(y, m, d);
  return day === -Infinity ? null : day;
}

/** The number written in t[from, to), or -1 when a char is not a digit. */
function digits(t: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** A date cell, an Excel serial number (in the workbook's 1900 or 1904 system), or text `YYYY-MM-DD`. */
export function toDate(v: RawValue, ctx: CellContext): Cell<Day> {
  switch (v.kind) {
    case 'date': {
      const day = civilDay(v.y, v.m, v.d);
      return day === -Infinity ? bad('INVALID_CELL', `must be a date YYYY-MM-DD ${got(v)}`) : good(day);
    }
    case 'number': {
      const s = v.value;
      const min = ctx.date1904 ? SERIAL_MIN_1900 - SERIAL_1904 : SERIAL_MIN_1900;
      const max = ctx.date1904 ? SERIAL_MAX_1900 - SERIAL_1904 : SERIAL_MAX_1900;
      if (s >= min && s < max + 1) return good(dayFromSerial(s, ctx.date1904));
      return bad('INVALID_CELL', `must be a date YYYY-MM-DD ${got(v)}`);
    }
    case 'text': {
      const d = dayText(v.text.trim());
      return d === null ? bad('INVALID_CELL', `must be a date YYYY-MM-DD ${got(v)}`) : good(d);
    }
    case 'error':
      return errorCell(v);
    default:
      return bad('INVALID_CELL', `must be a date YYYY-MM-DD ${got(v)}`);
  }
}

/**
 * Minutes since midnight, 0..1440, from `HH:MM` (also `HH:MM:00`), a time cell, or a fraction of
 * a day in a number cell. `24:00` (1440) is the end of the day: Excel keeps it as the time 1 day
 * after its epoch, which reads as 1899-12-31 00:00 (1904 system: 1904-01-02).
 */
export function toTime(v: RawValue, ctx: CellContext): Cell<number> {
  const what = `must be a time HH:MM`;
  switch (v.kind) {
    case 'date': {
      if (v.ss !== 0) return bad('INVALID_CELL', `${what} in whole minutes ${got(v)}`);
      const epochPlusOne = ctx.date1904 ? v.y === 1904 && v.m === 1 && v.d === 2 : v.y === 1899 && v.m === 12 && v.d === 31;
      if (epochPlusOne && v.hh === 0 && v.mi === 0) return good(1440);
      return good(v.hh * 60 + v.mi);
    }
    case 'number': {
      const x = v.value;
      if (!(x >= 0 && x <= 1)) return bad('INVALID_CELL', `${what} ${got(v)}`);
      const minutes = x * 1440;
      const whole = Math.round(minutes);
      // a time cell read as a number holds whole minutes up to float noise (a second is 1/86400)
      if (Math.abs(minutes - whole) > 0.5 / 60) return bad('INVALID_CELL', `${what} in whole minutes ${got(v)}`);
      return good(whole);
    }
    case 'text': {
      const m = /^(\d{1,2})[:.](\d{2})(?::00)?$/.exec(v.text.trim());
      if (!m) return bad('INVALID_CELL', `${what} ${got(v)}`);
      const h = Number(m[1]);
      const mi = Number(m[2]);
      if (mi > 59 || h > 24 || (h === 24 && mi !== 0)) return bad('INVALID_CELL', `${what} ${got(v)}`);
      return good(h * 60 + mi);
    }
    case 'error':
      return errorCell(v);
    default:
      return bad('INVALID_CELL', `${what} ${got(v)}`);
  }
}

const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** `Mon`, `Monday`, `Tues`, `thu` -> 0..6; -1 when it names no weekday. */
function weekday(word: string): number {
  const w = word.trim().toLowerCase();
  if (w.length < 3) return -1;
  for (let i = 0; i < 7; i++) if (DAY_NAMES[i].startsWith(w)) return i;
  return -1;
}

const HOLIDAY_WORD = /^hol(iday)?s?$/i;

export interface DaysValue {
  /** 0 = Monday … 6 = Sunday, ascending. */
  days: number[];
  holiday: boolean;
}

/** `Mon-Fri`, `Sat,Sun`, `Mon-Sun`, `Hol`, `Mon-Fri,Hol`; a range may wrap (`Fri-Mon`). */
export function toDays(v: RawValue): Cell<DaysValue> {
  if (v.kind === 'error') return errorCell(v);
  const what = `must be days such as Mon-Fri, Sat,Sun or Hol ${got(v)}`;
  if (v.kind !== 'text') return bad('INVALID_CELL', what);
  const seen = [false, false, false, false, false, false, false];
  let holiday = false;
  let any = false;
  for (const part of v.text.split(/[,;\n]/)) {
    const p = part.trim();
    if (p === '') continue;
    if (HOLIDAY_WORD.test(p)) {
      holiday = any = true;
      continue;
    }
    const range = p.split(/\s*[-–]\s*/);
    if (range.length > 2) return bad('INVALID_CELL', what);
    const a = weekday(range[0]);
    const b = range.length === 2 ? weekday(range[1]) : a;
    if (a < 0 || b < 0) return bad('INVALID_CELL', what);
    for (let i = a; ; i = (i + 1) % 7) {
      seen[i] = true;
      if (i === b) break;
    }
    any = true;
  }
  if (!any) return bad('INVALID_CELL', what);
  const days: number[] = [];
  for (let i = 0; i < 7; i++) if (seen[i]) days.push(i);
  return good({ days, holiday });
}

// ---------------------------------------------------------------------------------------------
// digits and phone numbers

/** Digits only (Destinations.Prefix); a number cell gives its digits. */
export function toDigits(v: RawValue): Cell<string> {
  if (v.kind === 'error') return errorCell(v);
  const t = v.kind === 'text' ? v.text.trim() : rawText(v);
  if (t === '' || !allDigits(t)) return bad('INVALID_CELL', `must be digits only ${got(v)}`);
  return good(t);
}

function allDigits(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * A phone number to N() (SPEC §2), typed with spaces, hyphens, dots or parentheses. A number cell
 * has lost its leading 0: digits D are read as CountryCode + D (unless D is already international),
 * with a notice.
 */
export function toPhone(v: RawValue, ctx: CellContext): Cell<string> {
  if (v.kind === 'text') {
    const n = normalisePhone(v.text.trim(), ctx.plan);
    return n ? good(n.digits) : bad('INVALID_CELL', `is not a phone number ${got(v)}`);
  }
  if (v.kind === 'number') return numericPhone(v.text);
  if (v.kind === 'error') return errorCell(v);
  return bad('INVALID_CELL', `is not a phone number ${got(v)}`);

  function numericPhone(text: string): Cell<string> {
    if (!allDigits(text)) return bad('INVALID_CELL', `is not a phone number ${got(v)}`);
    const n = numberFromNumericCell(text, ctx.plan.countryCode);
    if (n === text) return good(n);
    return noted(n, { severity: 'notice', code: 'NUMERIC_PHONE', message: `${text} was a number cell, which drops a leading 0; read as ${n}` });
  }
}

/** Comma-separated phone numbers (also `;` or line breaks); a number cell is one number. */
export function toPhones(v: RawValue, ctx: CellContext): Cell<string[]> {
  if (v.kind === 'number') {
    const one = toPhone(v, ctx);
    return one.ok ? { ok: true, value: [one.value], note: one.note } : one;
  }
  if (v.kind === 'error') return errorCell(v);
  if (v.kind !== 'text') return bad('INVALID_CELL', `must be phone numbers separated by commas ${got(v)}`);
  const out: string[] = [];
  for (const part of v.text.split(/[,;\n]/)) {
    const p = part.trim();
    if (p === '') continue;
    const n = normalisePhone(p, ctx.plan);
    if (!n) return bad('INVALID_CELL', `holds "${p}", which is not a phone number`);
    out.push(n.digits);
  }
  return good(out);
}

// ---------------------------------------------------------------------------------------------
// enums

const enumKey = (s: string): string => s.replace(/[\s_-]+/g, '').toLowerCase();

/**
 * A reader for one enum column: values match ignoring case, spaces, underscores and hyphens
 * (`direct debit` is `DirectDebit`) and come back in their canonical spelling.
 */
export function enumReader<T extends string>(values: readonly T[]): (v: RawValue) => Cell<T> {
  const exact = new Map<string, T>(values.map((x) => [x, x]));
  const loose = new Map<string, T>(values.map((x) => [enumKey(x), x]));
  const what = `must be one of ${values.join(', ')}`;
  return (v) => {
    if (v.kind === 'error') return errorCell(v);
    const t = v.kind === 'text' ? v.text.trim() : rawText(v);
    const hit = exact.get(t) ?? loose.get(enumKey(t));
    return hit === undefined ? bad('INVALID_CELL', `${what} ${got(v)}`) : good(hit);
  };
}

export const toEnum = <T extends string>(v: RawValue, values: readonly T[]): Cell<T> => enumReader(values)(v);
