import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbookBuffer, readWorkbookFile } from '../../../workbooks/workbook-reader.js';
import { compileWorkbook } from '../../../rules/workbook/compile.js';
import { runRoutes } from '../../../server/http/routes/runs.js';
import { billRoutes } from '../../../server/http/routes/bills.js';
import { versionRoutes } from '../../../server/http/routes/versions.js';
import { sheetsRoutes } from '../../../server/http/routes/sheets.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { importSample, sampleSlice, settled, startRun, SAMPLE_CALLS } from './runs-fixture.js';
import { FakeSheets } from '../../workbooks/gsheets/fake-sheets.js';
import { fakeTabsOf } from '../../workbooks/gsheets/raw-to-fake.js';
import { readFile } from 'node:fs/promises';

const TOKEN = 'ya29.server';
const ENV = ['RATEBOOK_SHEETS_ROOT_URL', 'RATEBOOK_GOOGLE_ACCESS_TOKEN', 'GOOGLE_APPLICATION_CREDENTIALS'] as const;
const saved: Record<string, string | undefined> = {};

let f: ApiFixture;
let fake: FakeSheets;
let run = 0;
let exceptions = 0;

const post = (path: string, body: unknown, role: 'commercial' | 'clerk' | 'manager' | 'admin' | null) => f.call('POST', path, { role, body });
const json = async <T>(r: Response): Promise<T> => (await r.json()) as T;

beforeAll(async () => {
  for (const k of ENV) saved[k] = process.env[k];
  fake = await FakeSheets.start();
  fake.token = TOKEN;
  process.env.RATEBOOK_SHEETS_ROOT_URL = fake.url;
  process.env.RATEBOOK_GOOGLE_ACCESS_TOKEN = TOKEN;
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  const raw = await readWorkbookFile('workbooks/sample-uk-reseller.xlsx');
  if (!raw.ok) throw new Error(raw.error);
  fake.addBook('1Sample', 'Sample tariffs', fakeTabsOf(raw.value));
  // The same workbook with one rate changed: other content, so a new version.
  const changed = fakeTabsOf(raw.value);
  const rates = changed.find((t) => t.title === 'Rates')!;
  const col = rates.rows![0].findIndex((c) => c?.v === 'PerMinute');
  rates.rows![1][col] = { v: 0.0999 };
  fake.addBook('1Changed', 'Changed tariffs', changed);
  fake.addBook('1Out', 'Managers', [{ sheetId: 0, title: 'Notes', rows: [[{ v: 'keep' }]] }]);

  f = await apiFixture({ routers: [versionRoutes, runRoutes, billRoutes, sheetsRoutes] });
  await importSample(f.ctx.store);
  run = await startRun(f, [{ name: 'calls.csv', content: await readFile(SAMPLE_CALLS) }]);
  const s = await settled(f, run);
  expect(s.status).toBe('done');
  exceptions = Object.values(s.summary!.exceptions).reduce((a, b) => a + b, 0);
}, 120_000);
afterAll(async () => {
  for (const k of ENV) if (saved[k] === undefined) delete process.env[k];
  else process.env[k] = saved[k];
  await f.close();
  await fake.close();
});

describe('POST /api/versions/google', () => {
  it('the sample from Google is the version the .xlsx made (200, existing), read with the token', async () => {
    fake.requests.length = 0;
    const r = await post('/api/versions/google', { spreadsheetId: '1Sample' }, 'commercial');
    expect(r.status).toBe(200);
    expect(await json(r)).toMatchObject({ seq: 1, existing: true, errors: 0 });
    expect(fake.requests.length).toBe(3);
    for (const q of fake.requests) expect(q.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('other content is a new version (201) whose source is the sheet id and whose workbook.xlsx reads back the same', async () => {
    const r = await post('/api/versions/google', { spreadsheetId: 'https://docs.google.com/spreadsheets/d/1Changed/edit' }, 'commercial');
    expect(r.status).toBe(201);
    const body = await json<{ seq: number; hash: string }>(r);
    const list = await json<{ versions: { seq: number; source: string; fileName: string; importedBy: string }[] }>(await f.call('GET', '/api/versions'));
    expect(list.versions.find((v) => v.seq === body.seq)).toMatchObject({ source: '1Changed', fileName: 'Changed tariffs.xlsx', importedBy: 'commercial-user' });
    const file = await f.call('GET', `/api/versions/${body.seq}/workbook.xlsx`);
    expect(file.status).toBe(200);
    const back = await readWorkbookBuffer(Buffer.from(await file.arrayBuffer()));
    if (!back.ok) throw new Error(back.error);
    expect(compileWorkbook(back.value).hash).toBe(body.hash);
    const audit = await f.ctx.audit.read(5);
    expect(audit.some((e) => e.action === 'import' && e.target === `version ${body.seq} (Google Sheet 1Changed)`)).toBe(true);
  });

  it('Google\'s refusals: 404 and 403 naming the sheet, no version added', async () => {
    const before = (await f.ctx.store.listVersions()).length;
    const missing = await post('/api/versions/google', { spreadsheetId: '1Nope' }, 'commercial');
    expect([missing.status, (await json<{ error: string }>(missing)).error]).toEqual([404, expect.stringMatching(/^Google has no spreadsheet 1Nope/)]);
    fake.fail(403);
    const refused = await post('/api/versions/google', { spreadsheetId: '1Sample' }, 'commercial');
    expect([refused.status, (await json<{ error: string }>(refused)).error]).toEqual([403, expect.stringContaining('share it with')]);
    expect((await f.ctx.store.listVersions()).length).toBe(before);
  });

  it('400 for an id that is none, 403 for a clerk, 401 without a token', async () => {
    const bad = await post('/api/versions/google', { spreadsheetId: '../etc' }, 'commercial');
    expect(bad.status).toBe(400);
    expect((await json<{ issues: { at: string }[] }>(bad)).issues.map((i) => i.at)).toEqual(['body.spreadsheetId']);
    expect((await post('/api/versions/google', {}, 'commercial')).status).toBe(400);
    expect((await post('/api/versions/google', { spreadsheetId: '1Sample' }, 'clerk')).status).toBe(403);
    expect((await post('/api/versions/google', { spreadsheetId: '1Sample' }, null)).status).toBe(401);
  });
});

describe('POST /api/runs/:id/sheets', () => {
  it('writes Exceptions, Exception summary and Rated by customer and says so; audit `sheets`', async () => {
    fake.requests.length = 0;
    const r = await post(`/api/runs/${run}/sheets`, { spreadsheetId: '1Out' }, 'clerk');
    expect(r.status).toBe(200);
    const body = await json<{ spreadsheetId: string; tabs: { tab: string; rows: number }[] }>(r);
    expect(body.spreadsheetId).toBe('1Out');
    expect(body.tabs.map((t) => t.tab)).toEqual(['Exceptions', 'Exception summary', 'Rated by customer']);
    expect(body.tabs[0].rows).toBe(exceptions);
    expect(fake.calls()).toEqual(['GET /v4/spreadsheets/1Out', 'POST /v4/spreadsheets/1Out:batchUpdate', 'POST /v4/spreadsheets/1Out/values:batchUpdate']);
    expect((fake.requests[2].body as { valueInputOption: string }).valueInputOption).toBe('RAW');
    expect(fake.values('1Out', 'Notes')).toEqual([['keep']]);
    // The summary tab agrees with the run's own exceptions summary, cost included.
    const reasons = await json<{ reasons: { reason: string; count: number; seconds: number; cost: string }[] }>(await f.call('GET', `/api/runs/${run}/exceptions/summary`));
    const tab = fake.values('1Out', 'Exception summary').slice(1);
    expect(tab.map((row) => [row[0], row[1], row[2], Number(row[3] === '' ? 0 : row[3])])).toEqual(reasons.reasons.map((x) => [x.reason, x.count, x.seconds, Number(x.cost)]));
    const audit = await f.ctx.audit.read(5);
    expect(audit.find((e) => e.action === 'sheets')).toMatchObject({ who: 'clerk-user', role: 'clerk', target: `run ${run} to Google Sheet 1Out`, version: 1 });
  });

  it('404 for no such run, 409 for a run not done, 403 for a commercial token', async () => {
    expect((await post('/api/runs/99/sheets', { spreadsheetId: '1Out' }, 'clerk')).status).toBe(404);
    const other = await startRun(f, [{ name: 'part.csv', content: await sampleSlice(0, 10) }]);
    await settled(f, other);
    await f.ctx.runs.runs.update(other, (x) => ({ ...x, status: 'failed', error: 'interrupted' }));
    const r = await post(`/api/runs/${other}/sheets`, { spreadsheetId: '1Out' }, 'clerk');
    expect([r.status, (await json<{ error: string }>(r)).error]).toEqual([409, `run ${other} is failed: it can be written to a sheet once it is done`]);
    expect((await post(`/api/runs/${run}/sheets`, { spreadsheetId: '1Out' }, 'commercial')).status).toBe(403);
  });
});

describe('POST /api/bills/:period/sheets', () => {
  it('404 before the period is billed; then writes Invoices and Invoice lines', async () => {
    expect((await post('/api/bills/2026-10/sheets', { spreadsheetId: '1Out' }, 'clerk')).status).toBe(404);
    const bill = await post('/api/bills', { period: '2026-10' }, 'clerk');
    expect(bill.status).toBe(200);
    const invoices = (await json<{ invoices: unknown[] }>(bill)).invoices.length;
    const r = await post('/api/bills/2026-10/sheets', { spreadsheetId: '1Out' }, 'clerk');
    expect(r.status).toBe(200);
    const body = await json<{ tabs: { tab: string; rows: number }[] }>(r);
    expect(body.tabs[0]).toEqual({ tab: 'Invoices', rows: invoices });
    expect(body.tabs[1].tab).toBe('Invoice lines');
    const csv = await (await f.call('GET', '/api/bills/2026-10/files/invoices.csv')).text();
    expect(fake.values('1Out', 'Invoices')[0]).toEqual(csv.split('\n')[0].split(','));
    // The run's tabs written before are still there, untouched.
    expect(fake.books.get('1Out')!.tabs.map((t) => t.title)).toEqual(['Notes', 'Exceptions', 'Exception summary', 'Rated by customer', 'Invoices', 'Invoice lines']);
    expect((await post('/api/bills/2026-13/sheets', { spreadsheetId: '1Out' }, 'clerk')).status).toBe(400);
  });
});
