// A rating run as something to start, watch and stop (SPEC §6 `rate`, §7 runs): CDR files through
// mediation, dedupe, owners, fraud and pricing into rated.csv, exceptions.csv, exceptions.xlsx and
// summary.json. Every data line ends as exactly one rated call or one exception. Files are
// streamed; what the run remembers is what dedupe and the fraud windows need.
//
// The steps, in order: open the outputs, start the workers, rate each file's batches (settling
// each batch in line order), move the calls late fraud condemned, write the exceptions workbook and
// the summary, and rename the four files into place. A cancel is heeded between batches and
// between steps, up to the renames: the run then closes its workers and files, removes .partial
// and rejects with RunCancelled.

import { statSync } from 'node:fs';
import { formatMicro, type Micro } from '../../rules/money.js';
import { BatchRater } from './batch-rater.js';
import { BatchSettler } from './batch-settler.js';
import { rateFile, type FileRun } from './file-rating.js';
import { moveLateFraud } from './late-fraud.js';
import type { FileSummary, RateOptions, RateProgress, RateResult, RateSummary } from './rate-options.js';
import { RatePool } from './rate-pool.js';
import { throwIfCancelled } from './run-errors.js';
import { RunOutputs } from './run-outputs.js';
import { ProgressMeter } from './run-progress.js';

export interface RatingRun {
  /** Bytes and lines read so far (a new object each time; cheap enough to poll). */
  readonly progress: RateProgress;
  /**
   * Stops the run between batches: `done` then rejects with RunCancelled and outDir is left as it
   * was. No effect once the outputs are being renamed into place, or after the run has ended.
   */
  cancel(reason?: unknown): void;
  /** The summary once the four files are in outDir; InputError for a file that cannot be used; RunCancelled. */
  readonly done: Promise<RateResult>;
}

/** Starts rating at once; the files' sizes (for progress) are taken before it returns. */
export function startRating(opts: RateOptions): RatingRun {
  const stop = new AbortController();
  const outer = opts.signal;
  const relay = (): void => stop.abort(outer!.reason);
  if (outer?.aborted) relay();
  else outer?.addEventListener('abort', relay, { once: true });
  const meter = new ProgressMeter(opts.files.map((f) => sizeOnDisk(f.path)), opts.onProgress, opts.progress);
  const done = runRating(opts, meter, stop.signal).finally(() => outer?.removeEventListener('abort', relay));
  return {
    get progress() {
      return meter.snapshot();
    },
    cancel: (reason?: unknown) => stop.abort(reason),
    done,
  };
}

/** A file that cannot be read counts 0 here; rating it says why. */
function sizeOnDisk(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function runRating(opts: RateOptions, meter: ProgressMeter, signal: AbortSignal): Promise<RateResult> {
  /** The workers to close if the run stops: the caller's until the run starts its own. */
  let pool: RatePool | null = opts.pool ?? null;
  let outputs: RunOutputs | null = null;
  try {
    // Already cancelled: nothing is started and nothing written.
    throwIfCancelled(signal);
    const { model } = opts;
    outputs = await RunOutputs.open(opts.outDir, model.zone, { maxTabRows: opts.maxTabRows ?? 2000, onException: opts.onException, durable: opts.durable });
    pool = await startWorkers(opts);
    const settler = new BatchSettler(model, outputs.rated, outputs.sink, opts.onRated);
    const run: FileRun = {
      opts, model, billable: new Set(model.settings.billableDispositions), pool,
      rater: new BatchRater(settler, pool, opts.workersOnly === true), settler, outputs, meter, signal,
    };
    meter.start();
    const files: FileSummary[] = [];
    for (let fi = 0; fi < opts.files.length; fi++) {
      throwIfCancelled(signal);
      files.push(await rateFile(run, fi));
    }
    meter.finish();
    const workers = pool;
    pool = null;
    await workers?.close();
    await outputs.rated.close();
    throwIfCancelled(signal);

    const moved = await moveLateFraud(outputs.partial, settler.lateFraud(), opts.files.map((f) => f.name), outputs.sink, signal);
    settler.withdraw(moved);
    throwIfCancelled(signal);
    await outputs.finishExceptions();
    throwIfCancelled(signal);
    const summary = summarise(opts, settler, outputs, files);
    await outputs.publish(summary, signal);
    return { summary, withdrawn: moved.keys };
  } catch (e) {
    await pool?.close().catch(() => undefined);
    await outputs?.discard();
    throw e;
  }
}

/**
 * The workers that rate batches, if the run has any: the caller's pool, or `workers` started here.
 * Workers send back rows, not call objects: a run that hands every call on (onRated) rates on this
 * thread, and closes a pool it was given.
 */
async function startWorkers(opts: RateOptions): Promise<RatePool | null> {
  if (opts.onRated) {
    await opts.pool?.close();
    return null;
  }
  return opts.pool ?? ((opts.workers ?? 0) >= 1 ? new RatePool(opts.workers!, opts.model.rows, opts.model.positions) : null);
}

function summarise(opts: RateOptions, settler: BatchSettler, outputs: RunOutputs, files: FileSummary[]): RateSummary {
  return {
    input: files.reduce((n, f) => n + f.lines, 0),
    rated: settler.rated,
    exceptions: outputs.sink.summary.counts(),
    charge: trimMoney(settler.charge),
    cost: trimMoney(settler.cost),
    workbook: opts.workbookHash,
    files,
  };
}

/** Money in summary.json: at least two decimals, no trailing zeros past them. */
const trimMoney = (m: Micro): string => {
  const s = formatMicro(m, 6).replace(/0+$/, '');
  return s.endsWith('.') ? s + '00' : s.split('.')[1].length < 2 ? s + '0' : s;
};
