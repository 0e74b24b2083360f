// A whole rating run on a thread of its own, so the server's main thread does no per-line work
// while it rates: it reads the version's rows and builds their model, runs startRating (with
// rating workers of its own for big runs, as the command line starts them), feeds every exception into the Summary tab's counts, and
// posts progress and the end to the server's run service (run-thread.ts is the other side).

import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { CallException } from '../../rules/cdr/cdr.js';
import { ExceptionSummary } from '../../rules/rating/exception-summary.js';
import { buildRatingModel } from '../../rules/rating/rating-model.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import type { RateProgress, RateSummary } from './rate-options.js';
import { RatePool } from './rate-pool.js';
import { InputError, RunCancelled, startRating } from './rate-run.js';
import { reasonRows, type ReasonSummary } from './reason-summary.js';
import { runInBackground } from './background-priority.js';

export interface RunWorkerJob {
  /** The version's rows.json (DIR/versions/<seq>/rows.json, see store.ts): read and parsed on this thread. */
  rowsPath: string;
  workbookHash: string;
  files: { path: string; name: string }[];
  format?: string;
  outDir: string;
  /** fsync the outputs before they are renamed into outDir (RateOptions.durable). */
  durable?: boolean;
  maxTabRows?: number;
  /** Rating workers this run starts (0: this thread rates every line). */
  workers: number;
}

/** To the worker: stop (the run rejects with RunCancelled and leaves outDir as it was). */
export type RunWorkerRequest = { kind: 'cancel' };

export type RunWorkerMessage =
  | { kind: 'progress'; progress: RateProgress }
  | { kind: 'done'; summary: RateSummary; reasons: ReasonSummary[] }
  /** `input`: a file could not be used; `cancelled`; `bug`: anything else (with its stack). */
  | { kind: 'failed'; why: 'input' | 'cancelled' | 'bug'; error: string };

runInBackground();
const job = workerData as RunWorkerJob;
const post = (m: RunWorkerMessage): void => parentPort!.postMessage(m);
let cancelled = false;
let cancel: (() => void) | null = null;
parentPort!.on('message', (m: RunWorkerRequest) => {
  if (m.kind === 'cancel') {
    cancelled = true;
    cancel?.();
  }
});

async function run(): Promise<void> {
  const text = await readFile(job.rowsPath, 'utf8');
  // Rating workers take the rows as text and build their models while this thread builds its own.
  const pool = job.workers > 0 ? new RatePool(job.workers, text, {}) : undefined;
  const model = buildRatingModel(JSON.parse(text) as SheetRows);
  // A cancel that came while the model was built was only read now.
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (cancelled) {
    await pool?.close();
    throw new RunCancelled();
  }
  const reasons = new ExceptionSummary();
  const rating = startRating({
    model,
    workbookHash: job.workbookHash,
    files: job.files,
    format: job.format,
    outDir: job.outDir,
    durable: job.durable,
    maxTabRows: job.maxTabRows,
    workers: job.workers,
    pool,
    onException: (e: CallException) => reasons.add(e),
    onProgress: (progress) => post({ kind: 'progress', progress }),
  });
  cancel = () => rating.cancel();
  const { summary } = await rating.done;
  post({ kind: 'done', summary, reasons: reasonRows(reasons) });
}

// After the last message the port no longer keeps the thread alive: it ends once its work is done.
run().then(
  () => parentPort!.unref(),
  (e: unknown) => {
    const why = e instanceof RunCancelled ? 'cancelled' : e instanceof InputError ? 'input' : 'bug';
    post({ kind: 'failed', why, error: why === 'bug' ? ((e as Error)?.stack ?? String(e)) : (e as Error).message });
    parentPort!.unref();
  },
);
