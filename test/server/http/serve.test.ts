// `ratebook serve` as a user starts it: the first start on an empty data directory (the sample
// published and its calls rated as run 1), the printed URL and token, a restart that keeps the data
// and prints no token, a first start cut off half-way finished by the next, a data directory of
// one's own left without the sample, SIGTERM and SIGINT exit 0.

import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../server/store/store.js';
import { loadWorkbookFile } from '../../../server/model/workbook-file.js';
import { signal, startServerProcess } from './server-process.js';

interface RunJson {
  id: number;
  status: string;
  createdBy: string;
  files: { name: string }[];
  summary?: { input: number; rated: number; exceptions: Record<string, number> };
}

const runJson = async (dir: string, id: number): Promise<RunJson> => JSON.parse(await readFile(join(dir, 'runs', String(id), 'run.json'), 'utf8')) as RunJson;
/** The run folders of a data directory (numbers only: no temp folders count). */
const runIds = async (dir: string): Promise<string[]> => (await readdir(join(dir, 'runs')).catch(() => [])).sort();

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ratebook-serve-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('ratebook serve', () => {
  it('first start: the admin token from RATEBOOK_ADMIN_TOKEN, the sample published, the URL with #token= printed once; SIGTERM exits 0', async () => {
    const admin = 'test-admin-token-0123456789';
    const p = await startServerProcess(dataDir, { RATEBOOK_ADMIN_TOKEN: admin });
    try {
      expect(p.adminToken).toBe(admin);
      expect(p.output()).toContain(`${p.url}#token=${admin}`);
      const me = await fetch(new URL('api/me', p.url), { headers: { authorization: `Bearer ${admin}` } });
      expect(await me.json()).toEqual({ name: 'admin', role: 'admin' });
      const versions = JSON.parse(await readFile(join(dataDir, 'versions', 'index.json'), 'utf8')) as { published: number; versions: { source: string }[] };
      expect(versions.published).toBe(1);
      expect(versions.versions[0].source).toBe('sample-uk-reseller.xlsx');
      expect(await readFile(join(dataDir, 'tokens.json'), 'utf8')).not.toContain(admin);
      // The sample calls, rated as run 1 before the URL was printed (SPEC §7 first start).
      expect(p.output()).toContain('rated the sample calls as run 1: 3,235 calls, 3,049 rated, 186 exceptions');
      expect(p.output().indexOf('rated the sample calls')).toBeLessThan(p.output().indexOf('#token='));
      const run = await runJson(dataDir, 1);
      expect(run).toMatchObject({ id: 1, status: 'done', createdBy: 'first start', files: [{ name: 'sample-calls.csv' }] });
      expect(run.summary?.input).toBe(3235);
      expect(run.summary?.rated).toBe(3049);
      // Kept as an upload is: a copy of the file in the run, not the package's own.
      expect(await readFile(join(dataDir, 'runs', '1', 'cdrs', 'f1.csv'), 'utf8')).toBe(await readFile('workbooks/sample-calls.csv', 'utf8'));
      const audit = await readFile(join(dataDir, 'audit.log'), 'utf8');
      expect(audit).toContain('"action":"run"');
    } finally {
      signal(p, 'SIGTERM');
    }
    expect(await p.exited).toBe(0);
  });

  it('a restart keeps the data, imports nothing again and prints no token; SIGINT exits 0', async () => {
    const p = await startServerProcess(dataDir);
    try {
      expect(p.adminToken).toBeUndefined();
      expect(p.output()).not.toContain('imported');
      const index = JSON.parse(await readFile(join(dataDir, 'versions', 'index.json'), 'utf8')) as { versions: unknown[] };
      expect(index.versions).toHaveLength(1);
      expect(await runIds(dataDir)).toEqual(['1']);
      expect(p.output()).not.toContain('rated the sample');
      expect((await fetch(new URL('api/health', p.url))).status).toBe(200);
    } finally {
      signal(p, 'SIGINT');
    }
    expect(await p.exited).toBe(0);
  });

  it('a first start cut off after importing the sample is finished by the next: published, run 1 rated, the token shown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ratebook-serve-cut-'));
    try {
      // What a first start leaves when killed between the import and the publish.
      const store = await openStore(dir);
      const loaded = await loadWorkbookFile('workbooks/sample-uk-reseller.xlsx');
      if (!loaded.ok) throw new Error(loaded.error);
      const wb = loaded.value;
      await store.importVersion({ fileBytes: wb.bytes, fileName: wb.fileName, rows: wb.rows, contentHash: wb.hash, issues: wb.issues, importer: 'first start', source: wb.fileName });
      const p = await startServerProcess(dir);
      try {
        expect(p.output()).toContain('published the sample workbook, version 1');
        expect(p.output()).not.toContain('imported');
        expect(p.output()).toContain('rated the sample calls as run 1');
        expect(p.adminToken).toBeDefined();
        expect((await store.published())?.seq).toBe(1);
        expect((await store.listVersions()).map((v) => v.seq)).toEqual([1]);
        expect((await runJson(dir, 1)).status).toBe('done');
      } finally {
        signal(p, 'SIGTERM');
      }
      expect(await p.exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a data directory that already has versions of its own gets no sample: only the admin token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ratebook-serve-own-'));
    try {
      const imported = spawnSync(process.execPath, ['server/ratebook.mjs', 'import', 'workbooks/sample-uk-reseller.xlsx', '--data', dir, '--publish'], { encoding: 'utf8' });
      expect(imported.status, imported.stderr).toBe(0);
      const p = await startServerProcess(dir);
      try {
        expect(p.adminToken).toBeDefined();
        expect(p.output()).not.toContain('sample');
        expect(await runIds(dir)).toEqual([]);
      } finally {
        signal(p, 'SIGTERM');
      }
      expect(await p.exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a wrong command line is exit 2', async () => {
    const r = spawnSync(process.execPath, ['server/ratebook.mjs', 'serve', '--port', 'eighty'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--port must be a port number');
  });
});
