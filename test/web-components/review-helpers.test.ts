// The review screens' small helpers: decimal strings compared exactly and bars scaled for drawing,
// the report CSVs read as text, file:line lists for a release, periods in words.

import { describe, expect, it } from 'vitest';
import { barFractions, compareDecimals } from '../../web-components/bar-scale.js';
import { csvRecords, parseCsv } from '../../web-components/csv-text.js';
import { invoicePage, lastMonth, periodName } from '../../web-components/period-text.js';
import { readReleaseLines } from '../../web-components/release-lines.js';

describe('compareDecimals', () => {
  it('orders decimal strings by their digits, exactly', () => {
    const sorted = ['0.3', '-0.039', '10', '9.99999999999999999', '-1', '0.30', '0.1', '-0.00', '12345678901234567890.1', '12345678901234567890.01'].sort(compareDecimals);
    expect(sorted).toEqual(['-1', '-0.039', '-0.00', '0.1', '0.3', '0.30', '9.99999999999999999', '10', '12345678901234567890.01', '12345678901234567890.1']);
    expect(compareDecimals('0.30', '0.3')).toBe(0);
    expect(compareDecimals('-0', '0')).toBe(0);
    // Beyond a double's precision the digits still decide.
    expect(compareDecimals('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
    expect(compareDecimals('0.10000000000000000001', '0.1')).toBeGreaterThan(0);
    expect(compareDecimals('abc', '0')).toBe(0);
  });
});

describe('barFractions', () => {
  it('scales each value by the largest magnitude, for drawing', () => {
    expect(barFractions(['50', '-25', '0', '12.5'])).toEqual([1, -0.5, 0, 0.25]);
    expect(barFractions(['0.00', '0'])).toEqual([0, 0]);
    expect(barFractions(['n/a', '2'])).toEqual([0, 1]);
    expect(barFractions([])).toEqual([]);
  });
});

describe('parseCsv', () => {
  it('reads quoted cells, doubled quotes, line breaks and CRLF, keeping amounts as text', () => {
    const t = parseCsv('\ufeffaccount,charge,note\r\n"BRIGHT02, Ltd",0.1000,"said ""hi""\nthen left"\r\nACME01,-3.7582,\n');
    expect(t.header).toEqual(['account', 'charge', 'note']);
    expect(t.rows).toEqual([
      ['BRIGHT02, Ltd', '0.1000', 'said "hi"\nthen left'],
      ['ACME01', '-3.7582', ''],
    ]);
    expect(csvRecords(t)[1]).toEqual({ account: 'ACME01', charge: '-3.7582', note: '' });
    expect(parseCsv('a,b\n1,2')).toEqual({ header: ['a', 'b'], rows: [['1', '2']] });
    expect(parseCsv('')).toEqual({ header: [], rows: [] });
  });
});

describe('readReleaseLines', () => {
  it('reads file:line a line, the line number after the last colon', () => {
    expect(readReleaseLines(' calls.csv:812 \n\nc:\\cdr\\a.csv:9\r\n')).toEqual({ ok: true, lines: [{ file: 'calls.csv', line: 812 }, { file: 'c:\\cdr\\a.csv', line: 9 }] });
  });
  it('names each line that is not file:line, and asks for at least one', () => {
    expect(readReleaseLines('calls.csv:1\ncalls.csv\ncalls.csv:0')).toEqual({
      ok: false,
      issues: [
        { at: 'line 2', message: '"calls.csv" is not file:line (e.g. calls.csv:812)' },
        { at: 'line 3', message: '"calls.csv:0" is not file:line (e.g. calls.csv:812)' },
      ],
    });
    expect(readReleaseLines('  \n')).toMatchObject({ ok: false, issues: [{ at: 'line 1' }] });
  });
});

describe('periods', () => {
  it('names a period, finds last month, and names an invoice page as the server files it', () => {
    expect(periodName('2026-10')).toBe('October 2026');
    expect(periodName('2026-13')).toBe('2026-13');
    expect(lastMonth(new Date(2026, 0, 15))).toBe('2025-12');
    expect(lastMonth(new Date(2026, 10, 1))).toBe('2026-10');
    expect(invoicePage('NWV-000001')).toBe('invoices/NWV-000001.html');
    expect(invoicePage('A/B 7', 'xlsx')).toBe('invoices/A_B_7.xlsx');
    expect(invoicePage('..x')).toBe('invoices/_x.html');
  });
});
