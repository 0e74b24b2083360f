// The server's rating queue (SPEC §7 runs): runs are rated in the background, off the request that
// made them, at most `concurrency` at a time; each run's progress is kept and told to its watchers
// (the events route) as it grows, then one `done` or `failed`.
//
// On open, a run found `rating` was cut off by a stop or a crash: it is marked failed with the
// error `interrupted` (retry rates it again from its kept files); a run still `queued` is rated.
// close() stops taking work, cancels the runs in flight (marked `interrupted` as a crash would
// leave them) and leaves queued runs queued for the next start.
//
// Each run rates on a thread of its own (run-thread.ts), so the main thread does no per-line work
// and keeps answering requests; big runs also start rating workers, as the command line does
// (workerCount). A build without the run worker rates on the main thread, which then answers
// between the reader's chunks.

import { EventEmitter } from 'node:events';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { buildRatingModel, type RatingModel } from '../../rules/rating/rating-model.js';
import { DuplicateFileError, RunStore, type NewRun, type RunRecord } from '../store/runs.js';
import type { Store } from '../store/store.js';
import { writeJsonAtomic } from '../store/store.js';
import type { RateProgress, RateSummary } from './rate-options.js';
import { InputError, RunCancelled } from './rate-run.js';
import { writeReasons } from './reason-summary.js';
import { rateHere, rateInWorker, runWorkerScript, type RunHandle, type RunJob } from './run-thread.js';

export { reasonRows, writeExceptionSummary, type ReasonSummary } from './reason-summary.js';

/** Progress as the API shows it. */
export interface RunProgress {
  bytes: number;
  totalBytes: number;
  lines: number;
}

/** What a watcher hears: progress, then one done or failed; `closed` when the server stops before the run ends. */
export type RunEvent = { kind: 'progress'; progress: RunProgress } | { kind: 'done'; summary: RateSummary } | { kind: 'failed'; error: string } | { kind: 'closed' };

/** A version ready to rate with: its rating model and content hash. */
export interface RunModel {
  model: RatingModel;
  hash: string;
}

/** A request the service cannot carry out in the run's present state (the routes answer 409). */
export class RunStateError extends Error {}

export interface RunServiceOptions {
  store: Store;
  /** Runs rated at once (default 2). */
  concurrency?: number;
  /** Worker threads for a run of this many bytes (default: as the command line, see workerCount). */
  workers?: (totalBytes: number) => number;
  /** The model of a version (default: storeRunModels; the server passes cachedRunModels). */
  model?: (seq: number) => Promise<RunModel>;
  /** Rows a reason's tab of exceptions.xlsx keeps (default 2,000). */
  maxTabRows?: number;
  /** `here`: rate on this thread even when the run worker is there (default: a thread per run when it is). */
  thread?: 'worker' | 'here';
}

/** Input at which a run is worth a worker thread (the command line's threshold). */
const WORKER_THRESHOLD_BYTES = 64 * 1024 * 1024;

/** The command line's default: one fewer than the cores for 64 MiB of CDRs or more, else none. */
export const workerCount = (totalBytes: number): number => (totalBytes >= WORKER_THRESHOLD_BYTES ? Math.min(16, Math.max(1, availableParallelism() - 1)) : 0);


/** A version's model built from its stored rows, the last `keep` kept (a service without a server context: tests, the bench). */
export function storeRunModels(store: Store, keep = 2): (seq: number) => Promise<RunModel> {
  const cache = new Map<number, Promise<RunModel>>();
  return (seq) => {
    let p = cache.get(seq);
    if (p) {
      cache.delete(seq);
      cache.set(seq, p);
      return p;
    }
    p = (async () => {
      const v = (await store.listVersions()).find((x) => x.seq === seq);
      if (!v) throw new InputError(`there is no version ${seq}`);
      if (v.counts.error > 0) throw new InputError(`version ${seq} has errors and cannot rate calls`);
      return { model: buildRatingModel(await store.loadRows(seq)), hash: v.contentHash };
    })();
    cache.set(seq, p);
    p.catch(() => cache.delete(seq));
    while (cache.size > keep) cache.delete(cache.keys().next().value!);
    return p;
  };
}

interface Active {
  rating: RunHandle | null;
  progress: RunProgress;
  done: Promise<void>;
}

const sumBytes = (r: RunRecord): number => r.files.reduce((n, f) => n + f.bytes, 0);

export class RunService {
  readonly runs: RunStore;
  private readonly queue: number[] = [];
  private readonly active = new Map<number, Active>();
  private readonly emitters = new Map<number, EventEmitter>();
  private readonly concurrency: number;
  private readonly modelOf: (seq: number) => Promise<RunModel>;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  private constructor(
    runs: RunStore,
    private readonly options: RunServiceOptions,
  ) {
    this.runs = runs;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.modelOf = options.model ?? storeRunModels(options.store);
  }

  /** Opens the runs of the data directory: interrupted runs marked failed, queued runs started. */
  static async open(options: RunServiceOptions): Promise<RunService> {
    const s = new RunService(await RunStore.open(options.store.runsDir), options);
    for (const r of [...s.runs.list()].reverse()) {
      if (r.status === 'rating') {
        await s.runs.update(r.id, (x) => ({ ...x, status: 'failed', error: 'interrupted', finishedAt: new Date().toISOString() }));
        // What the cut-off run had written (a retry would clear it too).
        await rm(join(s.runs.runDir(r.id), '.partial'), { recursive: true, force: true });
      }
      else if (r.status === 'queued') s.queue.push(r.id);
    }
    // Queued runs start on the next turn, once the caller holds the service (and its context).
    setImmediate(() => s.pump());
    return s;
  }

  // --- requests --------------------------------------------------------------------------------

  /** Records a queued run holding the files (DuplicateFileError for a file already rated) and starts it when there is room. */
  async submit(req: NewRun): Promise<RunRecord> {
    if (this.closed) throw new RunStateError('the server is stopping; send the files again once it has restarted');
    const rec = await this.runs.create(req);
    this.enqueue(rec.id);
    return rec;
  }

  /** Rates a failed run again from its kept files. */
  async retry(id: number): Promise<RunRecord> {
    if (this.closed) throw new RunStateError('the server is stopping; retry once it has restarted');
    const cur = this.runs.get(id);
    if (!cur) throw new RunStateError(`there is no run ${id}`);
    if (cur.status !== 'failed') throw new RunStateError(`run ${id} is ${cur.status}; only a failed run can be retried`);
    for (const f of cur.files) {
      const holder = this.runs.holderOf(f.sha256, id);
      if (holder) throw new DuplicateFileError(f.name, holder.id);
    }
    const rec = await this.runs.update(id, (r) => {
      const { error: _e, summary: _s, startedAt: _a, finishedAt: _b, ...rest } = r;
      return { ...rest, status: 'queued' };
    });
    this.enqueue(id);
    return rec;
  }

  /** Where a run has got to: live while rating, whole once done, nothing read before. */
  progress(id: number): RunProgress {
    const live = this.active.get(id);
    if (live) return { ...live.progress };
    const r = this.runs.get(id);
    if (!r) throw new RunStateError(`there is no run ${id}`);
    const total = sumBytes(r);
    return r.status === 'done' ? { bytes: total, totalBytes: total, lines: r.summary?.input ?? 0 } : { bytes: 0, totalBytes: total, lines: 0 };
  }

  /**
   * Tells `listener` of the run's progress and its end. A run already done or failed gets its
   * final event at once. Returns the function that stops listening.
   */
  watch(id: number, listener: (e: RunEvent) => void): () => void {
    const r = this.runs.get(id);
    if (!r) throw new RunStateError(`there is no run ${id}`);
    const final = this.finalEvent(r);
    if (final) {
      listener(final);
      return () => undefined;
    }
    const em = this.emitterOf(id);
    em.on('event', listener);
    return () => void em.off('event', listener);
  }

  /** A version's rating model and hash, as the fallback path rates with (re-rate and what-if use it too). */
  versionModel(seq: number): Promise<RunModel> {
    return this.modelOf(seq);
  }

  /** A folder inside the run to write replacement outputs into (for replaceOutputs). */
  stageOutputs(id: number): Promise<string> {
    return this.runs.stageDir(id);
  }

  /**
   * Puts a done run's staged outputs (rated.csv, exceptions.csv, exceptions.xlsx, summary.json,
   * exception-summary.json: those present in `stage`, a folder from stageOutputs) in place
   * together, with the new summary (also written as summary.json when the stage has none). New
   * exceptions need their summary: a stage with exceptions.csv must hold exception-summary.json
   * too (reason-summary.ts: writeExceptionSummary, from an ExceptionSummary fed every exception).
   */
  async replaceOutputs(id: number, stage: string, summary: RateSummary): Promise<RunRecord> {
    const r = this.runs.get(id);
    if (!r) throw new RunStateError(`there is no run ${id}`);
    if (r.status !== 'done') throw new RunStateError(`run ${id} is ${r.status}; only a done run's outputs can be replaced`);
    const has = async (f: string): Promise<boolean> => stat(join(stage, f)).then(() => true, () => false);
    if ((await has('exceptions.csv')) && !(await has('exception-summary.json'))) throw new Error('replaceOutputs: a stage with exceptions.csv needs exception-summary.json');
    if (!(await has('summary.json'))) await writeJsonAtomic(join(stage, 'summary.json'), summary);
    return this.runs.replaceOutputs(id, stage, summary);
  }

  /** Resolves when no run is queued or rating (tests, the bench). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work and cancels the runs in flight (left failed `interrupted`); queued runs wait for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const running = [...this.active.values()];
    for (const a of running) a.rating?.cancel();
    await Promise.all(running.map((a) => a.done));
    // Watchers of queued runs: nothing more will happen to those runs in this process.
    for (const em of this.emitters.values()) em.emit('event', { kind: 'closed' } satisfies RunEvent);
    this.emitters.clear();
  }

  // --- the queue -------------------------------------------------------------------------------

  private enqueue(id: number): void {
    this.queue.push(id);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const r = this.runs.get(id);
      if (!r || r.status !== 'queued' || this.active.has(id)) continue;
      const a: Active = { rating: null, progress: { bytes: 0, totalBytes: sumBytes(r), lines: 0 }, done: Promise.resolve() };
      this.active.set(id, a);
      a.done = this.rate(r, a).finally(() => {
        this.active.delete(id);
        this.emitters.delete(id);
        this.pump();
        if (this.queue.length === 0 && this.active.size === 0) {
          const w = this.idleWaiters;
          this.idleWaiters = [];
          for (const f of w) f();
        }
      });
    }
  }

  private async rate(rec: RunRecord, a: Active): Promise<void> {
    const id = rec.id;
    try {
      await this.runs.update(id, (r) => ({ ...r, status: 'rating', startedAt: new Date().toISOString() }));
      const job: RunJob = {
        workbookHash: '',
        files: this.runs.inputs(rec),
        format: rec.format ?? undefined,
        outDir: this.runs.runDir(id),
        // The run's outputs are in the data directory: on disk before they are renamed into place.
        durable: true,
        maxTabRows: this.options.maxTabRows,
        workers: (this.options.workers ?? workerCount)(a.progress.totalBytes),
      };
      const onProgress = (p: RateProgress): void => {
        // Capped so a watcher never sees it shrink.
        a.progress = { bytes: Math.max(a.progress.bytes, p.bytes), totalBytes: p.totalBytes, lines: Math.max(a.progress.lines, p.lines) };
        this.emit(id, { kind: 'progress', progress: { ...a.progress } });
      };
      const script = this.options.thread === 'here' ? null : runWorkerScript();
      let handle: RunHandle;
      if (script) {
        // The run's thread reads and parses the version's rows itself (47 MB of JSON for a workbook
        // of 100,000 numbers: reading it here stopped this thread for a few hundred ms).
        const v = (await this.options.store.listVersions()).find((x) => x.seq === rec.version);
        if (!v) throw new InputError(`there is no version ${rec.version}`);
        if (v.counts.error > 0) throw new InputError(`version ${rec.version} has errors and cannot rate calls`);
        handle = rateInWorker(script, { ...job, workbookHash: v.contentHash, rowsPath: join(this.options.store.versionsDir, String(v.seq), 'rows.json') }, onProgress);
      } else {
        const vm = await this.modelOf(rec.version);
        handle = rateHere(vm.model, { ...job, workbookHash: vm.hash }, onProgress);
      }
      a.rating = handle;
      if (this.closed) handle.cancel();
      const { summary, reasons } = await handle.done;
      await writeReasons(this.runs.outputPath(id, 'exception-summary.json'), reasons);
      a.progress = { bytes: a.progress.totalBytes, totalBytes: a.progress.totalBytes, lines: summary.input };
      await this.runs.update(id, (r) => ({ ...r, status: 'done', summary, finishedAt: new Date().toISOString() }));
      this.emit(id, { kind: 'done', summary });
    } catch (e) {
      const error = e instanceof RunCancelled ? 'interrupted' : e instanceof InputError ? e.message : `the run failed: ${(e as Error).message ?? String(e)}`;
      if (!(e instanceof RunCancelled) && !(e instanceof InputError)) console.error(`ratebook: run ${id} failed:`, e);
      await this.runs.update(id, (r) => ({ ...r, status: 'failed', error, finishedAt: new Date().toISOString() })).catch((w: unknown) => console.error(`ratebook: run ${id}: cannot record its failure:`, w));
      this.emit(id, { kind: 'failed', error });
    }
  }

  private emitterOf(id: number): EventEmitter {
    let em = this.emitters.get(id);
    if (!em) {
      em = new EventEmitter();
      em.setMaxListeners(0);
      this.emitters.set(id, em);
    }
    return em;
  }

  private emit(id: number, e: RunEvent): void {
    this.emitters.get(id)?.emit('event', e);
  }

  private finalEvent(r: RunRecord): RunEvent | null {
    if (r.status === 'done' && r.summary) return { kind: 'done', summary: r.summary };
    if (r.status === 'failed') return { kind: 'failed', error: r.error ?? 'failed' };
    return null;
  }
}
