// Releasing calls held as SUSPECTED_FRAUD after review (SPEC §7 POST /api/runs/:id/release): each
// call is rated again from the run's kept CDR file with the run's own version (or one named: a
// call a re-rate held may have an owner only in the re-rate's version), as if no fraud rule had
// fired (rateLine: mediation, owner, price — fraud is not one of its steps), and joins the
// rated calls. A released call that then fails another step (its customer has no tariff, say)
// stays an exception under that reason, no longer held. Dedupe need not be asked again: a call is
// only ever held after dedupe found it the first of its kind.
//
// Every other exception is rated again too, unchanged in reason and detail, only to rebuild the
// exceptions' files: exceptions.csv does not carry the carrier cost the Summary tab totals.

import type { CallException, ExceptionReason } from '../../rules/cdr/cdr.js';
import { ratedRow } from '../../rules/rating/call-rows.js';
import { exceptionOf } from '../../rules/rating/rate-line.js';
import { moneyText } from '../../rules/rating/what-if.js';
import { csvLine } from '../../rules/csv.js';
import { rateKeptLines } from './kept-lines.js';
import { lineKey } from './late-fraud.js';
import { commitRevision, type MovedRow } from './output-revision.js';
import type { PassEnv } from './rating-pass.js';
import { RunStateError } from './run-service.js';
import { locksOf } from './run-locks.js';
import { readExceptions } from './run-rows.js';

/** Which held calls to release: some, by file label and line, or all of them. */
export type ReleaseChoice = { all: true } | { lines: { file: string; line: number }[] };

export interface ReleaseResult {
  /** Calls that joined the rated calls. */
  moved: number;
  /** Exceptions the run has left, of every reason. */
  remaining: number;
  /** Calls still held as SUSPECTED_FRAUD. */
  held: number;
  /** Released calls that failed another step, by that step's reason. */
  failed: Partial<Record<ExceptionReason, number>>;
  /** The moved calls' charges, summed. */
  charge: string;
}

/** A release naming calls that are not held as SUSPECTED_FRAUD in the run: nothing is changed. */
export class ReleaseRefused extends Error {
  constructor(
    message: string,
    /** One per line refused: `at` is its place in the request (`body.lines.3`). */
    readonly issues: { at: string; message: string }[],
  ) {
    super(message);
  }
}

/**
 * Releases the chosen held calls of done run `id`, rated with the run's version, or with `version`
 * when given (a call a re-rate held knows its owner only in the re-rate's version).
 */
export function releaseCalls(env: PassEnv, id: number, choice: ReleaseChoice, version?: number): Promise<ReleaseResult> {
  const { service } = env;
  return locksOf(service).change(id, async () => {
    const rec = service.runs.get(id);
    if (!rec || rec.status !== 'done') throw new RunStateError(`run ${id} is ${rec?.status ?? 'not there'}: only a done run's calls can be released`);
    const exceptions = await readExceptions(service.runs.outputPath(id, 'exceptions.csv'), `run ${id} exceptions.csv`);
    const names = rec.files.map((f) => f.name);
    const index = new Map(names.map((n, i) => [n, i]));
    const keyOf = (e: { file: string; line: number }): number | null => (index.has(e.file) ? lineKey(index.get(e.file)!, e.line) : null);
    const byKey = new Map<number, CallException>();
    for (const e of exceptions) byKey.set(keyOf(e) ?? -1, e);
    const chosen = pick(choice, byKey, keyOf, names, id);
    const held = (list: CallException[]): number => list.filter((e) => e.reason === 'SUSPECTED_FRAUD').length;
    if (chosen.size === 0) return { moved: 0, remaining: exceptions.length, held: held(exceptions), failed: {}, charge: '0.00' };

    const { model } = await service.versionModel(version ?? rec.version);
    const results = await rateKeptLines(rec, service.runs.inputs(rec), model, new Set(byKey.keys()));
    const moved: MovedRow[] = [];
    const kept: CallException[] = [];
    const failed: Partial<Record<ExceptionReason, number>> = {};
    let charge = 0;
    for (const e of exceptions) {
      const k = keyOf(e) ?? -1;
      const r = results.get(k);
      if (!chosen.has(k) || !r) {
        // Not released (or its line is no longer in the file, which a kept file never loses): as it was.
        kept.push(r ? exceptionOf(r, e.reason, e.detail) : e);
        continue;
      }
      if (r.kind === 'rated' && r.call) {
        moved.push({ key: k, row: csvLine(ratedRow(r.call, model.zone)), charge: r.call.charge, cost: r.call.cost });
        charge += r.call.charge;
        continue;
      }
      kept.push(exceptionOf(r, r.reason, r.detail));
      failed[r.reason] = (failed[r.reason] ?? 0) + 1;
    }
    const stage = await service.stageOutputs(id);
    // Exception rows keep showing their start in the run's own zone.
    const zone = version === undefined ? model.zone : (await service.versionModel(rec.version)).model.zone;
    await commitRevision(service, rec, { stage, ratedPath: service.runs.outputPath(id, 'rated.csv'), files: names, zone }, { moved, exceptions: kept });
    return { moved: moved.length, remaining: kept.length, held: held(kept), failed, charge: moneyText(charge) };
  });
}

/** The lineKeys of the calls to release; ReleaseRefused naming every line asked for that is not held. */
function pick(choice: ReleaseChoice, byKey: Map<number, CallException>, keyOf: (e: { file: string; line: number }) => number | null, names: string[], id: number): Set<number> {
  const chosen = new Set<number>();
  if ('all' in choice) {
    for (const [k, e] of byKey) if (e.reason === 'SUSPECTED_FRAUD') chosen.add(k);
    return chosen;
  }
  const issues: { at: string; message: string }[] = [];
  choice.lines.forEach((l, i) => {
    const at = `body.lines.${i}`;
    const k = keyOf(l);
    const e = k === null ? undefined : byKey.get(k);
    if (k === null) issues.push({ at, message: `run ${id} has no file "${l.file}" (its files: ${names.join(', ')})` });
    else if (!e) issues.push({ at, message: `${l.file}:${l.line} is not an exception of run ${id}` });
    else if (e.reason !== 'SUSPECTED_FRAUD') issues.push({ at, message: `${l.file}:${l.line} is ${e.reason}, not held as SUSPECTED_FRAUD` });
    else chosen.add(k);
  });
  if (issues.length > 0) {
    throw new ReleaseRefused(`${issues.length} of the lines asked for ${issues.length === 1 ? 'is' : 'are'} not held as SUSPECTED_FRAUD in run ${id}, so nothing was released: ${issues.slice(0, 3).map((x) => x.message).join('; ')}${issues.length > 3 ? '; …' : ''}`, issues);
  }
  return chosen;
}
