import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type ImportRequest } from '../../server/store.js';
import { loadWorkbookFile } from '../../server/workbook-file.js';

const sample = async (): Promise<ImportRequest> => {
  const r = await loadWorkbookFile('workbooks/sample-uk-reseller.xlsx');
  if (!r.ok) throw new Error(r.error);
  return { fileBytes: r.value.bytes, fileName: r.value.fileName, fileSha256: r.value.fileSha256, rows: r.value.rows, contentHash: r.value.hash, issues: r.value.issues, importer: 'test', source: 'sample' };
};
const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'ratebook-store-'));

describe('version store', () => {
  it('imports, returns the existing version for the same content, and publishes', async () => {
    const store = await openStore(await tempDir());
    const req = await sample();
    const a = await store.importVersion(req);
    const b = await store.importVersion({ ...req, fileSha256: 'resaved', fileName: 'copy.xlsx' });
    expect([a.version.seq, a.existing, b.version.seq, b.existing]).toEqual([1, false, 1, true]);
    const changed = await store.importVersion({ ...req, contentHash: 'other' });
    expect(changed.version.seq).toBe(2);
    expect(await store.publish(2)).toMatchObject({ ok: true });
    expect((await store.published())?.seq).toBe(2);
    expect((await store.loadRows(1)).customers).toHaveLength(9);
  });
  it('gives concurrent imports distinct sequence numbers', async () => {
    const store = await openStore(await tempDir());
    const req = await sample();
    const seqs = await Promise.all([1, 2, 3].map((i) => store.importVersion({ ...req, contentHash: `h${i}` })));
    expect(seqs.map((s) => s.version.seq).sort()).toEqual([1, 2, 3]);
  });
  it('refuses to publish a version with errors', async () => {
    const store = await openStore(await tempDir());
    const req = await sample();
    const v = await store.importVersion({ ...req, issues: [{ severity: 'error', code: 'X', message: 'bad', at: 'Rates!D14' }] });
    expect(await store.publish(v.version.seq)).toEqual({ ok: false, error: 'version 1 has 1 error(s); fix them and import again' });
    expect(await store.publish(9)).toEqual({ ok: false, error: 'there is no version 9' });
  });
  it('survives a crash between writing a version and naming it in the index', async () => {
    const dir = await tempDir();
    const req = await sample();
    const first = await openStore(dir);
    await first.importVersion(req);
    await first.publish(1);
    const crashing = await openStore(dir, { beforeIndex: () => { throw new Error('power cut'); } });
    await expect(crashing.importVersion({ ...req, contentHash: 'new content' })).rejects.toThrow('power cut');
    // A crash also leaves a half-written temp file beside the index.
    await writeFile(join(dir, 'versions', 'index.json.abc123.tmp'), '{"versions": [');
    const reopened = await openStore(dir);
    expect((await reopened.listVersions()).map((v) => v.seq)).toEqual([1]);
    expect((await reopened.published())?.seq).toBe(1);
    expect((await readdir(join(dir, 'versions'))).sort()).toEqual(['1', 'index.json']);
    const next = await reopened.importVersion({ ...req, contentHash: 'new content' });
    expect(next).toMatchObject({ existing: false, version: { seq: 2 } });
  });
});
