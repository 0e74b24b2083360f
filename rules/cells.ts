// One cell to one typed value, for each column type of the contract (SPEC §1). A converter says
// what is wrong in words a clerk understands; the caller adds the column name and the address.

import { rawText, type RawValue } from './raw.js';
import { dayFromSerial, dayFromYmd, isRealDate, parseDayText, type Day } from './day.js';
import { normalisePhone, numberFromNumericCell, type NumberPlan } from './phone.js';
import { WEEKDAYS } from './rows.js';

export interface CellNote {
  severity: 'warning' | 'notice';
  code: string;
  message: string;
}

export type Cell<T> = { ok: true; value: T; note?: CellNote } | { ok: false; message: string };

export interface CellContext {
  plan: NumberPlan;
  date1904: boolean;
}

const good = <T>(value: T, note?: CellNote): Cell<T> => (note ? { ok: true, value, note } : { ok: true, value });
const bad = (message: string): Cell<never> => ({ ok: false, message });
const got = (v: RawValue): string => `(got "${rawText(v)}")`;

export const isEmpty = (v: RawValue | undefined): boolean => !v || v.kind === 'empty' || (v.kind === 'text' && v.text.trim() === '');

/** Any cell as trimmed text; an error cell is an error wherever it is. */
export function toText(v: RawValue): Cell<string> {
  if (v.kind === 'error') return bad(`is an error cell (${v.text})`);
  return good(rawText(v).trim());
}

/**
 * A decimal written as text (or a number's shortest text) as an integer of value × 10^scale,
 * exactly: "1.15" at scale 6 is 1_150_000. Null when it is not a plain decimal or has more digits.
 */
export function parseScaled(text: string, scale: number): number | null | 'too-precise' {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) return null;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) return 'too-precise';
  const v = Number(m[2] || '0') * 10 ** scale + (frac === '' ? 0 : Number(frac.padEnd(scale, '0')));
  if (!Number.isSafeInteger(v)) return null;
  return m[1] === '-' ? -v : v;
}

/** Money typed as people type it: `1.50`, `£1.50`, `1,250.00`. */
function moneyText(text: string): string {
  return text.trim().replace(/^[£$€]\s*/, '').replace(/^([+-])[£$€]\s*/, '$1').replace(/,(?=\d{3}(\D|$))/g, '');
}

/** Micro-units, at most 6 decimals (SPEC §1). */
export function toAmount(v: RawValue): Cell<number> {
  if (v.kind === 'error') return bad(`is an error cell (${v.text})`);
  const text = v.kind === 'number' ? v.text : v.kind === 'text' ? moneyText(v.text) : null;
  if (text === null) return bad(`must be a number ${got(v)}`);
  const r = parseScaled(text, 6);
  if (r === 'too-precise') return bad(`has more than 6 decimals ${got(v)}`);
  if (r === null) return bad(`must be a number ${got(v)}`);
  return good(r);
}

/** Micro-percent: 20, "20%", or 0.2 in a percent-formatted cell all mean twenty percent. */
export function toPercent(v: RawValue, header: string): Cell<number> {
  if (v.kind === 'error') return bad(`is an error cell (${v.text})`);
  let r: number | null | 'too-precise';
  let plain = false;
  if (v.kind === 'number' && v.percent) r = parseScaled(v.text, 8);
  else if (v.kind === 'number') {
    r = parseScaled(v.text, 6);
    plain = true;
  } else if (v.kind === 'text') {
    const t = v.text.trim();
    if (t.endsWith('%')) r = parseScaled(t.slice(0, -1).trim(), 6);
    else {
      r = parseScaled(t, 6);
      plain = true;
    }
  } else return bad(`must be a percentage such as 20 or 20% ${got(v)}`);
  if (r === 'too-precise') return bad(`has too many decimals ${got(v)}`);
  if (r === null) return bad(`must be a percentage such as 20 or 20% ${got(v)}`);
  if (plain && r > 0 && r < 1_000_000) {
    return good(r, {
      severity: 'warning',
      code: 'PERCENT_BELOW_ONE',
      message: `${header} ${rawText(v)} means ${rawText(v)}%; if you meant ${formatPct(r * 100)}%, write ${formatPct(r * 100)} or ${formatPct(r * 100)}%`,
    });
  }
  return good(r);
}

const formatPct = (micro: number): string => String(micro / 1_000_000);

export function toInt(v: RawValue): Cell<number> {
  if (v.kind === 'error') return bad(`is an error cell (${v.text})`);
  const text = v.kind === 'number' ? v.text : v.kind === 'text' ? v.text.trim() : '';
  if (!/^[+-]?\d+$/.test(text)) return bad(`must be a whole number ${got(v)}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) return bad(`is too large ${got(v)}`);
  return good(n);
}

export function toBool(v: RawValue): Cell<boolean> {
  if (v.kind === 'bool') return good(v.value);
  if (v.kind === 'error') return bad(`is an error cell (${v.text})`);
  const t = rawText(v).trim().toLowerCase();
  if (t === 'yes' || t === 'y' || t === 'true' || t === '1') return good(true);
  if (t === 'no' || t === 'n' || t === 'false' || t === '0') return good(false);
  return bad(`must be Yes or No ${got(v)}`);
}

export function toDate(v: RawValue, ctx: CellContext): Cell<Day> {
  switch (v.kind) {
    case 'date':
      return isRealDate(v.y, v.m, v.d) ? good(dayFromYmd(v.y, v.m, v.d)) : bad(`must be a date YYYY-MM-DD ${got(v)}`);
    case 'number':
      // A plain number in a date column is an Excel serial date.
      if (v.value >= 1 && v.value < 2_958_466) return good(dayFromSerial(v.value, ctx.date1904));
      return bad(`must be a date YYYY-MM-DD ${got(v)}`);
    case 'text': {
      const t = v.text.trim();
      const d = parseDayText(t.length > 10 && /^\d{4}-\d\d-\d\d[ T]00:00(:00)?$/.test(t) ? t.slice(0, 10) : t);
      return d === null ? bad(`must be a date YYYY-MM-DD ${got(v)}`) : good(d);
    }
    case 'error':
      return bad(`is an error cell (${v.text})`);
    case 'bool':
    case 'empty':
      return bad(`must be a date YYYY-MM-DD ${got(v)}`);
  }
}

/** Minutes since midnight; `24:00` is 1440 (the end of the day). */
export function toTime(v: RawValue): Cell<number> {
  switch (v.kind) {
    case 'date':
      return good(v.hh * 60 + v.mi);
    case 'number': {
      // A time cell holds a fraction of a day.
      if (v.value >= 0 && v.value <= 1) return good(Math.round(v.value * 1440));
      return bad(`must be a time HH:MM ${got(v)}`);
    }
    case 'text': {
      const m = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(v.text.trim());
      if (!m) return bad(`must be a time HH:MM ${got(v)}`);
      const h = Number(m[1]);
      const mi = Number(m[2]);
      if (mi > 59 || h > 24 || (h === 24 && mi !== 0)) return bad(`must be a time HH:MM ${got(v)}`);
      return good(h * 60 + mi);
    }
    case 'error':
      return bad(`is an error cell (${v.text})`);
    case 'bool':
    case 'empty':
      return bad(`must be a time HH:MM ${got(v)}`);
  }
}

const DAY_INDEX = new Map<string, number>(WEEKDAYS.map((d, i) => [d.toLowerCase(), i]));
const dayIndex = (word: string): number | undefined => DAY_INDEX.get(word.trim().slice(0, 3).toLowerCase());

/** `Mon-Fri`, `Sat,Sun`, `Mon-Sun`, `Hol`, `Mon-Fri,Hol`. */
export function toDays(v: RawValue): Cell<{ days: number[]; holiday: boolean }> {
  const t = v.kind === 'text' ? v.text.trim() : '';
  if (t === '') return bad(`must be days such as Mon-Fri, Sat,Sun or Hol ${got(v)}`);
  const days = new Set<number>();
  let holiday = false;
  for (const part of t.split(/[,;]/)) {
    const p = part.trim();
    if (p === '') continue;
    if (/^hol(iday)?s?$/i.test(p)) {
      holiday = true;
      continue;
    }
    const range = p.split(/\s*[-–]\s*/);
    const a = dayIndex(range[0]);
    const b = range.length === 2 ? dayIndex(range[1]) : a;
    if (a === undefined || b === undefined || range.length > 2) return bad(`must be days such as Mon-Fri, Sat,Sun or Hol ${got(v)}`);
    for (let i = a; ; i = (i + 1) % 7) {
      days.add(i);
      if (i === b) break;
    }
  }
  if (days.size === 0 && !holiday) return bad(`must be days such as Mon-Fri, Sat,Sun or Hol ${got(v)}`);
  return good({ days: [...days].sort(), holiday });
}

export function toDigits(v: RawValue): Cell<string> {
  if (v.kind === 'error') return bad(`is an error cell (${v.text})`);
  const t = rawText(v).trim();
  if (!/^\d+$/.test(t)) return bad(`must be digits only ${got(v)}`);
  return good(t);
}

/** A phone number to N(); a numeric cell gets back the leading 0 it lost as CountryCode (SPEC §1). */
export function toPhone(v: RawValue, ctx: CellContext, header: string): Cell<string> {
  if (v.kind === 'number') {
    if (!/^\d+$/.test(v.text)) return bad(`is not a phone number ${got(v)}`);
    const n = numberFromNumericCell(v.text, ctx.plan.countryCode);
    return good(n, n === v.text ? undefined : { severity: 'notice', code: 'NUMERIC_PHONE', message: `${header} ${v.text} was a number cell; read as ${n}` });
  }
  if (v.kind === 'error') return bad(`is an error cell (${v.text})`);
  const n = normalisePhone(rawText(v).trim(), ctx.plan);
  if (!n) return bad(`is not a phone number ${got(v)}`);
  return good(n.digits);
}

export function toPhones(v: RawValue, ctx: CellContext, header: string): Cell<string[]> {
  if (v.kind === 'number') {
    const one = toPhone(v, ctx, header);
    return one.ok ? good([one.value], one.note) : one;
  }
  if (v.kind === 'error') return bad(`is an error cell (${v.text})`);
  const out: string[] = [];
  for (const part of rawText(v).split(/[,;]/)) {
    if (part.trim() === '') continue;
    const n = normalisePhone(part.trim(), ctx.plan);
    if (!n) return bad(`holds "${part.trim()}", which is not a phone number`);
    out.push(n.digits);
  }
  return good(out);
}

export function toEnum<T extends string>(v: RawValue, values: readonly T[]): Cell<T> {
  const t = rawText(v).trim().toLowerCase().replace(/[\s_-]+/g, '');
  const hit = values.find((x) => x.toLowerCase().replace(/[\s_-]+/g, '') === t);
  return hit === undefined ? bad(`must be one of ${values.join(', ')} ${got(v)}`) : good(hit);
}
