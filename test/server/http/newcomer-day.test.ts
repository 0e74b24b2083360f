// A newcomer's first day with the workbench, through the API of a real `ratebook serve` on a fresh
// data directory (SPEC §7): the first start has published the sample and rated its calls as run 1;
// a commercial manager uploads a changed workbook (a number that was unknown, a tariff for the new
// customer), reads the diff and publishes it; a clerk uploads November's calls and reads the
// grids, re-rates run 1's exceptions with the new version, and drafts October's bill; a manager
// finalises it. The bills equal what `ratebook bill --data` makes from the same inputs, byte for
// byte — October, then November with late October calls joining from the billing history.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMicro } from '../../../rules/money.js';
import { runCli } from '../cli/run-cli.js';
import { LiveApi, liveApi, type RunDetail } from './live-api.js';
import { SAMPLE_CALLS } from './runs-fixture.js';
import { signal, startServerProcess, type ServerProcess } from './server-process.js';
import { columnOf, editedSample, rowWhere } from './workbook-edits.js';

/** The number behind one of run 1's two UNKNOWN_NUMBER exceptions, as Numbers will hold it. */
const NEW_NUMBER = '020 7946 1234';

let temp: string;
let p: ServerProcess;
let admin: LiveApi;
let commercial: LiveApi;
let clerk: LiveApi;
let manager: LiveApi;
let changedPath: string;
let novPath: string;
let latePath: string;
let cliData: string;

interface GridPage {
  total: number;
  rows: Record<string, string | number | null>[];
}

/** A CSV file's rows as objects (the run files have no quoted commas in the columns compared here). */
function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trimEnd().split('\n');
  const cols = head.split(',');
  return lines.map((l) => {
    const cells = l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"(.*)"$/s, '$1').replace(/""/g, '"'));
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** A money string as integer micro-units (exact: no float compares amounts). */
function money(s: unknown): number {
  const m = parseMicro(String(s));
  if (!m.ok) throw new Error(`not money: ${String(s)}`);
  return m.value;
}

/** `ratebook bill --data CLI` over the changed workbook and these CDR files: its output folder. */
async function cliBill(period: string, cdrs: string[], final: boolean): Promise<string> {
  const out = join(temp, `cli-${period}-${final ? 'final' : 'draft'}`);
  const args = ['bill', '--data', cliData, '--workbook', changedPath, ...cdrs.flatMap((c) => ['--cdrs', c]), '--period', period, '--out', out, ...(final ? ['--final'] : [])];
  const r = await runCli(args);
  expect(r.code, r.err).toBe(0);
  return out;
}

async function expectSameBill(period: string, cliOut: string): Promise<void> {
  for (const name of ['invoices.csv', 'invoice_lines.csv']) {
    const served = await (await clerk.fetch('GET', `/api/bills/${period}/files/${name}`)).text();
    expect(served, `${period} ${name}`).toBe(await readFile(join(cliOut, name), 'utf8'));
  }
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'ratebook-newcomer-'));
  cliData = join(temp, 'cli-data');
  p = await startServerProcess(join(temp, 'data'));
  admin = liveApi(p);
  commercial = admin.as(await admin.makeToken('carol', 'commercial'));
  clerk = admin.as(await admin.makeToken('cleo', 'clerk'));
  manager = admin.as(await admin.makeToken('max', 'manager'));

  // November's calls: the sample's lines a month on, with ids of their own.
  const [header, ...body] = (await readFile(SAMPLE_CALLS, 'utf8')).trimEnd().split('\n');
  novPath = join(temp, 'nov.csv');
  const november = body.slice(0, 1500).map((l) => l.replace(/^nwv-/, 'nov-').replace(',2026-10-31 ', ',2026-11-30 ').replace(',2026-10-', ',2026-11-'));
  await writeFile(novPath, [header, ...november].join('\n') + '\n');
  // October calls the switch delivered late (after October was final), with ids of their own.
  latePath = join(temp, 'late-oct.csv');
  await writeFile(latePath, [header, ...body.slice(100, 160).map((l) => l.replace(/^nwv-/, 'late-'))].join('\n') + '\n');
}, 120_000);

afterAll(async () => {
  signal(p, 'SIGTERM');
  await p.exited;
  await rm(temp, { recursive: true, force: true });
});

describe("a newcomer's day", () => {
  it('finds the sample published as version 1 and its calls rated as run 1', async () => {
    const versions = await clerk.get<{ published: number; versions: { seq: number }[] }>('/api/versions');
    expect(versions.published).toBe(1);
    const { runs } = await clerk.get<{ runs: { id: number; status: string; input: number; rated: number; exceptions: number }[] }>('/api/runs');
    expect(runs).toEqual([expect.objectContaining({ id: 1, status: 'done', input: 3235, rated: 3049, exceptions: 186 })]);
    const unknown = await clerk.get<GridPage>('/api/runs/1/exceptions?filter[reason]=UNKNOWN_NUMBER');
    expect(unknown.total).toBe(2);
    expect(unknown.rows.map((r) => r.caller)).toContain(NEW_NUMBER);
  });

  it('uploads a changed workbook as a commercial manager, reads the diff, and publishes it', async () => {
    const bytes = await editedSample((wb) => {
      const numbers = wb.getWorksheet('Numbers')!;
      const row = numbers.getRow(numbers.rowCount + 1);
      const set = (h: string, v: string | Date): void => void (row.getCell(columnOf(numbers, h)).value = v);
      set('Account', 'ACME01');
      set('Number', NEW_NUMBER);
      set('Description', 'Head office, new line');
      set('Site', 'London HQ');
      set('Status', 'Active');
      set('DateSold', new Date(Date.UTC(2026, 8, 1)));
      row.commit();
      const customers = wb.getWorksheet('Customers')!;
      rowWhere(customers, { Account: 'IVY09' }).getCell(columnOf(customers, 'Tariff')).value = 'Standard';
    });
    changedPath = join(temp, 'northwind-november.xlsx');
    await writeFile(changedPath, bytes);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'northwind-november.xlsx');
    // A clerk may not bring workbooks in.
    expect((await clerk.fetch('POST', '/api/versions', form)).status).toBe(403);
    const up = await commercial.json<{ seq: number; existing: boolean; errors: number }>('POST', '/api/versions', form);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ seq: 2, existing: false, errors: 0 });

    const diff = await commercial.get<{ against: number; tabs: { tab: string; added: { key: string }[]; removed: unknown[]; changed: { key: string; cells: { column: string; from: string; to: string }[] }[] }[] }>('/api/versions/2/diff');
    expect(diff.against).toBe(1);
    expect(diff.tabs.map((t) => t.tab).sort()).toEqual(['Customers', 'Numbers']);
    const numbers = diff.tabs.find((t) => t.tab === 'Numbers')!;
    expect(numbers.added).toHaveLength(1);
    expect(numbers.added[0].key).toContain('442079461234');
    expect(numbers.changed).toEqual([]);
    const customers = diff.tabs.find((t) => t.tab === 'Customers')!;
    expect(customers.changed).toEqual([{ key: 'IVY09', rowA: expect.any(Number), rowB: expect.any(Number), cells: [{ column: 'Tariff', from: '', to: 'Standard' }] }]);

    expect((await clerk.fetch('POST', '/api/versions/2/publish')).status).toBe(403);
    expect((await commercial.fetch('POST', '/api/versions/2/publish')).status).toBe(200);
    expect((await clerk.get<{ published: number }>('/api/versions')).published).toBe(2);
  });

  it("uploads November's calls as a clerk; the run rates with the published version, and its grids page, sort and filter", async () => {
    const id = await clerk.startRun([novPath]);
    expect(id).toBe(2);
    const run = await clerk.settled(id);
    expect(run).toMatchObject({ status: 'done', version: 2 });
    const s = run.summary!;
    expect(s.input).toBe(1500);
    expect(s.rated + Object.values(s.exceptions).reduce((a, b) => a + b, 0)).toBe(s.input);
    const rated = csvRows(await (await clerk.fetch('GET', `/api/runs/${id}/files/rated.csv`)).text());
    expect(rated).toHaveLength(s.rated);

    // The whole grid: its total is the run's rated count, its rows rated.csv's, page by page.
    const first = await clerk.get<GridPage>(`/api/runs/${id}/rated?limit=1000`);
    const second = await clerk.get<GridPage>(`/api/runs/${id}/rated?offset=1000&limit=1000`);
    expect(first.total).toBe(s.rated);
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(rated.map((r) => r.id));

    // Sorted by charge, dearest first: money compared exactly.
    const dear = await clerk.get<GridPage>(`/api/runs/${id}/rated?sort=charge:desc&limit=200`);
    expect(dear.total).toBe(s.rated);
    for (let i = 1; i < dear.rows.length; i++) expect(money(dear.rows[i - 1].charge) >= money(dear.rows[i].charge)).toBe(true);
    expect(money(dear.rows[0].charge)).toBe(Math.max(...rated.map((r) => money(r.charge))));

    // Filtered by account and by a duration range, sorted by start, paged.
    const acme = rated.filter((r) => r.account.toLowerCase().includes('acme01') && Number(r.duration) >= 120);
    const q = `filter[account]=acme01&filter[duration]=${encodeURIComponent('>=120')}&sort=start:asc`;
    const page1 = await clerk.get<GridPage>(`/api/runs/${id}/rated?${q}&limit=25`);
    const page2 = await clerk.get<GridPage>(`/api/runs/${id}/rated?${q}&offset=25&limit=25`);
    expect(page1.total).toBe(acme.length);
    expect(acme.length).toBeGreaterThan(50);
    const rows = [...page1.rows, ...page2.rows];
    expect(rows.every((r) => r.account === 'ACME01' && Number(r.duration) >= 120)).toBe(true);
    const starts = rows.map((r) => String(r.start));
    expect(new Set(rows.map((r) => r.id)).size).toBe(50);
    for (let i = 1; i < starts.length; i++) expect(Date.parse(starts[i - 1]) <= Date.parse(starts[i])).toBe(true);

    // Exceptions by reason, as the Summary tab has them.
    const summary = await clerk.get<{ reasons: { reason: string; count: number }[] }>(`/api/runs/${id}/exceptions/summary`);
    expect(Object.fromEntries(summary.reasons.map((r) => [r.reason, r.count]))).toEqual(s.exceptions);
  });

  it("re-rates run 1's exceptions with version 2: the new number's call and Ivy Lane's calls move to the rated calls", async () => {
    const before = (await clerk.get<RunDetail>('/api/runs/1')).summary!;
    // Commercial managers do not re-rate.
    expect((await commercial.fetch('POST', '/api/runs/1/rerate', { version: 2 })).status).toBe(403);
    const r = await clerk.json<{ moved: number; byReason: Record<string, number>; remaining: number }>('POST', '/api/runs/1/rerate', { version: 2 });
    expect(r.status).toBe(200);
    expect(r.body.byReason.UNKNOWN_NUMBER).toBe(1);
    expect(r.body.byReason.NO_TARIFF).toBeGreaterThan(30);
    expect(r.body.moved).toBe(Object.values(r.body.byReason).reduce((a, b) => a + b, 0));
    const after = (await clerk.get<RunDetail>('/api/runs/1')).summary!;
    const exceptions = Object.values(after.exceptions).reduce((a, b) => a + b, 0);
    expect(after.input).toBe(3235);
    expect(after.rated).toBe(before.rated + r.body.moved);
    expect(after.rated + exceptions).toBe(after.input);
    expect(r.body.remaining).toBe(exceptions);
    expect((await clerk.get<GridPage>('/api/runs/1/exceptions?filter[reason]=UNKNOWN_NUMBER')).total).toBe(1);
    const ivy = await clerk.get<GridPage>('/api/runs/1/rated?filter[account]=IVY09');
    expect(ivy.total).toBeGreaterThan(30);
    expect(ivy.rows.every((x) => x.tariff === 'Standard')).toBe(true);
  });

  it('bills October as a clerk and finalises it as a manager: the same invoices as `ratebook bill --data`, to the penny', async () => {
    const draft = await clerk.json<{ status: string; invoices: { invoice: string; account: string }[]; total: string }>('POST', '/api/bills', { period: '2026-10' });
    expect(draft.status).toBe(200);
    expect(draft.body.status).toBe('draft');
    expect(draft.body.invoices.map((i) => i.account)).toContain('IVY09');
    // A clerk drafts; only a manager finalises.
    expect((await clerk.fetch('POST', '/api/bills', { period: '2026-10', final: true })).status).toBe(403);
    const final = await manager.json<{ status: string; total: string }>('POST', '/api/bills', { period: '2026-10', final: true });
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({ status: 'final', total: draft.body.total });
    expect((await manager.fetch('POST', '/api/bills', { period: '2026-10', final: true })).status).toBe(409);

    expect((await runCli(['import', changedPath, '--data', cliData, '--publish'])).code).toBe(0);
    await expectSameBill('2026-10', await cliBill('2026-10', [SAMPLE_CALLS, novPath], true));
    expect((await admin.get<{ entries: { action: string; who: string }[] }>('/api/audit?limit=50')).entries.map((e) => `${e.action} ${e.who}`)).toEqual(
      expect.arrayContaining(['import carol', 'publish carol', 'run cleo', 'rerate cleo', 'bill cleo', 'finalise max']),
    );
  }, 120_000);

  it('bills November with late October calls joining from the history, as `ratebook bill --data` does', async () => {
    const before = await clerk.json<{ total: string }>('POST', '/api/bills', { period: '2026-11' });
    expect(before.status).toBe(200);
    const id = await clerk.startRun([latePath]);
    expect((await clerk.settled(id)).status).toBe('done');
    // The draft replaces the last one; October is final, so its late calls join November.
    const draft = await clerk.json<{ status: string; invoices: { invoice: string }[]; total: string }>('POST', '/api/bills', { period: '2026-11' });
    expect(draft.status).toBe(200);
    expect(money(draft.body.total)).toBeGreaterThan(money(before.body.total));
    // Numbered on from October's final invoices.
    const october = await clerk.get<{ invoices: { invoice: string }[] }>('/api/bills/2026-10');
    expect(draft.body.invoices[0].invoice > october.invoices[october.invoices.length - 1].invoice).toBe(true);
    await expectSameBill('2026-11', await cliBill('2026-11', [SAMPLE_CALLS, novPath, latePath], false));
  }, 120_000);
});
