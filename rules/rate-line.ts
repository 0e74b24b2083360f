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

/** Plain data, so it can cross from a worker thread. */
export type LineResult =
  | { kind: 'invalid'; exception: CallException }
  | {
      kind: 'call';
      dedupeKey: string;
      /** The exception row's fields, for whatever the run decides. */
      base: CallException;
      /** Outbound calls with an owner take part in the fraud count, per owning number. */
      fraudNumber: string | null;
      day: number;
      startMs: number;
      duration: number;
      outcome:
        | { kind: 'rated'; text: string; charge: Micro; cost: Micro | null; call: RatedCall | null }
        | { kind: 'exception'; reason: ExceptionReason; detail: string; beforeFraud: boolean };
    };

export interface LineContext {
  model: RatingModel;
  mediation: MediationContext;
  format: FileFormat;
  /** Keep the RatedCall object (the billing run needs it); off for plain rating. */
  keepCalls: boolean;
}

function invalid(file: string, line: number, detail: string, raw: { id?: string; caller?: string; called?: string } | null, startMs: number | null = null, duration: number | null = null): LineResult {
  return {
    kind: 'invalid',
    exception: { file, line, id: raw?.id ?? '', startMs, caller: (raw?.caller ?? '').trim(), called: (raw?.called ?? '').trim(), duration, cost: null, reason: 'INVALID_RECORD', detail },
  };
}

export function rateLine(ctx: LineContext, line: number, fields: string[] | null): LineResult {
  const file = ctx.mediation.file;
  if (fields === null) return invalid(file, line, 'a quote is not closed on this line', null);
  const ex = ctx.format.extract(fields);
  if (ex.kind === 'bad') return invalid(file, line, ex.detail, ex.raw);
  const cdr = mediate(ex.raw, line, ctx.mediation);
  if (cdr.kind === 'invalid') return invalid(file, line, cdr.detail, cdr, cdr.startMs, cdr.duration);
  const base: CallException = {
    file, line, id: cdr.id, startMs: cdr.startMs, caller: cdr.caller, called: cdr.called, callerN: cdr.callerN, calledN: cdr.calledN,
    duration: cdr.duration, cost: cdr.cost, reason: 'INVALID_RECORD', detail: '',
  };
  const model = ctx.model;
  const owner = findOwner(model, cdr, utcToLocalMs(model.zone, cdr.startMs));
  const common = { kind: 'call' as const, dedupeKey: dedupeKey(cdr), base, startMs: cdr.startMs, duration: cdr.duration };
  if (owner.kind === 'unrated') {
    return { ...common, fraudNumber: null, day: 0, outcome: { kind: 'exception', reason: owner.reason, detail: owner.detail, beforeFraud: true } };
  }
  const fraudNumber = cdr.direction === 'out' ? owner.number : null;
  const priced = priceCall(model, cdr, owner);
  if (priced.kind === 'unrated') {
    return { ...common, fraudNumber, day: owner.day, outcome: { kind: 'exception', reason: priced.reason, detail: priced.detail, beforeFraud: false } };
  }
  const c = priced.call;
  return { ...common, fraudNumber, day: owner.day, outcome: { kind: 'rated', text: ratedLine(c, model.zone), charge: c.charge, cost: c.cost, call: ctx.keepCalls ? c : null } };
}
