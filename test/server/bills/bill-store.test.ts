// What a crash leaves in DIR/bills, and what the next start makes of it (SPEC §7 Durability): the
// old bill or the new one whole, an interrupted attempt marked failed, a final the ledger missed
// recorded from its additions.json.

import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillService } from '../../../server/bills/bill-service.js';
import { BillStore } from '../../../server/store/bills.js';
import { openStore, type Store } from '../../../server/store/store.js';
import { publishSample, rateRun, SAMPLE_CALLS } from './bill-setup.js';

let temp: string;
let seed: string;
let n = 0;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'ratebook-bill-store-'));
  seed = join(temp, 'seed');
  await publishSample(await openStore(seed));
  await rateRun(seed, 1, [SAMPLE_CALLS]);
}, 60_000);
afterAll(() => rm(temp, { recursive: true, force: true }));

async function fresh(): Promise<{ dir: string; store: Store; service: BillService }> {
  const dir = join(temp, `d${++n}`);
  await cp(seed, dir, { recursive: true });
  const store = await openStore(dir);
  return { dir, store, service: await BillService.open(dir, store) };
}

describe('BillStore on start', () => {
  it('marks an attempt still billing as failed, interrupted, and removes its half-written folder', async () => {
    const { dir, service } = await fresh();
    const draft = await service.bill({ period: '2026-10', final: false, who: 'a' });
    // A crash mid-bill: the attempt recorded, part of the new bill written.
    const tmp = await service.bills.begin({ period: '2026-10', status: 'billing', final: false, createdBy: 'b', createdAt: new Date(Date.now() + 1000).toISOString() });
    await writeFile(join(tmp, 'invoices.csv'), 'invoice,acc');
    const reopened = await BillStore.open(dir);
    const p = await reopened.period('2026-10');
    expect(p.draft?.createdAt).toBe(draft.createdAt);
    expect(p.attempt).toMatchObject({ status: 'failed', error: 'interrupted', createdBy: 'b' });
    expect((await readdir(join(dir, 'bills', '2026-10'))).sort()).toEqual(['attempt.json', 'draft']);
    // It can be billed again: the next bill clears the failed attempt.
    await (await BillService.open(dir, await openStore(dir))).bill({ period: '2026-10', final: false, who: 'c' });
    expect((await reopened.period('2026-10')).attempt).toBeUndefined();
  }, 60_000);

  it('a period only attempted shows the failed attempt; a bill that got in before the crash keeps no attempt', async () => {
    const { dir, service } = await fresh();
    await service.bills.begin({ period: '2026-11', status: 'billing', final: false, createdBy: 'x', createdAt: '2026-12-01T00:00:00.000Z' });
    const made = await service.bill({ period: '2026-10', final: false, who: 'a' });
    // The crash came after the draft's rename, before its attempt.json was removed.
    await writeFile(join(dir, 'bills', '2026-10', 'attempt.json'), JSON.stringify({ period: '2026-10', status: 'billing', final: false, createdBy: 'a', createdAt: made.createdAt }));
    const reopened = await BillStore.open(dir);
    expect((await reopened.period('2026-10')).attempt).toBeUndefined();
    const list = await reopened.list();
    expect(list.map((b) => [b.period, b.draft?.status, b.attempt?.error])).toEqual([
      ['2026-11', undefined, 'interrupted'],
      ['2026-10', 'draft', undefined],
    ]);
  }, 60_000);

  it('puts the old draft back when the crash came between the two renames of a replacement', async () => {
    const { dir, service } = await fresh();
    const old = await service.bill({ period: '2026-10', final: false, who: 'a' });
    const period = join(dir, 'bills', '2026-10');
    await rename(join(period, 'draft'), join(period, '.old-0123456789ab'));
    await mkdir(join(period, '.tmp-ba9876543210'));
    const reopened = await BillStore.open(dir);
    expect((await reopened.period('2026-10')).draft?.createdAt).toBe(old.createdAt);
    expect(await readdir(period)).toEqual(['draft']);
    expect(await reopened.filePath('2026-10', 'invoices.csv')).toBe(join(period, 'draft', 'invoices.csv'));
  }, 60_000);

  it('records a final the ledger missed (a crash after final/ was in place), as the bill itself would have', async () => {
    const { dir, service } = await fresh();
    const ledger = join(dir, 'history', 'ledger.json');
    await service.bill({ period: '2026-10', final: true, who: 'm' });
    const kept = await readFile(ledger, 'utf8');
    const keptLines = await readFile(join(dir, 'history', '2026-10', 'invoice_lines.csv'), 'utf8');
    // Undo the two steps after the commit point.
    await rm(ledger);
    await rm(join(dir, 'history', '2026-10'), { recursive: true });
    await BillStore.open(dir);
    expect(await readFile(ledger, 'utf8')).toBe(kept);
    expect(await readFile(join(dir, 'history', '2026-10', 'invoice_lines.csv'), 'utf8')).toBe(keptLines);
    // And the next start has nothing left to do: the ledger is not recorded twice.
    await BillStore.open(dir);
    expect(await readFile(ledger, 'utf8')).toBe(kept);
  }, 60_000);
});
