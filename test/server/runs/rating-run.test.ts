import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError, RunCancelled, startRating, type RateProgress, type RatingRun } from '../../../server/runs/rate-run.js';
import { RatePool } from '../../../server/runs/rate-pool.js';
import { loadWorkbookFile } from '../../../server/model/workbook-file.js';
import type { RatingModel } from '../../../rules/rating/rating-model.js';

// Every worker thread the runs start, counted as it starts and as it exits: a cancelled run must
// leave none running.
const threads = vi.hoisted(() => ({ started: 0, exited: 0 }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class CountedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      threads.started++;
      this.once('exit', () => threads.exited++);
    }
  }
  return { ...real, Worker: CountedWorker };
});

const temp = (): Promise<string> => mkdtemp(join(tmpdir(), 'ratebook-rating-run-'));
let model: RatingModel;
/** 200,000 data lines: the sample's lines over and over, ids made unique. */
let big: { path: string; name: string; lines: number };
/** The sample gzipped: its progress counts compressed bytes. */
let gz: { path: string; name: string };

beforeAll(async () => {
  const r = await loadWorkbookFile('workbooks/sample-uk-reseller.xlsx');
  if (!r.ok || !r.value.model) throw new Error('sample does not compile');
  model = r.value.model;
  const source = (await readFile('workbooks/sample-calls.csv', 'utf8')).trim().split('\n');
  const body = source.slice(1);
  const lines = [source[0]];
  for (let k = 0; lines.length <= 200_000; k++) for (const l of body) if (lines.length <= 200_000) lines.push(l.replace(/^[^,]*/, (id) => (id === '' ? '' : `${id}-${k}`)));
  const dir = await temp();
  big = { path: join(dir, 'big.csv'), name: 'big.csv', lines: lines.length - 1 };
  await writeFile(big.path, lines.join('\n') + '\n');
  gz = { path: join(dir, 'sample.csv.gz'), name: 'sample.csv.gz' };
  await writeFile(gz.path, gzipSync(await readFile('workbooks/sample-calls.csv')));
});

/** The run's reports and, alongside, what its getter said every few milliseconds. */
function watched(start: (onProgress: (p: RateProgress) => void) => RatingRun): { run: RatingRun; reports: { at: number; p: RateProgress }[]; polled: RateProgress[]; stop: () => void } {
  const reports: { at: number; p: RateProgress }[] = [];
  const polled: RateProgress[] = [];
  const run = start((p) => reports.push({ at: Date.now(), p }));
  const timer = setInterval(() => polled.push(run.progress), 5);
  return { run, reports, polled, stop: () => clearInterval(timer) };
}

const monotonic = (ps: RateProgress[]): void => {
  for (let i = 1; i < ps.length; i++) {
    expect(ps[i].bytes).toBeGreaterThanOrEqual(ps[i - 1].bytes);
    expect(ps[i].lines).toBeGreaterThanOrEqual(ps[i - 1].lines);
    expect(ps[i].bytes).toBeLessThanOrEqual(ps[i].totalBytes);
  }
};

describe('progress', () => {
  it('counts bytes as stored up to the files’ sizes on disk and lines up to the input, never going back', async () => {
    const files = [big, gz];
    const totalBytes = (await stat(big.path)).size + (await stat(gz.path)).size;
    const out = await temp();
    const lineEvery: string[] = [];
    const w = watched((onProgress) => startRating({ model, workbookHash: 'h', files, outDir: out, onProgress, progress: (l) => lineEvery.push(l) }));
    // Known the moment the run starts, before anything is read.
    expect(w.run.progress).toEqual({ bytes: 0, totalBytes, lines: 0, file: null });
    const { summary } = await w.run.done;
    w.stop();
    const ps = w.reports.map((r) => r.p);
    expect(summary.input).toBe(big.lines + 3235);
    expect(ps[0]).toEqual({ bytes: 0, totalBytes, lines: 0, file: null });
    expect(ps.at(-1)).toEqual({ bytes: totalBytes, totalBytes, lines: summary.input, file: null });
    expect(w.run.progress).toEqual(ps.at(-1));
    // Some reports in between, while the files are read, 250 ms apart at least.
    const between = ps.slice(1, -1);
    expect(between.length).toBeGreaterThan(0);
    for (const p of between) {
      expect(['big.csv', 'sample.csv.gz']).toContain(p.file);
      expect(p.lines).toBeGreaterThan(0);
      expect(p.lines).toBeLessThanOrEqual(summary.input);
    }
    for (let i = 2; i < w.reports.length - 1; i++) expect(w.reports[i].at - w.reports[i - 1].at).toBeGreaterThanOrEqual(245);
    monotonic(ps);
    monotonic(w.polled);
    expect(w.polled.some((p) => p.bytes > 0 && p.bytes < totalBytes)).toBe(true);
    // The line for people is made from the same counts.
    // (On a slow machine a line may come while the second file is read: it names that file.)
    for (const l of lineEvery) expect(l).toMatch(/^(big\.csv|sample\.csv\.gz): [\d,]+ lines, [\d,]+ lines\/s, \d+% of \1$/);
  });
});

describe('cancelling', () => {
  // One thread; one worker beside it; every batch on a worker (some in flight when the cancel
  // comes); the caller's own pool, through an AbortSignal.
  const cases: { title: string; workers: number; workersOnly?: boolean; pool?: boolean; signal?: boolean }[] = [
    { title: 'on one thread', workers: 0 },
    { title: 'with a worker', workers: 1 },
    { title: 'with every batch on a worker', workers: 1, workersOnly: true },
    { title: 'with the caller’s workers, through its AbortSignal', workers: 1, pool: true, signal: true },
  ];
  for (const c of cases) {
    it(`mid-run ${c.title}: rejects with RunCancelled, outDir as it was, no .partial, workers closed`, async () => {
      const out = await temp();
      // What an earlier run left in outDir stays as it was.
      await writeFile(join(out, 'rated.csv'), 'earlier\n');
      const before = { ...threads };
      const abort = new AbortController();
      const pool = c.pool ? new RatePool(c.workers, model.rows, model.positions) : undefined;
      let cancelledAt: RateProgress | null = null;
      const run: RatingRun = startRating({
        model, workbookHash: 'h', files: [big], outDir: out, workers: c.workers, workersOnly: c.workersOnly, pool, signal: c.signal ? abort.signal : undefined,
        onProgress: (p) => {
          if (cancelledAt === null && p.lines >= 20_000) {
            cancelledAt = p;
            if (c.signal) abort.abort();
            else run.cancel();
          }
        },
      });
      const err = await run.done.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(RunCancelled);
      expect(err).not.toBeInstanceOf(InputError);
      // It stopped within a few batches of the cancel, far from the end.
      expect(cancelledAt).not.toBeNull();
      expect(run.progress.lines).toBeLessThan(cancelledAt!.lines + 20 * 2048);
      expect(run.progress.lines).toBeLessThan(big.lines);
      expect(await readdir(out)).toEqual(['rated.csv']);
      expect(await readFile(join(out, 'rated.csv'), 'utf8')).toBe('earlier\n');
      const started = threads.started - before.started;
      expect(started).toBe(c.workers);
      expect(threads.exited - before.exited).toBe(started);
      // Cancelling again, after the end, changes nothing.
      run.cancel();
    });
  }

  it('before the start rates nothing, writes nothing (not even outDir) and closes the caller’s workers', async () => {
    const out = join(await temp(), 'out');
    const abort = new AbortController();
    abort.abort();
    const before = { ...threads };
    const pool = new RatePool(1, model.rows, model.positions);
    const seen = { progress: 0, rated: 0, exceptions: 0 };
    const run = startRating({
      model, workbookHash: 'h', files: [big], outDir: out, pool, signal: abort.signal,
      onProgress: () => seen.progress++, onException: () => seen.exceptions++,
    });
    await expect(run.done).rejects.toBeInstanceOf(RunCancelled);
    expect(seen).toEqual({ progress: 0, rated: 0, exceptions: 0 });
    expect(run.progress.lines).toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(threads.started - before.started).toBe(1);
    expect(threads.exited - before.exited).toBe(1);
  });

  it('leaves a run that is not cancelled to write what it always wrote, and a cancel after the end changes nothing', async () => {
    const out = await temp();
    const abort = new AbortController();
    const run = startRating({ model, workbookHash: 'h', files: [{ path: 'workbooks/sample-calls.csv', name: 'sample-calls.csv' }], outDir: out, signal: abort.signal });
    const { summary } = await run.done;
    abort.abort();
    run.cancel();
    expect(summary.input).toBe(3235);
    expect((await readdir(out)).sort()).toEqual(['exceptions.csv', 'exceptions.xlsx', 'rated.csv', 'summary.json']);
    expect(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'))).toEqual(summary);
  });
});
