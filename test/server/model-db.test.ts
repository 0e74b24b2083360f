import { describe, expect, it } from 'vitest';
import { buildModelDb, memberContaining, searchNumbers } from '../../server/model-db.js';
import { loadWorkbookFile } from '../../server/workbook-file.js';
import { parseWorkbook } from '../../rules/parse.js';
import { customersSheet, sheet, workbook, type Plain } from '../rules/raw-builder.js';

describe('finding a member of a range that holds some digits', () => {
  it('finds the smallest member, exactly, without expanding the range', () => {
    expect(memberContaining('442079460000', '442079460099', '7946')).toBe('442079460000');
    expect(memberContaining('442079460000', '442079460099', '0042')).toBe('442079460042');
    expect(memberContaining('442079460000', '442079460099', '55')).toBe('442079460055');
    expect(memberContaining('442079460000', '442079460099', '0100')).toBeNull();
    expect(memberContaining('100', '199', '99')).toBe('199');
    expect(memberContaining('150', '249', '20')).toBe('200');
    expect(memberContaining('150', '249', '3')).toBe('153');
  });
});

describe('the sql.js model', () => {
  it('holds a table per tab and finds customers by name, account, company or any digits of a number', async () => {
    const r = await loadWorkbookFile('workbooks/sample-uk-reseller.xlsx');
    if (!r.ok) throw new Error(r.error);
    const mdb = await buildModelDb(r.value.rows);
    const count = (t: string) => Number(mdb.db.exec(`SELECT count(*) FROM ${t}`)[0].values[0][0]);
    expect([count('customers'), count('numbers'), count('rates'), count('timebands')]).toEqual([9, 18, 50, 4]);
    const accounts = (q: string) => [...new Set(searchNumbers(mdb, q).map((h) => h.account))];
    expect(accounts('dental')).toEqual(['BRIGHT02']);
    expect(accounts('HILL08')).toEqual(['HILL08']);
    expect(accounts('Hillside Hotels')).toEqual(['HILL08']);
    const inRange = searchNumbers(mdb, '0042');
    expect(inRange.find((h) => h.account === 'ACME01')).toMatchObject({ number: '442079460000', rangeEnd: '442079460099', matched: '442079460042' });
    expect(accounts('4980071')).toEqual(['HILL08']);
    expect(searchNumbers(mdb, 'no such thing')).toEqual([]);
    mdb.close();
  });
  it('answers in milliseconds at 100,000 numbers', async () => {
    const rows: Plain[][] = [];
    for (let i = 0; i < 5000; i++) rows.push(['ACME', `0207${String(i * 100).padStart(7, '0')}`, `0207${String(i * 100 + 99).padStart(7, '0')}`, '2025-01-01']);
    for (let i = 0; i < 95_000; i++) rows.push(['ACME', `0161${String(i).padStart(7, '0')}`, null, '2025-01-01']);
    const p = parseWorkbook(workbook(customersSheet(), sheet('Numbers', [['Account', 'Number', 'RangeEnd', 'DateSold'], ...rows])));
    const mdb = await buildModelDb(p.rows);
    const t0 = performance.now();
    const inRange = searchNumbers(mdb, '0499942');
    const single = searchNumbers(mdb, '0161 009 4321');
    const ms = (performance.now() - t0) / 2;
    expect(inRange.find((h) => h.rangeEnd !== '')?.matched).toBe('442070499942');
    expect(single.map((h) => h.number)).toEqual(['441610094321']);
    console.log(`search of 100,000 numbers: ${ms.toFixed(1)} ms`);
    mdb.close();
  });
});
