// Billing a period on the server (SPEC §3, §7 POST /api/bills): the rated calls of every done run,
// deduplicated across runs, billed with the published version and the data directory's billing
// history — what `ratebook bill --data` does with files it rates itself, so the two agree byte for
// byte. Bills are made one at a time. A draft replaces the period's last draft; a final is kept
// in the history (ledger and history/<period>/) as the command line keeps it.
//
// Where the work runs: a bill over less than WORKER_BYTES of rated.csv (the sample's is 0.5 MB)
// is made on the main thread — well under a second. A bigger one is made in a worker thread
// (bill-worker.ts): runBilling is one synchronous call (about 10 s for 2,000,000 calls) and each
// invoice document is written in one go, and the server must go on answering meanwhile. (The
// bundled server needs .build/bill-worker.mjs for that; without it every bill runs here.) Either way POST /api/bills answers when
// the bill is made: the UI waits on that one request rather than polling.

import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadHistory } from '../store/billing-history.js';
import { BillStore, type BillAttempt, type BillRecord, type PeriodBills } from '../store/bills.js';
import type { Store } from '../store/store.js';
import { computeBill, type BillJob, type BillOutcome } from './bill-compute.js';
import type { BillWorkerAnswer } from './bill-worker.js';
import { readRuns, runDir, type RunForBill } from './run-calls.js';

/** rated.csv bytes (about 170 a call) from which a bill is made off the main thread: ~25,000 calls. */
export const WORKER_BYTES = 4 * 1024 * 1024;

/** A bill refused for the state of things (SPEC §7: 409): a closed period, nothing published, a run still rating, a damaged run. */
export class BillConflict extends Error {}

export interface BillRequest {
  period: string;
  final: boolean;
  /** Token name of whoever asked. */
  who: string;
}

export interface BillServiceOptions {
  /** rated.csv bytes from which the bill is made in a worker thread (default WORKER_BYTES; 0: always; Infinity: never). */
  workerBytes?: number;
  /** The runs, ids ascending (default: DIR/runs/<id>/run.json read directly). */
  runs?: () => Promise<RunForBill[]>;
}

/** The bundled worker beside the bundled server; under tsx/vitest, the TypeScript source; null when neither is there. */
function workerScript(): URL | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return new URL('./bill-worker-dev.mjs', import.meta.url);
  const url = new URL('./bill-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

function inWorker(url: URL, job: BillJob): Promise<BillOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: job });
    let answered = false;
    worker.once('message', (m: BillWorkerAnswer) => {
      answered = true;
      if (m.ok) resolve(m.outcome);
      else reject(new Error(`the bill worker failed: ${m.error}`));
      void worker.terminate();
    });
    worker.once('error', (e) => {
      answered = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the bill worker stopped (exit code ${code}) before answering`));
    });
  });
}

export class BillService {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly dataDir: string,
    private readonly versions: Store,
    readonly bills: BillStore,
    private readonly options: BillServiceOptions,
  ) {}

  /** Opens DIR/bills (finishing what a crash left: see server/store/bills.ts). */
  static async open(dataDir: string, versions: Store, options: BillServiceOptions = {}): Promise<BillService> {
    return new BillService(dataDir, versions, await BillStore.open(dataDir), options);
  }

  list(): Promise<PeriodBills[]> {
    return this.bills.list();
  }

  period(period: string): Promise<PeriodBills> {
    return this.bills.period(period);
  }

  filePath(period: string, name: string): Promise<string | null> {
    return this.bills.filePath(period, name);
  }

  /** Bills a period, after any bill in progress; throws BillConflict when it may not be billed. */
  bill(req: BillRequest): Promise<BillRecord> {
    if (this.closed) return Promise.reject(new BillConflict('the server is stopping; bill again once it has restarted'));
    const next = this.chain.then(() => this.make(req));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Waits for the bill in progress (and those queued) to finish; refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
  }

  private async make(req: BillRequest): Promise<BillRecord> {
    const { period } = req;
    const published = await this.versions.published();
    if (!published) throw new BillConflict('no workbook version is published: publish one before billing');
    const history = await loadHistory(this.dataDir);
    const last = history.finalPeriods[history.finalPeriods.length - 1];
    if (last !== undefined && period <= last) {
      throw new BillConflict(
        history.finalPeriods.includes(period)
          ? `${period} is already final; a final invoice never changes`
          : `${period} is before the last final period ${last}; closed periods are corrected by adjustments on the next invoice`,
      );
    }
    const runs = await (this.options.runs ?? (() => readRuns(this.dataDir)))();
    if (req.final) {
      const busy = runs.filter((r) => r.status === 'queued' || r.status === 'rating');
      if (busy.length > 0) {
        throw new BillConflict(`run${busy.length > 1 ? 's' : ''} ${busy.map((r) => r.id).join(', ')} ${busy.length > 1 ? 'are' : 'is'} still rating: finalise once ${busy.length > 1 ? 'they are' : 'it is'} done, so ${busy.length > 1 ? 'their' : 'its'} calls are on this bill`);
      }
    }
    const done = runs.filter((r) => r.status === 'done');
    const attempt: BillAttempt = { period, status: 'billing', final: req.final, createdBy: req.who, createdAt: new Date().toISOString() };
    const dir = await this.bills.begin(attempt);
    try {
      const job: BillJob = {
        dataDir: this.dataDir,
        period,
        final: req.final,
        version: { seq: published.seq, contentHash: published.contentHash },
        rowsText: await this.versions.loadRowsText(published.seq),
        runs: done,
        dir,
        createdBy: attempt.createdBy,
        createdAt: attempt.createdAt,
      };
      let bytes = 0;
      for (const r of done) bytes += await stat(join(runDir(this.dataDir, r.id), 'rated.csv')).then((s) => s.size, () => 0);
      const script = workerScript();
      const outcome = script && bytes >= (this.options.workerBytes ?? WORKER_BYTES) ? await inWorker(script, job) : await computeBill(job);
      switch (outcome.kind) {
        case 'made':
          if (req.final) await this.bills.commitFinal(period, dir);
          else await this.bills.commitDraft(period, dir);
          return outcome.bill;
        case 'refused':
          await this.bills.abandon(period, dir);
          throw new BillConflict(outcome.message);
        case 'failed':
          await this.bills.fail(attempt, dir, outcome.message);
          throw new BillConflict(`${period} cannot be billed: ${outcome.message}`);
      }
    } catch (e) {
      if (!(e instanceof BillConflict)) await this.bills.fail(attempt, dir, e instanceof Error ? e.message : String(e)).catch(() => undefined);
      throw e;
    }
  }
}
