// One CDR line through everything that needs no memory of other lines: mediation (step 1),
// owner (3–4) and price (6–10). The run then applies what does — dedupe (2) and fraud (5) — in
// line order. Splitting here is what lets worker threads rate while the output stays identical,
// line for line, to a single-threaded run: both call this, then the same settling code.

import type { CallException, ExceptionReason } from './cdr.js';
import { ratedLine } from './call-rows.js';
import type { FileFormat } from './cdr-format.js';
import { dedupeKey } from './dedupe.js';
import { mediate, type MediationContext } from './mediate.js';
import type { Micro } from './money.js';
import { findOwner } from './owner.js';
import { priceCall } from './price.js';
import type { RatingModel } from './rating-model.js';
import { utcToLocalMs } from './zone.js';
import type { RatedCall } from './cdr.js';

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
  /** The rated.csv line and the charge, for 'rated'. */
  text: string;
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
}

function invalid(file: string, line: number, detail: string, raw: { id?: string; caller?: string; called?: string } | null, startMs: number | null = null, duration: number | null = null): LineResult {
  return {
    kind: 'invalid', file, line, id: raw?.id ?? '', startMs, caller: (raw?.caller ?? '').trim(), called: (raw?.called ?? '').trim(), callerN: null, calledN: null,
    duration, cost: null, reason: 'INVALID_RECORD', detail, dedupeKey: '', fraudNumber: null, day: 0, text: '', charge: 0, call: null,
  };
}

export function rateLine(ctx: LineContext, line: number, fields: string[] | null): LineResult {
  const file = ctx.mediation.file;
  if (fields === null) return invalid(file, line, 'a quote is not closed on this line', null);
  const ex = ctx.format.extract(fields);
  if (ex.kind === 'bad') return invalid(file, line, ex.detail, ex.raw);
  const cdr = mediate(ex.raw, line, ctx.mediation);
  if (cdr.kind === 'invalid') return invalid(file, line, cdr.detail, cdr, cdr.startMs, cdr.duration);
  const model = ctx.model;
  const r: LineResult = {
    kind: 'rated', file, line, id: cdr.id, startMs: cdr.startMs, caller: cdr.caller, called: cdr.called, callerN: cdr.callerN, calledN: cdr.calledN,
    duration: cdr.duration, cost: cdr.cost, reason: 'INVALID_RECORD', detail: '', dedupeKey: dedupeKey(cdr), fraudNumber: null, day: 0, text: '', charge: 0, call: null,
  };
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
  r.text = ratedLine(priced.call, model.zone);
  r.charge = priced.call.charge;
  if (ctx.keepCalls) r.call = priced.call;
  return r;
}

/**
 * A batch of results as columns, for the trip back from a worker thread: typed arrays copy in one
 * go where an array of objects is cloned field by field. Rated lines carry only what settling
 * needs; every other line keeps its whole result.
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
  text: string[];
  dedupeKey: string[];
  fraudNumber: (string | null)[];
  /** The whole result of each line that did not rate; null for rated lines. */
  others: (LineResult | null)[];
}

export function packResults(results: LineResult[]): PackedResults {
  const n = results.length;
  const p: PackedResults = {
    rated: new Uint8Array(n), line: new Int32Array(n), startMs: new Float64Array(n), duration: new Float64Array(n), day: new Int32Array(n),
    charge: new Float64Array(n), cost: new Float64Array(n), text: new Array(n), dedupeKey: new Array(n), fraudNumber: new Array(n), others: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = results[i];
    if (r.kind !== 'rated') {
      p.others[i] = r;
      p.text[i] = '';
      p.dedupeKey[i] = '';
      p.fraudNumber[i] = null;
      continue;
    }
    p.rated[i] = 1;
    p.others[i] = null;
    p.line[i] = r.line;
    p.startMs[i] = r.startMs!;
    p.duration[i] = r.duration!;
    p.day[i] = r.day;
    p.charge[i] = r.charge;
    p.cost[i] = r.cost === null ? NaN : r.cost;
    p.text[i] = r.text;
    p.dedupeKey[i] = r.dedupeKey;
    p.fraudNumber[i] = r.fraudNumber;
  }
  return p;
}
