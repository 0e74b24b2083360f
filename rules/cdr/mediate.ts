// Mediation (SPEC §2 "CDR fields after mediation", step 1): one line's fields to a Cdr, or
// INVALID_RECORD with a detail that names the field. Runs once per line at hundreds of thousands
// of lines a second: char scans, no regular expressions, no Intl (zone.ts caches offsets), no
// closures made per line.

import type { Cdr, CallDirection } from './cdr.js';
import type { FileFormat, RawCdr } from './cdr-format.js';
import { MAX_LINE_CHARS } from './csv-split.js';
import { parseMicro } from '../money.js';
import { normalisePhone, type NumberPlan } from '../phone.js';
import type { Settings } from '../workbook/rows.js';

/** What mediation needs besides the line: built once per file. */
export interface MediationContext {
  /** The file's name as exception rows show it. */
  file: string;
  plan: NumberPlan;
  /** BillableDispositions, upper-cased (Settings holds them so). */
  billable: ReadonlySet<string>;
  format: FileFormat;
}

export const mediationContext = (file: string, settings: Settings, format: FileFormat): MediationContext => ({
  file,
  plan: { countryCode: settings.countryCode, nationalPrefix: settings.nationalPrefix, internationalPrefix: settings.internationalPrefix, shortCodeDigits: settings.shortCodeDigits },
  billable: new Set(settings.billableDispositions.map((d) => d.trim().toUpperCase())),
  format,
});

/** An INVALID_RECORD: the detail, and what could be read, for the exception row. */
export interface Invalid {
  kind: 'invalid';
  detail: string;
  id: string;
  startMs: number | null;
  /** As given, trimmed. */
  caller: string;
  called: string;
  duration: number | null;
}

/** The detail for a line whose quote is never closed (the same words the rate run writes). */
export const UNTERMINATED_QUOTE = 'a quote is not closed on this line';

/** The detail for a line the reader gave up on for its length (csv-split.ts TOO_LONG). */
export const LINE_TOO_LONG = `the line is over ${MAX_LINE_CHARS.toLocaleString('en-GB')} characters long, which no CDR is: is the file missing its line ends?`;

const DURATION_NOT_NUMBER = -1;
/** parseDurationAt's code for a duration below zero. */
export const DURATION_NEGATIVE = -2;
export const DURATION_TOO_LARGE = -3;
/** About 31 years: a duration beyond this is a corrupt field, not a call. */
const MAX_DURATION = 1_000_000_000;

/** Whole seconds >= 0, a fraction rounds up; or one of the negative codes above. `t` is trimmed. */
const parseDuration = (t: string): number => parseDurationAt(t, 0, t.length);

/** parseDuration of t[i, n) (trimmed): the rating fast lane reads the field in place. */
export function parseDurationAt(t: string, i: number, n: number): number {
  const neg = n > i && t.charCodeAt(i) === 45;
  if (neg || (n > i && t.charCodeAt(i) === 43)) i++;
  let whole = 0;
  const from = i;
  for (; i < n; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
  }
  let digits = i - from;
  let frac = false;
  if (i < n) {
    if (t.charCodeAt(i) !== 46) return DURATION_NOT_NUMBER;
    for (let k = i + 1; k < n; k++) {
      const c = t.charCodeAt(k) - 48;
      if (c < 0 || c > 9) return DURATION_NOT_NUMBER;
      if (c > 0) frac = true;
      digits++;
    }
  }
  if (digits === 0) return DURATION_NOT_NUMBER;
  if (neg && (whole > 0 || frac)) return DURATION_NEGATIVE;
  const v = frac ? whole + 1 : whole;
  return v > MAX_DURATION ? DURATION_TOO_LARGE : v;
}

/** The detail for a duration field (trimmed) that parseDuration gave a negative code. */
export function badDuration(durText: string, code: number): string {
  const why = code === DURATION_NEGATIVE ? 'is negative' : code === DURATION_TOO_LARGE ? 'is too large' : 'is not a number of seconds';
  return `duration "${durText}" ${why}`;
}

/** `out` / `in` in any case; blank is out; null for anything else. `t` is trimmed. */
const parseDirection = (t: string): CallDirection | null => parseDirectionAt(t, 0, t.length);

/** parseDirection of t[i, end) (trimmed). */
export function parseDirectionAt(t: string, i: number, end: number): CallDirection | null {
  const n = end - i;
  if (n === 0) return 'out';
  if (n === 3) {
    const a = t.charCodeAt(i) | 32;
    const b = t.charCodeAt(i + 1) | 32;
    const c = t.charCodeAt(i + 2) | 32;
    if (a === 111 && b === 117 && c === 116) return 'out';
  } else if (n === 2) {
    const a = t.charCodeAt(i) | 32;
    const b = t.charCodeAt(i + 1) | 32;
    if (a === 105 && b === 110) return 'in';
  }
  return null;
}

/** Trimmed without allocating when there is nothing to trim (the usual case). */
function trimmed(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  return s.charCodeAt(0) <= 32 || s.charCodeAt(n - 1) <= 32 ? s.trim() : s;
}

function invalid(raw: Partial<RawCdr> | null, detail: string, startMs: number | null = null, duration: number | null = null): Invalid {
  return {
    kind: 'invalid',
    detail,
    id: raw?.id ?? '',
    startMs,
    caller: trimmed(raw?.caller ?? ''),
    called: trimmed(raw?.called ?? ''),
    duration,
  };
}

const ZONE_NOTE_ISO = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function zoneNotice(note: 'ambiguous' | 'gap', start: string, zone: string, ms: number): string {
  return note === 'ambiguous'
    ? `start "${start}" happens twice in ${zone} (clocks go back); read as the first, ${ZONE_NOTE_ISO(ms)}`
    : `start "${start}" does not exist in ${zone} (clocks go forward); moved forward by the gap, to ${ZONE_NOTE_ISO(ms)}`;
}

/**
 * One line to a Cdr or an INVALID_RECORD (SPEC §2 step 1). Give it the line's fields as split
 * (null for a malformed line: an unterminated quote), or the RawCdr a format extracted already.
 * `line` is the line's number in the file as an editor shows it; the file comes from ctx.
 *
 * Checks in this order, the first failure is the detail: the line (quote, columns, Transforms),
 * start, duration, direction, the owner side (caller out / called in), called, cost.
 */
export function mediate(fields: string[] | null, line: number, ctx: MediationContext): Cdr | Invalid;
export function mediate(raw: RawCdr, line: number, ctx: MediationContext): Cdr | Invalid;
export function mediate(input: string[] | RawCdr | null, line: number, ctx: MediationContext): Cdr | Invalid {
  let raw: RawCdr;
  if (input === null) return invalid(null, UNTERMINATED_QUOTE);
  if (Array.isArray(input)) {
    const ex = ctx.format.extract(input);
    if (ex.kind === 'bad') return invalid(ex.raw, ex.detail);
    raw = ex.raw;
  } else raw = input;

  const startText = trimmed(raw.start);
  const durText = trimmed(raw.duration);
  const duration = durText === '' ? DURATION_NOT_NUMBER : parseDuration(durText);
  const start = startText === '' ? null : ctx.format.parseTime(startText);
  if (start === null) {
    // The exception row still shows the duration when it could be read.
    return invalid(raw, startText === '' ? 'start is missing' : `start "${startText}" is not a date-time`, null, duration >= 0 ? duration : null);
  }
  const startMs = start.ms;

  if (durText === '') return invalid(raw, 'duration is missing', startMs);
  if (duration < 0) return invalid(raw, badDuration(durText, duration), startMs);

  const dirText = trimmed(raw.direction);
  const direction = parseDirection(dirText);
  if (direction === null) return invalid(raw, `direction "${dirText}" is neither out nor in`, startMs, duration);

  const caller = trimmed(raw.caller);
  const called = trimmed(raw.called);
  const callerN = caller === '' ? null : normalisePhone(caller, ctx.plan);
  // An inbound caller may be blank or withheld: kept as given, N() when it is a number.
  if (direction === 'out' && callerN === null) return invalid(raw, caller === '' ? 'caller is missing' : `caller "${caller}" is not a phone number`, startMs, duration);
  const calledN = called === '' ? null : normalisePhone(called, ctx.plan);
  if (calledN === null) return invalid(raw, called === '' ? 'called is missing' : `called "${called}" is not a phone number`, startMs, duration);

  let cost: number | null = null;
  const costText = trimmed(raw.cost);
  if (costText !== '') {
    const c = parseMicro(costText);
    if (!c.ok) return invalid(raw, c.error === 'not a number' ? `cost "${costText}" is not a number` : `cost "${costText}" is invalid (${c.error})`, startMs, duration);
    cost = c.value;
  }

  const disposition = raw.disposition;
  // Formats with a disposition: BillableDispositions decides; elsewhere a call with seconds was answered.
  const answered = disposition === null ? duration > 0 : ctx.billable.has(disposition) || ctx.billable.has(disposition.toUpperCase());

  const cdr: Cdr = {
    kind: 'cdr',
    file: ctx.file,
    line,
    id: trimmed(raw.id),
    startMs,
    duration,
    answered,
    caller,
    called,
    callerN: callerN === null ? null : callerN.digits,
    calledN: calledN.digits,
    calledShort: calledN.shortCode,
    extension: trimmed(raw.extension),
    direction,
    cost,
  };
  if (start.note !== null) cdr.notice = zoneNotice(start.note, startText, ctx.format.zone, startMs);
  return cdr;
}
