import { describe, expect, it } from 'vitest';
import { checkWorkbook } from '../../rules/crosscheck.js';
import { parseWorkbook } from '../../rules/parse.js';
import type { Issue } from '../../rules/result.js';
import { customersSheet, sheet, workbook, type Plain } from './raw-builder.js';
import type { RawSheet } from '../../rules/raw.js';

const check = (...sheets: RawSheet[]): Issue[] => {
  const p = parseWorkbook(workbook(...sheets));
  expect(p.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return checkWorkbook(p.rows, p.positions);
};
const codes = (issues: Issue[]): string[][] => issues.map((i) => [i.code, i.at ?? '']);
const numbers = (rows: Plain[][]): RawSheet => sheet('Numbers', [['Account', 'Number', 'RangeEnd', 'Extension', 'Direction', 'DateSold', 'DroppedDate', 'AltCdrNumbers'], ...rows]);
const customers2 = customersSheet([['ACME', 'Acme', 'a@x', 'Business'], ['BETA', 'Beta', 'b@x', 'Business']]);

describe('references and uniqueness', () => {
  it('needs every referenced account, tariff, destination, band and plan', () => {
    const issues = check(
      sheet('Customers', [['Account', 'Name', 'Email', 'Tariff', 'DiscountPlan'], ['ACME', 'Acme', 'a@x', 'Gold', 'P1']]),
      sheet('Numbers', [['Account', 'Number', 'DateSold', 'NumberType'], ['NOPE', '02079460000', '2025-01-01', 'Mars']]),
      sheet('Rates', [['Tariff', 'Destination', 'TimeBand', 'PerMinute'], ['Business', 'Nowhere', 'Night', 0.01]]),
    );
    expect(issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.at, i.message])).toEqual([
      ['UNKNOWN_ACCOUNT', 'Numbers!A2', 'Account NOPE is not in Customers'],
      ['UNKNOWN_TARIFF', 'Customers!D2', 'Tariff Gold is not in Tariffs'],
      ['UNKNOWN_DESTINATION', 'Rates!B2', 'Destination Nowhere is not in Destinations'],
      ['UNKNOWN_TIMEBAND', 'Rates!C2', 'TimeBand Night is not in TimeBands'],
      ['UNKNOWN_PLAN', 'Customers!E2', 'DiscountPlan P1 is not in Discounts'],
      ['UNKNOWN_NUMBER_TYPE', 'Numbers!D2', 'NumberType Mars is not a Destination (or write AutoDetect)'],
    ]);
  });
  it('passes when every reference exists', () => {
    const issues = check(
      sheet('Destinations', [['Prefix', 'Destination', 'CallClass'], ['4420', 'London', 'National']]),
      sheet('Rates', [['Tariff', 'Destination', 'PerMinute'], ['Business', 'London', 0.01]]),
    );
    expect(issues).toEqual([]);
  });
  it('refuses repeated accounts, tariffs and prefixes', () => {
    const issues = check(
      customersSheet([['ACME', 'Acme', 'a@x', 'Business'], ['ACME', 'Acme 2', 'a@x', 'Business']]),
      sheet('Destinations', [['Prefix', 'Destination', 'CallClass'], ['4420', 'London', 'National'], ['4420', 'London', 'National']]),
    );
    expect(issues.map((i) => [i.code, i.at, i.message])).toEqual([
      ['DUPLICATE_ACCOUNT', 'Customers!A3', 'Account ACME is already on row 2'],
      ['DUPLICATE_PREFIX', 'Destinations!A3', 'Prefix 4420 is already on row 2'],
    ]);
  });
});

describe('a number owned twice at once', () => {
  it('lets a number move: dropped on the 31st, sold to the next owner on the 1st', () => {
    expect(check(customers2, numbers([['ACME', '02079460000', null, null, null, '2025-01-01', '2026-03-31'], ['BETA', '02079460000', null, null, null, '2026-04-01']]))).toEqual([]);
  });
  it('refuses an overlap of one day', () => {
    const issues = check(customers2, numbers([['ACME', '02079460000', null, null, null, '2025-01-01', '2026-03-31'], ['BETA', '02079460000', null, null, null, '2026-03-31']]));
    expect(issues).toEqual([{
      severity: 'error',
      code: 'NUMBER_CLAIMED_TWICE',
      message: '442079460000 is also claimed by Numbers!B2 (ACME, 2025-01-01..2026-03-31) on overlapping days; a number may move between customers, never be owned twice at once',
      at: 'Numbers!B3',
    }]);
  });
  it('finds a number inside another row\'s range, and an alternate number colliding', () => {
    const issues = check(customers2, numbers([
      ['ACME', '02079460000', '02079460099', null, null, '2025-01-01'],
      ['BETA', '02079460042', null, null, null, '2025-01-01'],
      ['BETA', '02079461000', null, null, null, '2025-01-01', null, '020 7946 0050'],
    ]));
    expect(codes(issues)).toEqual([['NUMBER_CLAIMED_TWICE', 'Numbers!B3'], ['NUMBER_CLAIMED_TWICE', 'Numbers!B4']]);
    expect(issues[0].message).toMatch(/^442079460042 is also claimed by Numbers!B2/);
    expect(issues[1].message).toMatch(/^442079460050 is also claimed by Numbers!B2/);
  });
  it('lets Outbound and Inbound rows share a number, but not Both', () => {
    expect(check(customers2, numbers([['ACME', '02079460000', null, null, 'Outbound', '2025-01-01'], ['BETA', '02079460000', null, null, 'Inbound', '2025-01-01']]))).toEqual([]);
    expect(codes(check(customers2, numbers([['ACME', '02079460000', null, null, 'Both', '2025-01-01'], ['BETA', '02079460000', null, null, 'Inbound', '2025-01-01']])))).toEqual([['NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
  });
  it('lets extensions share a number, but not the same extension twice', () => {
    expect(check(numbers([['ACME', '02920180100', null, null, null, '2025-01-01'], ['ACME', '02920180100', null, '201', null, '2025-01-01'], ['ACME', '02920180100', null, '202', null, '2025-01-01']]))).toEqual([]);
    expect(codes(check(numbers([['ACME', '02920180100', null, '201', null, '2025-01-01'], ['ACME', '02920180100', null, '201', null, '2025-06-01']])))).toEqual([['NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
  });
  it('compares 100,000 numbers with 5,000 ranges without expanding them', () => {
    const rows: Plain[][] = [];
    for (let i = 0; i < 5000; i++) rows.push(['ACME', `0207${String(i * 100).padStart(7, '0')}`, `0207${String(i * 100 + 99).padStart(7, '0')}`, null, null, '2025-01-01']);
    for (let i = 0; i < 95_000; i++) rows.push(['ACME', `0161${String(i).padStart(7, '0')}`, null, null, null, '2025-01-01']);
    const t0 = performance.now();
    expect(check(numbers(rows))).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(60_000);
  });
});

describe('rates', () => {
  const rates = (rows: Plain[][]): RawSheet[] => [
    sheet('Destinations', [['Prefix', 'Destination', 'CallClass'], ['447', 'UK Mobile', 'Mobile']]),
    sheet('Rates', [['Tariff', 'Destination', 'FromSecond', 'PerMinute', 'ConnectionFee', 'EffectiveFrom', 'EffectiveTo'], ...rows]),
  ];
  it('refuses overlapping effective windows and warns about gaps', () => {
    const issues = check(...rates([
      ['Business', 'UK Mobile', 0, 0.05, null, null, '2026-10-15'],
      ['Business', 'UK Mobile', 0, 0.04, null, '2026-10-14', '2026-11-01'],
      ['Business', 'UK Mobile', 0, 0.03, null, '2026-11-10', null],
    ]));
    expect(issues.map((i) => [i.severity, i.code, i.at, i.message])).toEqual([
      ['error', 'RATE_WINDOWS_OVERLAP', 'Rates!F3', 'Tariff Business, Destination UK Mobile, band (blank) from second 0: its dates overlap row 2'],
      ['warning', 'RATE_WINDOW_GAP', 'Rates!F4', 'Tariff Business, Destination UK Mobile, band (blank): no price from 2026-11-01 to 2026-11-09 (between row 3 and this one)'],
    ]);
  });
  it('needs a slot from second 0 on every date, and warns about fees on later slots', () => {
    const issues = check(...rates([
      ['Business', 'UK Mobile', 0, 0.05, null, null, '2026-10-15'],
      ['Business', 'UK Mobile', 60, 0.02, 0.1, null, null],
    ]));
    expect(issues.map((i) => [i.code, i.at])).toEqual([
      ['FEE_ON_LATER_SLOT', 'Rates!E3'],
      ['NO_FIRST_SLOT', 'Rates!C3'],
    ]);
    expect(issues[1].message).toBe('Tariff Business, Destination UK Mobile, band (blank) has no row from second 0 on 2026-10-15: the first slot must start at 0');
    expect(check(...rates([['Business', 'UK Mobile', 0, 0.05, null, null, null], ['Business', 'UK Mobile', 60, 0.02, null, null, null]]))).toEqual([]);
  });
});

describe('time bands', () => {
  const bands = (rows: Plain[][]): RawSheet => sheet('TimeBands', [['TimeBand', 'Days', 'From', 'To'], ...rows]);
  it('covers the week with a wrapping off-peak row and no overlap', () => {
    expect(check(bands([['Peak', 'Mon-Fri', '08:00', '18:00'], ['OffPeak', 'Mon-Fri', '18:00', '08:00'], ['Weekend', 'Sat,Sun', '00:00', '24:00'], ['Weekend', 'Hol', '00:00', '24:00']]))).toEqual([]);
  });
  it('refuses overlapping rows and checks Hol rows only against each other', () => {
    const issues = check(bands([['Peak', 'Mon-Fri', '08:00', '18:00'], ['Late', 'Fri', '17:00', '24:00'], ['OffPeak', 'Mon-Fri', '18:00', '08:00'], ['Weekend', 'Sat,Sun', '00:00', '24:00'], ['Hol', 'Hol', '00:00', '24:00'], ['HolEve', 'Hol', '18:00', '24:00']]));
    expect(issues.map((i) => [i.code, i.at, i.message])).toEqual([
      ['TIMEBANDS_OVERLAP', 'TimeBands!C3', 'Late overlaps Peak (row 2) on Fri at 17:00'],
      ['TIMEBANDS_OVERLAP', 'TimeBands!C4', 'OffPeak overlaps Late (row 3) on Fri at 18:00'],
      ['TIMEBANDS_OVERLAP', 'TimeBands!C7', 'HolEve Hol overlaps Hol (row 6) on Hol at 18:00'],
    ]);
  });
  it('warns about minutes of the week no band covers', () => {
    const issues = check(bands([['Peak', 'Mon-Fri', '08:00', '18:00'], ['OffPeak', 'Mon-Fri', '18:00', '08:00']]));
    expect(issues).toEqual([{ severity: 'warning', code: 'TIMEBANDS_UNCOVERED', message: 'TimeBands: Sat 00:00-24:00, Sun 00:00-24:00 are in no band (calls then match rates with a blank TimeBand only)', at: 'TimeBands' }]);
  });
});

describe('expressions and formats', () => {
  it('compiles Applies and Transform in the sandbox', () => {
    const issues = check(
      sheet('Discounts', [['Plan', 'Kind', 'Applies', 'Value'], ['P', 'Percentage', 'clas == "National"', 10], ['P', 'Percentage', 'class == "National"', 5]]),
      sheet('CdrFormats', [['Format', 'Field', 'Column', 'Transform'], ['f', 'start', 'When', null], ['f', 'duration', 'Mins', 'value * 60'], ['f', 'caller', 'From', 'import("fs")'], ['f', 'called', 'To', null]]),
    );
    expect(issues.map((i) => [i.code, i.at])).toEqual([['EXPR_INVALID', 'Discounts!C2'], ['EXPR_INVALID', 'CdrFormats!D4']]);
    expect(issues[0].message).toMatch(/^Applies: unknown name "clas"/);
  });
});

describe('warnings', () => {
  it('warns about a customer with no tariff and no markup, and a tariff nobody uses', () => {
    const issues = check(customersSheet([['ACME', 'Acme', 'a@x', null]]));
    expect(issues.map((i) => [i.code, i.at])).toEqual([['NO_TARIFF_OR_MARKUP', 'Customers!D2'], ['TARIFF_UNUSED', 'Tariffs!A2']]);
  });
  it('accepts a markup given by an assignment', () => {
    expect(check(customersSheet([['ACME', 'Acme', 'a@x', 'Business']]), sheet('TariffAssignments', [['Account', 'CallClass', 'Markup'], ['ACME', 'International', 25]]))).toEqual([]);
  });
});
