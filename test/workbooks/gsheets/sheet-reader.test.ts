import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbookFile } from '../../../workbooks/workbook-reader.js';
import { compileWorkbook } from '../../../rules/workbook/compile.js';
import type { RawWorkbook } from '../../../rules/workbook/raw.js';
import { readGoogleSheet, readPlan, READ_CELLS } from '../../../workbooks/gsheets/sheet-reader.js';
import { loadGoogleWorkbook } from '../../../workbooks/gsheets/google-workbook.js';
import { readWorkbookBuffer } from '../../../workbooks/workbook-reader.js';
import { SheetsError } from '../../../workbooks/gsheets/sheets-error.js';
import { FakeSheets } from './fake-sheets.js';
import { fakeTabsOf } from './raw-to-fake.js';

const SAMPLE = 'workbooks/sample-uk-reseller.xlsx';
const TOKEN = 'ya29.test-token';

let fake: FakeSheets;
let sample: RawWorkbook;
const env = (): Record<string, string> => ({ RATEBOOK_SHEETS_ROOT_URL: fake.url, RATEBOOK_GOOGLE_ACCESS_TOKEN: TOKEN });
const fast = { attempts: 3, baseMs: 1, maxMs: 5 };

beforeAll(async () => {
  fake = await FakeSheets.start();
  fake.token = TOKEN;
  const r = await readWorkbookFile(SAMPLE);
  if (!r.ok) throw new Error(r.error);
  sample = r.value;
  fake.addBook('sample-sheet', 'UK reseller tariffs', [...fakeTabsOf(sample), { title: 'Notes', rows: [[{ v: 'not part of the contract' }]] }]);
});
afterAll(() => fake.close());

describe('reading the sample workbook from Google Sheets', () => {
  it('gives the same content hash, rows and problems as the .xlsx', async () => {
    fake.requests.length = 0;
    const read = await readGoogleSheet('sample-sheet', { env: env() });
    const fromXlsx = compileWorkbook(sample);
    const fromGoogle = compileWorkbook(read.workbook);
    expect(fromGoogle.hash).toBe(fromXlsx.hash);
    expect(fromGoogle.rows).toEqual(fromXlsx.rows);
    // The same problems, plus the notice for the tab outside the contract.
    expect(fromGoogle.issues.filter((i) => i.code !== 'UNKNOWN_TAB')).toEqual(fromXlsx.issues.filter((i) => i.code !== 'UNKNOWN_TAB'));
    expect(fromGoogle.issues.filter((i) => i.code === 'UNKNOWN_TAB').map((i) => i.at)).toEqual(['Notes']);
    expect(read.title).toBe('UK reseller tariffs');
  });

  it('asks for the tabs, then the contract tabs as grid data, at most 250,000 grid cells a call, with the token', async () => {
    fake.requests.length = 0;
    await readGoogleSheet('sample-sheet', { env: env() });
    expect(fake.calls()).toEqual(['GET /v4/spreadsheets/sample-sheet', 'GET /v4/spreadsheets/sample-sheet', 'GET /v4/spreadsheets/sample-sheet']);
    const [meta, cells, more] = fake.requests;
    expect(meta.query.fields).toEqual(['properties(title),sheets(properties(sheetId,title,hidden,sheetType,gridProperties(rowCount,columnCount)))']);
    expect(meta.query.includeGridData).toBeUndefined();
    expect(cells.query.includeGridData).toEqual(['true']);
    expect(cells.query.fields).toEqual(['sheets(properties(sheetId),data(startRow,startColumn,rowData(values(effectiveValue,effectiveFormat(numberFormat(type,pattern))))))']);
    // Each contract tab whole (Google's default grid of 1,000 rows × 26 columns); Notes is never read.
    // 26,000 cells a tab: nine tabs in the first call, the other three in the second.
    expect([...cells.query.ranges, ...more.query.ranges]).toEqual(sample.sheets.map((s) => `'${s.name}'!A1:Z1000`));
    expect(cells.query.ranges).toHaveLength(9);
    for (const r of fake.requests) expect(r.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('keeps the .xlsx written from the values read: it reads back as the same content', async () => {
    const g = await loadGoogleWorkbook('sample-sheet', { env: env() });
    const back = await readWorkbookBuffer(g.bytes, { name: g.fileName });
    if (!back.ok) throw new Error(back.error);
    expect(compileWorkbook(back.value).hash).toBe(g.hash);
    expect(g.fileName).toBe('UK reseller tariffs.xlsx');
    expect(g.model).toBeDefined();
  });
});

describe('cells as Google holds them', () => {
  it('reads dates, percents, numbers stored as text, numbers that lost their 0, booleans, errors and blank rows as the .xlsx reader does', async () => {
    fake.addBook('cells', 'Cells', [
      {
        title: 'Numbers',
        rows: [
          [{ v: 'Account' }, { v: 'Number' }, { v: 'DateSold' }, { v: 'FallbackMarkup' }],
          [{ v: 'A1' }, { v: '02079460000' }, { v: 46023, format: { type: 'DATE', pattern: 'dd/mm/yyyy' } }, { v: 0.2, format: { type: 'PERCENT', pattern: '0%' } }],
          [],
          [{ v: 'A2' }, { v: 2079460001 }, { v: 46023.5, format: { type: 'DATE_TIME' } }, { v: 0.30000000000000004 }],
          [{ v: '' }, undefined, { v: true }, { v: { error: 'N_A' } }],
        ],
      },
    ]);
    const read = await readGoogleSheet('cells', { env: env() });
    expect(read.workbook.sheets[0].rows).toEqual([
      { row: 1, cells: [{ kind: 'text', text: 'Account' }, { kind: 'text', text: 'Number' }, { kind: 'text', text: 'DateSold' }, { kind: 'text', text: 'FallbackMarkup' }] },
      {
        row: 2,
        cells: [
          { kind: 'text', text: 'A1' },
          { kind: 'text', text: '02079460000' },
          { kind: 'date', y: 2026, m: 1, d: 1, hh: 0, mi: 0, ss: 0 },
          { kind: 'number', value: 0.2, text: '0.2', percent: true },
        ],
      },
      {
        row: 4,
        cells: [
          { kind: 'text', text: 'A2' },
          { kind: 'number', value: 2079460001, text: '2079460001', percent: false },
          { kind: 'date', y: 2026, m: 1, d: 1, hh: 12, mi: 0, ss: 0 },
          { kind: 'number', value: 0.30000000000000004, text: '0.3', percent: false },
        ],
      },
      { row: 5, cells: [{ kind: 'empty' }, { kind: 'empty' }, { kind: 'bool', value: true }, { kind: 'error', text: '#N/A' }] },
    ]);
  });
});

describe('large tabs', () => {
  it('cuts a tab into ranges of at most READ_CELLS grid cells and packs small tabs together', () => {
    const plan = readPlan([
      { sheetId: 1, title: 'Settings', hidden: false, rowCount: 1000, columnCount: 26 },
      { sheetId: 2, title: 'Numbers', hidden: false, rowCount: 170_001, columnCount: 20 },
      { sheetId: 3, title: "O'Brien", hidden: false, rowCount: 10, columnCount: 3 },
    ]);
    const rowsPer = Math.floor(READ_CELLS / 20);
    expect(plan[0]).toEqual(["'Settings'!A1:Z1000"]);
    expect(plan[1]).toEqual([`'Numbers'!A1:T${rowsPer}`]);
    expect(plan.at(-1)).toEqual([`'Numbers'!A${rowsPer * 13 + 1}:T170001`, "'O''Brien'!A1:C10"]);
    expect(plan.length).toBe(Math.ceil(170_001 / rowsPer) + 1);
  });
});

describe('failures', () => {
  it('404: no such spreadsheet, named, after one try', async () => {
    fake.requests.length = 0;
    const e = await readGoogleSheet('nope', { env: env(), retry: fast }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SheetsError);
    expect((e as SheetsError).status).toBe(404);
    expect((e as SheetsError).message).toMatch(/^Google has no spreadsheet nope; check the id/);
    expect(fake.requests).toHaveLength(1);
  });

  it('403: says to share it with the service account, or the token\'s account', async () => {
    fake.fail(403);
    const e = (await readGoogleSheet('sample-sheet', { env: env(), retry: fast }).catch((x: unknown) => x)) as SheetsError;
    expect(e.status).toBe(403);
    expect(e.message).toContain('Google refused access to spreadsheet sample-sheet: share it with the Google account the access token belongs to');
  });

  it('429 and 500 are tried again with backoff; a 429 that persists is a 429 naming the sheet', async () => {
    fake.requests.length = 0;
    fake.fail(429, 1);
    fake.fail(500, 1);
    const read = await readGoogleSheet('sample-sheet', { env: env(), retry: fast });
    expect(read.workbook.sheets.length).toBe(sample.sheets.length + 1);
    expect(fake.requests).toHaveLength(5); // metadata ×3, cells ×2
    fake.requests.length = 0;
    fake.fail(429, 5, { retryAfter: 0 });
    const e = (await readGoogleSheet('sample-sheet', { env: env(), retry: fast }).catch((x: unknown) => x)) as SheetsError;
    expect([e.status, e.message]).toEqual([429, expect.stringMatching(/quota is still exceeded after 3 tries on spreadsheet sample-sheet; wait a minute/)]);
    expect(fake.requests).toHaveLength(3);
    fake.fail(429, 0);
  });

  it('502 when Google cannot be reached', async () => {
    const e = (await readGoogleSheet('sample-sheet', { env: { ...env(), RATEBOOK_SHEETS_ROOT_URL: 'http://127.0.0.1:9/' }, retry: fast }).catch((x: unknown) => x)) as SheetsError;
    expect([e.status, e.message]).toEqual([502, expect.stringMatching(/^Google Sheets could not be reached for spreadsheet sample-sheet \(ECONNREFUSED, 3 tries\)/)]);
  });

  it('503 when no credentials are set', async () => {
    const e = (await readGoogleSheet('sample-sheet', { env: { RATEBOOK_SHEETS_ROOT_URL: fake.url } }).catch((x: unknown) => x)) as SheetsError;
    expect([e.status, e.message]).toEqual([503, expect.stringMatching(/^Google Sheets is not set up here: set RATEBOOK_GOOGLE_ACCESS_TOKEN/)]);
  });
});
