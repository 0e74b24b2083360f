// A worker thread that makes one big bill (computeBill) off the server's main thread, so requests
// keep being answered while runBilling works through millions of calls (about 10 s for 2,000,000).

import { parentPort, workerData } from 'node:worker_threads';
import { runInBackground } from '../runs/background-priority.js';
import { computeBill, type BillJob, type BillOutcome } from './bill-compute.js';

export type BillWorkerAnswer = { ok: true; outcome: BillOutcome } | { ok: false; error: string };

runInBackground();
computeBill(workerData as BillJob).then(
  (outcome) => parentPort!.postMessage({ ok: true, outcome } satisfies BillWorkerAnswer),
  (e: unknown) => parentPort!.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies BillWorkerAnswer),
);
