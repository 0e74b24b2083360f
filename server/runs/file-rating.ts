// One CDR file of a run: its format chosen, then its batches read, rated and settled in order.
// Lines are split where they are rated (the fast lane reads most of them unsplit).

import type { MediationContext } from '../../rules/cdr/mediate.js';
import { lineContext, type LineTexts } from '../../rules/rating/rate-line.js';
import type { RatingModel } from '../../rules/rating/rating-model.js';
import { openCdrFile, type CdrFile } from '../../workbooks/cdr-lines.js';
import type { BatchRater } from './batch-rater.js';
import type { BatchSettler } from './batch-settler.js';
import { chooseFormat } from './format-choice.js';
import type { FileSummary, RateOptions } from './rate-options.js';
import type { RatePool } from './rate-pool.js';
import { InputError, RunCancelled, throwIfCancelled } from './run-errors.js';
import type { RunOutputs } from './run-outputs.js';
import type { ProgressMeter } from './run-progress.js';

/** What rating a file takes from its run: the same for every file. */
export interface FileRun {
  opts: RateOptions;
  model: RatingModel;
  /** Settings' BillableDispositions. */
  billable: Set<string>;
  pool: RatePool | null;
  rater: BatchRater;
  settler: BatchSettler;
  outputs: RunOutputs;
  meter: ProgressMeter;
  signal: AbortSignal;
}

/**
 * Rates file `fi` of the run. Anything wrong with the file (unreadable, gzip cut short, a format
 * it cannot be read in) is an InputError naming it; a cancel stops it between batches.
 */
export async function rateFile(run: FileRun, fi: number): Promise<FileSummary> {
  const { path, name } = run.opts.files[fi];
  let file: CdrFile;
  try {
    file = await openCdrFile(path, { name });
  } catch {
    throw new InputError(`${name}: cannot read the file`);
  }
  try {
    return await readBatches(run, fi, file);
  } catch (e) {
    if (e instanceof InputError || e instanceof RunCancelled) throw e;
    throw new InputError((e as Error).message);
  }
}

async function readBatches(run: FileRun, fi: number, file: CdrFile): Promise<FileSummary> {
  const { opts, model, pool, rater, outputs, meter, signal } = run;
  const { path, name } = opts.files[fi];
  const chosen = await chooseFormat(file, model, opts.format);
  const format = chosen.format;
  const lane = opts.fastLane !== false;
  const mediation: MediationContext = { file: name, plan: model.plan, billable: run.billable, format };
  const ctx = lineContext(model, mediation, opts.onRated !== undefined, lane);
  pool?.startFile(name, chosen.name, chosen.header, lane);
  rater.startFile(ctx, fi, name);
  // A second pass, unsplit, for the rating (the first read the lines format detection needed).
  const reader = await openCdrFile(path, { name, split: false });
  // Room in the dedupe table for the lines the file likely holds (a CDR line is rarely under
  // 64 bytes; at most 2M, so a huge file does not claim memory it may never need).
  if (!reader.gzip) run.settler.reserve(Math.min(Math.floor(reader.totalBytes / 64), 2_000_000));
  meter.startFile(fi, reader);
  let skipHeader = format.header;
  let lines = 0;
  for await (const batch of reader.batches()) {
    throwIfCancelled(signal);
    let from = 0;
    if (skipHeader && batch.lines.length > 0) {
      skipHeader = false;
      from = 1;
    }
    const numbers = from === 0 ? batch.lines : batch.lines.slice(from);
    if (numbers.length === 0) continue;
    lines += numbers.length;
    const texts: LineTexts = { source: batch.source, from: from === 0 ? batch.from : batch.from.slice(from), to: from === 0 ? batch.to : batch.to.slice(from) };
    const fields = from === 0 ? batch.fields : batch.fields.slice(from);
    await rater.rate(numbers, texts, fields);
    await outputs.ready();
    meter.batch(numbers.length);
  }
  await rater.drain();
  meter.endFile();
  return { name, sha256: reader.sha256(), lines, format: format.name };
}
