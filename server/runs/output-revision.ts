// A done run's outputs written anew after a re-rate or a release (SPEC §7), into a stage folder
// the run store then puts in place as one (RunService.replaceOutputs):
//
// - rated.csv: the run's rows, unchanged, with the calls that now rate merged in by file and line,
//   so the file stays in the order a fresh run writes (the run's files in upload order, each in
//   line order);
// - exceptions.csv, exceptions.xlsx and exception-summary.json: made afresh from the exceptions
//   left, in their order, by the same sink a run writes them with.
//
// Every file is on disk (fsync) before the caller commits the replacement.

import { join } from 'node:path';
import type { CallException } from '../../rules/cdr/cdr.js';
import { EXCEPTION_HEADER } from '../../rules/rating/call-rows.js';
import type { ExceptionSummary } from '../../rules/rating/exception-summary.js';
import { parseMicro, type Micro } from '../../rules/money.js';
import { moneyText } from '../../rules/rating/what-if.js';
import { syncFile } from '../store/durable-files.js';
import type { RunRecord } from '../store/runs.js';
import type { RateSummary } from './rate-options.js';
import { CsvWriter } from '../../workbooks/csv-writer.js';
import { writeTablesXlsx } from '../../workbooks/table-xlsx.js';
import { ExceptionSink } from './exception-sink.js';
import { lineKey } from './late-fraud.js';
import { writeExceptionSummary, type RunService } from './run-service.js';
import { eachCsvLine, placeOfRow } from './run-rows.js';

/** A call that now rates: its place in the run (lineKey) and its rated.csv row (ending in \n). */
export interface MovedRow {
  key: number;
  row: string;
  charge: Micro;
  cost: Micro | null;
}

export interface Revision {
  /** Calls joining the rated ones, in any order. */
  moved: MovedRow[];
  /** Every exception the run keeps, in the order exceptions.csv lists them. */
  exceptions: CallException[];
}

export interface RevisionTarget {
  /** The folder the new files go into (from RunService.stageOutputs). */
  stage: string;
  /** The run's rated.csv as it is. */
  ratedPath: string;
  /** The run's file labels, in upload order (a row's file -> its index). */
  files: string[];
  /** The zone exception rows show their start in (the run's version's). */
  zone: string;
  /** Rows per reason in exceptions.xlsx. */
  maxTabRows?: number;
}

/** Rows handed to the file system between checks for room. */
const ROOM_EVERY = 4096;

/** Writes the stage's rated.csv, exceptions.csv, exceptions.xlsx and exception-summary.json; the new exceptions' summary. */
export async function writeRevision(t: RevisionTarget, rev: Revision): Promise<ExceptionSummary> {
  await writeRated(t, rev.moved);
  const csv = new CsvWriter(join(t.stage, 'exceptions.csv'), EXCEPTION_HEADER);
  const sink = new ExceptionSink(csv, t.zone, t.maxTabRows ?? 2000);
  for (let i = 0; i < rev.exceptions.length; i++) {
    sink.add(rev.exceptions[i]);
    if (i % ROOM_EVERY === ROOM_EVERY - 1) {
      csv.takeRows();
      await csv.ready();
    }
  }
  await csv.close();
  await writeTablesXlsx(join(t.stage, 'exceptions.xlsx'), sink.tables());
  await writeExceptionSummary(join(t.stage, 'exception-summary.json'), sink.summary);
  for (const f of ['rated.csv', 'exceptions.csv', 'exceptions.xlsx']) await syncFile(join(t.stage, f));
  return sink.summary;
}

/**
 * Writes the revision into `stage` and puts it in place of the done run's outputs, with its
 * summary: the moved calls' charges and costs added exactly, the exceptions counted afresh, and
 * input = rated + exceptions checked before anything is replaced. The record as it now is.
 */
export async function commitRevision(service: RunService, rec: RunRecord, t: RevisionTarget, rev: Revision): Promise<RunRecord> {
  const before = rec.summary;
  if (!before) throw new Error(`run ${rec.id} has no summary`);
  const reasons = await writeRevision(t, rev);
  let charge = micro(before.charge);
  let cost = micro(before.cost);
  for (const m of rev.moved) {
    charge += m.charge;
    cost += m.cost ?? 0;
  }
  const summary: RateSummary = { ...before, rated: before.rated + rev.moved.length, exceptions: reasons.counts(), charge: moneyText(charge), cost: moneyText(cost) };
  if (summary.input !== summary.rated + reasons.total()) {
    throw new Error(`run ${rec.id}: the revision would leave ${summary.rated} rated + ${reasons.total()} exceptions for ${summary.input} calls`);
  }
  return service.replaceOutputs(rec.id, t.stage, summary);
}

function micro(text: string): Micro {
  const m = parseMicro(text);
  if (!m.ok) throw new Error(`summary.json holds "${text}" where an amount belongs`);
  return m.value;
}

/** The run's rated.csv with the moved rows merged in by place. */
async function writeRated(t: RevisionTarget, moved: MovedRow[]): Promise<void> {
  const index = new Map(t.files.map((n, i) => [n, i]));
  const queue = [...moved].sort((a, b) => a.key - b.key);
  let next = 0;
  const out = new CsvWriter(join(t.stage, 'rated.csv'));
  let rows = 0;
  await eachCsvLine(
    t.ratedPath,
    (header) => out.writeLine(header + '\n'),
    (text) => {
      const place = placeOfRow(text);
      // A row whose place cannot be read (never written so) keeps its turn: the merge goes on after it.
      const key = place ? lineKey(index.get(place.file) ?? 0, place.line) : -1;
      while (next < queue.length && queue[next].key < key) out.writeLine(queue[next++].row);
      out.writeLine(text + '\n');
      return ++rows % ROOM_EVERY === 0 ? out.ready() : undefined;
    },
  );
  while (next < queue.length) out.writeLine(queue[next++].row);
  await out.close();
}

