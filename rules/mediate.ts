// Mediation (SPEC §2 "CDR fields after mediation", step 1): a line's raw fields to a Cdr, or
// INVALID_RECORD naming the field. Runs once per line: char scans, no per-line closures.

import type { Cdr, CallDirection } from './cdr.js';
import type { FileFormat, RawCdr } from './cdr-format.js';
import { parseMicro } from './money.js';
import { normalisePhone, type NumberPlan } from './phone.js';

export interface MediationContext {
  file: string;
  plan: NumberPlan;
  /** Upper-cased. */
  billable: ReadonlySet<string>;
  format: FileFormat;
}

export interface Invalid {
  kind: 'invalid';
  detail: string;
  /** What could be read, for the exception row. */
  id: string;
  startMs: number | null;
  caller: string;
  called: string;
  duration: number | null;
}

/** Whole seconds >= 0; a fraction rounds up. null when not a number or negative. */
function parseDuration(s: string): number | null {
  const t = s.trim();
  if (t === '') return null;
  let whole = 0;
  let i = 0;
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
  }
  if (i === 0) return null;
  if (i === t.length) return whole;
  if (t.charCodeAt(i) !== 46) return null;
  let frac = false;
  for (let k = i + 1; k < t.length; k++) {
    const c = t.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return null;
    if (c > 0) frac = true;
  }
  return frac ? whole + 1 : whole;
}

function direction(s: string): CallDirection | null {
  const t = s.trim().toLowerCase();
  if (t === '' || t === 'out') return 'out';
  if (t === 'in') return 'in';
  return null;
}

function invalid(raw: Partial<RawCdr>, detail: string, startMs: number | null = null, duration: number | null = null): Invalid {
  return { kind: 'invalid', detail, id: raw.id ?? '', startMs, caller: (raw.caller ?? '').trim(), called: (raw.called ?? '').trim(), duration };
}

export function mediate(raw: RawCdr, line: number, ctx: MediationContext): Cdr | Invalid {
  const dir = direction(raw.direction);
  const duration = parseDuration(raw.duration);
  const start = raw.start.trim() === '' ? null : ctx.format.parseTime(raw.start);
  if (start === null) return invalid(raw, raw.start.trim() === '' ? 'start is missing' : `start "${raw.start.trim()}" is not a date-time`, null, duration);
  if (duration === null) {
    const t = raw.duration.trim();
    return invalid(raw, t === '' ? 'duration is missing' : t.startsWith('-') ? `duration ${t} is negative` : `duration "${t}" is not a number of seconds`, start.ms);
  }
  if (dir === null) return invalid(raw, `direction "${raw.direction.trim()}" is neither out nor in`, start.ms, duration);
  const caller = raw.caller.trim();
  const called = raw.called.trim();
  const callerN = caller === '' ? null : normalisePhone(caller, ctx.plan);
  const calledN = called === '' ? null : normalisePhone(called, ctx.plan);
  if (dir === 'out') {
    if (callerN === null) return invalid(raw, caller === '' ? 'caller is missing' : `caller "${caller}" is not a phone number`, start.ms, duration);
    if (calledN === null) return invalid(raw, called === '' ? 'called is missing' : `called "${called}" is not a phone number`, start.ms, duration);
  } else if (calledN === null) {
    return invalid(raw, called === '' ? 'called is missing' : `called "${called}" is not a phone number`, start.ms, duration);
  }
  let cost: number | null = null;
  if (raw.cost.trim() !== '') {
    const c = parseMicro(raw.cost);
    if (!c.ok) return invalid(raw, `cost "${raw.cost.trim()}" is ${c.error === 'not a number' ? 'not a number' : `invalid (${c.error})`}`, start.ms, duration);
    cost = c.value;
  }
  const answered = raw.disposition === null ? duration > 0 : ctx.billable.has(raw.disposition.toUpperCase());
  const cdr: Cdr = {
    kind: 'cdr',
    file: ctx.file,
    line,
    id: raw.id,
    startMs: start.ms,
    duration,
    answered,
    caller,
    called,
    callerN: callerN === null ? null : callerN.digits,
    calledN: calledN === null ? null : calledN.digits,
    calledShort: calledN !== null && calledN.shortCode,
    extension: raw.extension,
    direction: dir,
    cost,
  };
  if (start.note) cdr.notice = start.note === 'ambiguous' ? 'local time falls in the autumn clock change; read as its first occurrence' : 'local time falls in the spring clock-change gap; moved forward by the gap';
  return cdr;
}
