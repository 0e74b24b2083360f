// Where a run rates: on a thread of its own (run-worker.ts) when the worker script is there — the
// bundled server's .build/run-worker.mjs, or the TypeScript source under tsx — else on this thread.
// Either way the run service gets the same handle: progress as it comes, cancel, and the end
// (the summary and the Summary tab's reasons), or InputError / RunCancelled / an Error.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ExceptionSummary } from '../../rules/rating/exception-summary.js';
import type { RatingModel } from '../../rules/rating/rating-model.js';
import type { RateProgress, RateSummary } from './rate-options.js';
import { InputError, RunCancelled, startRating } from './rate-run.js';
import { reasonRows, type ReasonSummary } from './reason-summary.js';
import type { RunWorkerJob, RunWorkerMessage, RunWorkerRequest } from './run-worker.js';

export interface RunHandle {
  cancel(): void;
  done: Promise<{ summary: RateSummary; reasons: ReasonSummary[] }>;
}

export type RunJob = Omit<RunWorkerJob, 'rowsPath'>;

/** The run worker's script; null when this build has none (the run then rates on this thread). */
export function runWorkerScript(): URL | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return new URL('./run-worker-dev.mjs', import.meta.url);
  const url = new URL('./run-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Rates on a thread of its own; the thread reads the version's rows and builds its model. */
export function rateInWorker(script: URL, job: RunWorkerJob, onProgress: (p: RateProgress) => void): RunHandle {
  const worker = new Worker(script, { workerData: job });
  let ended = false;
  const done = new Promise<{ summary: RateSummary; reasons: ReasonSummary[] }>((resolve, reject) => {
    worker.on('message', (m: RunWorkerMessage) => {
      if (m.kind === 'progress') return onProgress(m.progress);
      ended = true;
      if (m.kind === 'done') resolve({ summary: m.summary, reasons: m.reasons });
      else reject(m.why === 'cancelled' ? new RunCancelled() : m.why === 'input' ? new InputError(m.error) : new Error(`the rating thread failed: ${m.error}`));
    });
    worker.once('error', (e) => {
      ended = true;
      reject(new Error(`the rating thread failed: ${e.stack ?? e.message}`));
    });
    worker.once('exit', (code) => {
      if (!ended) reject(new Error(`the rating thread stopped (exit code ${code}) before the run ended`));
    });
  });
  return {
    cancel: () => {
      if (!ended) worker.postMessage({ kind: 'cancel' } satisfies RunWorkerRequest);
    },
    done,
  };
}

/** Rates on this thread (a build without the run worker): the same handle. */
export function rateHere(model: RatingModel, job: RunJob, onProgress: (p: RateProgress) => void): RunHandle {
  const reasons = new ExceptionSummary();
  const rating = startRating({ ...job, model, onException: (e) => reasons.add(e), onProgress });
  return {
    cancel: () => rating.cancel(),
    done: rating.done.then(({ summary }) => ({ summary, reasons: reasonRows(reasons) })),
  };
}
