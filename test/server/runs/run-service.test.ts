import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunService, storeRunModels, type RunEvent } from '../../../server/runs/run-service.js';
import { DuplicateFileError, RunStore, type NewRunFile } from '../../../server/store/runs.js';
import { openStore, writeJsonAtomic, type Store } from '../../../server/store/store.js';
import { importSample, sampleLines, sampleSlice } from '../http/runs-fixture.js';

let dir: string;
let store: Store;
let services: RunService[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-runs-'));
  store = await openStore(join(dir, 'data'));
  await importSample(store);
  services = [];
});
afterEach(async () => {
  for (const s of services) await s.close();
  await rm(dir, { recursive: true, force: true });
});

const open = async (opts: Partial<Parameters<typeof RunService.open>[0]> = {}): Promise<RunService> => {
  const s = await RunService.open({ store, ...opts });
  services.push(s);
  return s;
};

let n = 0;
/** A CDR file outside the data directory (copied into a run, as the first start copies the sample). */
async function cdr(content: string): Promise<NewRunFile> {
  const path = join(dir, `in-${++n}.csv`);
  await writeFile(path, content);
  return { path, name: `calls-${n}.csv`, sha256: createHash('sha256').update(content).digest('hex'), bytes: Buffer.byteLength(content), gzip: false };
}

const newRun = async (content: string): Promise<Parameters<RunService['submit']>[0]> => ({ version: 1, format: null, files: [await cdr(content)], createdBy: 'test', move: false });

/** The sample's calls `copies` times over, each copy's ids and times its own: a run long enough to watch. */
async function bigSample(copies: number): Promise<string> {
  const [header, ...calls] = await sampleLines();
  const out = [header];
  for (let c = 0; c < copies; c++) for (const line of calls) out.push(line.replace(/^nwv-/, `c${c}-`).replace(/:(\d\d),/, (_m, s: string) => `:${String((Number(s) + c) % 60).padStart(2, '0')},`));
  return out.join('\n') + '\n';
}

describe('on open', () => {
  it('rates a run left queued', async () => {
    const runs = await RunStore.open(store.runsDir);
    const rec = await runs.create(await newRun(await sampleSlice(0, 300)));
    expect(rec.status).toBe('queued');
    const s = await open();
    await s.idle();
    const done = s.runs.get(rec.id)!;
    expect(done.status).toBe('done');
    expect(done.summary!.input).toBe(300);
    expect((await readdir(s.runs.runDir(rec.id))).sort()).toEqual(['cdrs', 'exception-summary.json', 'exceptions.csv', 'exceptions.xlsx', 'rated.csv', 'run.json', 'summary.json']);
  });

  it('marks a run left rating failed `interrupted`; a retry rates it from its kept file', async () => {
    const runs = await RunStore.open(store.runsDir);
    const rec = await runs.create(await newRun(await sampleSlice(0, 200)));
    await runs.update(rec.id, (r) => ({ ...r, status: 'rating' }));
    // What the cut-off rating had written goes.
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(runs.runDir(rec.id), '.partial'));
    await writeFile(join(runs.runDir(rec.id), '.partial', 'rated.csv'), 'half');
    const s = await open();
    expect(await readdir(s.runs.runDir(rec.id))).not.toContain('.partial');
    await s.idle();
    expect(s.runs.get(rec.id)).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(JSON.parse(await readFile(join(s.runs.runDir(rec.id), 'run.json'), 'utf8'))).toMatchObject({ status: 'failed', error: 'interrupted' });
    const again = await s.retry(rec.id);
    expect(again.status).toBe('queued');
    expect(again.error).toBeUndefined();
    await s.idle();
    expect(s.runs.get(rec.id)).toMatchObject({ status: 'done', summary: { input: 200 } });
  });

  it('removes a new run that a crash left half-made', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(store.runsDir, '.new-0123456789ab', 'cdrs'), { recursive: true });
    const s = await open();
    expect(await readdir(store.runsDir)).toEqual([]);
    expect(s.runs.list()).toEqual([]);
  });
});

describe('the queue', () => {
  it('rates two runs at once and keeps a third queued until one ends (on this thread when asked)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const models = storeRunModels(store);
    // The models wait at the gate: both runs are rating, neither can end.
    const s = await open({ thread: 'here', model: async (seq) => (await gate, models(seq)) });
    const a = await s.submit(await newRun(await sampleSlice(0, 100)));
    const b = await s.submit(await newRun(await sampleSlice(100, 200)));
    const c = await s.submit(await newRun(await sampleSlice(200, 300)));
    for (let i = 0; i < 100 && !(s.runs.get(a.id)!.status === 'rating' && s.runs.get(b.id)!.status === 'rating'); i++) await new Promise((r) => setTimeout(r, 10));
    expect([a, b, c].map((r) => s.runs.get(r.id)!.status)).toEqual(['rating', 'rating', 'queued']);
    release();
    await s.idle();
    expect([a, b, c].map((r) => s.runs.get(r.id)!.status)).toEqual(['done', 'done', 'done']);
    expect([a, b, c].map((r) => s.runs.get(r.id)!.summary!.input)).toEqual([100, 100, 100]);
  });

  it('tells watchers progress that only grows, then done', async () => {
    const s = await open();
    const run = await s.submit(await newRun(await bigSample(8)));
    const events: RunEvent[] = [];
    const stop = s.watch(run.id, (e) => events.push(e));
    await s.idle();
    stop();
    expect(events.at(-1)!.kind).toBe('done');
    const progress = events.flatMap((e) => (e.kind === 'progress' ? [e.progress] : []));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].bytes).toBeGreaterThanOrEqual(progress[i - 1].bytes);
      expect(progress[i].lines).toBeGreaterThanOrEqual(progress[i - 1].lines);
    }
    expect(progress.at(-1)).toEqual({ bytes: run.files[0].bytes, totalBytes: run.files[0].bytes, lines: 8 * 3235 });
    // A watcher after the end hears the end at once.
    const late: RunEvent[] = [];
    s.watch(run.id, (e) => late.push(e));
    expect(late).toEqual([{ kind: 'done', summary: s.runs.get(run.id)!.summary }]);
  });

  it('close() cancels a run mid-rating (failed `interrupted`, no outputs) and leaves queued runs for the next start', async () => {
    const s = await open({ concurrency: 1 });
    const run = await s.submit(await newRun(await bigSample(40)));
    const waiting = await s.submit(await newRun(await sampleSlice(0, 50)));
    await new Promise<void>((resolve) => {
      const stop = s.watch(run.id, (e) => {
        if (e.kind === 'progress' && e.progress.lines > 0) {
          stop();
          resolve();
        }
      });
    });
    const heard: RunEvent[] = [];
    s.watch(waiting.id, (e) => heard.push(e));
    await s.close();
    expect(s.runs.get(run.id)).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect((await readdir(s.runs.runDir(run.id))).sort()).toEqual(['cdrs', 'run.json']);
    expect(s.runs.get(waiting.id)!.status).toBe('queued');
    expect(heard).toEqual([{ kind: 'closed' }]);
    await expect(s.submit(await newRun('x'))).rejects.toThrow(/stopping/);
    const next = await open();
    await next.idle();
    expect(next.runs.get(waiting.id)!.status).toBe('done');
  });

  it('a failed run does not hold its files; retrying it once another run holds them is refused', async () => {
    const s = await open();
    const content = await sampleSlice(0, 100);
    const runs = s.runs;
    const first = await s.submit(await newRun(content));
    await s.idle();
    await runs.update(first.id, (r) => ({ ...r, status: 'failed', error: 'interrupted' }));
    await expect(s.submit(await newRun(content))).resolves.toMatchObject({ status: 'queued' });
    await s.idle();
    await expect(s.submit(await newRun(content))).rejects.toBeInstanceOf(DuplicateFileError);
    await expect(s.retry(first.id)).rejects.toThrow(/run 2 holds the same file/);
  });
});

describe('replacing outputs', () => {
  const header = 'file,line,id,start,caller,called,duration,reason,detail\n';

  it('puts staged files in place together with the new summary', async () => {
    const s = await open();
    const run = await s.submit(await newRun(await sampleSlice(0, 100)));
    await s.idle();
    const before = s.runs.get(run.id)!.summary!;
    const stage = await s.stageOutputs(run.id);
    await writeFile(join(stage, 'exceptions.csv'), header);
    await writeJsonAtomic(join(stage, 'exception-summary.json'), { reasons: [] });
    const summary = { ...before, rated: before.input, exceptions: {} };
    const after = await s.replaceOutputs(run.id, stage, summary);
    expect(after).toMatchObject({ revision: 1, summary: { rated: 100, exceptions: {} } });
    const d = s.runs.runDir(run.id);
    expect(await readFile(join(d, 'exceptions.csv'), 'utf8')).toBe(header);
    expect(JSON.parse(await readFile(join(d, 'summary.json'), 'utf8'))).toEqual(summary);
    expect(JSON.parse(await readFile(join(d, 'exception-summary.json'), 'utf8'))).toEqual({ reasons: [] });
    expect((await readdir(d)).filter((e) => e.startsWith('.'))).toEqual([]);
    expect(JSON.parse(await readFile(join(d, 'run.json'), 'utf8'))).toMatchObject({ revision: 1, summary: { exceptions: {} } });
  });

  it('refuses new exceptions without their summary, and runs that are not done', async () => {
    const s = await open();
    const run = await s.submit(await newRun(await sampleSlice(0, 50)));
    await s.idle();
    const stage = await s.stageOutputs(run.id);
    await writeFile(join(stage, 'exceptions.csv'), header);
    await expect(s.replaceOutputs(run.id, stage, s.runs.get(run.id)!.summary!)).rejects.toThrow(/exception-summary\.json/);
    await s.runs.update(run.id, (r) => ({ ...r, status: 'failed' }));
    await expect(s.replaceOutputs(run.id, stage, s.runs.get(run.id)!.summary!)).rejects.toThrow(/only a done run/);
  });

  it('a replacement cut off after its commit point is finished when the store opens; one cut off before it is dropped', async () => {
    const s = await open();
    const run = await s.submit(await newRun(await sampleSlice(0, 50)));
    await s.idle();
    await s.close();
    const d = s.runs.runDir(run.id);
    const rec = s.runs.get(run.id)!;
    // Committed: run.json names the stage; one file already moved, one still staged.
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(d, '.stage-aaaaaaaaaaaa'));
    await mkdir(join(d, '.stage-bbbbbbbbbbbb'));
    await writeFile(join(d, '.stage-aaaaaaaaaaaa', 'exceptions.csv'), header);
    await writeFile(join(d, '.stage-bbbbbbbbbbbb', 'rated.csv'), 'abandoned');
    await writeFile(join(d, 'summary.json'), '{"moved":true}');
    const newSummary = { ...rec.summary!, rated: 50, exceptions: {} };
    await writeJsonAtomic(join(d, 'run.json'), { ...rec, replacing: { stage: '.stage-aaaaaaaaaaaa', files: ['exceptions.csv', 'summary.json'], summary: newSummary } });
    const runs = await RunStore.open(store.runsDir);
    expect(runs.get(run.id)).toMatchObject({ revision: 1, summary: newSummary });
    expect(runs.get(run.id)!.replacing).toBeUndefined();
    expect(await readFile(join(d, 'exceptions.csv'), 'utf8')).toBe(header);
    expect(await readFile(join(d, 'summary.json'), 'utf8')).toBe('{"moved":true}');
    expect((await readFile(join(d, 'rated.csv'), 'utf8')).startsWith('file,line')).toBe(true);
    expect((await readdir(d)).filter((e) => e.startsWith('.'))).toEqual([]);
  });
});
