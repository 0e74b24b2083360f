// The key acceptance test of server billing: POST /api/bills over runs the server's run service
// rated writes the same invoices.csv and invoice_lines.csv, byte for byte, as `ratebook bill
// --data` rating the same files itself — for a draft, a final, and the next month with late calls
// of the closed month.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billRoutes } from '../../../server/http/routes/bills.js';
import { apiFixture, type ApiFixture } from '../http/api-fixture.js';
import { runCli } from '../cli/run-cli.js';
import { publishSample, SAMPLE_CALLS, SAMPLE_WORKBOOK } from './bill-setup.js';

let f: ApiFixture;
let temp: string;
let cliData: string;
let late: string;
let nov: string;
let version: number;

/** A run of CDR files through the server's run service (as POST /api/runs files one), rated to the end. */
async function rateRun(paths: string[]): Promise<void> {
  const files = await Promise.all(
    paths.map(async (path) => ({ path, name: basename(path), sha256: createHash('sha256').update(await readFile(path)).digest('hex'), bytes: (await stat(path)).size, gzip: false })),
  );
  const run = await f.ctx.runs.submit({ version, format: null, files, createdBy: 'clerk-user', move: false });
  await f.ctx.runs.idle();
  expect(f.ctx.runs.runs.get(run.id)?.status).toBe('done');
}

const cliBill = async (period: string, cdrs: string[], final: boolean): Promise<string> => {
  const out = join(temp, `cli-${period}-${final ? 'final' : 'draft'}`);
  const args = ['bill', '--data', cliData, '--workbook', SAMPLE_WORKBOOK, ...cdrs.flatMap((c) => ['--cdrs', c]), '--period', period, '--out', out];
  const r = await runCli(final ? [...args, '--final'] : args);
  expect(r.err).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  return out;
};

const serverBill = async (period: string, final: boolean): Promise<{ status: string; invoices: { invoice: string }[]; total: string }> => {
  const r = await f.call('POST', '/api/bills', { role: final ? 'manager' : 'clerk', body: { period, final } });
  expect(r.status).toBe(200);
  return (await r.json()) as { status: string; invoices: { invoice: string }[]; total: string };
};

const serverFile = async (period: string, name: string): Promise<string> => {
  const r = await f.call('GET', `/api/bills/${period}/files/${name}`, { role: 'commercial' });
  expect(r.status).toBe(200);
  return r.text();
};

async function expectSameFiles(period: string, cliOut: string): Promise<void> {
  for (const name of ['invoices.csv', 'invoice_lines.csv']) {
    expect(await serverFile(period, name), name).toBe(await readFile(join(cliOut, name), 'utf8'));
  }
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'ratebook-bill-eq-'));
  cliData = join(temp, 'cli-data');
  f = await apiFixture({ routers: [billRoutes] });
  version = await publishSample(f.ctx.store);
  await rateRun([SAMPLE_CALLS]);
  expect((await runCli(['import', SAMPLE_WORKBOOK, '--data', cliData, '--publish'])).code).toBe(0);
  // Late calls: October calls the first file did not have (new ids); and November's calls.
  const lines = (await readFile(SAMPLE_CALLS, 'utf8')).trim().split('\n');
  const header = lines[0];
  const body = lines.slice(1);
  late = join(temp, 'late-oct.csv');
  await writeFile(late, [header, ...body.slice(100, 140).map((l) => l.replace(/^nwv-/, 'late-'))].join('\n') + '\n');
  nov = join(temp, 'nov.csv');
  const november = body.slice(400, 700).map((l) => l.replace(/^nwv-/, 'nov-').replace(',2026-10-31 ', ',2026-11-30 ').replace(',2026-10-', ',2026-11-'));
  await writeFile(nov, [header, ...november].join('\n') + '\n');
}, 120_000);

afterAll(async () => {
  await f?.close();
  await rm(temp, { recursive: true, force: true });
});

describe('a bill made by the server equals `ratebook bill --data`', () => {
  it('drafts October as the command line does', async () => {
    const bill = await serverBill('2026-10', false);
    expect(bill.status).toBe('draft');
    expect(bill.invoices.map((i) => i.invoice)).toEqual(['NWV-000001', 'NWV-000002', 'NWV-000003', 'NWV-000004', 'NWV-000005', 'NWV-000006', 'NWV-000007', 'NWV-000008']);
    await expectSameFiles('2026-10', await cliBill('2026-10', [SAMPLE_CALLS], false));
  }, 120_000);

  it('finalises October as the command line does, and keeps the same history', async () => {
    const bill = await serverBill('2026-10', true);
    expect(bill.status).toBe('final');
    await expectSameFiles('2026-10', await cliBill('2026-10', [SAMPLE_CALLS], true));
    expect(await readFile(join(f.ctx.dataDir, 'history', 'ledger.json'), 'utf8')).toBe(await readFile(join(cliData, 'history', 'ledger.json'), 'utf8'));
    expect(await readFile(join(f.ctx.dataDir, 'history', '2026-10', 'invoice_lines.csv'), 'utf8')).toBe(await readFile(join(cliData, 'history', '2026-10', 'invoice_lines.csv'), 'utf8'));
  }, 120_000);

  it('bills November with October\'s late calls as the command line does, draft then final', async () => {
    await rateRun([nov]);
    const withoutLate = await serverBill('2026-11', false);
    await rateRun([late]);
    const draft = await serverBill('2026-11', false);
    await expectSameFiles('2026-11', await cliBill('2026-11', [SAMPLE_CALLS, late, nov], false));
    // The late calls are on the bill (the last draft replaced the one before), numbered on from October's final.
    expect(Number(draft.total)).toBeGreaterThan(Number(withoutLate.total));
    expect(draft.invoices[0].invoice).toBe('NWV-000009');
    const final = await serverBill('2026-11', true);
    expect(final.total).toBe(draft.total);
    await expectSameFiles('2026-11', await cliBill('2026-11', [SAMPLE_CALLS, late, nov], true));
    expect(await readFile(join(f.ctx.dataDir, 'history', 'ledger.json'), 'utf8')).toBe(await readFile(join(cliData, 'history', 'ledger.json'), 'utf8'));
  }, 180_000);
});
