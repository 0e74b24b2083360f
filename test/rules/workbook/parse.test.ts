import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseWorkbook } from '../../../rules/workbook/parse.js';
import { settingsSchema, tabSchema, type FieldNote } from '../../../rules/workbook/schema.js';
import { dayFromYmd } from '../../../rules/day.js';
import { numberText, type RawSheet, type RawValue, type RawWorkbook } from '../../../rules/workbook/raw.js';
import type { Issue } from '../../../rules/result.js';
import type { CellContext } from '../../../rules/workbook/cells.js';

// ---------------------------------------------------------------------------------------------
// RawWorkbooks from arrays: strings are text cells, numbers number cells, booleans bool cells,
// null an empty cell; date(), pct() and error() build the other kinds.

type Plain = string | number | boolean | null | RawValue;
const date = (y: number, m: number, d: number, hh = 0, mi = 0): RawValue => ({ kind: 'date', y, m, d, hh, mi, ss: 0 });
const pct = (value: number): RawValue => ({ kind: 'number', value, text: numberText(value), percent: true });
const error = (text: string): RawValue => ({ kind: 'error', text });
const EMPTY: RawValue = { kind: 'empty' };

function cell(v: Plain): RawValue {
  if (v === null) return EMPTY;
  if (typeof v === 'string') return v === '' ? EMPTY : { kind: 'text', text: v };
  if (typeof v === 'number') return { kind: 'number', value: v, text: numberText(v), percent: false };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  return v;
}
const tab = (name: string, rows: Plain[][], hidden = false): RawSheet => ({ name, hidden, rows: rows.map((r, i) => ({ row: i + 1, cells: r.map(cell) })) });

/** Settings with the supplier filled in (rows 2-5), so a test sees only what it provokes; its own keys start at row 6. */
const settings = (...rows: Plain[][]): RawSheet =>
  tab('Settings', [['Key', 'Value'], ['SupplierName', 'S Ltd'], ['SupplierAddress', '1 Road'], ['SupplierVatNumber', 'GB123456789'], ['SupplierCompanyNumber', '0123'], ...rows]);
const BASE = [
  settings(),
  tab('Customers', [['Account', 'Name', 'Tariff'], ['ACME', 'Acme', 'Business']]),
  tab('Numbers', [['Account', 'Number', 'DateSold'], ['ACME', '020 7946 0000', '2025-01-01']]),
];
/** A workbook of these tabs, plus the base Settings, Customers and Numbers where not given. */
const book = (...sheets: RawSheet[]): RawWorkbook => ({
  sheets: [...BASE.filter((b) => !sheets.some((s) => s.name === b.name)), ...sheets],
  date1904: false,
});
const parse = (...sheets: RawSheet[]) => parseWorkbook(book(...sheets));
const issuesOf = (...sheets: RawSheet[]): Issue[] => parse(...sheets).issues;
const brief = (issues: Issue[]): [string | undefined, string, string][] => issues.map((i) => [i.at, i.code, i.message]);

const day = (iso: string): number => dayFromYmd(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
const RATES = ['Tariff', 'Destination', 'TimeBand', 'FromSecond', 'PerMinute', 'ConnectionFee', 'MinimumCharge', 'MaximumCharge', 'InitialSeconds', 'IncrementSeconds', 'EffectiveFrom', 'EffectiveTo'];
/** One Rates row in the template's column order (A..L); PerMinute is E. */
const rate = (over: Partial<Record<string, Plain>> = {}): Plain[] => RATES.map((h) => (h in over ? over[h]! : ({ Tariff: 'Business', Destination: 'UK', PerMinute: 0.05 } as Record<string, Plain>)[h] ?? null));
const rates = (...rows: Plain[][]): RawSheet => tab('Rates', [RATES, ...rows]);

// ---------------------------------------------------------------------------------------------

describe('tabs', () => {
  it('reads a workbook with nothing wrong without a word', () => {
    const r = parse(rates(rate()));
    expect(r.issues).toEqual([]);
    expect(r.rows.customers).toHaveLength(1);
    expect(r.rows.rates).toHaveLength(1);
  });
  it('finds tabs by name like headers, and lists tabs it does not read as notices, hidden ones too', () => {
    const r = parseWorkbook(book(tab('tariff_assignments', [['Account'], ['ACME']]), tab('Notes', [['x']], true), tab('Scratch', [])));
    expect(r.rows.tariffAssignments).toHaveLength(1);
    expect(r.issues).toEqual([
      { severity: 'notice', code: 'UNKNOWN_TAB', message: 'tab "Notes" (hidden) is not one Ratebook reads; it is ignored', at: 'Notes' },
      { severity: 'notice', code: 'UNKNOWN_TAB', message: 'tab "Scratch" is not one Ratebook reads; it is ignored', at: 'Scratch' },
    ]);
  });
  it('requires the Customers and Numbers tabs; every other tab may be absent', () => {
    const r = parseWorkbook({ sheets: [settings()], date1904: false });
    expect(r.issues).toEqual([
      { severity: 'error', code: 'MISSING_TAB', message: 'the workbook has no Customers tab', at: 'Customers' },
      { severity: 'error', code: 'MISSING_TAB', message: 'the workbook has no Numbers tab', at: 'Numbers' },
    ]);
    expect(r.rows.rates).toEqual([]);
  });
  it('warns about an empty Customers or Numbers tab; other tabs may be empty', () => {
    const r = parse(tab('Customers', [['Account', 'Name']]), tab('Numbers', []), tab('Rates', []), tab('Holidays', [['Date', 'Name']]));
    expect(r.issues).toEqual([
      { severity: 'warning', code: 'EMPTY_TAB', message: 'the Customers tab has no rows: nobody will be billed', at: 'Customers' },
      { severity: 'warning', code: 'EMPTY_TAB', message: 'the Numbers tab has no rows: nobody will be billed', at: 'Numbers' },
    ]);
  });
  it('refuses two tabs named alike, reading the first', () => {
    const r = parse(rates(rate()), tab('RATES', [RATES, rate({ PerMinute: 1 })]));
    expect(r.issues).toEqual([{ severity: 'error', code: 'DUPLICATE_TAB', message: 'two tabs are named like Rates: "Rates" and "RATES"; only the first is read', at: 'RATES' }]);
    expect(r.rows.rates.map((x) => x.perMinute)).toEqual([50_000]);
  });
});

describe('headers', () => {
  it('matches headers ignoring case, underscores and all whitespace, line breaks included', () => {
    const r = parse(tab('Rates', [['tariff', 'DESTINATION', 'Per Minute', 'connection_fee', 'Effective\nFrom', ' Increment\r\n Seconds '], ['Business', 'UK', 0.05, 0.01, '2026-10-01', 60]]));
    expect(r.issues).toEqual([]);
    expect(r.rows.rates[0]).toMatchObject({ tariff: 'Business', destination: 'UK', perMinute: 50_000, connectionFee: 10_000, effectiveFrom: day('2026-10-01'), incrementSeconds: 60, row: 2 });
    expect(r.positions.rates).toEqual({ tariff: 0, destination: 1, perMinute: 2, connectionFee: 3, effectiveFrom: 4, incrementSeconds: 5 });
  });
  it('keeps unknown columns as custom attributes and lists them once per tab as a notice', () => {
    const r = parse(tab('Customers', [['Account', 'Name', 'Region', 'Account Manager'], ['ACME', 'Acme', 'North', ' Jo '], ['BETA', 'Beta', null, null]]));
    expect(r.issues).toEqual([{ severity: 'notice', code: 'UNKNOWN_COLUMN', message: 'Customers: columns "Region", "Account Manager" kept as custom attributes', at: 'Customers!C1' }]);
    expect(r.rows.customers[0].extra).toEqual({ Region: 'North', 'Account Manager': 'Jo' });
    expect(r.rows.customers[1]).not.toHaveProperty('extra');
  });
  it('refuses a duplicated header, known or not', () => {
    expect(brief(issuesOf(tab('Tariffs', [['Tariff', 'Note', 'tariff', 'NOTE'], ['B', 'x', 'C', 'y']])))).toEqual([
      ['Tariffs!C1', 'DUPLICATE_HEADER', 'Tariff appears twice in the header (also column A)'],
      ['Tariffs!D1', 'DUPLICATE_HEADER', 'NOTE appears twice in the header (also column B)'],
      ['Tariffs!B1', 'UNKNOWN_COLUMN', 'Tariffs: column "Note" kept as custom attributes'],
    ]);
  });
  it('refuses a missing required column at the header row, still checking the other cells, and keeps none of its rows', () => {
    const r = parse(tab('Rates', [['Tariff', 'PerMinute', 'IncrementSeconds'], ['B', 0.01, 60], ['B', 'abc', 0]]));
    expect(brief(r.issues)).toEqual([
      ['Rates!1:1', 'MISSING_COLUMN', 'Rates has no Destination column (required)'],
      ['Rates!B3', 'INVALID_CELL', 'PerMinute must be a number >= 0 (got "abc")'],
      ['Rates!C3', 'OUT_OF_RANGE', 'IncrementSeconds must be a whole number >= 1 (got "0")'],
    ]);
    expect(r.rows.rates).toEqual([]);
  });
  it('refuses data with no header in row 1', () => {
    const sheet: RawSheet = { name: 'Rates', hidden: false, rows: [{ row: 3, cells: RATES.map(cell) }, { row: 4, cells: rate().map(cell) }] };
    expect(issuesOf(sheet)).toEqual([{ severity: 'error', code: 'MISSING_HEADER', message: 'Rates has no header in row 1 (the column names go there)', at: 'Rates!A1' }]);
  });
});

describe('rows', () => {
  it('skips empty rows and collects every problem of every row in one pass', () => {
    const r = parse(rates(rate(), rate({ PerMinute: 'abc', IncrementSeconds: 0 }), [null, null, ' ', null], rate({ Tariff: '' }), rate({ PerMinute: -0.5, IncrementSeconds: 1.5 })));
    expect(brief(r.issues)).toEqual([
      ['Rates!E3', 'INVALID_CELL', 'PerMinute must be a number >= 0 (got "abc")'],
      ['Rates!J3', 'OUT_OF_RANGE', 'IncrementSeconds must be a whole number >= 1 (got "0")'],
      ['Rates!A5', 'MISSING_VALUE', 'Tariff is required'],
      ['Rates!E6', 'OUT_OF_RANGE', 'PerMinute must be a number >= 0 (got "-0.5")'],
      ['Rates!J6', 'INVALID_CELL', 'IncrementSeconds must be a whole number >= 1 (got "1.5")'],
    ]);
    expect(r.rows.rates.map((x) => x.row)).toEqual([2]);
  });
  it('collects problems across tabs, Settings first', () => {
    const r = parse(
      settings(['CountryCode', 44]),
      tab('Customers', [['Account', 'Name', 'TaxRate'], ['ACME', 'Acme', 'twenty'], ['', 'Nameless', 20]]),
      tab('Numbers', [['Account', 'Number', 'DateSold'], ['ACME', '020 7946 0000', '2026-02-30']]),
      rates(rate({ PerMinute: error('#N/A') })),
    );
    expect(brief(r.issues)).toEqual([
      ['Settings!B6', 'SETTING_NOT_TEXT', "CountryCode must be a text cell, not a number (a number drops leading zeros: 00 becomes 0); type it as '44 or format the cell as Text"],
      ['Customers!C2', 'INVALID_CELL', 'TaxRate must be a percentage from 0 to 100 (got "twenty")'],
      ['Customers!A3', 'MISSING_VALUE', 'Account is required'],
      ['Numbers!C2', 'INVALID_CELL', 'DateSold must be a date YYYY-MM-DD (got "2026-02-30")'],
      ['Rates!E2', 'ERROR_CELL', 'PerMinute is an error cell (#N/A)'],
    ]);
    expect([r.rows.customers.length, r.rows.numbers.length, r.rows.rates.length]).toEqual([0, 0, 0]);
  });
  it('never throws, whatever the cells', () => {
    const value: fc.Arbitrary<RawValue> = fc.oneof(
      fc.constant(EMPTY),
      fc.string().map((text) => ({ kind: 'text', text }) as RawValue),
      fc.constantFrom('Mon-Fri', '24:00', '2026-01-01', '020 7946 0000', '20%', 'Yes', 'Percentage', 'All', '0.5').map((text) => ({ kind: 'text', text }) as RawValue),
      fc.oneof(fc.double(), fc.integer(), fc.constant(2079460000)).map((v) => ({ kind: 'number', value: v, text: numberText(v), percent: false }) as RawValue),
      fc.double().map((v) => ({ kind: 'number', value: v, text: numberText(v), percent: true }) as RawValue),
      fc.record({ y: fc.integer({ min: -10, max: 10000 }), m: fc.integer({ min: -1, max: 14 }), d: fc.integer({ min: -1, max: 40 }), hh: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), ss: fc.integer({ min: 0, max: 60 }) }).map((x) => ({ kind: 'date', ...x }) as RawValue),
      fc.boolean().map((v) => ({ kind: 'bool', value: v }) as RawValue),
      fc.constantFrom('#N/A', 'formula with no cached value').map((text) => ({ kind: 'error', text }) as RawValue),
    );
    const names = fc.constantFrom('Settings', 'Customers', 'Numbers', 'Destinations', 'Tariffs', 'Rates', 'TariffAssignments', 'TimeBands', 'Holidays', 'Features', 'Discounts', 'CdrFormats', 'Other');
    const header = (): fc.Arbitrary<RawValue[]> => {
      return fc.shuffledSubarray(['Key', 'Value', 'Account', 'Name', 'Number', 'RangeEnd', 'DateSold', 'Status', 'Prefix', 'Destination', 'CallClass', 'Tariff', 'PerMinute', 'EffectiveFrom', 'EffectiveTo', 'TimeBand', 'Days', 'From', 'To', 'Date', 'Feature', 'Kind', 'Amount', 'Quantity', 'StartDate', 'Plan', 'Value', 'Format', 'Field', 'Column', 'AltCdrNumbers', 'Markup', 'TaxRate', 'x']).map((hs) => hs.map((h) => ({ kind: 'text', text: h }) as RawValue));
    };
    const sheet = names.chain((name) =>
      fc.record({
        name: fc.constant(name),
        hidden: fc.boolean(),
        rows: fc.tuple(header(), fc.array(fc.array(value, { maxLength: 12 }), { maxLength: 6 })).map(([h, body]) => [{ row: 1, cells: h }, ...body.map((cells, i) => ({ row: i + 2, cells }))]),
      }),
    );
    fc.assert(
      fc.property(fc.array(sheet, { maxLength: 6 }), fc.boolean(), (sheets, date1904) => {
        const r = parseWorkbook({ sheets, date1904 });
        expect(r.issues.filter((i) => i.code === 'PARSE_FAILED')).toEqual([]);
      }),
      { numRuns: 300 },
    );
    for (const junk of [null, {}, { sheets: null }, { sheets: [null, { name: 'Rates' }, { name: 'Customers', rows: [null, { row: 1 }] }] }]) {
      expect(() => parseWorkbook(junk as unknown as RawWorkbook)).not.toThrow();
    }
  });
});

describe('cells in their tabs', () => {
  it('reads amounts through their shortest decimal, 0.30000000000000004 as 0.3', () => {
    const r = parse(rates(rate({ PerMinute: 0.1 + 0.2 }), rate({ PerMinute: '1.15' }), rate({ PerMinute: '£1,250.50' })));
    expect(r.rows.rates.map((x) => x.perMinute)).toEqual([300_000, 1_150_000, 1_250_500_000]);
  });
  it('refuses an amount with 7 decimals, error cells and formulas with no value', () => {
    expect(issuesOf(rates(rate({ PerMinute: 0.1234567 }), rate({ ConnectionFee: '0.0000001' }), rate({ PerMinute: error('#N/A') }), rate({ MaximumCharge: error('formula with no cached value') })))).toEqual([
      { severity: 'error', code: 'TOO_MANY_DECIMALS', message: 'PerMinute has more than 6 decimals (got "0.1234567")', at: 'Rates!E2' },
      { severity: 'error', code: 'TOO_MANY_DECIMALS', message: 'ConnectionFee has more than 6 decimals (got "0.0000001")', at: 'Rates!F3' },
      { severity: 'error', code: 'ERROR_CELL', message: 'PerMinute is an error cell (#N/A)', at: 'Rates!E4' },
      { severity: 'error', code: 'ERROR_CELL', message: 'MaximumCharge is an error cell (formula with no cached value)', at: 'Rates!H5' },
    ]);
  });
  it('reads dates as date cells, serial numbers and text, and refuses dates that do not exist', () => {
    const r = parse(tab('Holidays', [['Date', 'Name'], [date(2026, 12, 25), 'Christmas'], [46384, 'Serial'], ['2026-12-28', 'Text'], ['2026-02-30', 'Bad'], ['28/12/2026', 'Bad too']]));
    expect(r.rows.holidays.map((h) => [h.date, h.name])).toEqual([[day('2026-12-25'), 'Christmas'], [day('2026-12-28'), 'Serial'], [day('2026-12-28'), 'Text']]);
    expect(brief(r.issues)).toEqual([
      ['Holidays!A5', 'INVALID_CELL', 'Date must be a date YYYY-MM-DD (got "2026-02-30")'],
      ['Holidays!A6', 'INVALID_CELL', 'Date must be a date YYYY-MM-DD (got "28/12/2026")'],
    ]);
  });
  it('reads serial dates in the workbook\'s 1904 date system', () => {
    const wb = book(tab('Holidays', [['Date'], [44922]]));
    expect(parseWorkbook({ ...wb, date1904: true }).rows.holidays[0].date).toBe(day('2026-12-28'));
    expect(parseWorkbook(wb).rows.holidays[0].date).toBe(day('2022-12-27'));
  });
  it('reads percentages as 20, 20% or a percent cell, warns about a plain value below one, refuses a TaxRate over 100', () => {
    const r = parse(tab('Customers', [['Account', 'Name', 'Markup', 'TaxRate', 'FallbackMarkup'], ['A', 'A', 20, '20%', pct(0.2)], ['B', 'B', 0.25, 5, null], ['C', 'C', null, 150, null]]));
    expect(r.rows.customers.map((c) => [c.markup, c.taxRate, c.fallbackMarkup])).toEqual([[20_000_000, 20_000_000, 20_000_000], [250_000, 5_000_000, null]]);
    expect(r.issues).toEqual([
      { severity: 'warning', code: 'PERCENT_BELOW_ONE', message: 'Markup 0.25 means 0.25%; if you meant 25%, write 25 or 25%', at: 'Customers!C3' },
      { severity: 'error', code: 'OUT_OF_RANGE', message: 'TaxRate must be a percentage from 0 to 100 (got "150")', at: 'Customers!D4' },
    ]);
  });
  it('reads booleans and enums in any case into their canonical spelling, and refuses others naming the allowed values', () => {
    const r = parse(tab('Customers', [['Account', 'Name', 'ZeroInvoice', 'PaymentMethod', 'Email', 'AccountType'], ['A', 'A', 'y', 'direct debit', 'a@x.com', 'PREPAID'], ['B', 'B', 'maybe', 'Cheque', null, null]]));
    expect(r.rows.customers).toHaveLength(1);
    expect(r.rows.customers[0]).toMatchObject({ zeroInvoice: true, paymentMethod: 'DirectDebit', accountType: 'Prepaid' });
    expect(brief(r.issues)).toEqual([
      ['Customers!C3', 'INVALID_CELL', 'ZeroInvoice must be Yes or No (got "maybe")'],
      ['Customers!D3', 'INVALID_CELL', 'PaymentMethod must be one of DirectDebit, Card, Manual (got "Cheque")'],
    ]);
  });
  it('normalises phone numbers typed every way, and gives a numeric cell its country code back with a notice', () => {
    const r = parse(
      tab('Numbers', [
        ['Account', 'Number', 'DateSold', 'AltCdrNumbers', 'RangeEnd'],
        ['ACME', '+44 (0)20 7946 0000', '2025-01-01', '020 7946 1000, 0044 20 7946 1001', null],
        ['ACME', 2079460000, '2025-01-01', null, null],
        ['ACME', '020-7946.0002', '2025-01-01', null, 2079460009],
        ['ACME', 'not a number', '2025-01-01', null, null],
      ]),
    );
    expect(r.rows.numbers.map((n) => [n.number, n.rangeEnd, n.altCdrNumbers])).toEqual([
      ['442079460000', '', ['442079461000', '442079461001']],
      ['442079460000', '', []],
      ['442079460002', '442079460009', []],
    ]);
    expect(r.issues).toEqual([
      { severity: 'notice', code: 'NUMERIC_PHONE', message: 'Number 2079460000 was a number cell, which drops a leading 0; read as 442079460000', at: 'Numbers!B3' },
      { severity: 'notice', code: 'NUMERIC_PHONE', message: 'RangeEnd 2079460009 was a number cell, which drops a leading 0; read as 442079460009', at: 'Numbers!E4' },
      { severity: 'error', code: 'INVALID_CELL', message: 'Number is not a phone number (got "not a number")', at: 'Numbers!B5' },
    ]);
  });
  it('reads phone numbers in TariffAssignments and Features too, and a CallClass of All as every class', () => {
    const r = parse(
      tab('TariffAssignments', [['Account', 'Number', 'CallClass', 'Tariff'], ['ACME', 2079460000, 'All', 'Business'], ['ACME', null, 'mobile', 'Business'], ['ACME', null, null, 'Business']]),
      tab('Features', [['Account', 'Number', 'Feature', 'Kind', 'Amount', 'StartDate'], ['ACME', '020 7946 0000', 'Line', 'recurring', 10, '2026-01-01']]),
    );
    expect(r.rows.tariffAssignments.map((t) => [t.number, t.callClass])).toEqual([['442079460000', ''], ['', 'Mobile'], ['', '']]);
    expect(r.rows.features[0].number).toBe('442079460000');
    expect(brief(r.issues)).toEqual([['TariffAssignments!B2', 'NUMERIC_PHONE', 'Number 2079460000 was a number cell, which drops a leading 0; read as 442079460000']]);
  });
});

describe('row rules', () => {
  it('Rates: prices and fees >= 0, InitialSeconds and IncrementSeconds >= 1, FromSecond >= 0', () => {
    const r = parse(rates(
      rate({ ConnectionFee: -0.01 }),
      rate({ MinimumCharge: -1, MaximumCharge: -2 }),
      rate({ InitialSeconds: 0 }),
      rate({ FromSecond: -1 }),
      rate({ FromSecond: 60, ConnectionFee: 0, MinimumCharge: 0, InitialSeconds: 30, IncrementSeconds: 1 }),
    ));
    expect(brief(r.issues)).toEqual([
      ['Rates!F2', 'OUT_OF_RANGE', 'ConnectionFee must be a number >= 0 (got "-0.01")'],
      ['Rates!G3', 'OUT_OF_RANGE', 'MinimumCharge must be a number >= 0 (got "-1")'],
      ['Rates!H3', 'OUT_OF_RANGE', 'MaximumCharge must be a number >= 0 (got "-2")'],
      ['Rates!I4', 'OUT_OF_RANGE', 'InitialSeconds must be a whole number >= 1 (got "0")'],
      ['Rates!D5', 'OUT_OF_RANGE', 'FromSecond must be a whole number >= 0 (got "-1")'],
    ]);
    expect(r.rows.rates).toEqual([
      { tariff: 'Business', destination: 'UK', timeBand: '', fromSecond: 60, perMinute: 50_000, connectionFee: 0, minimumCharge: 0, maximumCharge: null, initialSeconds: 30, incrementSeconds: 1, effectiveFrom: null, effectiveTo: null, row: 6 },
    ]);
  });
  it('Rates: EffectiveTo after EffectiveFrom, MaximumCharge not below MinimumCharge; blanks take their defaults', () => {
    const r = parse(rates(
      rate({ EffectiveFrom: '2026-10-01', EffectiveTo: '2026-10-01' }),
      rate({ MinimumCharge: 0.1, MaximumCharge: 0.05 }),
      rate({ EffectiveFrom: '2026-10-01', EffectiveTo: date(2026, 10, 2), MinimumCharge: 0.1, MaximumCharge: 0.1 }),
      rate(),
    ));
    expect(brief(r.issues)).toEqual([
      ['Rates!L2', 'EFFECTIVE_ORDER', 'EffectiveTo 2026-10-01 must be after EffectiveFrom 2026-10-01 (EffectiveTo is the first day the price no longer applies)'],
      ['Rates!H3', 'MAX_BELOW_MIN', 'MaximumCharge 0.05 is less than MinimumCharge 0.1'],
    ]);
    expect(r.rows.rates.map((x) => [x.row, x.effectiveFrom, x.effectiveTo, x.fromSecond, x.timeBand])).toEqual([[4, day('2026-10-01'), day('2026-10-02'), 0, ''], [5, null, null, 0, '']]);
  });
  it('Numbers: a range has RangeEnd as long as Number, not before it, at most 1,000,000 numbers', () => {
    const r = parse(tab('Numbers', [
      ['Account', 'Number', 'RangeEnd', 'DateSold'],
      ['ACME', '02079460000', '02079460099', '2025-01-01'],
      ['ACME', '02079460000', '0207946009', '2025-01-01'],
      ['ACME', '02079460099', '02079460000', '2025-01-01'],
      ['ACME', '02070000000', '02070999999', '2025-01-01'],
      ['ACME', '02070000000', '02071000000', '2025-01-01'],
      ['ACME', '02079460000', '02079460000', '2025-01-01'],
    ]));
    expect(r.rows.numbers.map((n) => n.row)).toEqual([2, 5, 7]);
    expect(brief(r.issues)).toEqual([
      ['Numbers!C3', 'RANGE_LENGTH', 'RangeEnd 44207946009 must have as many digits as Number 442079460000'],
      ['Numbers!C4', 'RANGE_ORDER', 'RangeEnd 442079460000 is before Number 442079460099'],
      ['Numbers!C6', 'RANGE_TOO_LARGE', 'the range 442070000000-442071000000 holds 1,000,001 numbers; at most 1,000,000'],
    ]);
  });
  it('Numbers: defaults, a Dropped number with no DroppedDate, DroppedDate before DateSold, CallsStartDate before DateSold', () => {
    const r = parse(tab('Numbers', [
      ['Account', 'Number', 'DateSold', 'Status', 'DroppedDate', 'CallsStartDate', 'Direction'],
      ['ACME', '02079460000', '2025-01-01', null, null, null, null],
      ['ACME', '02079460001', '2025-01-01', 'dropped', null, null, 'inbound'],
      ['ACME', '02079460002', '2025-01-01', 'Dropped', '2024-12-31', null, null],
      ['ACME', '02079460003', '2025-01-01', 'Dropped', '2025-01-01', '2024-12-01', 'Both'],
    ]));
    expect(r.rows.numbers.map((n) => [n.row, n.status, n.direction, n.droppedDate])).toEqual([[2, 'Active', 'Outbound', null], [3, 'Dropped', 'Inbound', null], [5, 'Dropped', 'Both', day('2025-01-01')]]);
    expect(r.rows.numbers[0]).toMatchObject({ rangeEnd: '', extension: '', altCdrNumbers: [], callsStartDate: null, fallbackMarkup: null, discountPlan: '' });
    expect(brief(r.issues)).toEqual([
      ['Numbers!E3', 'DROPPED_NO_DATE', '442079460001 is Dropped but has no DroppedDate'],
      ['Numbers!E4', 'DROPPED_BEFORE_SOLD', 'DroppedDate 2024-12-31 is before DateSold 2025-01-01'],
      ['Numbers!F5', 'CALLS_BEFORE_SOLD', 'CallsStartDate 2024-12-01 is before DateSold 2025-01-01'],
    ]);
  });
  it('warns at the Status cell when the tab has no column for the missing date', () => {
    const r = parse(
      tab('Numbers', [['Account', 'Number', 'DateSold', 'Status'], ['ACME', '02079460000', '2025-01-01', 'Dropped']]),
      tab('Customers', [['Account', 'Name', 'Status', 'Tariff'], ['ACME', 'Acme', 'Archived', 'Business']]),
    );
    expect(brief(r.issues)).toEqual([
      ['Customers!C2', 'ARCHIVED_NO_DATE', 'ACME is Archived but has no ArchivedDate'],
      ['Numbers!D2', 'DROPPED_NO_DATE', '442079460000 is Dropped but has no DroppedDate'],
    ]);
  });
  it('Customers: defaults, an Archived customer with no ArchivedDate, a Direct Debit customer with no Email', () => {
    const r = parse(tab('Customers', [
      ['Account', 'Name', 'Status', 'ArchivedDate', 'PaymentMethod', 'Email', 'Tariff'],
      ['A', 'A', 'Archived', null, 'Card', 'a@x.com', 'Business'],
      ['B', 'B', null, null, 'DirectDebit', null, 'Business'],
      ['C', 'C', 'Archived', '2026-01-31', 'DirectDebit', 'c@x.com', 'Business'],
    ]));
    expect(brief(r.issues)).toEqual([
      ['Customers!D2', 'ARCHIVED_NO_DATE', 'A is Archived but has no ArchivedDate'],
      ['Customers!F3', 'DIRECT_DEBIT_NO_EMAIL', 'B pays by Direct Debit but has no Email'],
    ]);
    expect(r.rows.customers[1]).toEqual({
      account: 'B', name: 'B', company: '', email: '', address: '', vatNumber: '', taxRate: null, accountType: 'Postpaid', creditLimit: null, paymentTermsDays: null,
      paymentMethod: 'DirectDebit', status: 'Active', archivedDate: null, tariff: 'Business', markup: null, fallbackMarkup: null, discountPlan: '', invoiceNote: '', zeroInvoice: false, row: 3,
    });
  });
  it('Destinations: Prefix digits only, a Prefix in national form gets a warning, CallClass in canonical spelling', () => {
    const r = parse(tab('Destinations', [['Prefix', 'Destination', 'CallClass'], ['020', 'London', 'National'], [4420, 'London', 'national'], ['44-20', 'London', 'National'], ['447', 'Mobile', 'Premium']]));
    expect(brief(r.issues)).toEqual([
      ['Destinations!A2', 'PREFIX_NATIONAL_FORM', 'Prefix 020 starts with the NationalPrefix 0; write it country code first (4420)'],
      ['Destinations!A4', 'INVALID_CELL', 'Prefix must be digits only (got "44-20")'],
      ['Destinations!C5', 'INVALID_CELL', 'CallClass must be one of National, Mobile, NonGeographic, ServiceNumbers, International, ExtendedInternational, Surcharges, Inbound, Bespoke1, Bespoke2, Bespoke3 (got "Premium")'],
    ]);
    expect(r.rows.destinations.map((d) => [d.prefix, d.callClass])).toEqual([['020', 'National'], ['4420', 'National']]);
  });
  it('Tariffs: ChargeDecimals 0..6 and Rounding', () => {
    const r = parse(tab('Tariffs', [['Tariff', 'ChargeDecimals', 'Rounding'], ['A', 7, null], ['B', 0, 'halfeven'], ['C', 6, 'Sideways']]));
    expect(brief(r.issues)).toEqual([
      ['Tariffs!B2', 'OUT_OF_RANGE', 'ChargeDecimals must be a whole number from 0 to 6 (got "7")'],
      ['Tariffs!C4', 'INVALID_CELL', 'Rounding must be one of HalfUp, HalfEven, Up, Down (got "Sideways")'],
    ]);
    expect(r.rows.tariffs).toEqual([{ tariff: 'B', description: '', fallbackMarkup: null, chargeDecimals: 0, rounding: 'HalfEven', row: 3 }]);
  });
  it('TimeBands: days, HH:MM, 24:00, To 00:00 as the end of the day; From 24:00 and empty bands refused', () => {
    const r = parse(tab('TimeBands', [
      ['TimeBand', 'Days', 'From', 'To'],
      ['Peak', 'Mon-Fri', '08:00', '18:00'],
      ['Weekend', 'Sat,Sun,Hol', 0, '24:00'],
      ['Evening', 'Mon-Fri', date(1899, 12, 30, 18), '00:00'],
      ['Bad', 'Funday', '25:00', '8'],
      ['Late', 'Mon', '24:00', '01:00'],
      ['None', 'Tue', '09:00', '09:00'],
    ]));
    expect(r.rows.timeBands.map((b) => [b.timeBand, b.days, b.holiday, b.from, b.to])).toEqual([
      ['Peak', [0, 1, 2, 3, 4], false, 480, 1080],
      ['Weekend', [5, 6], true, 0, 1440],
      ['Evening', [0, 1, 2, 3, 4], false, 1080, 1440],
    ]);
    expect(brief(r.issues)).toEqual([
      ['TimeBands!B5', 'INVALID_CELL', 'Days must be days such as Mon-Fri, Sat,Sun or Hol (got "Funday")'],
      ['TimeBands!C5', 'INVALID_CELL', 'From must be a time HH:MM (got "25:00")'],
      ['TimeBands!D5', 'INVALID_CELL', 'To must be a time HH:MM (got "8")'],
      ['TimeBands!C6', 'OUT_OF_RANGE', 'From must be a time from 00:00 to 23:59 (got "24:00")'],
      ['TimeBands!D7', 'EMPTY_TIMEBAND', 'From and To are the same time; for the whole day write From 00:00 and To 24:00'],
    ]);
  });
  it('Features: Quantity >= 1, EndDate not before StartDate; blanks take their defaults', () => {
    const r = parse(tab('Features', [
      ['Account', 'Feature', 'Kind', 'Amount', 'Quantity', 'StartDate', 'EndDate', 'Prorate'],
      ['ACME', 'Line', 'Recurring', 10, null, '2026-01-01', null, null],
      ['ACME', 'Line', 'Recurring', 10, 0, '2026-01-01', null, null],
      ['ACME', 'Setup', 'oneoff', -5, 2, '2026-01-01', '2025-12-31', 'No'],
    ]));
    expect(brief(r.issues)).toEqual([
      ['Features!E3', 'OUT_OF_RANGE', 'Quantity must be a whole number >= 1 (got "0")'],
      ['Features!G4', 'END_BEFORE_START', 'EndDate 2025-12-31 is before StartDate 2026-01-01'],
    ]);
    expect(r.rows.features).toEqual([
      { account: 'ACME', number: '', feature: 'Line', kind: 'Recurring', amount: 10_000_000, quantity: 1, interval: 'Monthly', startDate: day('2026-01-01'), endDate: null, prorate: true, row: 2 },
    ]);
  });
  it('Discounts: Value >= 0, a Percentage Value at most 100 and warned below 1, minutes not written as a percentage', () => {
    const r = parse(tab('Discounts', [
      ['Plan', 'Kind', 'Applies', 'Value', 'Scope'],
      ['P', 'InclusiveMinutes', 'class == "National"', 100, null],
      ['P', 'Percentage', null, '10%', 'account'],
      ['P', 'Percentage', null, pct(0.05), null],
      ['P', 'Percentage', null, 0.5, null],
      ['P', 'Percentage', null, 150, null],
      ['P', 'InclusiveMinutes', null, -1, null],
      ['P', 'InclusiveMinutes', null, '10%', null],
    ]));
    expect(r.rows.discounts.map((d) => [d.row, d.kind, d.applies, d.value, d.scope])).toEqual([
      [2, 'InclusiveMinutes', 'class == "National"', 100_000_000, 'Number'],
      [3, 'Percentage', '', 10_000_000, 'Account'],
      [4, 'Percentage', '', 5_000_000, 'Number'],
      [5, 'Percentage', '', 500_000, 'Number'],
    ]);
    expect(brief(r.issues)).toEqual([
      ['Discounts!D5', 'PERCENT_BELOW_ONE', 'Value 0.5 means 0.5%; if you meant 50%, write 50 or 50%'],
      ['Discounts!D6', 'OUT_OF_RANGE', 'Value of a Percentage discount must be from 0 to 100 (got "150")'],
      ['Discounts!D7', 'OUT_OF_RANGE', 'Value must be a number >= 0 (got "-1")'],
      ['Discounts!D8', 'INVALID_CELL', 'Value of an InclusiveMinutes discount is minutes, not a percentage (got "10%")'],
    ]);
  });
  it('CdrFormats: Field is one of the CDR fields, lower case', () => {
    const r = parse(tab('CdrFormats', [['Format', 'Field', 'Column', 'Transform'], ['pbx', 'Caller', 3, null], ['pbx', 'colour', 'x', null]]));
    expect(r.rows.cdrFormats).toEqual([{ format: 'pbx', field: 'caller', column: '3', transform: '', timeFormat: '', row: 2 }]);
    expect(brief(r.issues)).toEqual([['CdrFormats!B3', 'INVALID_CELL', 'Field must be one of id, start, duration, caller, called, extension, direction, cost, disposition, timezone (got "colour")']]);
  });
});

describe('settings', () => {
  it('takes the defaults for absent keys, and warns once per blank Supplier detail', () => {
    const r = parseWorkbook({ sheets: BASE.slice(1), date1904: false });
    expect(r.rows.settings).toEqual({
      currency: 'GBP', countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', timezone: 'Europe/London', chargeDecimals: 4, rounding: 'HalfUp', bandSplit: 'Start',
      taxRate: 20_000_000, invoicePrefix: 'INV-', fraudMaxCallsPerMinute: 0, fraudShortCallSeconds: 0, fraudShortCallsPerDay: 0, billableDispositions: ['ANSWERED'], shortCodeDigits: 6,
      supplierName: '', supplierAddress: '', supplierVatNumber: '', supplierCompanyNumber: '',
    });
    expect(brief(r.issues)).toEqual(['SupplierName', 'SupplierAddress', 'SupplierVatNumber', 'SupplierCompanyNumber'].map((k) => ['Settings', 'SUPPLIER_BLANK', `${k} is blank: a UK VAT invoice needs it`]));
  });
  it('matches keys like headers and reads every kind of value', () => {
    const r = parse(settings(
      ['country code', '1'], ['NATIONAL_PREFIX', '1'], ['InternationalPrefix', '011'], ['Timezone', 'America/New_York'], ['ChargeDecimals', 2], ['Rounding', 'halfeven'],
      ['BandSplit', 'split'], ['TaxRate', '17.5%'], ['Currency', 'USD'], ['InvoicePrefix', 'US-'], ['FraudMaxCallsPerMinute', '10'], ['FraudShortCallSeconds', 3], ['FraudShortCallsPerDay', 100],
      ['BillableDispositions', 'answered, Busy ,'], ['ShortCodeDigits', 0],
    ));
    expect(r.issues).toEqual([]);
    expect(r.rows.settings).toMatchObject({
      countryCode: '1', nationalPrefix: '1', internationalPrefix: '011', timezone: 'America/New_York', chargeDecimals: 2, rounding: 'HalfEven', bandSplit: 'Split', taxRate: 17_500_000,
      currency: 'USD', invoicePrefix: 'US-', fraudMaxCallsPerMinute: 10, fraudShortCallSeconds: 3, fraudShortCallsPerDay: 100, billableDispositions: ['ANSWERED', 'BUSY'], shortCodeDigits: 0,
    });
  });
  it('takes the default for an empty value, except that an empty NationalPrefix or InternationalPrefix turns that rule off', () => {
    const r = parse(
      settings(['NationalPrefix', null], ['InternationalPrefix', ''], ['CountryCode', null], ['Timezone', ' ']),
      tab('Numbers', [['Account', 'Number', 'DateSold'], ['ACME', '020 7946 0000', '2025-01-01'], ['ACME', '0044 20 7946 0001', '2025-01-01']]),
      tab('Destinations', [['Prefix', 'Destination', 'CallClass'], ['020', 'London', 'National']]),
    );
    expect(r.issues).toEqual([]);
    expect(r.rows.settings).toMatchObject({ nationalPrefix: '', internationalPrefix: '', countryCode: '44', timezone: 'Europe/London' });
    expect(r.rows.numbers.map((n) => n.number)).toEqual(['02079460000', '00442079460001']);
  });
  it('refuses CountryCode and the prefixes typed as numbers, and reads on with the defaults', () => {
    const r = parse(settings(['CountryCode', 44], ['InternationalPrefix', 0], ['NationalPrefix', 'zero']));
    expect(r.issues).toEqual([
      { severity: 'error', code: 'SETTING_NOT_TEXT', message: "CountryCode must be a text cell, not a number (a number drops leading zeros: 00 becomes 0); type it as '44 or format the cell as Text", at: 'Settings!B6' },
      { severity: 'error', code: 'SETTING_NOT_TEXT', message: "InternationalPrefix must be a text cell, not a number (a number drops leading zeros: 00 becomes 0); type it as '0 or format the cell as Text", at: 'Settings!B7' },
      { severity: 'error', code: 'SETTING_INVALID', message: 'NationalPrefix must be digits only (got "zero")', at: 'Settings!B8' },
    ]);
    expect(r.rows.settings).toMatchObject({ countryCode: '44', internationalPrefix: '00', nationalPrefix: '0' });
    expect(r.rows.numbers[0].number).toBe('442079460000');
  });
  it('checks the zone, the numbers and the choices; warns on unknown keys; refuses a key set twice', () => {
    const r = parse(settings(
      ['Timezone', 'Mars/Base'], ['ChargeDecimals', 7], ['Rounding', 'Sideways'], ['BandSplit', 'Middle'], ['Colour', 'blue'], ['ShortCodeDigits', -1],
      ['FraudShortCallSeconds', 'x'], ['TaxRate', 0.2], ['InvoicePrefix', error('#N/A')], [null, 'orphan'], ['chargedecimals', 2],
    ));
    expect(brief(r.issues)).toEqual([
      ['Settings!B6', 'SETTING_INVALID', 'Timezone must be an IANA zone such as Europe/London (got "Mars/Base")'],
      ['Settings!B7', 'SETTING_INVALID', 'ChargeDecimals must be a whole number from 0 to 6 (got "7")'],
      ['Settings!B8', 'SETTING_INVALID', 'Rounding must be one of HalfUp, HalfEven, Up, Down (got "Sideways")'],
      ['Settings!B9', 'SETTING_INVALID', 'BandSplit must be one of Start, Split (got "Middle")'],
      ['Settings!A10', 'UNKNOWN_SETTING', 'setting "Colour" is not one Ratebook knows; it is ignored'],
      ['Settings!B11', 'SETTING_INVALID', 'ShortCodeDigits must be a whole number >= 0 (got "-1")'],
      ['Settings!B12', 'SETTING_INVALID', 'FraudShortCallSeconds must be a whole number >= 0 (got "x")'],
      ['Settings!B13', 'PERCENT_BELOW_ONE', 'TaxRate 0.2 means 0.2%; if you meant 20%, write 20 or 20%'],
      ['Settings!B14', 'ERROR_CELL', 'InvoicePrefix is an error cell (#N/A)'],
      ['Settings!A15', 'UNKNOWN_SETTING', 'a Value (orphan) with no Key; it is ignored'],
      ['Settings!A16', 'DUPLICATE_SETTING', 'ChargeDecimals is set twice (also at Settings!A7)'],
    ]);
    expect(r.rows.settings).toMatchObject({ timezone: 'Europe/London', chargeDecimals: 4, rounding: 'HalfUp', bandSplit: 'Start', shortCodeDigits: 6, fraudShortCallSeconds: 0, invoicePrefix: 'INV-', taxRate: 200_000 });
  });
  it('ignores a comment column beside the values, and needs a Key column', () => {
    expect(issuesOf(tab('Settings', [['Key', 'Value', 'About'], ['SupplierName', 'S', 'who we are'], ['SupplierAddress', 'A'], ['SupplierVatNumber', 'V'], ['SupplierCompanyNumber', 'C']]))).toEqual([]);
    expect(brief(issuesOf(tab('Settings', [['Name', 'Value'], ['CountryCode', '1']]))).slice(0, 1)).toEqual([['Settings!1:1', 'MISSING_COLUMN', 'Settings has no Key column (required)']]);
  });
});

describe('the zod schemas', () => {
  const UK: CellContext = { plan: { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', shortCodeDigits: 6 }, date1904: false };
  const t = (text: string): RawValue => ({ kind: 'text', text });

  it('turn a raw row into a typed row, each problem an issue at its field with its code', () => {
    const notes: FieldNote[] = [];
    const schema = tabSchema('numbers', UK, (n) => notes.push(n));
    expect(schema.safeParse({ account: t('ACME'), number: cell(2079460000), dateSold: t('2025-01-01') })).toMatchObject({ success: true, data: { number: '442079460000', direction: 'Outbound' } });
    expect(notes).toEqual([{ field: 'number', severity: 'notice', code: 'NUMERIC_PHONE', message: 'Number 2079460000 was a number cell, which drops a leading 0; read as 442079460000' }]);
    const bad = schema.safeParse({ account: t('ACME'), number: t('x'), dateSold: t('soon') });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path, i.message, (i as { params?: { code: string } }).params?.code])).toEqual([
      [['number'], 'Number is not a phone number (got "x")', 'INVALID_CELL'],
      [['dateSold'], 'DateSold must be a date YYYY-MM-DD (got "soon")', 'INVALID_CELL'],
    ]);
    const range = schema.safeParse({ account: t('ACME'), number: t('02079460099'), rangeEnd: t('02079460000'), dateSold: t('2025-01-01') });
    expect(range.error!.issues.map((i) => [i.path, (i as { params?: { code: string } }).params?.code])).toEqual([[['rangeEnd'], 'RANGE_ORDER']]);
  });
  it('Settings: each key a field, the defaults when absent', () => {
    expect(settingsSchema().safeParse({ CountryCode: t('1'), NationalPrefix: { kind: 'empty' } })).toMatchObject({ success: true, data: { countryCode: '1', nationalPrefix: '', internationalPrefix: '00' } });
    expect(settingsSchema().safeParse({ ChargeDecimals: cell(9) }).error!.issues[0]).toMatchObject({ path: ['ChargeDecimals'], message: 'ChargeDecimals must be a whole number from 0 to 6 (got "9")' });
  });
  it('agree with parse, row for row, on random Rates', () => {
    const pool: Record<string, Plain[]> = {
      Tariff: ['Business', '', ' Home '],
      Destination: ['UK', null],
      TimeBand: [null, 'Peak'],
      FromSecond: [null, 0, 60, -1, 'x'],
      PerMinute: [0.05, '0.0125', -1, 'abc', 0.1234567, error('#N/A'), 0.1 + 0.2],
      ConnectionFee: [null, 0.01, -0.01],
      MinimumCharge: [null, 0.1, 0.2],
      MaximumCharge: [null, 0.15, 1],
      InitialSeconds: [null, 30, 0],
      IncrementSeconds: [null, 1, 60, 0, 1.5],
      EffectiveFrom: [null, '2026-01-01', date(2026, 6, 1), 46023],
      EffectiveTo: [null, '2026-06-01', '2026-02-30'],
    };
    const row = fc.tuple(...RATES.map((h) => fc.constantFrom(...pool[h])));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), (body) => {
        const r = parse(rates(...body));
        const schema = tabSchema('rates', UK);
        body.forEach((cells, i) => {
          const input = Object.fromEntries(RATES.map((h, c) => [h.charAt(0).toLowerCase() + h.slice(1), cell(cells[c])]));
          const expected = schema.safeParse(input);
          const got = r.rows.rates.find((x) => x.row === i + 2);
          if (expected.success) expect(got).toEqual({ ...expected.data, row: i + 2 });
          else {
            expect(got).toBeUndefined();
            expect(r.issues.filter((x) => x.severity === 'error' && x.at?.endsWith(`${i + 2}`) && x.at.startsWith('Rates!')).map((x) => x.message).sort()).toEqual(expected.error.issues.map((x) => x.message).sort());
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('speed', () => {
  it('reads 170,000 rows (100k numbers, 20k destinations, 50k rates) with no problem', () => {
    const t = (text: string): RawValue => ({ kind: 'text', text });
    const n = (v: number): RawValue => ({ kind: 'number', value: v, text: numberText(v), percent: false });
    const raw = (name: string, header: string[], body: RawValue[][]): RawSheet => ({ name, hidden: false, rows: [{ row: 1, cells: header.map(t) }, ...body.map((cells, i) => ({ row: i + 2, cells }))] });
    const wb: RawWorkbook = {
      date1904: false,
      sheets: [
        settings(),
        raw('Customers', ['Account', 'Name', 'Tariff'], Array.from({ length: 1000 }, (_, i) => [t(`A${i}`), t(`Customer ${i}`), t('Business')])),
        raw('Numbers', ['Account', 'Number', 'DateSold', 'Status'], Array.from({ length: 100_000 }, (_, i) => [t(`A${i % 1000}`), t(`0161 ${String(1_000_000 + i)}`), date(2025, 1, 1 + (i % 28)), t('Active')])),
        raw('Destinations', ['Prefix', 'Destination', 'CallClass'], Array.from({ length: 20_000 }, (_, i) => [t(String(440_000 + i)), t(`D${i}`), t('National')])),
        raw('Rates', RATES, Array.from({ length: 50_000 }, (_, i) => [t('Business'), t(`D${i % 20_000}`), t(i % 2 ? 'Peak' : 'OffPeak'), n(0), n(0.0123 + (i % 100) / 10_000), n(0.01), EMPTY, EMPTY, n(60), n(1), t('2025-01-01'), EMPTY])),
      ],
    };
    // Its speed is measured by `npm run bench -- compile`, not here: a loaded machine is no clock.
    const r = parseWorkbook(wb);
    expect(r.issues).toEqual([]);
    expect(r.rows.numbers.length + r.rows.destinations.length + r.rows.rates.length).toBe(170_000);
  });
});
