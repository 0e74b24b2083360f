import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, writeFileAtomic, writeJsonAtomic, type ImportRequest, type StoreStep } from '../../../server/store/store.js';
import { contentHash } from '../../../rules/workbook/content-hash.js';
import { parseWorkbook } from '../../../rules/workbook/parse.js';
import type { SheetRows } from '../../../rules/workbook/rows.js';
import { sheet, workbook } from '../../rules/workbook/raw-builder.js';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'ratebook-store-'));

/** An import of a small workbook; `name` changes the content (a customer's name). */
function request(name = 'Acme', extra: Partial<ImportRequest> = {}): ImportRequest {
  const parsed = parseWorkbook(workbook(sheet('Customers', [['Account', 'Name', 'Tariff'], ['ACME', name, 'Business']])));
  const fileBytes = Buffer.from(`pretend xlsx for ${name}`);
  return { fileBytes, fileName: 'Rates 2026.XLSX', rows: parsed.rows, contentHash: contentHash(parsed.rows), issues: [], importer: 'jo', source: 'Rates 2026.XLSX', ...extra };
}

const crashAt = (step: StoreStep) => ({
  faults: {
    before: (s: StoreStep) => {
      if (s === step) throw new Error(`power cut before ${s}`);
    },
  },
});

describe('version store', () => {
  it('lays out the data directory', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    expect((await readdir(dir)).sort()).toEqual(['history', 'runs', 'versions']);
    expect(JSON.parse(await readFile(join(dir, 'versions', 'index.json'), 'utf8'))).toEqual({ format: 1, versions: [], published: null, publishedAt: null });
    expect(await store.listVersions()).toEqual([]);
    expect(await store.published()).toBeUndefined();
    expect(store.runsDir).toBe(join(dir, 'runs'));
    expect(store.historyDir).toBe(join(dir, 'history'));
  });

  it('imports a version with its file, rows and report, and returns the existing one for the same content', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    const warning = { severity: 'warning' as const, code: 'NO_EMAIL', message: 'no email', at: 'Customers!C2' };
    const req = request('Acme', { issues: [warning] });
    const before = Date.now();
    const a = await store.importVersion(req);
    expect(a.existing).toBe(false);
    expect(a.version).toMatchObject({
      seq: 1,
      contentHash: req.contentHash,
      fileSha256: createHash('sha256').update(req.fileBytes).digest('hex'),
      fileName: 'Rates 2026.XLSX',
      storedFile: 'workbook.xlsx',
      source: 'Rates 2026.XLSX',
      importer: 'jo',
      counts: { error: 0, warning: 1, notice: 0 },
    });
    expect(Date.parse(a.version.importedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect((await readdir(join(dir, 'versions', '1'))).sort()).toEqual(['meta.json', 'rows.json', 'workbook.xlsx']);
    expect(await readFile(store.versionFile(a.version))).toEqual(req.fileBytes);
    expect(await store.getVersion(1)).toEqual({ ...a.version, report: [warning] });
    const loaded = await store.loadRows(1);
    expect(contentHash(loaded)).toBe(req.contentHash);
    expect(loaded.customers[0].name).toBe('Acme');

    // The same content re-saved (other bytes, other name): the existing version.
    const again = await store.importVersion({ ...req, fileBytes: Buffer.from('re-saved with other styling'), fileName: 'copy.xlsx' });
    expect(again).toEqual({ version: a.version, existing: true });
    const b = await store.importVersion(request('Acme Ltd'));
    expect([b.version.seq, b.existing]).toEqual([2, false]);
    expect((await store.listVersions()).map((v) => v.seq)).toEqual([1, 2]);
    expect(await store.getVersion(3)).toBeUndefined();
    await expect(store.loadRows(3)).rejects.toThrow('there is no version 3');
  });

  it('checks a given file hash against the bytes', async () => {
    const store = await openStore(await tempDir());
    await expect(store.importVersion(request('Acme', { fileSha256: 'not it' }))).rejects.toThrow('fileSha256 does not match');
  });

  it('publishes a valid version and refuses one with errors', async () => {
    const store = await openStore(await tempDir());
    const good = await store.importVersion(request('Acme'));
    const bad = await store.importVersion(request('Broken', { issues: [{ severity: 'error', code: 'X', message: 'bad', at: 'Rates!D14' }, { severity: 'error', code: 'Y', message: 'worse' }] }));
    expect(await store.publish(bad.version.seq)).toEqual({ ok: false, error: 'version 2 has 2 error(s) and cannot be published; fix the workbook and import it again' });
    expect(await store.published()).toBeUndefined();
    expect(await store.publish(9)).toEqual({ ok: false, error: 'there is no version 9' });
    const p = await store.publish(good.version.seq);
    expect(p).toEqual({ ok: true, value: good.version, version: good.version });
    expect((await store.published())?.seq).toBe(1);
    expect(await store.publish(2)).toMatchObject({ ok: false });
    expect((await store.published())?.seq).toBe(1);
    // Publishing survives reopening.
    expect((await (await openStore(store.dir)).published())?.seq).toBe(1);
  });

  it('gives concurrent imports distinct sequence numbers, in one store or two on the same directory', async () => {
    const dir = await tempDir();
    const [s1, s2] = [await openStore(dir), await openStore(dir)];
    const results = await Promise.all(['A', 'B', 'C', 'D', 'E', 'F'].map((n, i) => (i % 2 ? s1 : s2).importVersion(request(n))));
    expect(results.map((r) => r.version.seq).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await s1.listVersions()).map((v) => v.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // The same content twice at once: one version.
    const same = await Promise.all([s1.importVersion(request('G')), s2.importVersion(request('G'))]);
    expect(same.map((r) => [r.version.seq, r.existing])).toEqual([[7, false], [7, true]]);
  });

  it('gives imports from several processes at once distinct sequence numbers (the lock file)', async () => {
    const dir = await tempDir();
    await openStore(dir);
    const script = join(dir, 'importer.mts');
    const storeUrl = new URL('../../../server/store/store.ts', import.meta.url).href;
    await writeFile(
      script,
      `import { openStore } from ${JSON.stringify(storeUrl)};
       const [dir, who] = process.argv.slice(2);
       const store = await openStore(dir);
       for (let i = 0; i < 4; i++) {
         const rows = { settings: {}, customers: [{ account: who + i }] };
         await store.importVersion({ fileBytes: Buffer.from(who + i), fileName: 'w.xlsx', rows, contentHash: who + '-' + i, issues: [], importer: who, source: 'w.xlsx' });
       }`,
    );
    const { spawn } = await import('node:child_process');
    const run = (who: string) =>
      new Promise<number>((done, fail) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, dir, who], { stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('error', fail);
        child.on('exit', (code) => done(code ?? -1));
      });
    expect(await Promise.all(['p', 'q', 'r'].map(run))).toEqual([0, 0, 0]);
    const versions = await (await openStore(dir)).listVersions();
    expect(versions.map((v) => v.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(versions.map((v) => v.contentHash)).size).toBe(12);
    expect((await readdir(join(dir, 'versions'))).filter((e) => /^\d+$/.test(e))).toHaveLength(12);
  }, 60_000);

  it('keeps the previous state whole after a crash between writing a version and naming it in the index', async () => {
    const dir = await tempDir();
    const first = await openStore(dir);
    await first.importVersion(request('Acme'));
    await first.publish(1);
    const indexBefore = await readFile(join(dir, 'versions', 'index.json'), 'utf8');

    const crashing = await openStore(dir, crashAt('write-index'));
    await expect(crashing.importVersion(request('Acme Ltd'))).rejects.toThrow('power cut before write-index');
    // The version directory is in place, but the index does not name it: it does not exist.
    expect((await readdir(join(dir, 'versions'))).sort()).toEqual(['1', '2', 'index.json']);
    expect(await readFile(join(dir, 'versions', 'index.json'), 'utf8')).toBe(indexBefore);
    expect((await crashing.listVersions()).map((v) => v.seq)).toEqual([1]);

    // A crash also leaves what a write in progress had: a temp directory and a half-written temp file.
    await mkdir(join(dir, 'versions', '.tmp-3-0123456789ab'));
    await writeFile(join(dir, 'versions', '.tmp-3-0123456789ab', 'rows.json'), '{"customers": [');
    await writeFile(join(dir, 'versions', 'index.json.0123456789ab.tmp'), '{"versions": [');

    const reopened = await openStore(dir);
    expect((await reopened.listVersions()).map((v) => v.seq)).toEqual([1]);
    expect((await reopened.published())?.seq).toBe(1);
    expect((await reopened.loadRows(1)).customers[0].name).toBe('Acme');
    expect((await readdir(join(dir, 'versions'))).sort()).toEqual(['1', 'index.json']);
    const next = await reopened.importVersion(request('Acme Ltd'));
    expect(next).toMatchObject({ existing: false, version: { seq: 2 } });
    expect((await reopened.loadRows(2)).customers[0].name).toBe('Acme Ltd');
  });

  it('keeps the previous state whole after a crash before the version directory is renamed into place', async () => {
    const dir = await tempDir();
    await (await openStore(dir)).importVersion(request('Acme'));
    const crashing = await openStore(dir, crashAt('rename-version-dir'));
    await expect(crashing.importVersion(request('Acme Ltd'))).rejects.toThrow('power cut');
    expect((await readdir(join(dir, 'versions'))).filter((e) => e.startsWith('.tmp-'))).toHaveLength(1);
    // The same store carries on: the leftover is cleared before the next write.
    const crashed = await crashing.importVersion(request('Acme Ltd')).catch((e: Error) => e.message);
    expect(crashed).toContain('power cut');
    const store = await openStore(dir);
    expect((await readdir(join(dir, 'versions'))).sort()).toEqual(['1', 'index.json']);
    expect((await store.importVersion(request('Acme Ltd'))).version.seq).toBe(2);
  });

  it('keeps the published version after a crash while publishing', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    await store.importVersion(request('A'));
    await store.importVersion(request('B'));
    await store.publish(1);
    const crashing = await openStore(dir, crashAt('write-published'));
    await expect(crashing.publish(2)).rejects.toThrow('power cut');
    expect((await (await openStore(dir)).published())?.seq).toBe(1);
  });

  it('refuses a damaged or missing index rather than treating the store as empty', async () => {
    const dir = await tempDir();
    await (await openStore(dir)).importVersion(request('Acme'));
    await writeFile(join(dir, 'versions', 'index.json'), '{"versions": [');
    await expect(openStore(dir)).rejects.toThrow('is damaged');
    expect(await readdir(join(dir, 'versions'))).toContain('1');
    await rm(join(dir, 'versions', 'index.json'));
    await expect(openStore(dir)).rejects.toThrow('is missing but');
    expect(await readdir(join(dir, 'versions'))).toContain('1');
  });

  it('breaks the lock of a process that is gone, and waits for one that is alive', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: gone, host: hostname(), since: new Date().toISOString() }));
    expect((await store.importVersion(request('Acme'))).version.seq).toBe(1);
    expect(await readdir(dir)).not.toContain('.lock');
    // Our own pid but another process's token: a restarted container whose process got the same pid.
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: process.pid, host: hostname(), token: 'earlier', since: new Date().toISOString() }));
    expect((await store.importVersion(request('Acme Ltd'))).version.seq).toBe(2);

    // A live holder (the test runner's parent) is waited for, then reported.
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: process.ppid, host: hostname(), since: new Date().toISOString() }));
    const impatient = await openStore(dir, { lockTimeoutMs: 100 }).catch((e: Error) => e);
    expect(String(impatient)).toContain(`is held by process ${process.ppid}`);
  });

  it('writes files atomically: the old content or the new, and no temp file left', async () => {
    const dir = await tempDir();
    const path = join(dir, 'sub', 'a.json');
    await writeJsonAtomic(path, { n: 1 });
    await writeFileAtomic(path, 'second');
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(join(dir, 'sub'))).toEqual(['a.json']);
    await expect(writeFileAtomic(join(dir, 'sub', 'a.json', 'nested'), 'x')).rejects.toThrow();
    expect(await readFile(path, 'utf8')).toBe('second');
  });

  it('loads rows that hash as imported, for the sample workbook', async () => {
    const { loadWorkbookFile } = await import('../../../server/model/workbook-file.js');
    const r = await loadWorkbookFile('workbooks/sample-uk-reseller.xlsx');
    if (!r.ok) throw new Error(r.error);
    const store = await openStore(await tempDir());
    const wb = r.value;
    const { version } = await store.importVersion({ fileBytes: wb.bytes, fileName: wb.fileName, fileSha256: wb.fileSha256, rows: wb.rows, contentHash: wb.hash, issues: wb.issues, importer: 'test', source: wb.fileName });
    const rows: SheetRows = await store.loadRows(version.seq);
    expect(contentHash(rows)).toBe(wb.hash);
    expect(rows).toEqual(JSON.parse(JSON.stringify(wb.rows)));
  });
});
