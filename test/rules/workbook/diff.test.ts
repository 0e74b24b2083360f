import { describe, expect, it } from 'vitest';
import { cellText, daysText, diffWorkbooks, formatDiff, settingsRows } from '../../../rules/workbook/diff.js';
import { parseWorkbook } from '../../../rules/workbook/parse.js';
import { TAB_COLUMNS } from '../../../rules/workbook/columns.js';
import type { SheetRows } from '../../../rules/workbook/rows.js';
import { customersSheet, pct, settingsSheet, sheet, workbook } from './raw-builder.js';

const rates = (rows: (string | number | null)[][]) =>
  sheet('Rates', [['Tariff', 'Destination', 'TimeBand', 'FromSecond', 'PerMinute', 'EffectiveFrom'], ...rows]);
const parse = (...sheets: Parameters<typeof workbook>): SheetRows => parseWorkbook(workbook(...sheets)).rows;

describe('diff of two versions', () => {
  it('pairs rows by key and lists added, removed and changed cells', () => {
    const a = parse(
      customersSheet([['ACME', 'Acme', 'a@x.com', 'Business'], ['OLD', 'Old', 'o@x.com', 'Business']]),
      rates([['Business', 'UK Mobile', 'Peak', 0, 0.05, '2026-10-01'], ['Business', 'UK', null, null, 0.01, null]]),
    );
    const b = parse(
      customersSheet([['ACME', 'Acme Ltd', 'a@x.com', 'Business'], ['NEW', 'New', 'n@x.com', 'Business']]),
      rates([['Business', 'UK Mobile', 'Peak', 0, 0.055, '2026-10-01'], ['Business', 'UK', null, null, 0.01, null]]),
    );
    const d = diffWorkbooks(a, b);
    expect(d.tabs.map((t) => t.tab)).toEqual(['Customers', 'Rates']);
    expect(d.tabs[0]).toEqual({
      tab: 'Customers',
      keyColumns: ['Account'],
      added: [{ key: 'NEW', row: 3, cells: [{ column: 'Account', text: 'NEW' }, { column: 'Name', text: 'New' }, { column: 'Email', text: 'n@x.com' }, { column: 'AccountType', text: 'Postpaid' }, { column: 'Status', text: 'Active' }, { column: 'Tariff', text: 'Business' }, { column: 'ZeroInvoice', text: 'No' }] }],
      removed: [{ key: 'OLD', row: 3, cells: [{ column: 'Account', text: 'OLD' }, { column: 'Name', text: 'Old' }, { column: 'Email', text: 'o@x.com' }, { column: 'AccountType', text: 'Postpaid' }, { column: 'Status', text: 'Active' }, { column: 'Tariff', text: 'Business' }, { column: 'ZeroInvoice', text: 'No' }] }],
      changed: [{ key: 'ACME', rowA: 2, rowB: 2, cells: [{ column: 'Name', from: 'Acme', to: 'Acme Ltd' }] }],
    });
    expect(d.tabs[1].changed).toEqual([{ key: 'Business / UK Mobile / Peak / 0 / 2026-10-01', rowA: 2, rowB: 2, cells: [{ column: 'PerMinute', from: '0.05', to: '0.055' }] }]);
    expect(formatDiff(d)).toBe(
      [
        'Customers: 1 added, 1 removed, 1 changed',
        '  + Customers NEW: Name New; Email n@x.com; AccountType Postpaid; Status Active; Tariff Business; ZeroInvoice No',
        '  - Customers OLD: Name Old; Email o@x.com; AccountType Postpaid; Status Active; Tariff Business; ZeroInvoice No',
        '  ~ Customers ACME: Name Acme -> Acme Ltd',
        'Rates: 0 added, 0 removed, 1 changed',
        '  ~ Rates Business / UK Mobile / Peak / 0 / 2026-10-01: PerMinute 0.05 -> 0.055',
      ].join('\n'),
    );
  });

  it('reports no difference for the same content, re-typed or moved down the sheet', () => {
    const a = parse(rates([['Business', 'UK', null, null, 0.05, '2026-10-01']]));
    const b = parse(sheet('Rates', [['Per Minute', 'tariff', 'Destination', 'Effective_From'], [], ['0.050', 'Business', 'UK', new Date(Date.UTC(2026, 9, 1))]]));
    expect(b.rates[0].row).toBe(3);
    expect(diffWorkbooks(a, b)).toEqual({ tabs: [] });
    expect(formatDiff(diffWorkbooks(a, b))).toBe('The workbooks have the same content.');
  });

  it('pairs repeated keys in order', () => {
    const a = parse(sheet('Holidays', [['Date', 'Name'], ['2026-12-25', 'Xmas'], ['2026-12-25', 'Xmas again'], ['2026-12-26', 'Boxing Day']]));
    const b = parse(sheet('Holidays', [['Date', 'Name'], ['2026-12-25', 'Xmas'], ['2026-12-25', 'Christmas'], ['2026-12-25', 'Third'], ['2026-12-26', 'Boxing Day']]));
    const [h] = diffWorkbooks(a, b).tabs;
    expect(h.changed).toEqual([{ key: '2026-12-25 #2', rowA: 3, rowB: 3, cells: [{ column: 'Name', from: 'Xmas again', to: 'Christmas' }] }]);
    expect(h.added.map((r) => r.key)).toEqual(['2026-12-25 #3']);
    expect(h.removed).toEqual([]);
  });

  it('keys every tab as SPEC §1 says, with blanks shown', () => {
    const a = parse(
      sheet('Numbers', [['Account', 'Number', 'Extension', 'DateSold', 'Site'], ['ACME', '020 7946 0000', '201', '2025-01-01', 'HQ'], ['ACME', '020 7946 0000', '', '2025-01-01', 'HQ']]),
      sheet('TariffAssignments', [['Account', 'Number', 'CallClass', 'Tariff'], ['ACME', null, null, 'Business']]),
      sheet('TimeBands', [['TimeBand', 'Days', 'From', 'To'], ['Peak', 'Mon-Fri', '08:00', '18:00']]),
      sheet('Discounts', [['Plan', 'Kind', 'Applies', 'Value'], ['P1', 'Percentage', '', 10]]),
      sheet('CdrFormats', [['Format', 'Field', 'Column'], ['ast', 'start', 'calldate']]),
    );
    const b = parse(
      sheet('Numbers', [['Account', 'Number', 'Extension', 'DateSold', 'Site'], ['ACME', '020 7946 0000', '201', '2025-01-01', 'Leeds'], ['ACME', '020 7946 0000', '', '2025-01-01', 'HQ']]),
      sheet('TariffAssignments', [['Account', 'Number', 'CallClass', 'Tariff'], ['ACME', null, null, 'Business']]),
      sheet('TimeBands', [['TimeBand', 'Days', 'From', 'To'], ['Peak', 'Mon,Tue,Wed,Thu,Fri', '08:00', '24:00']]),
      sheet('Discounts', [['Plan', 'Kind', 'Applies', 'Value'], ['P1', 'Percentage', '', 12.5]]),
      sheet('CdrFormats', [['Format', 'Field', 'Column'], ['ast', 'start', 'start_time']]),
    );
    const text = formatDiff(diffWorkbooks(a, b));
    expect(text).toContain('~ Numbers 442079460000 / 201 / 2025-01-01: Site HQ -> Leeds');
    expect(text).toContain('~ TimeBands Peak / Mon-Fri / 08:00: To 18:00 -> 24:00');
    expect(text).toContain('~ Discounts P1 / Percentage / (blank): Value 10% -> 12.5%');
    expect(text).toContain('~ CdrFormats ast / start: Column calldate -> start_time');
    expect(text).not.toContain('TariffAssignments');
  });

  it('shows money, percentages, dates, lists and yes/no as the workbook does', () => {
    const a = parse(
      sheet('Customers', [['Account', 'Name', 'TaxRate', 'CreditLimit', 'ArchivedDate', 'ZeroInvoice', 'Markup'], ['ACME', 'Acme', 20, 1500, null, 'No', pct(0.1)]]),
      sheet('Numbers', [['Account', 'Number', 'DateSold', 'AltCdrNumbers'], ['ACME', '02079460000', '2025-01-01', '02079460001']]),
    );
    const b = parse(
      sheet('Customers', [['Account', 'Name', 'TaxRate', 'CreditLimit', 'ArchivedDate', 'ZeroInvoice', 'Markup'], ['ACME', 'Acme', '17.5%', '1500.25', '2026-03-31', 'Yes', 10]]),
      sheet('Numbers', [['Account', 'Number', 'DateSold', 'AltCdrNumbers'], ['ACME', '02079460000', '2025-01-01', '02079460001, 02079460002']]),
    );
    const d = diffWorkbooks(a, b);
    expect(d.tabs.find((t) => t.tab === 'Customers')?.changed[0].cells).toEqual([
      { column: 'TaxRate', from: '20%', to: '17.5%' },
      { column: 'CreditLimit', from: '1500', to: '1500.25' },
      { column: 'ArchivedDate', from: '', to: '2026-03-31' },
      { column: 'ZeroInvoice', from: 'No', to: 'Yes' },
    ]);
    expect(d.tabs.find((t) => t.tab === 'Numbers')?.changed[0].cells).toEqual([{ column: 'AltCdrNumbers', from: '442079460001', to: '442079460001, 442079460002' }]);
    expect(formatDiff(d)).toContain('ArchivedDate (blank) -> 2026-03-31');
  });

  it('compares Settings by Key with their effective values, defaults included', () => {
    const a = parse(settingsSheet([['TaxRate', 20]]));
    const b = parse(settingsSheet([['Tax Rate', '17.5%'], ['Currency', 'EUR'], ['BillableDispositions', 'ANSWERED, BUSY']]));
    const [s] = diffWorkbooks(a, b).tabs;
    expect(s.tab).toBe('Settings');
    expect(s.changed.map((c) => `${c.key}: ${c.cells.map((x) => `${x.from} -> ${x.to}`).join()}`)).toEqual([
      'Currency: GBP -> EUR',
      'TaxRate: 20% -> 17.5%',
      'BillableDispositions: ANSWERED -> ANSWERED, BUSY',
    ]);
    // Writing a default out is no change.
    expect(diffWorkbooks(parse(settingsSheet()), parse(settingsSheet([['Currency', 'GBP']]))).tabs).toEqual([]);
    expect(settingsRows(a.settings)[0]).toEqual({ key: 'Currency', value: 'GBP' });
  });

  it('compares unknown columns too', () => {
    const a = parse(sheet('Customers', [['Account', 'Name', 'Region'], ['ACME', 'Acme', 'North']]));
    const b = parse(sheet('Customers', [['Account', 'Name', 'Region', 'Owner'], ['ACME', 'Acme', 'South', 'Jo']]));
    expect(diffWorkbooks(a, b).tabs[0].changed[0].cells).toEqual([
      { column: 'Region', from: 'North', to: 'South' },
      { column: 'Owner', from: '', to: 'Jo' },
    ]);
  });

  it('caps the lines per tab when asked', () => {
    const many = (n: number) => parse(sheet('Holidays', [['Date', 'Name'], ...Array.from({ length: n }, (_, i) => [`2026-01-${String(i + 1).padStart(2, '0')}`, 'H'])]));
    const text = formatDiff(diffWorkbooks(many(0), many(5)), { maxPerTab: 2 });
    expect(text.split('\n')).toEqual(['Holidays: 5 added, 0 removed, 0 changed', '  + Holidays 2026-01-01: Name H', '  + Holidays 2026-01-02: Name H', '  … and 3 more in Holidays']);
  });

  it('writes cells as text the way people read them', () => {
    const tb = TAB_COLUMNS.timeBands;
    const row = { timeBand: 'Night', days: [5, 6], holiday: true, from: 1140, to: 480 };
    expect(tb.map((c) => cellText(c, row))).toEqual(['Night', 'Sat,Sun,Hol', '19:00', '08:00']);
    expect(daysText([0, 1, 2, 4, 6], false)).toBe('Mon-Wed,Fri,Sun');
    expect(daysText([], true)).toBe('Hol');
    const amount = TAB_COLUMNS.rates.find((c) => c.field === 'perMinute')!;
    expect([1, 10, 50_000, 1_000_000, 1_234_560, -500_000].map((v) => cellText(amount, { perMinute: v }))).toEqual(['0.000001', '0.00001', '0.05', '1', '1.23456', '-0.5']);
  });

  it('diffs 170,000 Numbers rows quickly (printed)', () => {
    const rows = parse();
    const base = rows.numbers[0];
    const big = (change: boolean): SheetRows => ({
      ...rows,
      numbers: Array.from({ length: 170_000 }, (_, i) => ({ ...base, row: i + 2, number: String(441610000000 + i), site: change && i % 1000 === 0 ? 'Moved' : 'HQ' })),
    });
    const a = big(false);
    const b = big(true);
    const t = performance.now();
    const d = diffWorkbooks(a, b);
    const ms = performance.now() - t;
    expect(d.tabs[0].changed).toHaveLength(170);
    console.log(`diff of 170,000 Numbers rows: ${ms.toFixed(0)} ms`);
  });
});
