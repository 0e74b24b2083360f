import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContext, type ServerContext } from '../../../server/http/context.js';
import { publishedModel, versionModel, VERSION_CACHE_SIZE } from '../../../server/model/version-cache.js';
import { loadWorkbookFile } from '../../../server/model/workbook-file.js';
import { ApiError } from '../../../server/http/errors.js';
import { SAMPLE_PATH } from '../http/workbook-edits.js';

let ctx: ServerContext;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-cache-'));
  ctx = await openContext({ dataDir: dir });
  const wb = await loadWorkbookFile(SAMPLE_PATH);
  if (!wb.ok) throw new Error(wb.error);
  // The same rows under different hashes: versions 1..5 of one content.
  for (let i = 1; i <= VERSION_CACHE_SIZE + 2; i++) {
    await ctx.store.importVersion({ fileBytes: wb.value.bytes, fileName: 'sample.xlsx', rows: wb.value.rows, contentHash: `${wb.value.hash}-${i}`, issues: i === 2 ? [{ severity: 'error', code: 'X', message: 'broken', at: 'Rates!E2' }] : wb.value.issues, importer: 'test', source: 'sample.xlsx' });
  }
});
afterAll(async () => {
  await ctx.close();
  await rm(dir, { recursive: true, force: true });
});

const status = async (p: Promise<unknown>): Promise<number | 'ok'> => p.then(() => 'ok' as const, (e: unknown) => (e instanceof ApiError ? e.status : -1));

describe('versionModel', () => {
  it('is 404 for a version that is not there, and publishedModel 409 while none is published', async () => {
    expect(await status(versionModel(ctx, 99))).toBe(404);
    expect(await status(publishedModel(ctx))).toBe(409);
    await ctx.store.publish(3);
    expect((await publishedModel(ctx)).seq).toBe(3);
  });

  it('loads a version once: the same model for every caller until it is pushed out, the rating model only without errors', async () => {
    const [a, b] = await Promise.all([versionModel(ctx, 1), versionModel(ctx, 1)]);
    expect(a).toBe(b);
    expect(a.rows.customers.length).toBe(9);
    expect(a.rating()).toBe(a.rating());
    expect(a.rating()!.owners.length).toBe(18);
    expect((await versionModel(ctx, 2)).rating()).toBeNull();
    let made = 0;
    a.memo('k', () => ++made);
    expect(a.memo('k', () => ++made)).toBe(1);
  });

  it('keeps the last few; a model pushed out still answers withDb (with a database built for the call)', async () => {
    const first = await versionModel(ctx, 1);
    const count = (): Promise<number> => first.withDb((m) => Number(m.db.exec('SELECT count(*) FROM numbers')[0].values[0][0]));
    expect(await count()).toBe(18);
    // Kept here only to see it closed (a caller must not keep it).
    const held = await first.withDb((m) => m.db);
    for (let seq = 2; seq <= VERSION_CACHE_SIZE + 1; seq++) await versionModel(ctx, seq);
    const again = await versionModel(ctx, 1);
    expect(again).not.toBe(first);
    await new Promise((r) => setTimeout(r, 10));
    expect(() => held.exec('SELECT 1')).toThrow(); // its wasm memory is given back
    expect(await count()).toBe(18);
    expect(await again.withDb((m) => m.db.exec('SELECT name FROM search_accounts WHERE account = ?', ['ACME01'])[0].values[0][0])).toBe('Acme Widgets');
  });
});
