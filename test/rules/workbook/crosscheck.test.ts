import { describe, expect, it } from 'vitest';
import { checkWorkbook, CROSSCHECK_CODES, MAX_CLAIM_ISSUES } from '../../../rules/workbook/crosscheck.js';
import { parseDayText, type Day } from '../../../rules/day.js';
import type { Issue } from '../../../rules/result.js';
import {
  WEEKDAYS,
  type CdrFormatRow,
  type Customer,
  type DestinationRow,
  type DiscountRow,
  type FeatureRow,
  type NumberRow,
  type RateRow,
  type Settings,
  type SheetRows,
  type TariffAssignmentRow,
  type TariffRow,
  type TimeBandRow,
} from '../../../rules/workbook/rows.js';

// ---------------------------------------------------------------------------------------------
// SheetRows literals: every field defaulted; `row` 0 means "its place in the tab" (header row 1).

const day = (text: string): Day => {
  const d = parseDayText(text);
  if (d === null) throw new Error(`bad date ${text}`);
  return d;
};
const dayOrNull = (text: string | null | undefined): Day | null => (text == null ? null : day(text));

const SETTINGS: Settings = {
  currency: 'GBP',
  countryCode: '44',
  nationalPrefix: '0',
  internationalPrefix: '00',
  timezone: 'Europe/London',
  chargeDecimals: 4,
  rounding: 'HalfUp',
  bandSplit: 'Start',
  taxRate: 20_000_000,
  invoicePrefix: 'INV-',
  fraudMaxCallsPerMinute: 0,
  fraudShortCallSeconds: 0,
  fraudShortCallsPerDay: 0,
  billableDispositions: ['ANSWERED'],
  shortCodeDigits: 6,
  supplierName: 'S Ltd',
  supplierAddress: '1 Road',
  supplierVatNumber: 'GB1',
  supplierCompanyNumber: '1',
};

const customer = (account: string, over: Partial<Customer> = {}): Customer => ({
  row: 0,
  account,
  name: account,
  company: '',
  email: 'a@example.com',
  address: '',
  vatNumber: '',
  taxRate: null,
  accountType: 'Postpaid',
  creditLimit: null,
  paymentTermsDays: null,
  paymentMethod: null,
  status: 'Active',
  archivedDate: null,
  tariff: 'Business',
  markup: null,
  fallbackMarkup: null,
  discountPlan: '',
  invoiceNote: '',
  zeroInvoice: false,
  ...over,
});

interface NumberOver extends Partial<Omit<NumberRow, 'dateSold' | 'callsStartDate' | 'droppedDate'>> {
  sold?: string;
  calls?: string;
  dropped?: string;
}
const num = (account: string, number: string, over: NumberOver = {}): NumberRow => {
  const { sold, calls, dropped, ...rest } = over;
  return {
    row: 0,
    account,
    number,
    rangeEnd: '',
    extension: '',
    numberType: '',
    description: '',
    site: '',
    status: 'Active',
    dateSold: day(sold ?? '2025-01-01'),
    callsStartDate: dayOrNull(calls),
    droppedDate: dayOrNull(dropped),
    altCdrNumbers: [],
    direction: 'Outbound',
    fallbackMarkup: null,
    discountPlan: '',
    ...rest,
  };
};

const dest = (prefix: string, destination: string): DestinationRow => ({ row: 0, prefix, destination, callClass: 'National' });
const tariff = (name: string): TariffRow => ({ row: 0, tariff: name, description: '', fallbackMarkup: null, chargeDecimals: null, rounding: null });

interface RateOver extends Partial<Omit<RateRow, 'effectiveFrom' | 'effectiveTo'>> {
  from?: string;
  to?: string;
}
const rate = (over: RateOver = {}): RateRow => {
  const { from, to, ...rest } = over;
  return {
    row: 0,
    tariff: 'Business',
    destination: 'UK Mobile',
    timeBand: '',
    fromSecond: 0,
    perMinute: 50_000,
    connectionFee: null,
    minimumCharge: null,
    maximumCharge: null,
    initialSeconds: null,
    incrementSeconds: null,
    effectiveFrom: dayOrNull(from),
    effectiveTo: dayOrNull(to),
    ...rest,
  };
};

const assignment = (account: string, over: Partial<TariffAssignmentRow> = {}): TariffAssignmentRow => ({ row: 0, account, number: '', callClass: '', tariff: '', markup: null, ...over });
const feature = (account: string): FeatureRow => ({
  row: 0,
  account,
  number: '',
  feature: 'Line rental',
  kind: 'Recurring',
  amount: 10_000_000,
  quantity: 1,
  interval: 'Monthly',
  startDate: day('2025-01-01'),
  endDate: null,
  prorate: true,
});
const discount = (plan: string, applies = ''): DiscountRow => ({ row: 0, plan, kind: 'Percentage', applies, value: 10_000_000, scope: 'Number' });
const fmt = (format: string, field: string, column: string, transform = '', timeFormat = ''): CdrFormatRow => ({ row: 0, format, field, column, transform, timeFormat });

/** Days like `Mon-Fri`, `Sat,Sun`, `Sat,Sun,Hol`, `Hol`; times `HH:MM` (`24:00` ends the day). */
const band = (name: string, days: string, from: string, to: string): TimeBandRow => {
  const list = new Set<number>();
  let holiday = false;
  for (const part of days.split(',').map((p) => p.trim())) {
    if (part === 'Hol') {
      holiday = true;
      continue;
    }
    const [a, b] = part.split('-').map((x) => WEEKDAYS.indexOf(x as (typeof WEEKDAYS)[number]));
    for (let d = a; d <= (b ?? a); d++) list.add(d);
  }
  const minutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return { row: 0, timeBand: name, days: [...list].sort((x, y) => x - y), holiday, from: minutes(from), to: minutes(to) };
};

/** A clean workbook (no issues at all) with `over` replacing whole tabs; rows numbered from 2. */
function book(over: Partial<SheetRows> = {}): SheetRows {
  const rows: SheetRows = {
    settings: SETTINGS,
    customers: [customer('ACME'), customer('BETA')],
    numbers: [],
    destinations: [dest('447', 'UK Mobile'), dest('4420', 'London')],
    tariffs: [tariff('Business')],
    rates: [],
    tariffAssignments: [],
    timeBands: [],
    holidays: [],
    features: [],
    discounts: [],
    cdrFormats: [],
    ...over,
  };
  for (const list of Object.values(rows)) if (Array.isArray(list)) list.forEach((r: { row: number }, i) => (r.row ||= i + 2));
  return rows;
}

const check = (over: Partial<SheetRows> = {}): Issue[] => checkWorkbook(book(over));
const brief = (issues: Issue[]): [string, string, string][] => issues.map((i) => [i.severity, i.code, i.at ?? '']);

// ---------------------------------------------------------------------------------------------

describe('a clean workbook', () => {
  it('has no issues', () => {
    expect(check()).toEqual([]);
  });
  it('declares every code with its severity', () => {
    expect(CROSSCHECK_CODES.NUMBER_CLAIMED_TWICE).toBe('error');
    expect(CROSSCHECK_CODES.RATE_WINDOW_GAP).toBe('warning');
  });
});

describe('references', () => {
  it('needs every referenced Account, Tariff, Destination, TimeBand, DiscountPlan and NumberType', () => {
    const issues = check({
      customers: [customer('ACME', { tariff: 'Gold', discountPlan: 'P1' })],
      numbers: [num('NOPE', '442079460000', { numberType: 'Mars', discountPlan: 'P2' })],
      tariffAssignments: [assignment('GHOST', { tariff: 'Silver' })],
      features: [feature('PHANTOM')],
      rates: [rate({ tariff: 'Bronze', destination: 'Nowhere', timeBand: 'Night' })],
    });
    expect(issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.at, i.message])).toEqual([
      ['UNKNOWN_ACCOUNT', 'Numbers!A2', 'Account NOPE is not in Customers'],
      ['UNKNOWN_ACCOUNT', 'TariffAssignments!A2', 'Account GHOST is not in Customers'],
      ['UNKNOWN_ACCOUNT', 'Features!A2', 'Account PHANTOM is not in Customers'],
      ['UNKNOWN_TARIFF', 'Customers!N2', 'Tariff Gold is not in Tariffs'],
      ['UNKNOWN_TARIFF', 'Rates!A2', 'Tariff Bronze is not in Tariffs'],
      ['UNKNOWN_TARIFF', 'TariffAssignments!D2', 'Tariff Silver is not in Tariffs'],
      ['UNKNOWN_DESTINATION', 'Rates!B2', 'Destination Nowhere is not in Destinations'],
      ['UNKNOWN_TIMEBAND', 'Rates!C2', 'TimeBand Night is not in TimeBands (leave it blank for any time)'],
      ['UNKNOWN_PLAN', 'Customers!Q2', 'DiscountPlan P1 is not a Plan in Discounts'],
      ['UNKNOWN_PLAN', 'Numbers!O2', 'DiscountPlan P2 is not a Plan in Discounts'],
      ['UNKNOWN_NUMBER_TYPE', 'Numbers!E2', expect.stringMatching(/^NumberType Mars is not a Destination; name a Destination, or write AutoDetect/)],
    ]);
  });
  it('passes when every reference exists; NumberType may be blank, AutoDetect or a Destination', () => {
    expect(
      check({
        customers: [customer('ACME', { discountPlan: 'P1' }), customer('BETA')],
        numbers: [
          num('ACME', '442079460000', { discountPlan: 'P1' }),
          num('ACME', '442079460001', { numberType: 'AutoDetect' }),
          num('BETA', '448000000000', { numberType: 'London', direction: 'Inbound' }),
        ],
        tariffAssignments: [assignment('BETA', { tariff: 'Business' })],
        features: [feature('ACME')],
        rates: [rate({ timeBand: 'Peak' }), rate({ destination: 'London' })],
        timeBands: [band('Peak', 'Mon-Sun', '00:00', '24:00')],
        discounts: [discount('P1')],
      }),
    ).toEqual([]);
  });
  it('says which name differs only in case', () => {
    const issues = check({ numbers: [num('acme', '442079460000')] });
    expect(issues.map((i) => [i.code, i.at, i.message])).toEqual([['UNKNOWN_ACCOUNT', 'Numbers!A2', 'Account acme is not in Customers (did you mean "ACME"? names must match exactly)']]);
  });
  it('addresses cells by the real column positions when given', () => {
    const issues = checkWorkbook(book({ numbers: [num('NOPE', '442079460000')] }), { numbers: { account: 6 } });
    expect(issues.map((i) => i.at)).toEqual(['Numbers!G2']);
  });
});

describe('uniqueness', () => {
  it('refuses a repeated Account, Tariff or Prefix', () => {
    const issues = check({
      customers: [customer('ACME'), customer('ACME')],
      tariffs: [tariff('Business'), tariff('Business')],
      destinations: [dest('4420', 'London'), dest('4420', 'London Central'), dest('447', 'UK Mobile')],
    });
    expect(issues.map((i) => [i.code, i.at, i.message])).toEqual([
      ['DUPLICATE_ACCOUNT', 'Customers!A3', 'Account ACME appears twice: also at Customers!A2; each Account must be on one row only'],
      ['DUPLICATE_TARIFF', 'Tariffs!A3', 'Tariff Business appears twice: also at Tariffs!A2; each Tariff must be on one row only'],
      ['DUPLICATE_PREFIX', 'Destinations!A3', 'Prefix 4420 appears twice: also at Destinations!A2; each Prefix must be on one row only'],
    ]);
  });
  it('passes distinct values (a prefix inside another is no repeat)', () => {
    expect(check({ destinations: [dest('4420', 'London'), dest('44207', 'London Central'), dest('447', 'UK Mobile')] })).toEqual([]);
  });
});

describe('a number owned twice at once', () => {
  it('lets a number move: DroppedDate 2026-03-31, then the next owner\'s DateSold 2026-04-01', () => {
    expect(check({ numbers: [num('ACME', '442079460000', { dropped: '2026-03-31' }), num('BETA', '442079460000', { sold: '2026-04-01' })] })).toEqual([]);
  });
  it('refuses the next owner from the DroppedDate itself (the dropped day runs to 24:00)', () => {
    const issues = check({ numbers: [num('ACME', '442079460000', { dropped: '2026-03-31' }), num('BETA', '442079460000', { sold: '2026-03-31' })] });
    expect(issues).toEqual([
      {
        severity: 'error',
        code: 'NUMBER_CLAIMED_TWICE',
        message:
          '442079460000 is also claimed by Numbers!B2 (ACME, 2025-01-01..2026-03-31) on overlapping days (2026-03-31..2026-03-31); ' +
          "a number may move between customers, never be owned twice at once: end one row's DroppedDate the day before the other's DateSold",
        at: 'Numbers!B3',
      },
    ]);
  });
  it('takes the window from CallsStartDate when there is one', () => {
    expect(check({ numbers: [num('ACME', '442079460000', { dropped: '2026-03-31' }), num('BETA', '442079460000', { sold: '2026-03-01', calls: '2026-04-01' })] })).toEqual([]);
    const issues = check({ numbers: [num('ACME', '442079460000', { calls: '2026-05-01' }), num('BETA', '442079460000', { sold: '2026-03-01', dropped: '2026-05-01' })] });
    expect(brief(issues)).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
    expect(issues[0].message).toMatch(/^442079460000 is also claimed by Numbers!B2 \(ACME, 2026-05-01\.\.open\) on overlapping days \(2026-05-01\.\.2026-05-01\)/);
  });
  it('finds a number inside another row\'s range, and ranges that overlap in part', () => {
    const issues = check({
      numbers: [
        num('ACME', '442079460000', { rangeEnd: '442079460099' }),
        num('BETA', '442079460042'),
        num('BETA', '442079460090', { rangeEnd: '442079460199', sold: '2026-01-01' }),
      ],
    });
    expect(brief(issues)).toEqual([
      ['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3'],
      ['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B4'],
    ]);
    expect(issues[0].message).toMatch(/^442079460042 is also claimed by Numbers!B2 \(ACME, 2025-01-01\.\.open\)/);
    expect(issues[1].message).toMatch(/^442079460090-442079460099 \(10 numbers\) is also claimed by Numbers!B2 \(ACME, 2025-01-01\.\.open\) on overlapping days \(2026-01-01\.\.open\)/);
  });
  it('passes ranges side by side', () => {
    expect(check({ numbers: [num('ACME', '442079460000', { rangeEnd: '442079460099' }), num('BETA', '442079460100', { rangeEnd: '442079460199' }), num('BETA', '442079460200')] })).toEqual([]);
  });
  it('counts every AltCdrNumber as a claim, addressed at its cell', () => {
    const issues = check({
      numbers: [num('ACME', '442079460000', { rangeEnd: '442079460099' }), num('BETA', '442079461000', { altCdrNumbers: ['442079469999', '442079460050'] })],
    });
    expect(brief(issues)).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!L3']]);
    expect(issues[0].message).toMatch(/^442079460050 is also claimed by Numbers!B2 \(ACME/);
    // The alternate number named in the other row's cell.
    const other = check({ numbers: [num('ACME', '442079461000', { altCdrNumbers: ['442079460000'] }), num('BETA', '442079460000')] });
    expect(brief(other)).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
    expect(other[0].message).toMatch(/^442079460000 is also claimed by Numbers!L2 \(ACME/);
  });
  it('reports two rows once however many of their claims meet, and never a row against itself', () => {
    expect(check({ numbers: [num('ACME', '442079460000', { rangeEnd: '442079460099', altCdrNumbers: ['442079460005', '442079460000'] })] })).toEqual([]);
    const issues = check({ numbers: [num('ACME', '442079460000', { rangeEnd: '442079460099' }), num('BETA', '442079460001', { altCdrNumbers: ['442079460002', '442079460003'] })] });
    expect(brief(issues)).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
  });
  it('lets an Outbound and an Inbound row share a number', () => {
    expect(check({ numbers: [num('ACME', '442079460000', { direction: 'Outbound' }), num('BETA', '442079460000', { direction: 'Inbound' })] })).toEqual([]);
  });
  it('collides Both with either direction', () => {
    const inbound = check({ numbers: [num('ACME', '442079460000', { direction: 'Both' }), num('BETA', '442079460000', { direction: 'Inbound' })] });
    expect(brief(inbound)).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
    expect(inbound[0].message).toMatch(/on overlapping days \(2025-01-01\.\.open\) for inbound calls;/);
    const outbound = check({ numbers: [num('ACME', '442079460000', { direction: 'Outbound' }), num('BETA', '442079460000', { direction: 'Both' })] });
    expect(brief(outbound)).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
    const both = check({ numbers: [num('ACME', '442079460000', { direction: 'Both' }), num('BETA', '442079460000', { direction: 'Both' })] });
    expect(brief(both)).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
    expect(both[0].message).toMatch(/for outbound and inbound calls;/);
  });
  it('lets extensions share a number, but not the same extension twice', () => {
    expect(check({ numbers: [num('ACME', '442920180100'), num('ACME', '442920180100', { extension: '201' }), num('BETA', '442920180100', { extension: '202' })] })).toEqual([]);
    const issues = check({ numbers: [num('ACME', '442920180100', { extension: '201' }), num('BETA', '442920180100', { extension: '201', sold: '2025-06-01' })] });
    expect(brief(issues)).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
    expect(issues[0].message).toMatch(/^442920180100 extension 201 is also claimed by Numbers!B2 \(ACME, 2025-01-01\.\.open\)/);
  });
  it('compares numbers of different lengths as different numbers', () => {
    expect(check({ numbers: [num('ACME', '4420794600', { rangeEnd: '4420794699' }), num('BETA', '442079460000')] })).toEqual([]);
  });
  it('compares numbers longer than 15 digits exactly', () => {
    expect(check({ numbers: [num('ACME', '4420794600000001'), num('BETA', '4420794600000002')] })).toEqual([]);
    expect(brief(check({ numbers: [num('ACME', '4420794600000001'), num('BETA', '4420794600000001')] }))).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3']]);
  });
  it('ignores a row whose window is empty (DroppedDate before its first day is parse.ts\'s error)', () => {
    expect(check({ numbers: [num('ACME', '442079460000', { sold: '2026-05-01', dropped: '2026-04-01' }), num('BETA', '442079460000')] })).toEqual([]);
  });
  it('finds every collision of a long history without comparing owners that follow each other', () => {
    const numbers: NumberRow[] = [];
    for (let y = 2000; y < 2020; y++) numbers.push(num(y % 2 ? 'ACME' : 'BETA', '442079460000', { sold: `${y}-01-01`, dropped: `${y}-12-31` }));
    numbers.push(num('ACME', '442079460000', { rangeEnd: '442079469999', sold: '2019-06-01', dropped: '2019-06-30' }));
    numbers.push(num('BETA', '442079460000', { sold: '2005-07-01', dropped: '2005-07-01' }));
    const issues = check({ numbers });
    expect(issues.map((i) => i.at)).toEqual(['Numbers!B22', 'Numbers!B23']);
    expect(issues[0].message).toMatch(/^442079460000 is also claimed by Numbers!B21 \(ACME, 2019-01-01\.\.2019-12-31\) on overlapping days \(2019-06-01\.\.2019-06-30\)/);
    expect(issues[1].message).toMatch(/^442079460000 is also claimed by Numbers!B7 \(ACME, 2005-01-01\.\.2005-12-31\) on overlapping days \(2005-07-01\.\.2005-07-01\)/);
  });
  it(`lists at most ${MAX_CLAIM_ISSUES} collisions, then says so`, () => {
    const numbers = Array.from({ length: 50 }, () => num('ACME', '442079460000'));
    const issues = check({ numbers });
    expect(issues.filter((i) => i.code === 'NUMBER_CLAIMED_TWICE')).toHaveLength(MAX_CLAIM_ISSUES);
    expect(issues.at(-1)).toEqual({ severity: 'notice', code: 'TOO_MANY_ISSUES', message: expect.stringMatching(/^only the first 1,000 numbers claimed twice are listed/), at: 'Numbers' });
  });
  it('never throws on rows parse.ts would have refused', () => {
    const numbers = [
      num('ACME', '442079460099', { rangeEnd: '442079460000' }),
      num('ACME', '', { altCdrNumbers: ['', 'abc'] }),
      num('ACME', '44207946', { rangeEnd: '442079460000' }),
      num('BETA', '442079460099'),
    ];
    expect(brief(check({ numbers }))).toEqual([['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B5']]);
  });
});

describe('rates', () => {
  it('refuses rows of one slot whose effective windows overlap', () => {
    const issues = check({
      rates: [rate({ to: '2026-10-15' }), rate({ from: '2026-10-14', to: '2026-11-01' }), rate({ from: '2026-11-01' })],
    });
    expect(issues.map((i) => [i.severity, i.code, i.at, i.message])).toEqual([
      [
        'error',
        'RATE_WINDOWS_OVERLAP',
        'Rates!K3',
        "Tariff Business, Destination UK Mobile, band (blank), FromSecond 0: this row and Rates!K2 both apply on 2026-10-14; a call can have one price only: end the earlier row's EffectiveTo on the day the later one starts",
      ],
    ]);
  });
  it('finds an overlap with any earlier row, not just the one before', () => {
    const issues = check({ rates: [rate(), rate({ from: '2026-01-01', to: '2026-02-01' }), rate({ from: '2026-03-01', to: '2026-04-01' })] });
    expect(brief(issues)).toEqual([
      ['error', 'RATE_WINDOWS_OVERLAP', 'Rates!K3'],
      ['error', 'RATE_WINDOWS_OVERLAP', 'Rates!K4'],
    ]);
    expect(issues[1].message).toMatch(/this row and Rates!K2 both apply from 2026-03-01 to 2026-03-31;/);
  });
  it('passes windows that follow each other (EffectiveTo is exclusive), other slots, bands and tariffs', () => {
    expect(
      check({
        tariffs: [tariff('Business'), tariff('Home')],
        customers: [customer('ACME'), customer('BETA', { tariff: 'Home' })],
        timeBands: [band('Any', 'Mon-Sun', '00:00', '24:00')],
        rates: [
          rate({ to: '2026-10-15' }),
          rate({ from: '2026-10-15' }),
          rate({ fromSecond: 60 }),
          rate({ timeBand: 'Any' }),
          rate({ tariff: 'Home' }),
        ],
      }),
    ).toEqual([]);
  });
  it('warns about a gap between effective windows', () => {
    const issues = check({ rates: [rate({ from: '2026-01-01', to: '2026-06-01' }), rate({ from: '2026-06-15' })] });
    expect(issues.map((i) => [i.severity, i.code, i.at, i.message])).toEqual([
      [
        'warning',
        'RATE_WINDOW_GAP',
        'Rates!K3',
        'Tariff Business, Destination UK Mobile, band (blank) has no rate from 2026-06-01 to 2026-06-14: Rates!L2 ends it (EffectiveTo 2026-06-01, the first day without it) and this row starts 2026-06-15; calls on those dates get no price from this tariff',
      ],
    ]);
  });
  it('sees no gap where another row of the tariff, destination and band covers the dates', () => {
    expect(check({ rates: [rate({ to: '2026-06-01' }), rate({ from: '2026-06-15' }), rate({ fromSecond: 60 }), rate({ from: '2026-05-01', to: '2026-07-01' })] }).map((i) => i.code)).toEqual([
      'RATE_WINDOWS_OVERLAP',
      'RATE_WINDOWS_OVERLAP',
    ]);
  });
  it('needs a slot from second 0 on every date some slots apply', () => {
    const issues = check({ rates: [rate({ to: '2026-10-15' }), rate({ fromSecond: 60 })] });
    expect(issues.map((i) => [i.severity, i.code, i.at, i.message])).toEqual([
      [
        'error',
        'NO_FIRST_SLOT',
        'Rates!D3',
        'Tariff Business, Destination UK Mobile, band (blank) has no row from second 0 from 2026-10-15 on: its first slot there starts at second 60; add a row with FromSecond 0 (or blank) for those dates',
      ],
    ]);
    const only = check({ rates: [rate({ fromSecond: 30, from: '2026-01-01', to: '2026-01-02' }), rate({ fromSecond: 90, from: '2026-01-01', to: '2026-02-01' }), rate({ from: '2026-03-01' })] });
    expect(only.filter((i) => i.code === 'NO_FIRST_SLOT').map((i) => [i.at, i.message.replace(/^.*has no row from second 0 /, '')])).toEqual([
      ['Rates!D2', 'on 2026-01-01: its first slot there starts at second 30; add a row with FromSecond 0 (or blank) for those dates'],
      ['Rates!D3', 'from 2026-01-02 to 2026-01-31: its first slot there starts at second 90; add a row with FromSecond 0 (or blank) for those dates'],
    ]);
  });
  it('passes slots that all have their first slot', () => {
    expect(check({ rates: [rate({ to: '2026-10-15' }), rate({ fromSecond: 60, to: '2026-10-15' }), rate({ from: '2026-10-15' })] })).toEqual([]);
  });
  it('warns about a ConnectionFee, MinimumCharge or MaximumCharge on a later slot', () => {
    const issues = check({ rates: [rate({ connectionFee: 100_000, minimumCharge: 1 }), rate({ fromSecond: 60, connectionFee: 100_000, maximumCharge: 5_000_000 })] });
    expect(issues.map((i) => [i.severity, i.code, i.at])).toEqual([
      ['warning', 'FEE_ON_LATER_SLOT', 'Rates!F3'],
      ['warning', 'FEE_ON_LATER_SLOT', 'Rates!H3'],
    ]);
    expect(issues[0].message).toBe("ConnectionFee on the slot from second 60 is never charged: only the first slot's (FromSecond 0) ConnectionFee, MinimumCharge and MaximumCharge apply");
  });
});

describe('time bands', () => {
  const UK = [band('Peak', 'Mon-Fri', '08:00', '18:00'), band('OffPeak', 'Mon-Fri', '18:00', '08:00'), band('Weekend', 'Sat,Sun', '00:00', '24:00')];
  it('covers the week with a wrapping row and no overlap: Mon-Fri 18:00-08:00 stays on its own weekday', () => {
    expect(check({ timeBands: UK })).toEqual([]);
    // The wrap does not reach Saturday morning, so a Saturday band from 00:00 does not overlap it.
    expect(check({ timeBands: [...UK.slice(0, 2), band('Early', 'Sat', '00:00', '08:00'), band('Weekend', 'Sat', '08:00', '24:00'), band('Weekend', 'Sun', '00:00', '24:00')] })).toEqual([]);
  });
  it('refuses rows that overlap, naming the overlap compactly', () => {
    const issues = check({ timeBands: [...UK, band('Late', 'Fri', '17:00', '24:00'), band('Lunch', 'Mon-Fri', '12:00', '14:00')] });
    expect(issues.map((i) => [i.code, i.at, i.message])).toEqual([
      ['TIMEBANDS_OVERLAP', 'TimeBands!C5', 'Late overlaps Peak (TimeBands!C2) on Fri 17:00-18:00; a time must be in one band only'],
      ['TIMEBANDS_OVERLAP', 'TimeBands!C5', 'Late overlaps OffPeak (TimeBands!C3) on Fri 18:00-24:00; a time must be in one band only'],
      ['TIMEBANDS_OVERLAP', 'TimeBands!C6', 'Lunch overlaps Peak (TimeBands!C2) on Mon-Fri 12:00-14:00; a time must be in one band only'],
    ]);
  });
  it('sees both halves of a wrapping row', () => {
    const issues = check({ timeBands: [band('Night', 'Mon-Fri', '22:00', '06:00'), band('All', 'Mon', '00:00', '24:00')] });
    expect(issues.filter((i) => i.code === 'TIMEBANDS_OVERLAP').map((i) => i.message)).toEqual(['All overlaps Night (TimeBands!C2) on Mon 00:00-06:00, Mon 22:00-24:00; a time must be in one band only']);
  });
  it('checks Hol rows only against each other', () => {
    expect(check({ timeBands: [...UK, band('Holiday', 'Hol', '00:00', '24:00')] })).toEqual([]);
    const issues = check({ timeBands: [...UK, band('Holiday', 'Hol', '00:00', '24:00'), band('HolEve', 'Hol', '18:00', '24:00')] });
    expect(issues.map((i) => [i.code, i.at, i.message])).toEqual([['TIMEBANDS_OVERLAP', 'TimeBands!C6', 'HolEve overlaps Holiday (TimeBands!C5) on Hol 18:00-24:00; a time must be in one band only']]);
  });
  it('checks the weekday part of a row like Sat,Sun,Hol against weekdays and its Hol part against Hol rows', () => {
    const rows = [...UK.slice(0, 2), band('Weekend', 'Sat,Sun,Hol', '00:00', '24:00')];
    expect(check({ timeBands: rows })).toEqual([]);
    expect(check({ timeBands: [...rows, band('HolNight', 'Hol', '00:00', '06:00')] }).map((i) => [i.at, i.message])).toEqual([
      ['TimeBands!C5', 'HolNight overlaps Weekend (TimeBands!C4) on Hol 00:00-06:00; a time must be in one band only'],
    ]);
  });
  it('warns about minutes of the week in no band, compactly', () => {
    const issues = check({ timeBands: [band('Day', 'Mon-Fri', '08:00', '18:00'), band('Weekend', 'Sat', '08:00', '24:00'), band('Weekend', 'Sun', '00:00', '24:00')] });
    expect(issues).toEqual([
      {
        severity: 'warning',
        code: 'TIMEBANDS_UNCOVERED',
        message: 'TimeBands: Mon-Sat 00:00-08:00, Mon-Fri 18:00-24:00 are in no band; calls then take the Rates rows with a blank TimeBand',
        at: 'TimeBands',
      },
    ]);
    const one = check({ timeBands: [...UK.slice(0, 2), band('Weekend', 'Sat', '08:00', '24:00'), band('Weekend', 'Sun', '00:00', '24:00')] });
    expect(one.map((i) => i.message)).toEqual(['TimeBands: Sat 00:00-08:00 is in no band; calls then take the Rates rows with a blank TimeBand']);
  });
  it('counts only weekday parts as coverage, and says nothing when the tab is empty', () => {
    expect(check({ timeBands: [band('Holiday', 'Hol', '00:00', '24:00')] }).map((i) => i.message)).toEqual([
      'TimeBands: Mon-Sun 00:00-24:00 is in no band; calls then take the Rates rows with a blank TimeBand',
    ]);
    expect(check({ timeBands: [] })).toEqual([]);
  });
  it('reads From = To as the whole day', () => {
    expect(check({ timeBands: [band('All', 'Mon-Sun', '00:00', '00:00')] })).toEqual([]);
  });
});

describe('expressions', () => {
  it('compiles Applies with the Applies variables', () => {
    const issues = check({ discounts: [discount('P', 'clas == "National"'), discount('P', 'class == "National" or hour >= 18'), discount('P', 'import("fs")'), discount('P')] });
    expect(issues.map((i) => [i.code, i.at])).toEqual([
      ['EXPR_INVALID', 'Discounts!C2'],
      ['EXPR_INVALID', 'Discounts!C4'],
    ]);
    expect(issues[0].message).toMatch(/^Applies of plan P: unknown name "clas"/);
  });
  it('compiles Transform with value and the format\'s other columns', () => {
    const base = [fmt('pbx', 'start', 'Call Start'), fmt('pbx', 'caller', 'From'), fmt('pbx', 'called', 'To')];
    expect(check({ cdrFormats: [...base, fmt('pbx', 'duration', 'Mins', 'value * 60'), fmt('pbx', 'cost', 'Pence', 'number(value) / 100 + 0 * len(call_start) + 0 * len(from)')] })).toEqual([]);
    const issues = check({ cdrFormats: [...base, fmt('pbx', 'duration', 'Mins', 'value * 60 + billsec'), fmt('pbx', 'cost', 'Pence', 'evaluate("1")')] });
    expect(issues.map((i) => [i.code, i.at])).toEqual([
      ['EXPR_INVALID', 'CdrFormats!D5'],
      ['EXPR_INVALID', 'CdrFormats!D6'],
    ]);
    expect(issues[0].message).toMatch(/^Transform of format pbx, field duration: unknown name "billsec"/);
  });
  it('lets a Transform read a column the format gives by number as _N', () => {
    expect(check({ cdrFormats: [fmt('csv', 'start', '1'), fmt('csv', 'duration', '2', '_3 > 0 ? value : 0'), fmt('csv', 'caller', '3'), fmt('csv', 'called', '4')] })).toEqual([]);
  });
});

describe('CdrFormats formats', () => {
  const full = (name = 'pbx'): CdrFormatRow[] => [fmt(name, 'start', 'When'), fmt(name, 'duration', 'Secs'), fmt(name, 'caller', 'From'), fmt(name, 'called', 'To')];
  it('passes a format that maps start, duration, caller and called', () => {
    expect(check({ cdrFormats: [...full(), fmt('pbx', 'timezone', 'UTC'), fmt('pbx', 'id', 'Uid')] })).toEqual([]);
  });
  it('refuses a format missing a required field', () => {
    const issues = check({ cdrFormats: [fmt('pbx', 'start', 'When'), fmt('pbx', 'called', 'To')] });
    expect(issues.map((i) => [i.code, i.at, i.message])).toEqual([['FORMAT_INCOMPLETE', 'CdrFormats!B2', 'format pbx has no row for duration, caller; every format maps start, duration, caller, called']]);
  });
  it('refuses a field mapped twice, a bad time zone, TimeFormat or column number', () => {
    const rows = full();
    rows[0] = fmt('pbx', 'start', 'When', '', "dd/MM/yyyy 'at HH:mm");
    rows[1] = fmt('pbx', 'duration', '0');
    const issues = check({ cdrFormats: [...rows, fmt('pbx', 'caller', 'Caller'), fmt('pbx', 'timezone', 'Mars/Olympus')] });
    expect(issues.map((i) => [i.code, i.at])).toEqual([
      ['FORMAT_DUPLICATE_FIELD', 'CdrFormats!B6'],
      ['FORMAT_BAD_TIMEZONE', 'CdrFormats!C7'],
      ['FORMAT_BAD_TIMEFORMAT', 'CdrFormats!E2'],
      ['FORMAT_BAD_COLUMN', 'CdrFormats!C3'],
    ]);
  });
  it('warns about a format named like a built-in one', () => {
    expect(brief(check({ cdrFormats: full('asterisk') }))).toEqual([['warning', 'FORMAT_SHADOWED', 'CdrFormats!A2']]);
  });
});

describe('warnings', () => {
  it('warns about a customer with no tariff and no markup', () => {
    const issues = check({ customers: [customer('ACME'), customer('BETA', { tariff: '' })] });
    expect(issues.map((i) => [i.severity, i.code, i.at])).toEqual([['warning', 'NO_TARIFF_OR_MARKUP', 'Customers!N3']]);
    expect(issues[0].message).toMatch(/^BETA has no Tariff and no Markup/);
  });
  it('accepts a markup on Customers, or a tariff or markup on a TariffAssignments row', () => {
    expect(
      check({
        customers: [customer('ACME'), customer('BETA', { tariff: '', markup: 25_000_000 }), customer('GAMMA', { tariff: '' }), customer('DELTA', { tariff: '' })],
        tariffAssignments: [assignment('GAMMA', { callClass: 'International', markup: 25_000_000 }), assignment('DELTA', { number: '442079460000', tariff: 'Business' })],
      }),
    ).toEqual([]);
  });
  it('warns about a tariff nobody uses, and accepts one an assignment uses', () => {
    const issues = check({ tariffs: [tariff('Business'), tariff('Spare')] });
    expect(issues.map((i) => [i.severity, i.code, i.at, i.message])).toEqual([['warning', 'TARIFF_UNUSED', 'Tariffs!A3', 'no customer or TariffAssignments row uses Tariff Spare']]);
    expect(check({ tariffs: [tariff('Business'), tariff('Spare')], tariffAssignments: [assignment('ACME', { callClass: 'Mobile', tariff: 'Spare' })] })).toEqual([]);
  });
});

describe('robustness', () => {
  it('never throws: a row no parse could produce costs its own check, the others still run', () => {
    const broken = { ...customer('BETA'), discountPlan: undefined } as unknown as Customer;
    const issues = check({ customers: [customer('ACME'), broken], numbers: [num('ACME', '442079460000'), num('BETA', '442079460000')] });
    expect(brief(issues)).toEqual([
      ['error', 'CHECK_FAILED', ''],
      ['error', 'NUMBER_CLAIMED_TWICE', 'Numbers!B3'],
    ]);
    expect(issues[0].message).toMatch(/^the reference check failed: /);
  });
});

describe('size', () => {
  it('checks 100,000 numbers (5,000 ranges of 100), 20,000 destinations and 50,000 rates without expanding ranges (prints the time)', () => {
    const numbers: NumberRow[] = [];
    for (let i = 0; i < 5000; i++) {
      const first = 442070000000 + i * 100;
      numbers.push(num(i % 2 ? 'ACME' : 'BETA', String(first), { rangeEnd: String(first + 99), altCdrNumbers: [String(443000000000 + i)] }));
    }
    for (let i = 0; i < 95_000; i++) {
      // Every tenth number changed hands: dropped, then sold again the next day.
      if (i % 10 === 0) {
        numbers.push(num('ACME', String(441610000000 + i), { dropped: '2025-12-31', extension: i % 20 === 0 ? '201' : '' }));
        numbers.push(num('BETA', String(441610000000 + i), { sold: '2026-01-01', extension: i % 20 === 0 ? '201' : '', direction: 'Both' }));
        i++;
      }
      numbers.push(num('ACME', String(441610000000 + i), { direction: i % 3 ? 'Outbound' : 'Inbound' }));
    }
    const destinations: DestinationRow[] = [];
    for (let i = 0; i < 20_000; i++) destinations.push(dest(String(440000 + i), `Dest ${i}`));
    const rates: RateRow[] = [];
    for (let i = 0; i < 10_000; i++) {
      const d = `Dest ${i}`;
      rates.push(rate({ destination: d, to: '2026-01-01' }), rate({ destination: d, from: '2026-01-01' }), rate({ destination: d, fromSecond: 60 }));
      rates.push(rate({ destination: d, timeBand: 'Peak' }), rate({ destination: d, timeBand: 'OffPeak' }));
    }
    const rows = book({ numbers, destinations, rates, timeBands: [band('Peak', 'Mon-Fri', '08:00', '18:00'), band('OffPeak', 'Mon-Fri', '18:00', '08:00'), band('OffPeak', 'Sat,Sun', '00:00', '24:00')] });
    checkWorkbook(rows); // warm up
    const t0 = performance.now();
    const issues = checkWorkbook(rows);
    const ms = performance.now() - t0;
    console.log(`checkWorkbook: ${rows.numbers.length.toLocaleString('en-GB')} numbers, ${rows.destinations.length.toLocaleString('en-GB')} destinations, ${rows.rates.length.toLocaleString('en-GB')} rates in ${ms.toFixed(0)} ms`);
    expect(issues).toEqual([]);
  });
});
