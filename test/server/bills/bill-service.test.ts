import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillConflict, BillService } from '../../../server/bills/bill-service.js';
import { openStore, type Store } from '../../../server/store/store.js';
import { publishSample, rateRun, SAMPLE_CALLS } from './bill-setup.js';

let temp: string;
/** A data directory with the sample published and run 1 (the sample calls) done, to copy. */
let seed: string;
let n = 0;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'ratebook-bill-service-'));
  seed = join(temp, 'seed');
  await publishSample(await openStore(seed));
  await rateRun(seed, 1, [SAMPLE_CALLS]);
}, 60_000);
afterAll(() => rm(temp, { recursive: true, force: true }));

async function fresh(): Promise<{ dir: string; store: Store }> {
  const dir = join(temp, `d${++n}`);
  await cp(seed, dir, { recursive: true });
  return { dir, store: await openStore(dir) };
}

const text = (dir: string, period: string, status: string, name: string): Promise<string> => readFile(join(dir, 'bills', period, status, name), 'utf8');

describe('BillService', () => {
  it('bills each call once however many runs hold it, and leaves failed runs out', async () => {
    const { dir, store } = await fresh();
    const service = await BillService.open(dir, store);
    const one = await service.bill({ period: '2026-10', final: false, who: 'test' });
    const lines = await text(dir, '2026-10', 'draft', 'invoice_lines.csv');
    // Run 2 holds the same calls again (the file under another name); run 3, other calls, failed.
    const copy = join(temp, 'copy.csv');
    await cp(SAMPLE_CALLS, copy);
    await rateRun(dir, 2, [copy]);
    const extra = join(temp, 'extra.csv');
    await writeFile(extra, (await readFile(SAMPLE_CALLS, 'utf8')).replace(/^nwv-/gm, 'x-'));
    await rateRun(dir, 3, [extra], 'failed');
    const again = await service.bill({ period: '2026-10', final: false, who: 'test' });
    expect(again.runs).toEqual([1, 2]);
    expect(again.duplicates).toBeGreaterThan(3000);
    expect(one.duplicates).toBe(0);
    expect(again.invoices).toEqual(one.invoices);
    expect(await text(dir, '2026-10', 'draft', 'invoice_lines.csv')).toBe(lines);
  }, 60_000);

  it('makes the same bill in a worker thread as on the main thread', async () => {
    const { dir, store } = await fresh();
    const here = await (await BillService.open(dir, store, { workerBytes: Infinity })).bill({ period: '2026-10', final: false, who: 'test' });
    const files = await Promise.all(['invoices.csv', 'invoice_lines.csv', 'invoices/NWV-000003.html'].map((f) => text(dir, '2026-10', 'draft', f)));
    const worker = await (await BillService.open(dir, store, { workerBytes: 0 })).bill({ period: '2026-10', final: false, who: 'test' });
    expect({ ...worker, createdAt: '' }).toEqual({ ...here, createdAt: '' });
    expect(await Promise.all(['invoices.csv', 'invoice_lines.csv', 'invoices/NWV-000003.html'].map((f) => text(dir, '2026-10', 'draft', f)))).toEqual(files);
  }, 60_000);

  it('makes bills one at a time, in the order asked', async () => {
    const { dir, store } = await fresh();
    const service = await BillService.open(dir, store);
    const [draft, final, refused] = await Promise.allSettled([
      service.bill({ period: '2026-10', final: false, who: 'a' }),
      service.bill({ period: '2026-10', final: true, who: 'b' }),
      service.bill({ period: '2026-10', final: true, who: 'c' }),
    ]);
    expect(draft.status === 'fulfilled' && draft.value.status).toBe('draft');
    expect(final.status === 'fulfilled' && final.value.status).toBe('final');
    expect(refused.status === 'rejected' && refused.reason).toBeInstanceOf(BillConflict);
    const p = await service.period('2026-10');
    // The final superseded the draft; the refused attempt left nothing behind.
    expect([p.final?.createdBy, p.draft, p.attempt]).toEqual(['b', undefined, undefined]);
  }, 60_000);

  it('refuses a run whose rated.csv is damaged, naming the line; the last draft stays and the attempt says why', async () => {
    const { dir, store } = await fresh();
    const service = await BillService.open(dir, store);
    const before = await service.bill({ period: '2026-10', final: false, who: 'test' });
    const rated = join(dir, 'runs', '1', 'rated.csv');
    const lines = (await readFile(rated, 'utf8')).split('\n');
    lines[4] = lines[4].replace(/,(rate|markup|fallback)$/, ',guess');
    await writeFile(rated, lines.join('\n'));
    await expect(service.bill({ period: '2026-10', final: false, who: 'test' })).rejects.toThrow(/runs\/1\/rated\.csv:5: method: "guess"/);
    const p = await service.period('2026-10');
    expect(p.draft?.createdAt).toBe(before.createdAt);
    expect(p.attempt).toMatchObject({ status: 'failed', error: expect.stringMatching(/rated\.csv:5/) });
  }, 60_000);
});
