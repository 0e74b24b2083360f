// CDR formats (SPEC §5): the built-in generic, asterisk and freeswitch layouts and those the
// CdrFormats tab defines; detection from a file's first lines; and, once per file, a compiled
// extractor that turns a line's fields into the raw CDR fields mediation reads.
//
// Everything that can be decided once per file is decided in compileFormat: column positions
// (from the header, matched like tab headers), the time reader (ISO, epoch, epochms or a pattern,
// compiled to a token list), the zone, the Transforms. extract() then runs once per line: array
// reads, no regular expressions, no closures made per line.

import { headerKey } from '../workbook/columns.js';
import type { Instant } from './cdr-time.js';
import { compileExpression, identifierFor, type CompiledExpr } from '../workbook/expr.js';
import { err, ok, type Result } from '../result.js';
import type { CdrFormatRow } from '../workbook/rows.js';
import { isValidZone, localNote, localToUtc, localToUtcMs, type LocalNote } from '../zone.js';

export type { Instant } from './cdr-time.js';

export const BUILT_IN_FORMATS = ['generic', 'asterisk', 'freeswitch'] as const;

/** The fields of one line before mediation gives them meaning (untrimmed, as the file has them). */
export interface RawCdr {
  id: string;
  start: string;
  duration: string;
  caller: string;
  called: string;
  extension: string;
  direction: string;
  cost: string;
  /** null where the format carries none (then a call is answered when its duration is above 0). */
  disposition: string | null;
}

/** A line's raw fields, or why the line cannot be read at all (with what could be read, for the exception row). */
export type Extracted = { kind: 'raw'; raw: RawCdr } | { kind: 'bad'; detail: string; raw: Partial<RawCdr> };

/** One file's format, compiled: what mediation needs per line. */
export interface FileFormat {
  name: string;
  /** The file's first record is a header, not a call. */
  header: boolean;
  /** IANA zone of times written without an offset. */
  zone: string;
  /** The format has a disposition column (then BillableDispositions decides `answered`). */
  carriesDisposition: boolean;
  /** A start text as an instant; null when it is not a date-time. */
  parseTime(text: string): Instant | null;
  extract(fields: string[]): Extracted;
  /** Set when every field is a plain CSV column and start is ISO 8601 in `zone` (the generic format): the rating fast lane reads such lines itself. */
  readonly plain?: PlainColumns;
}

/** Column index of each field (-1 when absent) and the header's width. */
export interface PlainColumns {
  id: number;
  start: number;
  duration: number;
  caller: number;
  called: number;
  extension: number;
  direction: number;
  cost: number;
  width: number;
}

/* ------------------------------------------------------------------------------------------ */
/* Time readers                                                                                */
/* ------------------------------------------------------------------------------------------ */

// Pattern tokens; each reads digits into one slot.
const T_LITERAL = 0;
const T_YEAR4 = 1;
const T_YEAR2 = 2;
const T_MONTH = 3;
const T_DAY = 4;
const T_HOUR = 5;
const T_MINUTE = 6;
const T_SECOND = 7;
const T_FRACTION = 8;

/** Pattern letters, longest first: [text, kind, min digits, max digits]. */
const PATTERN_TOKENS: readonly [string, number, number, number][] = [
  ['yyyy', T_YEAR4, 4, 4],
  ['yy', T_YEAR2, 2, 2],
  ['MM', T_MONTH, 2, 2],
  ['M', T_MONTH, 1, 2],
  ['dd', T_DAY, 2, 2],
  ['d', T_DAY, 1, 2],
  ['HH', T_HOUR, 2, 2],
  ['H', T_HOUR, 1, 2],
  ['mm', T_MINUTE, 2, 2],
  ['ss', T_SECOND, 2, 2],
  ['SSS', T_FRACTION, 1, 9],
];

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Reads the start times of one format: `iso` (SPEC §2: `T` or a space, with or without an offset,
 * fractional seconds dropped), `epoch` / `epochms` (fractions of a second dropped), or a pattern
 * such as `dd/MM/yyyy HH:mm:ss` (yyyy yy MM M dd d HH H mm ss SSS; other characters are literal, as
 * are a bare `T` and text in single quotes; `yy` is 20yy). A time with no offset is local to `zone`.
 */
export class TimeReader {
  private readonly mode: 'iso' | 'epoch' | 'epochms' | 'pattern';
  /** For patterns: kind, min digits, max digits, literal char code — four numbers per token. */
  private readonly tokens: Int32Array;

  private constructor(mode: 'iso' | 'epoch' | 'epochms' | 'pattern', readonly zone: string, tokens: number[], readonly source: string) {
    this.mode = mode;
    this.tokens = Int32Array.from(tokens);
  }

  static compile(timeFormat: string, zone: string): Result<TimeReader, string> {
    const f = timeFormat.trim();
    const lower = f.toLowerCase();
    if (f === '' || lower === 'iso') return ok(new TimeReader('iso', zone, [], 'iso'));
    if (lower === 'epoch' || lower === 'epochms') return ok(new TimeReader(lower, zone, [], lower));
    const tokens: number[] = [];
    const seen = new Set<number>();
    let i = 0;
    while (i < f.length) {
      const c = f.charCodeAt(i);
      if (c === 39 /* ' */) {
        // 'literal text'; '' is one quote
        if (f.charCodeAt(i + 1) === 39) {
          tokens.push(T_LITERAL, 0, 0, 39);
          i += 2;
          continue;
        }
        const close = f.indexOf("'", i + 1);
        if (close < 0) return err(`TimeFormat "${f}" has a quote that is not closed`);
        for (let k = i + 1; k < close; k++) tokens.push(T_LITERAL, 0, 0, f.charCodeAt(k));
        i = close + 1;
        continue;
      }
      const tok = PATTERN_TOKENS.find(([t]) => f.startsWith(t, i));
      if (tok) {
        tokens.push(tok[1], tok[2], tok[3], 0);
        seen.add(tok[1] === T_YEAR2 ? T_YEAR4 : tok[1]);
        i += tok[0].length;
        continue;
      }
      if (isLetter(c) && c !== 84 /* T */) {
        return err(`TimeFormat "${f}": "${f[i]}" is not a date or time letter (use yyyy yy MM M dd d HH H mm ss SSS; put literal text in single quotes)`);
      }
      tokens.push(T_LITERAL, 0, 0, c);
      i++;
    }
    const lacking = [
      [T_YEAR4, 'year (yyyy)'],
      [T_MONTH, 'month (MM)'],
      [T_DAY, 'day (dd)'],
      [T_HOUR, 'hour (HH)'],
      [T_MINUTE, 'minute (mm)'],
    ]
      .filter(([k]) => !seen.has(k as number))
      .map(([, what]) => what);
    if (lacking.length > 0) return err(`TimeFormat "${f}" has no ${lacking.join(', ')}`);
    return ok(new TimeReader('pattern', zone, tokens, f));
  }

  parse(text: string): Instant | null {
    switch (this.mode) {
      case 'iso':
        return parseIso(text, this.zone);
      case 'epoch':
        return parseEpoch(text, 1000);
      case 'epochms':
        return parseEpoch(text, 1);
      default:
        return this.parsePattern(text);
    }
  }

  private parsePattern(text: string): Instant | null {
    let from = 0;
    let to = text.length;
    while (from < to && text.charCodeAt(from) <= 32) from++;
    while (to > from && text.charCodeAt(to - 1) <= 32) to--;
    const tk = this.tokens;
    let y = 0;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let se = 0;
    let p = from;
    for (let k = 0; k < tk.length; k += 4) {
      const kind = tk[k];
      if (kind === T_LITERAL) {
        if (p >= to || text.charCodeAt(p) !== tk[k + 3]) return null;
        p++;
        continue;
      }
      const max = tk[k + 2];
      let v = 0;
      let n = 0;
      while (n < max && p < to) {
        const c = text.charCodeAt(p) - 48;
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
        n++;
        p++;
      }
      if (n < tk[k + 1]) return null;
      switch (kind) {
        case T_YEAR4: y = v; break;
        case T_YEAR2: y = 2000 + v; break;
        case T_MONTH: mo = v; break;
        case T_DAY: d = v; break;
        case T_HOUR: h = v; break;
        case T_MINUTE: mi = v; break;
        case T_SECOND: se = v; break;
        default: break; // fraction: dropped
      }
    }
    if (p !== to) return null;
    const naive = naiveMs(y, mo, d, h, mi, se);
    if (naive !== naive) return null;
    const r = localToUtc(this.zone, naive);
    return { ms: r.utcMs, note: r.note };
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): no Date object. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function daysIn(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** A wall-clock time as ms whose UTC fields are those fields; NaN when it names no real time. */
function naiveMs(y: number, mo: number, d: number, h: number, mi: number, se: number): number {
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || se > 59) return NaN;
  return daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + se * 1000;
}

/** `n` digits at `i` as a number, -1 when any is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * ISO 8601 as CDRs write it (SPEC §2): `2026-10-03 14:05`, `2026-10-03T14:05:09`, a fraction of a
 * second after `.` or `,` (dropped), then nothing (local to `zone`), `Z`, or an offset `±HH`,
 * `±HHMM`, `±HH:MM`. By char codes and arithmetic: no regular expression, no Date, no Intl (a
 * naive time goes through zone.ts's cached offsets). The grammar of cdr-time.ts's parseIsoTime.
 */
export function parseIso(text: string, zone: string): Instant | null {
  let i = 0;
  let end = text.length;
  while (i < end && text.charCodeAt(i) <= 32) i++;
  while (end > i && text.charCodeAt(end - 1) <= 32) end--;
  const ms = isoMsAt(text, i, end, zone);
  return ms === ms ? { ms, note: isoNote } : null;
}

let isoNote: LocalNote = null;

/**
 * parseIso of text[i, end) (already trimmed) without an object: the instant's ms, NaN when it is
 * not a date-time; the zone note of a naive time is left in lastIsoNote().
 */
export function isoMsAt(text: string, i: number, end: number, zone: string): number {
  isoNote = null;
  if (end - i < 16) return NaN;
  const y = digits(text, i, 4);
  const mo = digits(text, i + 5, 2);
  const d = digits(text, i + 8, 2);
  const h = digits(text, i + 11, 2);
  const mi = digits(text, i + 14, 2);
  const sep = text.charCodeAt(i + 10);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return NaN;
  if (text.charCodeAt(i + 4) !== 45 || text.charCodeAt(i + 7) !== 45 || text.charCodeAt(i + 13) !== 58) return NaN;
  if (sep !== 84 && sep !== 32 && sep !== 116) return NaN;
  let p = i + 16;
  let se = 0;
  if (p < end && text.charCodeAt(p) === 58) {
    se = digits(text, p + 1, 2);
    if (se < 0 || p + 3 > end) return NaN;
    p += 3;
    const dot = text.charCodeAt(p);
    if (p < end && (dot === 46 || dot === 44)) {
      p++;
      while (p < end) {
        const c = text.charCodeAt(p) - 48;
        if (!(c >= 0 && c <= 9)) break;
        p++;
      }
    }
  }
  const naive = naiveMs(y, mo, d, h, mi, se);
  if (naive !== naive) return NaN;
  if (p === end) {
    const utc = localToUtcMs(zone, naive);
    isoNote = localNote();
    return utc;
  }
  const c = text.charCodeAt(p);
  if (c === 90 || c === 122) return p + 1 === end ? naive : NaN;
  if (c !== 43 && c !== 45) return NaN;
  const oh = digits(text, p + 1, 2);
  let om = 0;
  if (p + 3 === end) om = 0;
  else if (p + 5 === end) om = digits(text, p + 3, 2);
  else if (p + 6 === end && text.charCodeAt(p + 3) === 58) om = digits(text, p + 4, 2);
  else return NaN;
  if (oh < 0 || om < 0 || oh > 23 || om > 59) return NaN;
  const off = (oh * 60 + om) * 60_000;
  return c === 43 ? naive - off : naive + off;
}

/** The zone note of the last isoMsAt(): set for a naive time at a clock change. */
export const lastIsoNote = (): LocalNote => isoNote;

/** Seconds (scale 1000) or milliseconds (scale 1) since 1970 UTC, digits with an optional fraction; whole seconds kept. */
function parseEpoch(text: string, scale: number): Instant | null {
  let from = 0;
  let to = text.length;
  while (from < to && text.charCodeAt(from) <= 32) from++;
  while (to > from && text.charCodeAt(to - 1) <= 32) to--;
  let v = 0;
  let p = from;
  for (; p < to; p++) {
    const c = text.charCodeAt(p) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  if (p === from || p - from > 16) return null;
  if (p < to) {
    if (text.charCodeAt(p) !== 46 || p + 1 === to) return null;
    for (let k = p + 1; k < to; k++) {
      const c = text.charCodeAt(k) - 48;
      if (c < 0 || c > 9) return null;
    }
  }
  const ms = v * scale;
  return { ms: ms - (ms % 1000), note: null };
}

/* ------------------------------------------------------------------------------------------ */
/* Built-in formats                                                                            */
/* ------------------------------------------------------------------------------------------ */

const GENERIC_FIELDS = ['id', 'start', 'duration', 'caller', 'called', 'extension', 'direction', 'cost'] as const;
/** A header holding these is the generic format's (SPEC §5 detection, first in order). */
const GENERIC_REQUIRED = ['start', 'duration', 'caller', 'called'] as const;

const at = (f: string[], i: number): string => (i >= 0 && i < f.length ? f[i] : '');
const plural = (n: number): string => `${n} column${n === 1 ? '' : 's'}`;

/** Trimmed without allocating when there is nothing to trim (the usual case). */
function trimmed(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  return s.charCodeAt(0) <= 32 || s.charCodeAt(n - 1) <= 32 ? s.trim() : s;
}

class GenericFormat implements FileFormat {
  readonly name = 'generic';
  readonly header = true;
  readonly carriesDisposition = false;
  private readonly id: number;
  private readonly start: number;
  private readonly duration: number;
  private readonly caller: number;
  private readonly called: number;
  private readonly extension: number;
  private readonly direction: number;
  private readonly cost: number;
  readonly plain: PlainColumns;

  constructor(private readonly reader: TimeReader, idx: Record<(typeof GENERIC_FIELDS)[number], number>, private readonly width: number) {
    this.plain = { ...idx, width };
    this.id = idx.id;
    this.start = idx.start;
    this.duration = idx.duration;
    this.caller = idx.caller;
    this.called = idx.called;
    this.extension = idx.extension;
    this.direction = idx.direction;
    this.cost = idx.cost;
  }

  get zone(): string {
    return this.reader.zone;
  }

  parseTime(text: string): Instant | null {
    return this.reader.parse(text);
  }

  extract(f: string[]): Extracted {
    const raw: RawCdr = {
      id: trimmed(at(f, this.id)),
      start: at(f, this.start),
      duration: at(f, this.duration),
      caller: at(f, this.caller),
      called: at(f, this.called),
      extension: trimmed(at(f, this.extension)),
      direction: at(f, this.direction),
      cost: at(f, this.cost),
      disposition: null,
    };
    if (f.length < this.width) return { kind: 'bad', detail: `line has ${plural(f.length)}, the header has ${this.width}`, raw };
    return { kind: 'raw', raw };
  }
}

function genericFormat(header: string[], zone: string): Result<FileFormat, string> {
  const keys = header.map(headerKey);
  const idx = {} as Record<(typeof GENERIC_FIELDS)[number], number>;
  for (const k of GENERIC_FIELDS) idx[k] = keys.indexOf(k);
  const missing = GENERIC_REQUIRED.filter((k) => idx[k] < 0);
  if (missing.length) return err(`the generic header lacks ${missing.join(', ')} (it has ${header.join(', ')})`);
  const reader = TimeReader.compile('iso', zone);
  if (!reader.ok) return err(reader.error);
  return ok(new GenericFormat(reader.value, idx, header.length));
}

/** `1231977075.0`: Asterisk's uniqueid (epoch seconds, a dot, a counter). */
export function looksLikeUniqueId(s: string): boolean {
  const t = trimmed(s);
  const dot = t.indexOf('.');
  if (dot <= 0 || dot === t.length - 1) return false;
  for (let i = 0; i < t.length; i++) {
    if (i === dot) continue;
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Asterisk's optional trailing columns by count (SPEC §5): 16 none; 17 uniqueid when it looks like
 * `digits.digits`, else userfield; 18 uniqueid, userfield; 21 also peeraccount, linkedid, sequence.
 * null for a count Master.csv never has.
 */
export function asteriskExtras(f: string[]): { uniqueid: string; userfield: string; sequence: string } | null {
  switch (f.length) {
    case 16:
      return { uniqueid: '', userfield: '', sequence: '' };
    case 17:
      return looksLikeUniqueId(f[16]) ? { uniqueid: trimmed(f[16]), userfield: '', sequence: '' } : { uniqueid: '', userfield: f[16], sequence: '' };
    case 18:
      return { uniqueid: trimmed(f[16]), userfield: f[17], sequence: '' };
    case 21:
      return { uniqueid: trimmed(f[16]), userfield: f[17], sequence: trimmed(f[20]) };
    default:
      return null;
  }
}

/** Asterisk's id: uniqueid#sequence, only when the line carries sequence (legs of one call share a uniqueid). */
function asteriskId(f: string[]): string {
  if (f.length !== 21) return '';
  const u = trimmed(f[16]);
  const s = trimmed(f[20]);
  return u !== '' && s !== '' ? `${u}#${s}` : '';
}

class AsteriskFormat implements FileFormat {
  readonly name = 'asterisk';
  readonly header = false;
  readonly carriesDisposition = true;

  constructor(private readonly reader: TimeReader) {}

  get zone(): string {
    return this.reader.zone;
  }

  parseTime(text: string): Instant | null {
    return this.reader.parse(text);
  }

  extract(f: string[]): Extracted {
    // accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer,
    // end, duration, billsec, disposition, amaflags[, uniqueid, userfield[, peeraccount, linkedid, sequence]]
    const n = f.length;
    const answer = at(f, 10);
    const raw: RawCdr = {
      id: asteriskId(f),
      start: trimmed(answer) !== '' ? answer : at(f, 9),
      // billsec: the answered seconds (it may exceed duration in real files; billsec is what is billed)
      duration: at(f, 13),
      caller: at(f, 1),
      called: at(f, 2),
      extension: '',
      direction: '',
      cost: '',
      disposition: trimmed(at(f, 14)),
    };
    if (n < 16 || n > 21 || n === 19 || n === 20) return { kind: 'bad', detail: `line has ${plural(n)}; asterisk needs 16, 17, 18 or 21`, raw };
    return { kind: 'raw', raw };
  }
}

class FreeswitchFormat implements FileFormat {
  readonly name = 'freeswitch';
  readonly header = false;
  readonly carriesDisposition = false;

  constructor(private readonly reader: TimeReader) {}

  get zone(): string {
    return this.reader.zone;
  }

  parseTime(text: string): Instant | null {
    return this.reader.parse(text);
  }

  extract(f: string[]): Extracted {
    // caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp,
    // end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid, accountcode, read_codec, write_codec
    const answer = at(f, 5);
    const raw: RawCdr = {
      id: trimmed(at(f, 10)),
      start: trimmed(answer) !== '' ? answer : at(f, 4),
      duration: at(f, 8),
      caller: at(f, 1),
      called: at(f, 2),
      extension: '',
      direction: '',
      cost: '',
      disposition: null,
    };
    // Extra trailing fields (a template with more) are ignored; fewer cannot be read.
    if (f.length < 15) return { kind: 'bad', detail: `line has ${plural(f.length)}; freeswitch needs 15`, raw };
    return { kind: 'raw', raw };
  }
}

/* ------------------------------------------------------------------------------------------ */
/* CdrFormats formats                                                                          */
/* ------------------------------------------------------------------------------------------ */

/** The fields a CdrFormats row may map (besides `timezone`), in RawCdr order. */
export const FORMAT_FIELDS = ['id', 'start', 'duration', 'caller', 'called', 'extension', 'direction', 'cost', 'disposition'] as const;
type FormatField = (typeof FORMAT_FIELDS)[number];
const F_ID = 0;
const F_START = 1;
const F_DURATION = 2;
const F_CALLER = 3;
const F_CALLED = 4;
const F_EXTENSION = 5;
const F_DIRECTION = 6;
const F_COST = 7;
const F_DISPOSITION = 8;
const CUSTOM_REQUIRED: readonly FormatField[] = ['start', 'duration', 'caller', 'called'];

const isIndex = (column: string): boolean => {
  const t = column.trim();
  if (t === '') return false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/** The rows of each CdrFormats format, by name, in sheet order. */
function customFormats(rows: readonly CdrFormatRow[]): Map<string, CdrFormatRow[]> {
  const m = new Map<string, CdrFormatRow[]>();
  for (const r of rows) {
    const name = r.format.trim();
    let list = m.get(name);
    if (!list) m.set(name, (list = []));
    list.push(r);
  }
  return m;
}

const fieldOf = (r: CdrFormatRow): string => r.field.trim().toLowerCase();

/** A format that names any column reads its columns from the file's header row. */
const namedColumns = (rows: readonly CdrFormatRow[]): CdrFormatRow[] => rows.filter((r) => fieldOf(r) !== 'timezone' && !isIndex(r.column));

/** Numbers as a Transform gives them back: shortest text, 15 significant digits at most (so 0.1*3 is 0.3). */
function transformText(v: unknown): string | null {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

class CustomFormat implements FileFormat {
  /** Column index per field (FORMAT_FIELDS order); -1 when the format has no row for it. */
  private readonly index: Int32Array;
  private readonly transforms: (CompiledExpr | null)[];
  private readonly anyTransform: boolean;
  /** The columns the Transforms mention: their variable names and indexes. */
  private readonly scopeNames: string[];
  private readonly scopeIndex: number[];
  /** One scope object, refilled per line (evaluation is synchronous). */
  private readonly scope: Record<string, unknown> = {};
  readonly carriesDisposition: boolean;

  constructor(
    readonly name: string,
    readonly header: boolean,
    private readonly reader: TimeReader,
    index: number[],
    transforms: (CompiledExpr | null)[],
    scopeNames: string[],
    scopeIndex: number[],
    private readonly width: number,
  ) {
    this.index = Int32Array.from(index);
    this.transforms = transforms;
    this.anyTransform = transforms.some((t) => t !== null);
    this.scopeNames = scopeNames;
    this.scopeIndex = scopeIndex;
    this.carriesDisposition = index[F_DISPOSITION] >= 0;
  }

  get zone(): string {
    return this.reader.zone;
  }

  parseTime(text: string): Instant | null {
    return this.reader.parse(text);
  }

  extract(f: string[]): Extracted {
    const ix = this.index;
    const raw: RawCdr = {
      id: at(f, ix[F_ID]),
      start: at(f, ix[F_START]),
      duration: at(f, ix[F_DURATION]),
      caller: at(f, ix[F_CALLER]),
      called: at(f, ix[F_CALLED]),
      extension: at(f, ix[F_EXTENSION]),
      direction: at(f, ix[F_DIRECTION]),
      cost: at(f, ix[F_COST]),
      disposition: this.carriesDisposition ? at(f, ix[F_DISPOSITION]) : null,
    };
    if (f.length < this.width) return { kind: 'bad', detail: `line has ${plural(f.length)}; format ${this.name} reads column ${this.width}`, raw };
    if (this.anyTransform) {
      const problem = this.transform(f, raw);
      if (problem !== null) return { kind: 'bad', detail: problem, raw };
    }
    raw.id = trimmed(raw.id);
    raw.extension = trimmed(raw.extension);
    if (raw.disposition !== null) raw.disposition = trimmed(raw.disposition);
    return { kind: 'raw', raw };
  }

  /** Runs the Transforms in place; the detail of the first that fails, else null. */
  private transform(f: string[], raw: RawCdr): string | null {
    const scope = this.scope;
    for (let k = 0; k < this.scopeNames.length; k++) scope[this.scopeNames[k]] = at(f, this.scopeIndex[k]);
    for (let k = 0; k < FORMAT_FIELDS.length; k++) {
      const t = this.transforms[k];
      if (t === null) continue;
      const field = FORMAT_FIELDS[k];
      const value = field === 'disposition' ? raw.disposition ?? '' : raw[field];
      scope.value = value;
      const r = t.evaluate(scope);
      if (!r.ok) return `${field} Transform failed on "${trimmed(value)}": ${r.error}`;
      const text = transformText(r.value);
      if (text === null) return `${field} Transform gave ${String(r.value)} for "${trimmed(value)}"`;
      if (field === 'disposition') raw.disposition = text;
      else raw[field] = text;
    }
    return null;
  }
}

function customFormat(name: string, rows: CdrFormatRow[], header: string[] | null, defaultZone: string): Result<FileFormat, string> {
  const byField = new Map<string, CdrFormatRow>();
  for (const r of rows) if (!byField.has(fieldOf(r))) byField.set(fieldOf(r), r);
  const lacking = CUSTOM_REQUIRED.filter((f) => !byField.has(f));
  if (lacking.length) return err(`format ${name} has no row for ${lacking.join(', ')}`);

  const zoneRow = byField.get('timezone');
  const zone = zoneRow ? zoneRow.column.trim() : defaultZone;
  if (!isValidZone(zone)) return err(`format ${name}: timezone "${zone}" is not an IANA time zone (e.g. UTC, Europe/London)`);
  const reader = TimeReader.compile(byField.get('start')!.timeFormat, zone);
  if (!reader.ok) return err(`format ${name}: ${reader.error}`);

  const uses = header !== null;
  const keys = uses ? header.map(headerKey) : [];
  const index: number[] = [];
  let width = 0;
  for (const field of FORMAT_FIELDS) {
    const r = byField.get(field);
    let i = -1;
    if (r) {
      const col = r.column.trim();
      if (isIndex(col)) {
        i = Number(col) - 1;
        if (i < 0) return err(`format ${name}: column 0 for ${field}; columns count from 1`);
      } else {
        i = keys.indexOf(headerKey(col));
        if (i < 0) return err(`format ${name}: the file has no column "${col}" for ${field} (its header: ${(header ?? []).join(', ')})`);
      }
      width = Math.max(width, i + 1);
    }
    index.push(i);
  }

  // Transform variables: value, every header column by identifierFor(name), and every column the
  // format reads by number as _N (identifierFor('3') = '_3').
  const variables = new Map<string, number>();
  if (header) header.forEach((h, i) => variables.has(identifierFor(h)) || variables.set(identifierFor(h), i));
  for (const i of index) if (i >= 0 && !variables.has(identifierFor(String(i + 1)))) variables.set(identifierFor(String(i + 1)), i);
  variables.delete('value');
  const allowed = ['value', ...variables.keys()];
  const transforms: (CompiledExpr | null)[] = [];
  const used = new Set<string>();
  for (const field of FORMAT_FIELDS) {
    const r = byField.get(field);
    if (!r || r.transform.trim() === '') {
      transforms.push(null);
      continue;
    }
    const c = compileExpression(r.transform, allowed);
    if (!c.ok) return err(`format ${name}, ${field} Transform "${r.transform}": ${c.error}`);
    transforms.push(c.value);
    // Only the columns a Transform reads are put in its scope, per line.
    for (const id of c.value.variables) if (variables.has(id)) used.add(id);
  }
  const scopeNames = [...used];
  const scopeIndex = scopeNames.map((n) => variables.get(n)!);
  return ok(new CustomFormat(name, uses, reader.value, index, transforms, scopeNames, scopeIndex, width));
}

/* ------------------------------------------------------------------------------------------ */
/* Detection and compilation                                                                   */
/* ------------------------------------------------------------------------------------------ */

/** Fields of a line for detection, and how many were quoted; null when a quote is left open. */
function splitForDetection(line: string): { fields: string[]; quoted: number } | null {
  const fields: string[] = [];
  let quoted = 0;
  let i = 0;
  const n = line.length;
  for (;;) {
    let v = '';
    if (line.charCodeAt(i) === 34) {
      quoted++;
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        v += line.slice(i, q);
        i = q + 1;
        if (line.charCodeAt(i) === 34) {
          v += '"';
          i++;
          continue;
        }
        break;
      }
    }
    const c = line.indexOf(',', i);
    fields.push(v + line.slice(i, c < 0 ? n : c));
    if (c < 0) return { fields, quoted };
    i = c + 1;
  }
}

/** `2009-01-14 23:51:15` or `2009-01-14T23:51`: the shape of a date-time, by char scan. */
function looksLikeDateTime(s: string): boolean {
  const t = trimmed(s);
  if (t.length < 16) return false;
  for (let i = 0; i < 16; i++) {
    const c = t.charCodeAt(i);
    const want = i === 4 || i === 7 ? 45 : i === 10 ? -1 : i === 13 ? 58 : 0;
    if (want === 0 ? c < 48 || c > 57 : want === -1 ? c !== 32 && c !== 84 : c !== want) return false;
  }
  return true;
}

function detect(lines: readonly string[], formats: readonly CdrFormatRow[]): string | null {
  let first: { fields: string[]; quoted: number } | null = null;
  for (const l of lines) {
    const line = l.charCodeAt(0) === 0xfeff ? l.slice(1) : l;
    if (line.trim() === '') continue;
    first = splitForDetection(line.replace(/\r$/, ''));
    break;
  }
  if (!first) return null;
  const f = first.fields;
  // 1. the generic header
  const keys = new Set(f.map(headerKey));
  if (GENERIC_REQUIRED.every((k) => keys.has(k))) return 'generic';
  // 2. a CdrFormats header: every column the format names is there
  for (const [name, rows] of customFormats(formats)) {
    const named = namedColumns(rows);
    if (named.length > 0 && named.every((r) => keys.has(headerKey(r.column)))) return name;
  }
  // 3. asterisk: 16-21 columns, the 10th a date-time
  if (f.length >= 16 && f.length <= 21 && looksLikeDateTime(f[9])) return 'asterisk';
  // 4. freeswitch: 15 fields, every one quoted
  if (f.length === 15 && first.quoted === 15) return 'freeswitch';
  return null;
}

/**
 * The format of a file from its first lines (SPEC §5, in order): the generic header, a CdrFormats
 * header (all the format's named columns present), asterisk (16–21 columns, the 10th a date-time),
 * freeswitch (15 quoted fields). null when none fits. Blank lines and a BOM are skipped.
 *
 * The three-argument form (lines already split, then their raw texts) is the one the rate run uses;
 * the split fields are ignored, detection reads the texts.
 */
export function detectFormat(firstLines: readonly string[], customFormats: readonly CdrFormatRow[]): string | null;
export function detectFormat(fields: readonly (string[] | null)[], firstLines: readonly string[], customFormats: readonly CdrFormatRow[]): string | null;
export function detectFormat(a: readonly unknown[], b: readonly unknown[], c?: readonly CdrFormatRow[]): string | null {
  if (c !== undefined) return detect(b as string[], c);
  return detect(a as string[], b as CdrFormatRow[]);
}

/**
 * A format compiled for one file. `first` is the file's first record, split: the header, for the
 * generic format and CdrFormats formats that name columns (ignored by the others). `zone` is
 * Settings.Timezone; a CdrFormats `timezone` row overrides it. A CdrFormats format named like a
 * built-in one is shadowed by it.
 */
export function compileFormat(name: string, first: string[] | null, formats: readonly CdrFormatRow[], zone: string): Result<FileFormat, string> {
  switch (name) {
    case 'generic':
      return first ? genericFormat(first, zone) : err('the file is empty, so it has no generic header');
    case 'asterisk':
    case 'freeswitch': {
      const reader = TimeReader.compile('iso', zone);
      if (!reader.ok) return err(reader.error);
      return ok(name === 'asterisk' ? new AsteriskFormat(reader.value) : new FreeswitchFormat(reader.value));
    }
  }
  const all = customFormats(formats);
  const rows = all.get(name.trim());
  if (!rows) return err(`unknown format "${name}" (built in: ${BUILT_IN_FORMATS.join(', ')}; the workbook's CdrFormats define: ${[...all.keys()].join(', ') || 'none'})`);
  const header = namedColumns(rows).length > 0 ? first ?? [] : null;
  return customFormat(name.trim(), rows, header, zone);
}
