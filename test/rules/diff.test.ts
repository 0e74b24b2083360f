import { describe, expect, it } from 'vitest';
import { diffWorkbooks, formatDiff } from '../../rules/diff.js';
import { parseWorkbook } from '../../rules/parse.js';
import { contentHash } from '../../rules/content-hash.js';
import { customersSheet, sheet, workbook } from './raw-builder.js';

const rates = (rows: (string | number | null)[][]) =>
  sheet('Rates', [['Tariff', 'Destination', 'TimeBand', 'PerMinute', 'EffectiveFrom'], ...rows]);

describe('diff', () => {
  it('pairs rows by key and lists added, removed and changed cells', () => {
    const a = parseWorkbook(workbook(customersSheet([['ACME', 'Acme', 'a@x', 'Business'], ['OLD', 'Old', 'o@x', 'Business']]), rates([['Business', 'UK Mobile', 'Peak', 0.05, '2026-10-01'], ['Business', 'UK', null, 0.01, null]]))).rows;
    const b = parseWorkbook(workbook(customersSheet([['ACME', 'Acme Ltd', 'a@x', 'Business'], ['NEW', 'New', 'n@x', 'Business']]), rates([['Business', 'UK Mobile', 'Peak', 0.055, '2026-10-01'], ['Business', 'UK', null, 0.01, null]]))).rows;
    const d = diffWorkbooks(a, b);
    expect(d.tabs).toEqual([
      { tab: 'Customers', added: ['NEW'], removed: ['OLD'], changed: [{ key: 'ACME', cells: [{ column: 'Name', from: 'Acme', to: 'Acme Ltd' }] }] },
      { tab: 'Rates', added: [], removed: [], changed: [{ key: 'Business / UK Mobile / Peak / 0 / 2026-10-01', cells: [{ column: 'PerMinute', from: '0.05', to: '0.055' }] }] },
    ]);
    expect(formatDiff(d)).toContain('~ Rates Business / UK Mobile / Peak / 0 / 2026-10-01: PerMinute 0.05 -> 0.055');
  });
  it('pairs repeated keys in order and reports no difference for the same content', () => {
    const wb = workbook(sheet('Holidays', [['Date', 'Name'], ['2026-12-25', 'Xmas'], ['2026-12-25', 'Xmas again']]));
    const a = parseWorkbook(wb).rows;
    expect(diffWorkbooks(a, a).tabs).toEqual([]);
    expect(formatDiff(diffWorkbooks(a, a))).toBe('The workbooks have the same content.');
  });
  it('gives re-saved content with other cell types the same hash, and different content another', () => {
    const a = parseWorkbook(workbook(rates([['Business', 'UK', null, 0.05, null]]))).rows;
    const b = parseWorkbook(workbook(rates([['Business', 'UK', null, '0.050', null]]))).rows;
    const c = parseWorkbook(workbook(rates([['Business', 'UK', null, 0.06, null]]))).rows;
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).not.toBe(contentHash(c));
  });
});
