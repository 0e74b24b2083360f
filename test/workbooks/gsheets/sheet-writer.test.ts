import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Table } from '../../../rules/tables.js';
import { sheetCell, valueBatches, writeGoogleTabs } from '../../../workbooks/gsheets/sheet-writer.js';
import { SheetsError } from '../../../workbooks/gsheets/sheets-error.js';
import { FakeSheets } from './fake-sheets.js';

const TOKEN = 'ya29.writer';
let fake: FakeSheets;
const opts = () => ({ env: { RATEBOOK_SHEETS_ROOT_URL: fake.url, RATEBOOK_GOOGLE_ACCESS_TOKEN: TOKEN }, retry: { attempts: 3, baseMs: 1, maxMs: 5 } });

const exceptions: Table = {
  name: 'Exceptions',
  columns: [
    { header: 'file', kind: 'text' },
    { header: 'line', kind: 'int' },
    { header: 'caller', kind: 'text' },
    { header: 'detail', kind: 'text' },
  ],
  rows: [
    ['calls.csv', 12, '+442079460000', '=HYPERLINK("http://x","click")'],
    ['calls.csv', 13, '02079460001', null],
  ],
};
const summary: Table = {
  name: 'Exception summary',
  columns: [
    { header: 'reason', kind: 'text' },
    { header: 'count', kind: 'int' },
    { header: 'cost', kind: 'money', decimals: 4 },
  ],
  rows: [['UNKNOWN_NUMBER', 2, '0.0123']],
};

beforeAll(async () => {
  fake = await FakeSheets.start();
  fake.token = TOKEN;
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.addBook('book', 'Managers', [
    { sheetId: 0, title: 'Keep me', rows: [[{ v: 'mine' }, { v: 42 }]] },
    { sheetId: 77, title: 'Exceptions', rowCount: 1000, columnCount: 26, rows: Array.from({ length: 5 }, (_, i) => [{ v: `old ${i}` }, { v: i }, { v: 'x' }, { v: 'y' }, { v: 'z' }]) },
  ]);
});

describe('writing tabs back', () => {
  it('sends one listing, one batchUpdate and one RAW value write, with the token', async () => {
    const w = await writeGoogleTabs('book', [exceptions, summary], opts());
    expect(w.tabs).toEqual([
      { tab: 'Exceptions', rows: 2 },
      { tab: 'Exception summary', rows: 1 },
    ]);
    expect(fake.calls()).toEqual(['GET /v4/spreadsheets/book', 'POST /v4/spreadsheets/book:batchUpdate', 'POST /v4/spreadsheets/book/values:batchUpdate']);
    for (const r of fake.requests) expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    expect(fake.requests[1].body).toEqual({
      requests: [
        { updateCells: { range: { sheetId: 77 }, fields: 'userEnteredValue' } },
        {
          updateSheetProperties: {
            properties: { sheetId: 77, gridProperties: { rowCount: 3, columnCount: 4, frozenRowCount: 1 } },
            fields: 'gridProperties.rowCount,gridProperties.columnCount,gridProperties.frozenRowCount',
          },
        },
        { repeatCell: { range: { sheetId: 77, startRowIndex: 0, endRowIndex: 1 }, cell: { userEnteredFormat: { textFormat: { bold: true } } }, fields: 'userEnteredFormat.textFormat.bold' } },
        { addSheet: { properties: { sheetId: 1000001, title: 'Exception summary', gridProperties: { rowCount: 2, columnCount: 3, frozenRowCount: 1 } } } },
        { repeatCell: { range: { sheetId: 1000001, startRowIndex: 0, endRowIndex: 1 }, cell: { userEnteredFormat: { textFormat: { bold: true } } }, fields: 'userEnteredFormat.textFormat.bold' } },
        {
          repeatCell: {
            range: { sheetId: 1000001, startRowIndex: 1, startColumnIndex: 2, endColumnIndex: 3 },
            cell: { userEnteredFormat: { numberFormat: { type: 'NUMBER', pattern: '0.0000' } } },
            fields: 'userEnteredFormat.numberFormat',
          },
        },
      ],
    });
    expect(fake.requests[2].body).toEqual({
      valueInputOption: 'RAW',
      data: [
        {
          range: "'Exceptions'!A1",
          majorDimension: 'ROWS',
          values: [
            ['file', 'line', 'caller', 'detail'],
            ['calls.csv', 12, '+442079460000', '=HYPERLINK("http://x","click")'],
            ['calls.csv', 13, '02079460001', ''],
          ],
        },
        { range: "'Exception summary'!A1", majorDimension: 'ROWS', values: [['reason', 'count', 'cost'], ['UNKNOWN_NUMBER', 2, 0.0123]] },
      ],
    });
  });

  it('replaces the tab whole, keeps its id, freezes the header and touches no other tab', async () => {
    await writeGoogleTabs('book', [exceptions, summary], opts());
    const book = fake.books.get('book')!;
    expect(book.tabs.map((t) => [t.title, t.sheetId])).toEqual([
      ['Keep me', 0],
      ['Exceptions', 77],
      ['Exception summary', 1000001],
    ]);
    expect(fake.values('book', 'Keep me')).toEqual([['mine', 42]]);
    // The formula-looking text is text, with no apostrophe; the five old rows are gone.
    expect(fake.values('book', 'Exceptions')).toEqual([
      ['file', 'line', 'caller', 'detail'],
      ['calls.csv', 12, '+442079460000', '=HYPERLINK("http://x","click")'],
      ['calls.csv', 13, '02079460001'],
    ]);
    expect(fake.tab('book', 'Exceptions')).toMatchObject({ rowCount: 3, columnCount: 4, frozenRowCount: 1 });
    expect(fake.tab('book', 'Exception summary')).toMatchObject({ rowCount: 2, columnCount: 3, frozenRowCount: 1 });
  });

  it('writes the same tabs again as the same content (a tab named in another case is that tab)', async () => {
    await writeGoogleTabs('book', [exceptions, summary], opts());
    const first = fake.values('book', 'Exception summary');
    await writeGoogleTabs('book', [{ ...summary, name: 'EXCEPTION SUMMARY' }], opts());
    expect(fake.values('book', 'Exception summary')).toEqual(first);
    expect(fake.books.get('book')!.tabs).toHaveLength(3);
  });

  it('a tab with no rows still gets its header', async () => {
    const w = await writeGoogleTabs('book', [{ ...exceptions, rows: [] }], opts());
    expect(w.tabs).toEqual([{ tab: 'Exceptions', rows: 0 }]);
    expect(fake.values('book', 'Exceptions')).toEqual([['file', 'line', 'caller', 'detail']]);
  });

  it('403 on the first call writes nothing; 429 then success writes once', async () => {
    fake.fail(403);
    const e = (await writeGoogleTabs('book', [exceptions], opts()).catch((x: unknown) => x)) as SheetsError;
    expect(e).toBeInstanceOf(SheetsError);
    expect([e.status, e.message]).toEqual([403, expect.stringContaining('Google refused access to spreadsheet book: share it with')]);
    expect(e.message).toContain('as Editor');
    expect(fake.values('book', 'Exceptions')[0]).toEqual(['old 0', 0, 'x', 'y', 'z']);
    fake.requests.length = 0;
    fake.fail(429, 1, { match: /values:batchUpdate/ });
    await writeGoogleTabs('book', [exceptions], opts());
    expect(fake.calls()).toEqual(['GET /v4/spreadsheets/book', 'POST /v4/spreadsheets/book:batchUpdate', 'POST /v4/spreadsheets/book/values:batchUpdate', 'POST /v4/spreadsheets/book/values:batchUpdate']);
    expect(fake.values('book', 'Exceptions')).toHaveLength(3);
  });
});

describe('cells and batches', () => {
  it('money and counts go as numbers only when exact; text stays text', () => {
    const money = { header: 'm', kind: 'money' as const };
    const text = { header: 't', kind: 'text' as const };
    expect(sheetCell(money, '0.1234')).toBe(0.1234);
    expect(sheetCell(money, '1.50')).toBe(1.5);
    expect(sheetCell(money, '-0.05')).toBe(-0.05);
    expect(sheetCell(money, '12345678901234567.89')).toBe('12345678901234567.89');
    expect(sheetCell(money, '')).toBe('');
    expect(sheetCell(text, '0123')).toBe('0123');
    expect(sheetCell(text, null)).toBe('');
  });

  it('splits a large tab into blocks at the right rows, every row once, each call within the budget', () => {
    const big: Table = { name: 'Big', columns: [{ header: 'n', kind: 'int' }, { header: 'text', kind: 'text' }], rows: Array.from({ length: 1000 }, (_, i) => [i, `row ${i}`]) };
    const batches = valueBatches([summary, big], 2000);
    expect(batches.length).toBeGreaterThan(5);
    for (const b of batches) expect(JSON.stringify(b.map((d) => d.values)).length).toBeLessThan(2100);
    const blocks = batches.flat().filter((d) => d.range!.startsWith("'Big'"));
    let next = 1;
    const seen: unknown[] = [];
    for (const d of blocks) {
      expect(d.range).toBe(`'Big'!A${next}`);
      next += d.values!.length;
      seen.push(...d.values!);
    }
    expect(seen).toEqual([['n', 'text'], ...big.rows]);
    expect(batches[0][0].range).toBe("'Exception summary'!A1");
  });
});
