import { readdirSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXCEPTION_HEADER, RATED_HEADER } from '../../../rules/rating/call-rows.js';
import { splitCsvLine } from '../../../rules/cdr/csv-split.js';
import { parseMicro } from '../../../rules/money.js';
import type { ApiFixture } from './api-fixture.js';
import { readEvents, runsFixture, SAMPLE_WORKBOOK, sampleSlice, settled, startRun, upload } from './runs-fixture.js';

let f: ApiFixture;
/** The whole sample, rated once for the read tests. */
let full: number;
let sample: string;

beforeAll(async () => {
  f = await runsFixture();
  sample = await sampleSlice(0, 3235);
  full = await startRun(f, [{ name: 'sample-calls.csv', content: sample }]);
  expect((await settled(f, full)).status).toBe('done');
});
afterAll(() => f.close());

const json = async <T = Record<string, unknown>>(r: Response): Promise<T> => (await r.json()) as T;

describe('POST /api/runs', () => {
  it('records the run as queued before answering 202, rates it in the background, and audits it', async () => {
    const r = await upload(f, [{ name: 'first-500.csv', content: await sampleSlice(0, 500) }]);
    expect(r.status).toBe(202);
    const { id, status } = await json<{ id: number; status: string }>(r);
    expect(status).toBe('queued');
    // The upload is in the run's folder under a name of ours, recorded before the answer.
    const rec = f.ctx.runs.runs.get(id)!;
    expect(rec.files).toEqual([expect.objectContaining({ name: 'first-500.csv', stored: 'f1.csv' })]);
    expect(JSON.parse(await readFile(join(f.ctx.dataDir, 'runs', String(id), 'run.json'), 'utf8')).files[0].name).toBe('first-500.csv');
    const done = await settled(f, id);
    expect(done.status).toBe('done');
    expect(done.summary!.input).toBe(500);
    expect(done.progress).toEqual({ bytes: rec.files[0].bytes, totalBytes: rec.files[0].bytes, lines: 500 });
    const audit = await json<{ entries: { action: string; target: string; who: string; version?: number }[] }>(await f.call('GET', '/api/audit?limit=20'));
    expect(audit.entries.find((e) => e.action === 'run' && e.target.startsWith(`run ${id} `))).toMatchObject({ who: 'clerk-user', version: 1 });
  });

  it('takes several files in one run, gzip among them, each under its own label', async () => {
    const id = await startRun(f, [
      { name: 'a.csv', content: await sampleSlice(500, 700) },
      { name: 'b.csv.gz', content: gzipSync(await sampleSlice(700, 900)) },
    ]);
    const done = await settled(f, id);
    expect(done.status).toBe('done');
    expect(done.summary!.input).toBe(400);
    expect(f.ctx.runs.runs.get(id)!.files.map((x) => x.stored)).toEqual(['f1.csv', 'f2.csv.gz']);
    const names = ((done.summary as unknown as { files: { name: string }[] }).files).map((x) => x.name);
    expect(names).toEqual(['a.csv', 'b.csv.gz']);
  });

  it('two files of one name get labels of their own, so every row says which file it came from', async () => {
    const id = await startRun(f, [
      { name: 'calls.csv', content: await sampleSlice(1100, 1110) },
      { name: 'calls.csv', content: await sampleSlice(1110, 1120) },
    ]);
    expect((await settled(f, id)).status).toBe('done');
    expect(f.ctx.runs.runs.get(id)!.files.map((x) => x.name)).toEqual(['calls.csv', 'calls.csv#2']);
    const page = await json<{ rows: { file: string }[] }>(await f.call('GET', `/api/runs/${id}/rated?limit=1000`));
    expect(new Set(page.rows.map((r) => r.file))).toEqual(new Set(['calls.csv', 'calls.csv#2']));
  });

  it('409 for a file a run that did not fail already holds, naming that run; nothing is kept', async () => {
    const r = await upload(f, [{ name: 'again.csv', content: sample }]);
    expect(r.status).toBe(409);
    expect((await json<{ error: string }>(r)).error).toContain(`run ${full}`);
    const twice = await upload(f, [{ name: 'x.csv', content: await sampleSlice(900, 950) }, { name: 'y.csv', content: await sampleSlice(900, 950) }]);
    expect(twice.status).toBe(409);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(f.ctx.uploadsDir)).filter((e) => e.endsWith('.part'))).toEqual([]);
  });

  it('415 for files that are not CDR files: an .xlsx, binary junk, text in no known format', async () => {
    const xlsx = await readFile(SAMPLE_WORKBOOK);
    const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    for (const [name, content] of [['calls.csv', xlsx], ['calls.csv', junk], ['notes.txt', 'dear diary\nnothing here\n'], ['empty.csv', '']] as const) {
      const r = await upload(f, [{ name, content }]);
      expect(r.status, name).toBe(415);
      expect((await json<{ error: string }>(r)).error).toContain(name);
    }
    // A whole upload is refused when one of its files is not a CDR file.
    const mixed = await upload(f, [{ name: 'ok.csv', content: await sampleSlice(950, 960) }, { name: 'book.xlsx', content: xlsx }]);
    expect(mixed.status).toBe(415);
    expect((await json<{ error: string }>(mixed)).error).toMatch(/book\.xlsx is an \.xlsx/);
  });

  it('400 for an unknown format or version, naming the field', async () => {
    const content = await sampleSlice(960, 970);
    const badFormat = await upload(f, [{ name: 'c.csv', content }], { format: 'cisco' });
    expect(badFormat.status).toBe(400);
    expect((await json<{ issues: { at: string }[] }>(badFormat)).issues[0].at).toBe('body.format');
    const badVersion = await upload(f, [{ name: 'c.csv', content }], { version: '42' });
    expect(badVersion.status).toBe(400);
    expect((await json<{ issues: { at: string }[] }>(badVersion)).issues[0].at).toBe('body.version');
    expect((await upload(f, [], {})).status).toBe(400);
  });

  it('a named format is used; a file that does not fit it is 415', async () => {
    const id = await startRun(f, [{ name: 'g.csv', content: await sampleSlice(970, 990) }], { format: 'generic', version: '1' });
    expect((await settled(f, id)).status).toBe('done');
    expect(f.ctx.runs.runs.get(id)!.format).toBe('generic');
    const r = await upload(f, [{ name: 'g2.csv', content: await sampleSlice(990, 1000) }], { format: 'asterisk' });
    expect(r.status).toBe(415);
  });

  it('401 without a token; only clerks (and admins) may upload', async () => {
    const content = await sampleSlice(1000, 1010);
    expect((await upload(f, [{ name: 'c.csv', content }], {}, null)).status).toBe(401);
    for (const role of ['commercial', 'manager'] as const) expect((await upload(f, [{ name: 'c.csv', content }], {}, role)).status).toBe(403);
  });
});

describe('limits and versions', () => {
  it('413 for a file over the limit, in MB, keeping nothing', async () => {
    const g = await runsFixture({ limits: { cdrBytes: 1024 * 1024 } });
    try {
      const big = (await sampleSlice(0, 3235)).repeat(5);
      const r = await upload(g, [{ name: 'big.csv', content: big }]);
      expect(r.status).toBe(413);
      expect((await json<{ error: string }>(r)).error).toMatch(/1 MB/);
      expect(g.ctx.runs.runs.list()).toEqual([]);
    } finally {
      await g.close();
    }
  });

  it('409 when no version is published and none is named', async () => {
    const g = await runsFixture({ publish: false });
    try {
      const r = await upload(g, [{ name: 'c.csv', content: await sampleSlice(0, 10) }]);
      expect(r.status).toBe(409);
      expect((await json<{ error: string }>(r)).error).toMatch(/no version is published/);
      // Named, an unpublished valid version rates.
      const id = await startRun(g, [{ name: 'c.csv', content: await sampleSlice(0, 10) }], { version: '1' });
      expect((await settled(g, id)).status).toBe('done');
    } finally {
      await g.close();
    }
  });
});

describe('reading runs', () => {
  it('lists runs newest first with their totals', async () => {
    const { runs } = await json<{ runs: { id: number; status: string; input: number | null; rated: number | null; exceptions: number | null; charge: string | null; files: { name: string; sha256: string; bytes: number }[] }[] }>(await f.call('GET', '/api/runs', { role: 'commercial' }));
    expect(runs.map((r) => r.id)).toEqual([...runs.map((r) => r.id)].sort((a, b) => b - a));
    const one = runs.find((r) => r.id === full)!;
    expect(one).toMatchObject({ status: 'done', input: 3235, rated: 3049, exceptions: 186, charge: '348.9474', files: [{ name: 'sample-calls.csv', bytes: Buffer.byteLength(sample) }] });
    expect(Object.keys(one.files[0]).sort()).toEqual(['bytes', 'name', 'sha256']);
  });

  it('GET a run: status, progress, summary; 404 for an unknown id, 400 for a malformed one', async () => {
    const r = await json<{ status: string; progress: unknown; summary: { input: number; rated: number; exceptions: Record<string, number> } }>(await f.call('GET', `/api/runs/${full}`, { role: 'manager' }));
    expect(r.status).toBe('done');
    const s = r.summary;
    expect(s.input).toBe(s.rated + Object.values(s.exceptions).reduce((a, b) => a + b, 0));
    expect((await f.call('GET', '/api/runs/999')).status).toBe(404);
    expect((await f.call('GET', '/api/runs/abc')).status).toBe(400);
    expect((await f.call('GET', `/api/runs/${full}`, { role: null })).status).toBe(401);
  });

  it('events: a live run sends progress that only grows, then done; after the end, the final event at once', async () => {
    const id = await startRun(f, [{ name: 'live.csv', content: await sampleSlice(1010, 3235) }]);
    const events = await readEvents(await f.call('GET', `/api/runs/${id}/events`));
    expect(events.at(-1)!.event).toBe('done');
    expect(events.filter((e) => e.event === 'done')).toHaveLength(1);
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data as { bytes: number; lines: number; totalBytes: number });
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].bytes).toBeGreaterThanOrEqual(progress[i - 1].bytes);
      expect(progress[i].lines).toBeGreaterThanOrEqual(progress[i - 1].lines);
    }
    const after = await f.call('GET', `/api/runs/${id}/events`);
    expect(after.headers.get('content-type')).toMatch(/text\/event-stream/);
    const again = await readEvents(after);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ event: 'done', data: { id, status: 'done', summary: { input: 3235 - 1010 } } });
  });

  it('rated grid: columns of rated.csv, money as decimal strings, sorted and filtered as asked', async () => {
    const csv = await readFile(join(f.ctx.dataDir, 'runs', String(full), 'rated.csv'), 'utf8');
    const rows = csv.trimEnd().split('\n').slice(1).map((l) => splitCsvLine(l)!);
    const page = await json<{ total: number; rows: Record<string, unknown>[] }>(await f.call('GET', `/api/runs/${full}/rated?limit=5&sort=charge:desc&filter[account]=acme`));
    const acme = rows.filter((r) => r[8].toLowerCase().includes('acme'));
    expect(page.total).toBe(acme.length);
    expect(Object.keys(page.rows[0])).toEqual([...RATED_HEADER]);
    expect(typeof page.rows[0].charge).toBe('string');
    expect(typeof page.rows[0].line).toBe('number');
    const micro = (s: string): number => (parseMicro(s) as { value: number }).value;
    const top = [...acme].sort((a, b) => micro(b[17]) - micro(a[17])).slice(0, 5).map((r) => r[17]);
    expect(page.rows.map((r) => r.charge)).toEqual(top);
    const ranged = await json<{ total: number; rows: { duration: number }[] }>(await f.call('GET', `/api/runs/${full}/rated?filter[duration]=>=600&limit=1000`));
    expect(ranged.total).toBe(rows.filter((r) => Number(r[15]) >= 600).length);
    expect(ranged.rows.every((r) => r.duration >= 600)).toBe(true);
    const bad = await f.call('GET', `/api/runs/${full}/rated?sort=nope:asc`);
    expect(bad.status).toBe(400);
  });

  it('exceptions grid and summary agree with the run summary', async () => {
    const page = await json<{ total: number; rows: Record<string, unknown>[] }>(await f.call('GET', `/api/runs/${full}/exceptions?filter[reason]=no_rate&limit=1000`));
    expect(page.total).toBe(25);
    expect(Object.keys(page.rows[0])).toEqual([...EXCEPTION_HEADER]);
    expect(page.rows.every((r) => r.reason === 'NO_RATE')).toBe(true);
    const { reasons } = await json<{ reasons: { reason: string; count: number; seconds: number; cost: string; fix: string }[] }>(await f.call('GET', `/api/runs/${full}/exceptions/summary`));
    const summary = f.ctx.runs.runs.get(full)!.summary!;
    expect(Object.fromEntries(reasons.map((r) => [r.reason, r.count]))).toEqual(summary.exceptions);
    const noRate = reasons.find((r) => r.reason === 'NO_RATE')!;
    expect(noRate.fix).toMatch(/Rates row/);
    expect(noRate.cost).toMatch(/^\d+\.\d{4}$/);
    expect(noRate.seconds).toBe(page.rows.reduce((n, r) => n + Number(r.duration ?? 0), 0));
  });

  it('files: the four outputs by name, anything else 404', async () => {
    const dir = join(f.ctx.dataDir, 'runs', String(full));
    for (const name of ['rated.csv', 'exceptions.csv', 'exceptions.xlsx', 'summary.json']) {
      const r = await f.call('GET', `/api/runs/${full}/files/${name}`, { role: 'commercial' });
      expect(r.status, name).toBe(200);
      expect(Buffer.from(await r.arrayBuffer()).equals(await readFile(join(dir, name)))).toBe(true);
    }
    const csv = await f.call('GET', `/api/runs/${full}/files/rated.csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`run-${full}-rated.csv`);
    for (const name of ['run.json', 'exception-summary.json', '..%2Frun.json', '..%2F..%2Fversions%2Findex.json', 'cdrs%2Ff1.csv', '.partial']) {
      expect((await f.call('GET', `/api/runs/${full}/files/${name}`)).status, name).toBe(404);
    }
    expect((await f.call('GET', `/api/runs/${full}/files/../run.json`)).status).toBe(404);
    expect((await f.call('GET', '/api/runs/999/files/rated.csv')).status).toBe(404);
  });

  it.runIf(process.platform === 'linux')('HEAD of a file answers its headers and leaves no file open', async () => {
    const dir = join(f.ctx.dataDir, 'runs', String(full));
    const open = (): number =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
        } catch {
          return false;
        }
      }).length;
    const before = open();
    for (let i = 0; i < 20; i++) {
      const r = await f.call('HEAD', `/api/runs/${full}/files/rated.csv`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-disposition')).toContain(`run-${full}-rated.csv`);
      expect(r.body).toBe(null);
    }
    // Closing a file is asynchronous: give it a moment, then none of the twenty is open.
    for (let i = 0; i < 50 && open() > before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(open()).toBe(before);
  });
});

describe('a failed run', () => {
  let failed: number;
  beforeAll(async () => {
    // A gzip cut short: its start reads as CDRs, its end cannot be read, so the rating fails.
    const gz = gzipSync(await sampleSlice(1500, 3235));
    failed = await startRun(f, [{ name: 'cut.csv.gz', content: gz.subarray(0, Math.floor(gz.length / 2)) }]);
    const s = await settled(f, failed);
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/cut\.csv\.gz.*cut short/);
  });

  it('has no results yet: grids, summary and files are 409', async () => {
    for (const path of ['rated', 'exceptions', 'exceptions/summary', 'files/rated.csv']) expect((await f.call('GET', `/api/runs/${failed}/${path}`)).status, path).toBe(409);
    const events = await readEvents(await f.call('GET', `/api/runs/${failed}/events`));
    expect(events).toEqual([{ event: 'failed', data: { id: failed, status: 'failed', error: expect.stringMatching(/cut short/) } }]);
  });

  it('does not hold its file: the same file may be uploaded again', async () => {
    expect(f.ctx.runs.runs.list().find((r) => r.id === failed)!.status).toBe('failed');
    expect(f.ctx.runs.runs.holderOf(f.ctx.runs.runs.get(failed)!.files[0].sha256)).toBeUndefined();
  });

  it('retry: clerks only, failed runs only; it rates again from the kept file and is audited', async () => {
    expect((await f.call('POST', `/api/runs/${failed}/retry`, { role: 'commercial' })).status).toBe(403);
    expect((await f.call('POST', `/api/runs/${full}/retry`, { role: 'clerk' })).status).toBe(409);
    expect((await f.call('POST', '/api/runs/999/retry', { role: 'clerk' })).status).toBe(404);
    const r = await f.call('POST', `/api/runs/${failed}/retry`, { role: 'clerk' });
    expect(r.status).toBe(202);
    expect(await r.json()).toEqual({ id: failed, status: 'queued' });
    expect((await settled(f, failed)).error).toMatch(/cut short/);
    const audit = await json<{ entries: { action: string; target: string }[] }>(await f.call('GET', '/api/audit?limit=5'));
    expect(audit.entries.some((e) => e.action === 'retry' && e.target === `run ${failed}`)).toBe(true);
  });
});
