// One CDR line through everything that needs no memory of other lines: mediation (step 1),
// owner (3–4) and price (6–10). The run then applies what does — dedupe (2) and fraud (5) — in
// line order. Splitting here is what lets worker threads rate while the output stays identical,
// line for line, to a single-threaded run: both call this, then the same settling code.

import type { CallException, ExceptionReason } from '../cdr/cdr.js';
import { writeRatedRow } from './call-rows.js';
import { RowBytes } from './row-bytes.js';
import type { FileFormat } from '../cdr/cdr-format.js';
import { dedupeKey } from '../run/dedupe.js';
import { LINE_TOO_LONG, mediate, UNTERMINATED_QUOTE, type MediationContext } from '../cdr/mediate.js';
import type { Micro } from '../money.js';
import { findOwner } from './owner.js';
import { priceCall } from './price.js';
import type { RatingModel } from './rating-model.js';
import { utcToLocalMs } from '../zone.js';
import type { Cdr, RatedCall } from '../cdr/cdr.js';
import { NOT_SPLIT, splitCsvLine, TOO_LONG } from '../cdr/csv-split.js';
import { PlainLane } from './plain-lane.js';

/**
 * One flat object per line (plain data, so it can cross from a worker thread): what the run needs
 * to settle the line and, should it become an exception, to write its row.
 */
export interface LineResult {
  /** 'invalid': INVALID_RECORD, final. 'unowned': the owner step failed. 'unpriced': no price. 'rated'. */
  kind: 'invalid' | 'unowned' | 'unpriced' | 'rated';
  file: string;
  line: number;
  id: string;
  startMs: number | null;
  caller: string;
  called: string;
  callerN: string | null;
  calledN: string | null;
  duration: number | null;
  cost: Micro | null;
  /** For every kind but 'rated': the reason and what to change. */
  reason: ExceptionReason;
  detail: string;
  dedupeKey: string;
  /** Outbound calls with an owner take part in the fraud count, per owning number. */
  fraudNumber: string | null;
  day: number;
  /** The charge, for 'rated'. */
  charge: Micro;
  call: RatedCall | null;
}

/** The exception row a settled line becomes. */
export const exceptionOf = (r: LineResult, reason: ExceptionReason, detail: string): CallException => ({
  file: r.file, line: r.line, id: r.id, startMs: r.startMs, caller: r.caller, called: r.called, callerN: r.callerN, calledN: r.calledN,
  duration: r.duration, cost: r.cost, reason, detail,
});

export interface LineContext {
  model: RatingModel;
  mediation: MediationContext;
  format: FileFormat;
  /** Keep the RatedCall object (the billing run needs it); off for plain rating. */
  keepCalls: boolean;
  /** The fast lane for the usual line of a plain format; null: every line takes the full path. */
  lane?: PlainLane | null;
}

/** A context for one file: the fast lane on unless `lane` is false (tests compare the two). */
export function lineContext(model: RatingModel, mediation: MediationContext, keepCalls: boolean, lane = true): LineContext {
  const format = mediation.format;
  return { model, mediation, format, keepCalls, lane: lane ? PlainLane.for(model, format.plain, format.zone, mediation.file, keepCalls) : null };
}

/** A result to fill in: rateLine writes into it rather than allocate one per line. */
export function emptyResult(): LineResult {
  return {
    kind: 'invalid', file: '', line: 0, id: '', startMs: null, caller: '', called: '', callerN: null, calledN: null,
    duration: null, cost: null, reason: 'INVALID_RECORD', detail: '', dedupeKey: '', fraudNumber: null, day: 0, charge: 0, call: null,
  };
}

function invalid(r: LineResult, detail: string, raw: { id?: string; caller?: string; called?: string } | null, startMs: number | null = null, duration: number | null = null): LineResult {
  r.kind = 'invalid';
  r.id = raw?.id ?? '';
  r.startMs = startMs;
  r.caller = (raw?.caller ?? '').trim();
  r.called = (raw?.called ?? '').trim();
  r.duration = duration;
  r.reason = 'INVALID_RECORD';
  r.detail = detail;
  return r;
}

/** A result starting over for line `line`: what only some outcomes set, cleared. */
function begin(ctx: LineContext, r: LineResult, line: number): void {
  r.file = ctx.mediation.file;
  r.line = line;
  r.callerN = null;
  r.calledN = null;
  r.cost = null;
  r.dedupeKey = '';
  r.fraudNumber = null;
  r.day = 0;
  r.charge = 0;
  r.call = null;
}

/**
 * One line through steps 1, 3–4 and 6–10, written into `r` (which it returns); a rated line's
 * rated.csv row goes to `rows` when given. `r` is reused for the next line: whoever keeps a
 * result copies it.
 */
export function rateLine(ctx: LineContext, line: number, fields: string[] | null, r: LineResult = emptyResult(), rows: RowBytes | null = null): LineResult {
  begin(ctx, r, line);
  if (fields === TOO_LONG) return invalid(r, LINE_TOO_LONG, null);
  if (fields === null) return invalid(r, UNTERMINATED_QUOTE, null);
  const ex = ctx.format.extract(fields);
  if (ex.kind === 'bad') return invalid(r, ex.detail, ex.raw);
  const cdr = mediate(ex.raw, line, ctx.mediation);
  if (cdr.kind === 'invalid') return invalid(r, cdr.detail, cdr, cdr.startMs, cdr.duration);
  return rateCdr(ctx, cdr, r, rows);
}

/** rateLine from a line's Cdr on (steps 3–4 and 6–10), the fields it sets at the start already set. */
function rateCdr(ctx: LineContext, cdr: Cdr, r: LineResult, rows: RowBytes | null): LineResult {
  const model = ctx.model;
  r.kind = 'rated';
  r.id = cdr.id;
  r.startMs = cdr.startMs;
  r.caller = cdr.caller;
  r.called = cdr.called;
  r.callerN = cdr.callerN;
  r.calledN = cdr.calledN;
  r.duration = cdr.duration;
  r.cost = cdr.cost;
  r.reason = 'INVALID_RECORD';
  r.detail = '';
  r.dedupeKey = dedupeKey(cdr);
  const owner = findOwner(model, cdr, utcToLocalMs(model.zone, cdr.startMs));
  if (owner.kind === 'unrated') {
    r.kind = 'unowned';
    r.reason = owner.reason;
    r.detail = owner.detail;
    return r;
  }
  r.fraudNumber = cdr.direction === 'out' ? owner.number : null;
  r.day = owner.day;
  const priced = priceCall(model, cdr, owner);
  if (priced.kind === 'unrated') {
    r.kind = 'unpriced';
    r.reason = priced.reason;
    r.detail = priced.detail;
    return r;
  }
  if (rows) writeRatedRow(priced.call, model.zone, rows);
  r.charge = priced.call.charge;
  if (ctx.keepCalls) r.call = priced.call;
  return r;
}

/**
 * rateLine of a line the fast lane declined, given what the lane read of it: where the lane
 * mediated the whole line (a plain line whose call has no owner or no price, say), rating goes on
 * from its Cdr; where it found the duration negative, that is the line's INVALID_RECORD. Either is
 * what mediate() would have made of the line (a property test holds them equal); anything else
 * goes the whole way.
 */
export function rateDeclined(ctx: LineContext, lane: PlainLane, line: number, source: string, a: number, b: number, fields: string[] | null, r: LineResult, rows: RowBytes | null): LineResult {
  const got = lane.declined(source, a, line);
  if (got === null) return rateLine(ctx, line, fields === NOT_SPLIT ? splitCsvLine(source.slice(a, b)) : fields, r, rows);
  begin(ctx, r, line);
  if (got.kind === 'invalid') return invalid(r, got.detail, got, got.startMs, got.duration);
  return rateCdr(ctx, got, r, rows);
}

/**
 * A batch of results as columns — what settling needs, cheap to carry back from a worker thread
 * (typed arrays and a few long strings copy in one go where an array of objects is cloned field by
 * field). Rated lines' rows are one byte buffer, cut by rowEnd; every other line keeps its whole result.
 */
export interface PackedResults {
  rated: Uint8Array;
  line: Int32Array;
  startMs: Float64Array;
  duration: Float64Array;
  day: Int32Array;
  charge: Float64Array;
  /** NaN for no cost. */
  cost: Float64Array;
  /** rated.csv rows of the rated lines, in order, as UTF-8; line i's row ends at byte rowEnd[i]. */
  rows: Uint8Array;
  rowEnd: Int32Array;
  /**
   * Dedupe keys of the rated lines, '\n'-joined ('' for the others: their result has it, and for
   * lines the fast lane rated: see keyBytes); a list when a key holds a newline (a Transform can make one).
   */
  keys: string | string[];
  /** The fast lane's keys as ASCII text: line i's ends at keyEnd[i] (where the line before's ended when it has none). */
  keyBytes: Uint8Array;
  keyEnd: Int32Array;
  /** Owning numbers that the fraud rules count ('' for none or one in fraudValue), '\n'-joined for a worker's trip (a lone string clones faster than a list). */
  fraudNumbers: string | string[];
  /** Owning numbers the fast lane gives by value (NumberIds' 10^digits + number), NaN for none. */
  fraudValue: Float64Array;
  /** Owning numbers the fast lane gives by the model's fraud id (entryData's E_FRAUD), -1 for none. */
  fraudId: Int32Array;
  /** The whole result of each line that did not rate; null for rated lines. */
  others: (LineResult | null)[];
  /** The calls, when the context keeps them (the billing run). */
  calls: (RatedCall | null)[] | null;
  /** The one buffer under the numeric columns (rated … fraudValue). */
  columns: ArrayBuffer;
}

const EMPTY = new Uint8Array(0);

/**
 * Byte buffers a caller lends rateBatch for the rows and keys of every batch, when it is done with
 * a batch's results before it rates the next (a fresh 400 KiB buffer a batch cost its page faults
 * and zeroing, 3% of a run). Without them each batch gets buffers of its own (a worker hands them over).
 */
export interface BatchBuffers {
  rows: RowBytes;
  keys: RowBytes;
  /** The numeric columns' buffer (made on first use, then reused while big enough). */
  columns: ArrayBuffer | null;
}

export const batchBuffers = (): BatchBuffers => ({ rows: new RowBytes(1 << 19), keys: new RowBytes(1 << 16), columns: null });

/** Bytes a line takes in the numeric columns: five Float64, five Int32 and one Uint8. */
const COLUMN_BYTES = 5 * 8 + 5 * 4 + 1;

const hasNewline = (s: string): boolean => s.indexOf('\n') >= 0;

/** A batch's lines as ranges of one text, as the reader has them: line i is source.slice(from[i], to[i]). */
export interface LineTexts {
  source: string;
  from: ArrayLike<number>;
  to: ArrayLike<number>;
}

export const lineText = (t: LineTexts, i: number): string => t.source.slice(t.from[i], t.to[i]);

/**
 * Rates a batch of lines into columns: their texts, and their fields as read (null where a quote is
 * left open, TOO_LONG where the reader cut the line, NOT_SPLIT where it left it to split here).
 */
export function rateBatch(
  ctx: LineContext,
  lines: ArrayLike<number>,
  texts: LineTexts,
  fields: readonly (string[] | null)[],
  joinLists = false,
  buffers: BatchBuffers | null = null,
): PackedResults {
  const n = lines.length;
  // The numeric columns share one buffer, the lent one when it is big enough.
  const need = n * COLUMN_BYTES;
  const columns = buffers?.columns && buffers.columns.byteLength >= need ? buffers.columns : new ArrayBuffer(need);
  if (buffers) buffers.columns = columns;
  let at = 0;
  const f64 = (): Float64Array => new Float64Array(columns, (at += 8 * n) - 8 * n, n);
  const i32 = (): Int32Array => new Int32Array(columns, (at += 4 * n) - 4 * n, n);
  const p: PackedResults = {
    startMs: f64(), duration: f64(), charge: f64(), cost: f64(), fraudValue: f64().fill(NaN),
    line: i32(), day: i32(), rowEnd: i32(), keyEnd: i32(), fraudId: i32().fill(-1), rated: new Uint8Array(columns, at, n).fill(0), columns,
    rows: EMPTY, keys: '', keyBytes: EMPTY, fraudNumbers: '', others: new Array<LineResult | null>(n).fill(null), calls: ctx.keepCalls ? new Array<RatedCall | null>(n).fill(null) : null,
  };
  const r = emptyResult();
  const lane = ctx.lane ?? null;
  const keys: string[] = new Array<string>(n);
  const fraud: string[] = new Array<string>(n);
  const out = buffers?.rows ?? new RowBytes(n * 192);
  const keyOut = buffers?.keys ?? new RowBytes(lane === null ? 64 : 64 + n * 24);
  out.pos = 0;
  keyOut.pos = 0;
  const a = lane?.answer;
  const { source, from, to } = texts;
  for (let i = 0; i < n; i++) {
    const f = fields[i];
    // The lane reads the line's text: not for a line the reader cut for its length.
    const laned = lane !== null && f !== null && f !== TOO_LONG;
    if (laned && lane.rate(source, from[i], to[i], lines[i], out, keyOut)) {
      p.line[i] = lines[i];
      p.rated[i] = 1;
      p.startMs[i] = a!.startMs;
      p.duration[i] = a!.duration;
      p.day[i] = a!.day;
      p.charge[i] = a!.charge;
      p.cost[i] = a!.cost;
      p.rowEnd[i] = out.pos;
      p.keyEnd[i] = keyOut.pos;
      keys[i] = '';
      p.fraudValue[i] = a!.fraudValue;
      p.fraudId[i] = a!.fraudId;
      fraud[i] = a!.fraudText;
      if (p.calls) p.calls[i] = a!.call;
      continue;
    }
    p.keyEnd[i] = keyOut.pos;
    if (laned) rateDeclined(ctx, lane, lines[i], source, from[i], to[i], f, r, out);
    else rateLine(ctx, lines[i], f === NOT_SPLIT ? splitCsvLine(lineText(texts, i)) : f, r, out);
    p.line[i] = r.line;
    if (r.kind !== 'rated') {
      p.others[i] = { ...r };
      keys[i] = '';
      fraud[i] = '';
      p.rowEnd[i] = out.pos;
      continue;
    }
    p.rated[i] = 1;
    p.startMs[i] = r.startMs!;
    p.duration[i] = r.duration!;
    p.day[i] = r.day;
    p.charge[i] = r.charge;
    p.cost[i] = r.cost === null ? NaN : r.cost;
    p.rowEnd[i] = out.pos;
    keys[i] = r.dedupeKey;
    fraud[i] = r.fraudNumber ?? '';
    if (p.calls) p.calls[i] = r.call;
  }
  // The batch's own buffer (or the lent one): a worker transfers it whole, so it is not copied down to size.
  p.rows = out.bytes();
  p.keyBytes = keyOut.bytes();
  p.keys = joinLists && !keys.some(hasNewline) ? keys.join('\n') : keys;
  p.fraudNumbers = joinLists ? fraud.join('\n') : fraud;
  return p;
}
