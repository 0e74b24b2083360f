// SPEC §7 Durability with the real process: kill -9 in the middle of rating, right after an upload
// was answered, and in the middle of a bill, then a restart on the same data directory — nothing
// half-written is visible, what was in flight is `failed` / `interrupted` and can be run again,
// no accepted upload is lost; SIGTERM during rating exits 0 and leaves the run interrupted.
//
// One data directory for the whole file: each test starts from what the one before left, as a
// server that crashed several times in a day would.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBigCalls, type BigCalls } from './big-calls.js';
import { LiveApi, sseEvents, type RunDetail } from './live-api.js';
import { signal, startServerProcess, type ServerProcess } from './server-process.js';

const MiB = 1024 * 1024;

let temp: string;
let data: string;
let p: ServerProcess | undefined;
let admin: string;
let clerkToken: string;
let api: LiveApi;
let clerk: LiveApi;

const files: Record<'x' | 'y' | 'z', { path: string; big: BigCalls }> = {} as never;
const ids: Record<'x' | 'y' | 'z', number> = { x: 0, y: 0, z: 0 };

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Starts the server on the data directory (again) and points the clients at it. */
async function start(): Promise<void> {
  p = await startServerProcess(data);
  api = new LiveApi(p.url, admin);
  clerk = api.as(clerkToken);
}

/** kill -9 of the server's whole process group: no handler runs, nothing is flushed. */
async function kill9(): Promise<void> {
  signal(p!, 'SIGKILL');
  expect(await p!.exited).toBe('SIGKILL');
  p = undefined;
}

/** Resolves at the run's first progress event with lines read (the run is rating for sure). */
async function firstProgress(id: number): Promise<void> {
  const res = await api.fetch('GET', `/api/runs/${id}/events`);
  for await (const e of sseEvents(res)) {
    if (e.event === 'progress' && (e.data as { lines: number }).lines > 0) return;
    if (e.event !== 'progress') throw new Error(`run ${id} ended (${e.event}) before it could be caught rating`);
  }
  throw new Error(`the event stream of run ${id} ended`);
}

/** Nothing at the top of runs/ but run folders (no .new-* of a run being filed). */
async function expectOnlyRunFolders(): Promise<void> {
  for (const e of await readdir(join(data, 'runs'))) expect(e).toMatch(/^[1-9]\d*$/);
}

/** A done run's rated.csv and exceptions.csv hold its summary's counts (input = rated + exceptions). */
async function expectWhole(id: number, big: BigCalls): Promise<void> {
  const r = await api.get<RunDetail>(`/api/runs/${id}`);
  expect(r.status).toBe('done');
  const s = r.summary!;
  const exceptions = Object.values(s.exceptions).reduce((a, b) => a + b, 0);
  expect(s.input).toBe(big.lines);
  expect(s.rated + exceptions).toBe(s.input);
  const lines = async (name: string): Promise<number> => {
    const text = await (await api.fetch('GET', `/api/runs/${id}/files/${name}`)).text();
    return text.split('\n').length - 2; // the header, and the empty string after the last newline
  };
  expect(await lines('rated.csv')).toBe(s.rated);
  expect(await lines('exceptions.csv')).toBe(exceptions);
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'ratebook-durability-'));
  data = join(temp, 'data');
  for (const [k, mb] of [['x', 8], ['y', 8], ['z', 1]] as const) {
    const path = join(temp, `${k}.csv`);
    files[k] = { path, big: await writeBigCalls(path, mb * MiB, k) };
  }
  p = await startServerProcess(data);
  admin = p.adminToken!;
  api = new LiveApi(p.url, admin);
  clerkToken = await api.makeToken('cleo', 'clerk');
  clerk = api.as(clerkToken);
}, 180_000);

afterAll(async () => {
  if (p) {
    signal(p, 'SIGKILL');
    await p.exited;
  }
  await rm(temp, { recursive: true, force: true });
});

describe('kill -9 and restart', () => {
  it('during rating: the runs in flight are failed `interrupted` with no results served, a run queued behind them is rated, and retry rates one to done', async () => {
    ids.x = await clerk.startRun([files.x.path]);
    ids.y = await clerk.startRun([files.y.path]);
    await firstProgress(ids.x);
    // Two runs rate at a time: this upload is answered 202 and waits its turn.
    const z = await clerk.json<{ id: number; status: string }>('POST', '/api/runs', await formOf(files.z.path));
    expect(z).toMatchObject({ status: 202, body: { status: 'queued' } });
    ids.z = z.body.id;
    await kill9();

    // As the crash left it: no temp folder of a run being filed, and the run folders whole.
    await expectOnlyRunFolders();
    expect(await readdir(join(data, 'runs', String(ids.x)))).not.toContain('rated.csv');

    await start();
    for (const id of [ids.x, ids.y]) {
      const r = await api.get<RunDetail>(`/api/runs/${id}`);
      expect(r).toMatchObject({ status: 'failed', error: 'interrupted', summary: null });
      // A failed run's results are never served: they may be half-written.
      for (const path of [`/api/runs/${id}/files/rated.csv`, `/api/runs/${id}/rated`, `/api/runs/${id}/exceptions/summary`]) {
        expect((await api.fetch('GET', path)).status, path).toBe(409);
      }
    }
    // The upload answered 202 just before the crash is kept whole, and rated on the restart without anyone asking.
    const zRun = await api.settled(ids.z);
    expect(zRun.status).toBe('done');
    expect(zRun.files[0].sha256).toBe(await sha256Of(files.z.path));
    expect(await sha256Of(join(data, 'runs', String(ids.z), 'cdrs', 'f1.csv'))).toBe(zRun.files[0].sha256);
    await expectWhole(ids.z, files.z.big);

    // Retry: 202, rated again from the kept file, to done with input = rated + exceptions.
    const retry = await clerk.json<{ id: number; status: string }>('POST', `/api/runs/${ids.x}/retry`);
    expect(retry).toEqual({ status: 202, body: { id: ids.x, status: 'queued' } });
    expect((await api.settled(ids.x)).status).toBe('done');
    await expectWhole(ids.x, files.x.big);
    await expectOnlyRunFolders();
    expect(await readdir(join(data, 'runs', String(ids.x)))).not.toContain('.partial');
  }, 300_000);

  it('during a bill: the period shows the bill failed `interrupted`, and billing it again works', async () => {
    const post = clerk.json('POST', '/api/bills', { period: '2026-10' }).catch(() => undefined);
    // The bill is made from about 120,000 rated calls, in a worker thread: seconds. Kill as soon as its attempt is recorded.
    const attempt = join(data, 'bills', '2026-10', 'attempt.json');
    const until = Date.now() + 30_000;
    for (;;) {
      const text = await readFile(attempt, 'utf8').catch(() => '');
      if (text.includes('"billing"')) break;
      if (Date.now() > until) throw new Error('the bill never started');
      await new Promise((r) => setTimeout(r, 5));
    }
    await kill9();
    await post;
    expect(await readdir(join(data, 'bills', '2026-10'))).not.toContain('draft');

    await start();
    const period = await api.get<{ status: string; error?: string; invoices: unknown[] }>('/api/bills/2026-10');
    expect(period).toMatchObject({ status: 'failed', error: 'interrupted', invoices: [] });
    expect((await api.fetch('GET', '/api/bills/2026-10/files/invoices.csv')).status).toBe(404);
    // No temp folder of the bill that was being written.
    expect((await readdir(join(data, 'bills', '2026-10'))).filter((e) => e.startsWith('.'))).toEqual([]);

    const again = await clerk.json<{ status: string; invoices: { invoice: string }[]; total: string }>('POST', '/api/bills', { period: '2026-10' });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('draft');
    expect(again.body.invoices.length).toBeGreaterThan(0);
    const csv = await (await api.fetch('GET', '/api/bills/2026-10/files/invoices.csv')).text();
    expect(csv.trimEnd().split('\n')).toHaveLength(1 + again.body.invoices.length);
  }, 300_000);
});

describe('SIGTERM', () => {
  it('during rating, with its event stream watched: exits 0 at once, the watcher hears failed, the run failed `interrupted` (cancelled, not finished), and retry rates it', async () => {
    expect((await clerk.json('POST', `/api/runs/${ids.y}/retry`)).status).toBe(202);
    for (let r = await api.get<RunDetail>(`/api/runs/${ids.y}`); r.progress.lines === 0; r = await api.get<RunDetail>(`/api/runs/${ids.y}`)) {
      if (r.status !== 'queued' && r.status !== 'rating') throw new Error(`run y ended (${r.status}) before SIGTERM`);
      await new Promise((res) => setTimeout(res, 20));
    }
    // Someone watching the run (the UI keeps its event stream open) must not hold the stop up.
    const watch = await api.fetch('GET', `/api/runs/${ids.y}/events`);
    const heard: string[] = [];
    const watched = (async () => {
      for await (const e of sseEvents(watch)) heard.push(e.event);
    })().catch(() => undefined);
    const t0 = Date.now();
    signal(p!, 'SIGTERM');
    expect(await p!.exited).toBe(0);
    await watched;
    expect(heard.at(-1)).toBe('failed');
    // The run service cancels the run between batches; well inside the 10 s after which the server gives up waiting.
    expect(Date.now() - t0).toBeLessThan(8_000);
    p = undefined;
    expect(JSON.parse(await readFile(join(data, 'runs', String(ids.y), 'run.json'), 'utf8'))).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(await readdir(join(data, 'runs', String(ids.y)))).not.toContain('rated.csv');

    await start();
    expect(await api.get<RunDetail>(`/api/runs/${ids.y}`)).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect((await clerk.json('POST', `/api/runs/${ids.y}/retry`)).status).toBe(202);
    expect((await api.settled(ids.y)).status).toBe('done');
    await expectWhole(ids.y, files.y.big);
  }, 300_000);
});

async function formOf(path: string): Promise<FormData> {
  const form = new FormData();
  form.append('cdrs', new Blob([await readFile(path)], { type: 'text/csv' }), path.split('/').pop());
  return form;
}
