// A big version's sql.js model and a big diff are made on the model thread (model-thread.ts): the
// same database (searched alike) and the same diff page as made here, while neither buildModelDb
// nor diffWorkbooks runs on this thread.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeBenchWorkbook } from '../../../server/bench/bench-workbook.js';
import { openContext, type ServerContext } from '../../../server/http/context.js';
import { buildModelDb, searchNumbers } from '../../../server/model/model-db.js';
import { diffAnswer } from '../../../server/model/diff-answer.js';
import { DB_IN_THREAD_ROWS, versionModel } from '../../../server/model/version-cache.js';
import { DIFF_IN_THREAD_BYTES, diffVersions } from '../../../server/model/version-diff.js';
import { rowsPathOf } from '../../../server/model/model-thread.js';
import { loadWorkbookFile } from '../../../server/model/workbook-file.js';
import { diffWorkbooks } from '../../../rules/workbook/diff.js';
import type { SheetRows } from '../../../rules/workbook/rows.js';
import { stat } from 'node:fs/promises';

// Watched on this thread only: the model thread loads its own, untouched copies.
vi.mock('../../../server/model/model-db.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../server/model/model-db.js')>();
  return { ...real, buildModelDb: vi.fn(real.buildModelDb) };
});
vi.mock('../../../rules/workbook/diff.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../rules/workbook/diff.js')>();
  return { ...real, diffWorkbooks: vi.fn(real.diffWorkbooks) };
});

let dir: string;
let ctx: ServerContext;
let rows1: SheetRows;
let rows2: SheetRows;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-model-thread-'));
  const path = join(dir, 'big.xlsx');
  await writeBenchWorkbook(path, { customers: 1_000, numbers: 8_000, ranges: 200, destinations: 2_000, tariffs: 3, rates: 3_000 });
  const wb = await loadWorkbookFile(path);
  if (!wb.ok) throw new Error(wb.error);
  ctx = await openContext({ dataDir: join(dir, 'data') });
  rows1 = wb.value.rows;
  await ctx.store.importVersion({ fileBytes: wb.value.bytes, fileName: 'big.xlsx', rows: rows1, contentHash: 'one', issues: [], importer: 'test', source: 'big.xlsx' });
  // The second: one price changed, a number gone, a customer added.
  rows2 = structuredClone(rows1);
  rows2.rates[7].perMinute += 1000;
  rows2.numbers.splice(42, 1);
  rows2.customers.push({ ...rows2.customers[0], account: 'ZZ0001', name: 'Zed', row: 99_999 });
  await ctx.store.importVersion({ fileBytes: wb.value.bytes, fileName: 'big.xlsx', rows: rows2, contentHash: 'two', issues: [], importer: 'test', source: 'big.xlsx' });
}, 120_000);
afterAll(async () => {
  await ctx.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the model thread', () => {
  it("builds a big version's sql.js model: the same answers as one built here", async () => {
    const vm = await versionModel(ctx, 1);
    expect(vm.rows.numbers.length + vm.rows.rates.length).toBeGreaterThanOrEqual(DB_IN_THREAD_ROWS);
    vi.mocked(buildModelDb).mockClear();
    const there = await vm.withDb((m) => ({
      numbers: m.db.exec('SELECT count(*) FROM numbers')[0].values[0][0],
      hits: ['4420700', 'customer 12', '0161 000 0042', '44161000004'].map((q) => searchNumbers(m, q, 20)),
    }));
    expect(buildModelDb).not.toHaveBeenCalled();
    const here = await buildModelDb(vm.rows);
    try {
      expect(there.numbers).toBe(8_000);
      expect(there.hits).toEqual(['4420700', 'customer 12', '0161 000 0042', '44161000004'].map((q) => searchNumbers(here, q, 20)));
      expect(there.hits.every((h) => h.length > 0)).toBe(true);
    } finally {
      here.close();
    }
  });

  it('diffs two big versions: the page the route answers, as made here', async () => {
    expect((await stat(rowsPathOf(ctx.store, 1))).size + (await stat(rowsPathOf(ctx.store, 2))).size).toBeGreaterThanOrEqual(DIFF_IN_THREAD_BYTES);
    vi.mocked(diffWorkbooks).mockClear();
    const there = await diffVersions(ctx, 2, 1, 5);
    expect(diffWorkbooks).not.toHaveBeenCalled();
    expect(there).toEqual(diffAnswer(rows1, rows2, 5));
    expect(there.map((t) => [t.tab, t.counts])).toEqual([
      ['Customers', { added: 1, removed: 0, changed: 0 }],
      ['Numbers', { added: 0, removed: 1, changed: 0 }],
      ['Rates', { added: 0, removed: 0, changed: 1 }],
    ]);
  });

  it('is 404 for a version that is not there', async () => {
    await expect(diffVersions(ctx, 3, 1, 5)).rejects.toMatchObject({ status: 404, message: 'there is no version 3' });
  });
});
