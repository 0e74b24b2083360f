import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawWorkbookXlsx } from '../../../workbooks/gsheets/raw-xlsx.js';
import { csvRecords } from '../../../workbooks/gsheets/csv-records.js';
import { readWorkbookBuffer } from '../../../workbooks/workbook-reader.js';
import type { RawWorkbook } from '../../../rules/workbook/raw.js';
import { csvLine } from '../../../rules/csv.js';

describe("a sheet's values as the version's workbook.xlsx", () => {
  it('keeps every cell at its address (blank rows and cells too), dates as dates, percents as percents', async () => {
    const wb: RawWorkbook = {
      date1904: false,
      sheets: [
        {
          name: 'Numbers',
          hidden: false,
          rows: [
            { row: 1, cells: [{ kind: 'text', text: 'Account' }, { kind: 'text', text: 'Number' }] },
            { row: 4, cells: [{ kind: 'empty' }, { kind: 'text', text: '02079460000' }, { kind: 'number', value: 0.175, text: '0.175', percent: true }] },
            { row: 5, cells: [{ kind: 'date', y: 2026, m: 3, d: 1, hh: 0, mi: 0, ss: 0 }, { kind: 'date', y: 2026, m: 3, d: 1, hh: 13, mi: 5, ss: 9 }, { kind: 'number', value: 7700900123, text: '7700900123', percent: false }] },
          ],
        },
        { name: "O'Brien & Co", hidden: false, rows: [] },
      ],
    };
    const back = await readWorkbookBuffer(rawWorkbookXlsx(wb));
    if (!back.ok) throw new Error(back.error);
    expect(back.value).toEqual(wb);
  });
});

describe('reading back a CSV file', () => {
  it('gives each record once, quoted commas, quotes and line ends inside a field included', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'ratebook-csv-')), 'x.csv');
    const rows = [['file', 'detail'], ['a.csv', 'two\nlines, and "quotes"'], ['b.csv', '=1+1'], ['', '']];
    await writeFile(path, rows.map((r) => csvLine(r)).join(''));
    const got: string[][] = [];
    for await (const r of csvRecords(path)) got.push(r);
    expect(got).toEqual([['file', 'detail'], ['a.csv', 'two\nlines, and "quotes"'], ['b.csv', "'=1+1"], ['', '']]);
  });
});
