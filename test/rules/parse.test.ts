import { describe, expect, it } from 'vitest';
import { parseWorkbook } from '../../rules/parse.js';
import type { Issue } from '../../rules/result.js';
import { customersSheet, errorCell, numbersSheet, pct, settingsSheet, sheet, workbook } from './raw-builder.js';

const issuesOf = (...args: Parameters<typeof workbook>): Issue[] => parseWorkbook(workbook(...args)).issues;
const at = (issues: Issue[], address: string): Issue[] => issues.filter((i) => i.at === address);

describe('tabs and headers', () => {
  it('matches headers ignoring case, underscores, spaces and line breaks', () => {
    const r = parseWorkbook(workbook(sheet('Rates', [['tariff', 'DESTINATION', 'Per Minute', 'connection_fee', 'Effective\nFrom'], ['Business', 'UK', 0.05, 0.01, '2026-10-01']])));
    expect(r.issues).toEqual([]);
    expect(r.rows.rates[0]).toMatchObject({ tariff: 'Business', destination: 'UK', perMinute: 50_000, connectionFee: 10_000, row: 2 });
  });
  it('lists unknown tabs and columns as notices and keeps unknown columns as custom attributes', () => {
    const r = parseWorkbook(workbook(sheet('Notes', [['x']], true), customersSheet().rows.length ? sheet('Customers', [['Account', 'Name', 'Region'], ['ACME', 'Acme', 'North']]) : sheet('x', [])));
    expect(r.issues).toContainEqual({ severity: 'notice', code: 'UNKNOWN_TAB', message: 'tab "Notes" (hidden) is not one Ratebook reads; it is ignored', at: 'Notes' });
    expect(r.issues).toContainEqual({ severity: 'notice', code: 'UNKNOWN_COLUMN', message: 'Customers: column "Region" kept as custom attributes', at: 'Customers!C1' });
    expect(r.rows.customers[0].extra).toEqual({ Region: 'North' });
  });
  it('requires the Customers and Numbers tabs and each tab\'s required columns', () => {
    const r = parseWorkbook({ sheets: [settingsSheet(), sheet('Rates', [['Tariff', 'PerMinute'], ['B', 1]])], date1904: false });
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.message, i.at])).toEqual([
      ['MISSING_TAB', 'the workbook has no Customers tab', 'Customers'],
      ['MISSING_TAB', 'the workbook has no Numbers tab', 'Numbers'],
      ['MISSING_COLUMN', 'Rates has no Destination column (required)', 'Rates!1:1'],
    ]);
  });
  it('refuses a duplicated header', () => {
    const issues = issuesOf(sheet('Tariffs', [['Tariff', 'tariff'], ['B', 'C']]));
    expect(at(issues, 'Tariffs!B1')[0]).toMatchObject({ code: 'DUPLICATE_HEADER', message: 'Tariff appears twice in the header (also column A)' });
  });
  it('skips empty rows and collects every problem in one pass', () => {
    const issues = issuesOf(sheet('Rates', [['Tariff', 'Destination', 'PerMinute', 'IncrementSeconds'], ['B', 'UK', 'abc', 0], [null, null, null, null], ['', 'UK', 0.01, 1]]));
    expect(issues.map((i) => [i.at, i.message])).toEqual([
      ['Rates!C2', 'PerMinute must be a number (got "abc")'],
      ['Rates!A4', 'Tariff is required'],
    ]);
  });
});

describe('cells', () => {
  const rate = (perMinute: unknown, extra: Record<string, unknown> = {}) => {
    const headers = ['Tariff', 'Destination', 'PerMinute', ...Object.keys(extra)];
    return parseWorkbook(workbook(sheet('Rates', [headers, ['B', 'UK', perMinute as never, ...(Object.values(extra) as never[])]])));
  };
  it('reads amounts exactly, through their shortest decimal', () => {
    expect(rate(0.30000000000000004).rows.rates[0].perMinute).toBe(300_000);
    expect(rate('1.15').rows.rates[0].perMinute).toBe(1_150_000);
    expect(rate('£1,250.50').rows.rates[0].perMinute).toBe(1_250_500_000);
  });
  it('refuses more than 6 decimals, negative prices and error cells', () => {
    expect(rate(0.1234567).issues).toEqual([{ severity: 'error', code: 'INVALID_CELL', message: 'PerMinute has more than 6 decimals (got "0.1234567")', at: 'Rates!C2' }]);
    expect(rate(-1).issues).toEqual([{ severity: 'error', code: 'NEGATIVE_AMOUNT', message: 'PerMinute must be a number >= 0 (got -1)', at: 'Rates!C2' }]);
    expect(rate(errorCell('#N/A')).issues[0]).toMatchObject({ message: 'PerMinute is an error cell (#N/A)', at: 'Rates!C2' });
    expect(rate(errorCell('formula with no cached value')).issues[0].message).toBe('PerMinute is an error cell (formula with no cached value)');
  });
  it('checks increments, slots and effective dates within a row', () => {
    expect(rate(1, { IncrementSeconds: 0 }).issues[0]).toMatchObject({ message: 'IncrementSeconds must be 1 or more (got 0)', at: 'Rates!D2' });
    expect(rate(1, { IncrementSeconds: 1.5 }).issues[0]).toMatchObject({ message: 'IncrementSeconds must be a whole number (got "1.5")' });
    expect(rate(1, { EffectiveFrom: '2026-10-01', EffectiveTo: '2026-10-01' }).issues[0]).toMatchObject({ code: 'EFFECTIVE_ORDER', at: 'Rates!E2' });
    expect(rate(1, { EffectiveFrom: '2026-10-01', EffectiveTo: '2026-10-02' }).issues).toEqual([]);
  });
  it('reads dates as date cells, serial numbers and text, and refuses dates that do not exist', () => {
    const r = parseWorkbook(workbook(sheet('Holidays', [['Date', 'Name'], [new Date(Date.UTC(2026, 11, 25)), 'Xmas'], [46384, 'Serial'], ['2026-12-28', 'Text'], ['2026-02-30', 'Bad'], ['28/12/2026', 'Bad2']])));
    expect(r.rows.holidays.map((h) => h.name)).toEqual(['Xmas', 'Serial', 'Text']);
    // Serial 46384 is 2026-12-28 in the 1900 system, three days after the date cell.
    expect(r.rows.holidays[1].date - r.rows.holidays[0].date).toBe(3);
    expect(r.issues.map((i) => [i.at, i.message])).toEqual([
      ['Holidays!A5', 'Date must be a date YYYY-MM-DD (got "2026-02-30")'],
      ['Holidays!A6', 'Date must be a date YYYY-MM-DD (got "28/12/2026")'],
    ]);
  });
  it('reads serial dates in the 1904 date system', () => {
    const wb = workbook(sheet('Holidays', [['Date'], [41045]]));
    const r1900 = parseWorkbook(wb).rows.holidays[0].date;
    const r1904 = parseWorkbook({ ...wb, date1904: true }).rows.holidays[0].date;
    expect(r1904 - r1900).toBe(1462);
  });
  it('reads percentages as 20, 20% or a percent cell, and warns about a plain value below one', () => {
    const r = parseWorkbook(workbook(sheet('Customers', [['Account', 'Name', 'Markup', 'TaxRate', 'FallbackMarkup'], ['A', 'A', 20, '20%', pct(0.2)], ['B', 'B', 0.25, 5, null]])));
    expect(r.rows.customers.map((c) => [c.markup, c.taxRate, c.fallbackMarkup])).toEqual([[20_000_000, 20_000_000, 20_000_000], [250_000, 5_000_000, null]]);
    expect(at(r.issues, 'Customers!C3')).toEqual([{ severity: 'warning', code: 'PERCENT_BELOW_ONE', message: 'Markup 0.25 means 0.25%; if you meant 25%, write 25 or 25%', at: 'Customers!C3' }]);
  });
  it('reads booleans and enums in any case, and refuses others naming the allowed values', () => {
    const r = parseWorkbook(workbook(sheet('Customers', [['Account', 'Name', 'ZeroInvoice', 'PaymentMethod'], ['A', 'A', 'y', 'directdebit'], ['B', 'B', 'maybe', 'Cheque']])));
    expect(r.rows.customers[0]).toMatchObject({ zeroInvoice: true, paymentMethod: 'DirectDebit' });
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => [i.at, i.message])).toEqual([
      ['Customers!D3', 'PaymentMethod must be one of DirectDebit, Card, Manual (got "Cheque")'],
      ['Customers!C3', 'ZeroInvoice must be Yes or No (got "maybe")'],
    ]);
  });
  it('normalises phone numbers typed every way, and gives a numeric cell its country code back', () => {
    const r = parseWorkbook(workbook(numbersSheet([['ACME', '+44 (0)20 7946 0000', '2025-01-01'], ['ACME', 2079460001, '2025-01-01'], ['ACME', '020-7946.0002', '2025-01-01'], ['ACME', 'not a number', '2025-01-01']])));
    expect(r.rows.numbers.map((n) => n.number)).toEqual(['442079460000', '442079460001', '442079460002']);
    expect(at(r.issues, 'Numbers!B3')).toEqual([{ severity: 'notice', code: 'NUMERIC_PHONE', message: 'Number 2079460000 was a number cell; read as 442079460001'.replace('2079460000', '2079460001'), at: 'Numbers!B3' }]);
    expect(at(r.issues, 'Numbers!B5')[0].message).toBe('Number is not a phone number (got "not a number")');
  });
  it('checks a range: same length, in order, at most 1,000,000 numbers', () => {
    const r = parseWorkbook(workbook(sheet('Numbers', [['Account', 'Number', 'RangeEnd', 'DateSold'], ['ACME', '02079460000', '02079460099', '2025-01-01'], ['ACME', '02079460000', '0207946009', '2025-01-01'], ['ACME', '02079460099', '02079460000', '2025-01-01'], ['ACME', '02070000000', '02079999999', '2025-01-01']])));
    expect(r.rows.numbers).toHaveLength(1);
    expect(r.issues.map((i) => [i.code, i.at])).toEqual([
      ['RANGE_LENGTH', 'Numbers!C3'],
      ['RANGE_ORDER', 'Numbers!C4'],
      ['RANGE_TOO_LARGE', 'Numbers!C5'],
    ]);
  });
  it('reads time bands: days, HH:MM, 24:00 and time cells', () => {
    const r = parseWorkbook(workbook(sheet('TimeBands', [['TimeBand', 'Days', 'From', 'To'], ['Peak', 'Mon-Fri', '08:00', '18:00'], ['Weekend', 'Sat,Sun,Hol', 0, '24:00'], ['Bad', 'Funday', '25:00', '8']])));
    expect(r.rows.timeBands.map((b) => [b.days, b.holiday, b.from, b.to])).toEqual([[[0, 1, 2, 3, 4], false, 480, 1080], [[5, 6], true, 0, 1440]]);
    expect(r.issues.map((i) => [i.at, i.message])).toEqual([
      ['TimeBands!B4', 'Days must be days such as Mon-Fri, Sat,Sun or Hol (got "Funday")'],
      ['TimeBands!C4', 'From must be a time HH:MM (got "25:00")'],
      ['TimeBands!D4', 'To must be a time HH:MM (got "8")'],
    ]);
  });
});

describe('settings', () => {
  it('takes defaults for absent keys and empty values', () => {
    const s = parseWorkbook(workbook()).rows.settings;
    expect(s).toMatchObject({ currency: 'GBP', countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', timezone: 'Europe/London', chargeDecimals: 4, rounding: 'HalfUp', taxRate: 20_000_000, shortCodeDigits: 6, billableDispositions: ['ANSWERED'] });
  });
  it('turns a prefix rule off when its value is empty', () => {
    const r = parseWorkbook(workbook(settingsSheet([['NationalPrefix', null], ['InternationalPrefix', '011']]), numbersSheet([['ACME', '02079460000', '2025-01-01']])));
    expect(r.rows.settings).toMatchObject({ nationalPrefix: '', internationalPrefix: '011' });
    expect(r.rows.numbers[0].number).toBe('02079460000');
  });
  it('refuses CountryCode and prefixes typed as numbers', () => {
    const r = parseWorkbook(workbook(settingsSheet([['InternationalPrefix', 0]])));
    expect(r.issues).toContainEqual({
      severity: 'error',
      code: 'SETTING_NOT_TEXT',
      message: `InternationalPrefix must be text, not a number cell (a number loses leading zeros: "00" becomes 0); type it as '0 or format the cell as Text`,
      at: 'Settings!B6',
    });
  });
  it('checks the zone, decimals and enums, warns on unknown keys and blank supplier details', () => {
    const r = parseWorkbook({ sheets: [sheet('Settings', [['Key', 'Value'], ['Timezone', 'Mars/Base'], ['ChargeDecimals', 7], ['Rounding', 'Sideways'], ['Colour', 'blue']]), customersSheet(), numbersSheet()], date1904: false });
    expect(r.issues.map((i) => [i.severity, i.at, i.message])).toEqual([
      ['warning', 'Settings!A5', 'setting "Colour" is not one Ratebook knows; it is ignored'],
      ['error', 'Settings!B2', 'Timezone must be an IANA zone such as Europe/London (got "Mars/Base")'],
      ['error', 'Settings!B3', 'ChargeDecimals must be a whole number from 0 to 6 (got "7")'],
      ['error', 'Settings!B4', 'Rounding must be one of HalfUp, HalfEven, Up, Down (got "Sideways")'],
      ['warning', 'Settings', 'SupplierName is blank: a UK VAT invoice needs it'],
      ['warning', 'Settings', 'SupplierAddress is blank: a UK VAT invoice needs it'],
      ['warning', 'Settings', 'SupplierVatNumber is blank: a UK VAT invoice needs it'],
      ['warning', 'Settings', 'SupplierCompanyNumber is blank: a UK VAT invoice needs it'],
    ]);
  });
});

describe('row warnings', () => {
  it('warns about an Archived customer with no date, a Direct Debit customer with no email, a Dropped number with no date', () => {
    const r = parseWorkbook(workbook(
      sheet('Customers', [['Account', 'Name', 'Status', 'PaymentMethod', 'Email', 'Tariff'], ['A', 'A', 'Archived', 'Card', 'a@x', 'Business'], ['B', 'B', 'Active', 'DirectDebit', '', 'Business']]),
      sheet('Numbers', [['Account', 'Number', 'DateSold', 'Status'], ['A', '02079460000', '2025-01-01', 'Dropped']]),
    ));
    expect(r.issues.map((i) => [i.code, i.at])).toEqual([
      ['ARCHIVED_NO_DATE', 'Customers!M2'],
      ['DIRECT_DEBIT_NO_EMAIL', 'Customers!E3'],
      ['DROPPED_NO_DATE', 'Numbers!K2'],
    ]);
  });
  it('warns about a Prefix written in national form', () => {
    const r = parseWorkbook(workbook(sheet('Destinations', [['Prefix', 'Destination', 'CallClass'], ['020', 'London', 'National'], ['4420', 'London', 'national']])));
    expect(r.issues).toEqual([{ severity: 'warning', code: 'PREFIX_NATIONAL_FORM', message: 'Prefix 020 starts with the NationalPrefix 0; write it country code first (4420)', at: 'Destinations!A2' }]);
    expect(r.rows.destinations[1].callClass).toBe('National');
  });
});
