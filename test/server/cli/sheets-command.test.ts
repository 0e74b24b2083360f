import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { FakeSheets } from '../../workbooks/gsheets/fake-sheets.js';
import { fakeTabsOf } from '../../workbooks/gsheets/raw-to-fake.js';
import { readWorkbookFile } from '../../../workbooks/workbook-reader.js';
import { openStore } from '../../../server/store/store.js';
import { parseMicro } from '../../../rules/money.js';
import { csvRecords } from '../../../workbooks/gsheets/csv-records.js';
import { unguard } from '../../../rules/csv.js';

const W = 'workbooks/sample-uk-reseller.xlsx';
const C = 'workbooks/sample-calls.csv';
const TOKEN = 'ya29.cli';
const temp = (): Promise<string> => mkdtemp(join(tmpdir(), 'ratebook-sheets-'));

let fake: FakeSheets;
const saved: Record<string, string | undefined> = {};
const ENV = ['RATEBOOK_SHEETS_ROOT_URL', 'RATEBOOK_GOOGLE_ACCESS_TOKEN', 'GOOGLE_APPLICATION_CREDENTIALS'] as const;

beforeAll(async () => {
  fake = await FakeSheets.start();
  fake.token = TOKEN;
  for (const k of ENV) saved[k] = process.env[k];
  process.env.RATEBOOK_SHEETS_ROOT_URL = fake.url;
  process.env.RATEBOOK_GOOGLE_ACCESS_TOKEN = TOKEN;
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  const raw = await readWorkbookFile(W);
  if (!raw.ok) throw new Error(raw.error);
  fake.addBook('1SampleSheetId', 'UK reseller', fakeTabsOf(raw.value));
});
afterAll(async () => {
  for (const k of ENV) if (saved[k] === undefined) delete process.env[k];
  else process.env[k] = saved[k];
  await fake.close();
});

/** A CSV file's rows under its header, as the Sheet should hold them (numbers compared as text). */
async function csvRows(path: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const f of csvRecords(path)) rows.push(f.map(unguard));
  return rows;
}
const asText = (rows: unknown[][]): string[][] => rows.map((r) => r.map((v) => String(v)));

describe('ratebook import --google', () => {
  it('keeps the sheet as a version with the same content hash as the .xlsx, its source the sheet id', async () => {
    const data = await temp();
    const r = await runCli(['import', '--google', 'https://docs.google.com/spreadsheets/d/1SampleSheetId/edit#gid=0', '--data', data, '--publish']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/read Google Sheet 1SampleSheetId \("UK reseller"\) in 3 API calls\nimported as version 1 \(.*\)\npublished version 1\n$/);
    const fromFile = await runCli(['import', W, '--data', data]);
    expect(fromFile.out).toMatch(/already imported as version 1 /);
    const store = await openStore(data);
    const v = (await store.getVersion(1))!;
    expect([v.source, v.fileName, v.storedFile]).toEqual(['1SampleSheetId', 'UK reseller.xlsx', 'workbook.xlsx']);
    expect((await store.published())?.seq).toBe(1);
    // The kept .xlsx, written from the values read, validates as the same workbook.
    expect((await runCli(['validate', store.versionFile(v)])).code).toBe(0);
  });

  it('fails with exit 1 and the message, adding no version, when Google refuses', async () => {
    const data = await temp();
    const missing = await runCli(['import', '--google', 'NoSuchSheet', '--data', data]);
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/^ratebook: Google has no spreadsheet NoSuchSheet; check the id/)]);
    fake.fail(403);
    const refused = await runCli(['import', '--google', '1SampleSheetId', '--data', data]);
    expect([refused.code, refused.err]).toEqual([1, expect.stringContaining('Google refused access to spreadsheet 1SampleSheetId: share it with')]);
    expect(await (await openStore(data)).listVersions()).toEqual([]);
  });

  it('a wrong id or an id with a file is a usage error', async () => {
    expect((await runCli(['import', '--google', 'not an id', '--data', await temp()])).code).toBe(2);
    expect((await runCli(['import', W, '--google', '1SampleSheetId', '--data', await temp()])).code).toBe(2);
  });
});

describe('ratebook rate … --sheet', () => {
  let out = '';
  let printed = '';
  beforeAll(async () => {
    fake.addBook('1RunSheet', 'Run review', [{ sheetId: 0, title: 'Notes', rows: [[{ v: 'keep' }]] }]);
    fake.requests.length = 0;
    out = await temp();
    // The sample's calls and one whose id looks like a formula, from a number no customer has.
    const calls = join(await temp(), 'calls.csv');
    await writeFile(calls, (await readFile(C, 'utf8')) + '@SUM(1),2026-10-09 16:03:05,60,0113 496 9999,0117 3212630,,out,0.01\n');
    const r = await runCli(['rate', '--workbook', W, '--cdrs', calls, '--out', out, '--sheet', '1RunSheet']);
    expect(r.code).toBe(0);
    printed = r.out;
  });

  it('prints the tabs and rows it wrote', () => {
    expect(printed).toMatch(/wrote Google Sheet 1RunSheet \(3 API calls\):\n  Exceptions\s+\d+ rows\n  Exception summary\s+\d+ rows?\n  Rated by customer\s+\d+ rows\n$/);
  });

  it('sends the listing, one batchUpdate and the values RAW, with the token', () => {
    expect(fake.calls()).toEqual(['GET /v4/spreadsheets/1RunSheet', 'POST /v4/spreadsheets/1RunSheet:batchUpdate', 'POST /v4/spreadsheets/1RunSheet/values:batchUpdate']);
    for (const r of fake.requests) expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    const body = fake.requests[2].body as { valueInputOption: string; data: { range: string }[] };
    expect(body.valueInputOption).toBe('RAW');
    expect(body.data.map((d) => d.range)).toEqual(["'Exceptions'!A1", "'Exception summary'!A1", "'Rated by customer'!A1"]);
    const added = (fake.requests[1].body as { requests: { addSheet?: { properties: { title: string } } }[] }).requests.flatMap((q) => (q.addSheet ? [q.addSheet.properties.title] : []));
    expect(added).toEqual(['Exceptions', 'Exception summary', 'Rated by customer']);
  });

  it('Exceptions holds exceptions.csv row for row; other tabs untouched', async () => {
    expect(asText(fake.values('1RunSheet', 'Exceptions'))).toEqual((await csvRows(join(out, 'exceptions.csv'))).map((r) => {
      while (r.length > 0 && r[r.length - 1] === '') r.pop();
      return r;
    }));
    expect(fake.values('1RunSheet', 'Notes')).toEqual([['keep']]);
    // A CDR id that looks like a formula went RAW: text, with no apostrophe.
    expect(fake.values('1RunSheet', 'Exceptions').flat()).toContain('@SUM(1)');
  });

  it('the summary and the customer totals add up to the run, exactly', async () => {
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as { exceptions: Record<string, number>; charge: string; rated: number };
    const reasons = fake.values('1RunSheet', 'Exception summary').slice(1);
    expect(Object.fromEntries(reasons.map((r) => [r[0], r[1]]))).toEqual(summary.exceptions);
    const byCustomer = fake.values('1RunSheet', 'Rated by customer');
    expect(byCustomer[0]).toEqual(['account', 'class', 'calls', 'seconds', 'charge', 'cost']);
    const rows = byCustomer.slice(1);
    expect(rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(summary.rated);
    // Charges went as numbers; summed back in micro-units they give the run's charge.
    const micro = (v: unknown): number => {
      const m = parseMicro(String(v));
      if (!m.ok) throw new Error(String(v));
      return m.value;
    };
    expect(rows.reduce((n, r) => n + micro(r[4]), 0)).toBe(micro(summary.charge));
    expect(rows.some((r) => r[0] === 'TOTAL' || r[0] === '')).toBe(false);
  });
});

describe('ratebook bill … --sheet', () => {
  it('writes Invoices and Invoice lines as the CSV files hold them', async () => {
    fake.addBook('1BillSheet', 'Billing', []);
    const out = await temp();
    const r = await runCli(['bill', '--workbook', W, '--cdrs', C, '--period', '2026-10', '--out', out, '--sheet', '1BillSheet']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/wrote Google Sheet 1BillSheet \(3 API calls\):\n  Invoices\s+8 rows\n  Invoice lines\s+\d+ rows\n$/);
    const norm = (rows: string[][]): string[][] => rows.map((row) => row.map((v) => (/^-?\d+\.\d+$/.test(v) ? String(Number(v)) : v)));
    for (const [tab, file] of [['Invoices', 'invoices.csv'], ['Invoice lines', 'invoice_lines.csv']]) {
      const want = norm(await csvRows(join(out, file))).map((row) => {
        while (row.length > 0 && row[row.length - 1] === '') row.pop();
        return row;
      });
      expect(asText(fake.values('1BillSheet', tab)), tab).toEqual(want);
    }
  });

  // Five tries with the real backoff (1 + 2 + 4 + 8 s): the slow test of this file.
  it('exit 1 naming the sheet when Google keeps failing; the bill files are written', async () => {
    fake.addBook('1Busy', 'Busy', []);
    fake.fail(500, 5, { match: /1Busy/ });
    const out = await temp();
    const r = await runCli(['bill', '--workbook', W, '--cdrs', C, '--period', '2026-10', '--out', out, '--sheet', '1Busy']);
    expect([r.code, r.err.split('\n').at(-2)]).toEqual([1, 'ratebook: Google Sheets failed on spreadsheet 1Busy (HTTP 500, 5 tries); try again later (Google said: Internal error encountered.)']);
    expect(await readdir(out)).toContain('invoices.csv');
  }, 60_000);

  it('says before rating when no credentials are set', async () => {
    const token = process.env.RATEBOOK_GOOGLE_ACCESS_TOKEN;
    delete process.env.RATEBOOK_GOOGLE_ACCESS_TOKEN;
    try {
      const out = await temp();
      const r = await runCli(['rate', '--workbook', W, '--cdrs', C, '--out', out, '--sheet', '1RunSheet']);
      expect([r.code, r.err]).toEqual([1, expect.stringMatching(/^ratebook: Google Sheets is not set up here/)]);
      expect(await readdir(out).catch(() => [])).toEqual([]);
    } finally {
      process.env.RATEBOOK_GOOGLE_ACCESS_TOKEN = token;
    }
  });
});
