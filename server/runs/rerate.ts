// Re-rating a done run's exceptions with another version (SPEC §7 POST /api/runs/:id/rerate),
// after the workbook was fixed: the calls that now rate join the run's rated calls, the rest stay
// exceptions with what the version now says of them.
//
// How: the run's kept CDR files are rated again, whole, with the version (rateRunAgain: the path a
// fresh run takes), and each exception line takes that pass's answer, so dedupe and the fraud
// rules see every call of the run as a fresh run would. (The exception lines are also read again
// from the kept files, one by one, for what exceptions.csv does not hold: their carrier cost,
// which the exceptions' Summary totals.)
// - a line the pass rates joins rated.csv with the pass's row (its price under the version);
// - a line the pass holds as SUSPECTED_FRAUD stays held: re-rating never slips a call past fraud
//   review (only a release, by a manager, frees a held call);
// - a DUPLICATE stays a duplicate (the first of its kind is already rated), and a SUSPECTED_FRAUD
//   stays held, whatever the pass says of them;
// - a line that was not a valid record and now is, but repeats a call the run has already rated,
//   becomes a DUPLICATE of that call rather than billing it twice;
// - any other line stays an exception with the pass's reason and detail.
// Calls already rated keep their rows: a re-rate never takes one back or re-prices it (a what-if
// shows what a version would do to them).

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallException, ExceptionReason, RatedCall } from '../../rules/cdr/cdr.js';
import { exceptionOf } from '../../rules/rating/rate-line.js';
import { parseRatedRow } from '../../rules/billing/rated-row.js';
import { splitCsvLine } from '../../rules/cdr/csv-split.js';
import { firstSeenOf } from '../../rules/rating/exception-line.js';
import { moneyText } from '../../rules/rating/what-if.js';
import { rateKeptLines } from './kept-lines.js';
import { lineKey } from './late-fraud.js';
import { commitRevision, type MovedRow } from './output-revision.js';
import { rateRunAgain, type PassEnv } from './rating-pass.js';
import { InputError } from './run-errors.js';
import { locksOf } from './run-locks.js';
import { eachCsvLine, placeOfRow, readExceptions } from './run-rows.js';
import { RunStateError } from './run-service.js';

export interface RerateResult {
  /** Exceptions that joined the rated calls. */
  moved: number;
  /** The moved calls by the reason they were exceptions for. */
  byReason: Partial<Record<ExceptionReason, number>>;
  /** Exceptions the run has left, of every reason. */
  remaining: number;
  /** The moved calls' charges, summed. */
  charge: string;
}

/** A call's rated row in the pass, and the call. */
interface PassRow {
  row: string;
  call: RatedCall;
}

/** Reasons a re-rate leaves as they are (see the header). */
const KEPT: ReadonlySet<ExceptionReason> = new Set(['DUPLICATE', 'SUSPECTED_FRAUD']);

/** Re-rates done run `id`'s exceptions with version `seq` (a version without errors). */
export function rerateRun(env: PassEnv, id: number, seq: number): Promise<RerateResult> {
  const { service } = env;
  const locks = locksOf(service);
  return locks.change(id, async () => {
    const rec = service.runs.get(id);
    if (!rec || rec.status !== 'done') throw new RunStateError(`run ${id} is ${rec?.status ?? 'not there'}: only a done run can be re-rated`);
    const exceptions = await readExceptions(service.runs.outputPath(id, 'exceptions.csv'), `run ${id} exceptions.csv`);
    const names = rec.files.map((f) => f.name);
    const index = new Map(names.map((n, i) => [n, i]));
    const keyOf = (file: string, line: number): number => (index.has(file) ? lineKey(index.get(file)!, line) : -1);
    const old = new Set(exceptions.map((e) => keyOf(e.file, e.line)));

    const stage = await service.stageOutputs(id);
    const passDir = join(stage, 'pass');
    let committed = false;
    try {
      // Each exception line as the version mediates it, for what exceptions.csv lacks (carrier
      // cost, normalised numbers): read from the kept files here while the pass rates on its thread.
      const { model } = await service.versionModel(seq);
      const reading = rateKeptLines(rec, service.runs.inputs(rec), model, old);
      reading.catch(() => undefined);
      await locks.pass(() => rateRunAgain(env, rec, seq, passDir));
      const [{ passEx, ratedTwin }, passRated, lines] = await Promise.all([passExceptions(join(passDir, 'exceptions.csv'), old, keyOf), ratedRowsOf(join(passDir, 'rated.csv'), old, keyOf), reading]);
      await rm(passDir, { recursive: true, force: true });

      const moved: MovedRow[] = [];
      const kept: CallException[] = [];
      const byReason: Partial<Record<ExceptionReason, number>> = {};
      let changed = false;
      let charge = 0;
      const keep = (e: CallException, base: CallException | undefined, reason: ExceptionReason, detail: string): void => {
        if (reason !== e.reason || detail !== e.detail) changed = true;
        kept.push({ ...(base ?? e), reason, detail });
      };
      for (const e of exceptions) {
        const k = keyOf(e.file, e.line);
        const got = passRated.get(k);
        const line = lines.get(k);
        const base = line ? exceptionOf(line, e.reason, e.detail) : undefined;
        const twin = ratedTwin.get(k);
        if (KEPT.has(e.reason)) keep(e, base, e.reason, e.detail);
        else if (got && !twin) {
          moved.push({ key: k, row: got.row, charge: got.call.charge, cost: got.call.cost });
          byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
          charge += got.call.charge;
        } else if (twin) keep(e, base, 'DUPLICATE', `same call as ${twin.file}:${twin.line}`);
        else if (passEx.has(k)) keep(e, base, passEx.get(k)!.reason, passEx.get(k)!.detail);
        else keep(e, base, e.reason, e.detail);
      }
      if (moved.length > 0 || changed) {
        // Exception rows keep showing their start in the run's own zone.
        const own = await service.versionModel(rec.version);
        await commitRevision(service, rec, { stage, ratedPath: service.runs.outputPath(id, 'rated.csv'), files: names, zone: own.model.zone }, { moved, exceptions: kept });
        committed = true;
      }
      return { moved: moved.length, byReason, remaining: kept.length, charge: moneyText(charge) };
    } finally {
      // After the commit the run store has put the stage in place and removed it.
      if (!committed) await rm(stage, { recursive: true, force: true });
    }
  });
}

/** The pass's rated rows of the lines in `wanted` (only those are split and read). */
async function ratedRowsOf(path: string, wanted: Set<number>, keyOf: (file: string, line: number) => number): Promise<Map<number, PassRow>> {
  const out = new Map<number, PassRow>();
  await eachCsvLine(
    path,
    () => undefined,
    (text, n) => {
      const place = placeOfRow(text);
      if (!place) return;
      const k = keyOf(place.file, place.line);
      if (!wanted.has(k)) return;
      const r = parseRatedRow(splitCsvLine(text) ?? [], `rated.csv:${n}`);
      if (!r.ok) throw new InputError(`the re-rating wrote a row it cannot read back: ${r.error.at}: ${r.error.message}`);
      out.set(k, { row: text + '\n', call: r.value });
    },
  );
  return out;
}

/**
 * The pass's exceptions: its reason and detail for each old exception line, and, for an old
 * exception line the pass finds a call the run has rated to be a duplicate of, that rated call (a
 * pass DUPLICATE that is not an old exception was rated by the run).
 */
async function passExceptions(path: string, old: Set<number>, keyOf: (file: string, line: number) => number): Promise<{ passEx: Map<number, { reason: ExceptionReason; detail: string }>; ratedTwin: Map<number, { file: string; line: number }> }> {
  const passEx = new Map<number, { reason: ExceptionReason; detail: string }>();
  const ratedTwin = new Map<number, { file: string; line: number }>();
  for (const e of await readExceptions(path, 'the re-rating pass exceptions.csv')) {
    const k = keyOf(e.file, e.line);
    if (old.has(k)) {
      passEx.set(k, { reason: e.reason, detail: e.detail });
      continue;
    }
    const first = e.reason === 'DUPLICATE' ? firstSeenOf(e.detail) : null;
    if (first && old.has(keyOf(first.file, first.line))) ratedTwin.set(keyOf(first.file, first.line), { file: e.file, line: e.line });
  }
  return { passEx, ratedTwin };
}
