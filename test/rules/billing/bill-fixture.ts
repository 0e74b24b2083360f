// Small workbooks and rated calls for the billing tests, with every field defaulted.

import type { RatedCall } from '../../../rules/cdr/cdr.js';
import { parseDayText, type Day } from '../../../rules/day.js';
import type { Customer, DiscountRow, FeatureRow, NumberRow, Settings, SheetRows } from '../../../rules/workbook/rows.js';

export const day = (iso: string): Day => {
  const d = parseDayText(iso);
  if (d === null) throw new Error(`bad test date ${iso}`);
  return d;
};
/** Micro-units from a decimal written as a number in a test. */
export const µ = (x: number): number => Math.round(x * 1_000_000);

export const settings = (over: Partial<Settings> = {}): Settings => ({
  currency: 'GBP',
  countryCode: '44',
  nationalPrefix: '0',
  internationalPrefix: '00',
  timezone: 'Europe/London',
  chargeDecimals: 4,
  rounding: 'HalfUp',
  bandSplit: 'Start',
  taxRate: µ(20),
  invoicePrefix: 'INV-',
  fraudMaxCallsPerMinute: 0,
  fraudShortCallSeconds: 0,
  fraudShortCallsPerDay: 0,
  billableDispositions: ['ANSWERED'],
  shortCodeDigits: 6,
  supplierName: 'Supplier Ltd',
  supplierAddress: '1 High Street',
  supplierVatNumber: 'GB1',
  supplierCompanyNumber: '1',
  ...over,
});

let row = 2;
export const customer = (account: string, over: Partial<Customer> = {}): Customer => ({
  row: row++,
  account,
  name: `${account} Ltd`,
  company: '',
  email: `${account.toLowerCase()}@example.com`,
  address: '1 Road',
  vatNumber: '',
  taxRate: null,
  accountType: 'Postpaid',
  creditLimit: null,
  paymentTermsDays: null,
  paymentMethod: 'DirectDebit',
  status: 'Active',
  archivedDate: null,
  tariff: 'T',
  markup: null,
  fallbackMarkup: null,
  discountPlan: '',
  invoiceNote: '',
  zeroInvoice: false,
  ...over,
});

export const numberRow = (account: string, number: string, over: Partial<NumberRow> = {}): NumberRow => ({
  row: row++,
  account,
  number,
  rangeEnd: '',
  extension: '',
  numberType: '',
  description: '',
  site: 'Main',
  status: 'Active',
  dateSold: day('2025-01-01'),
  callsStartDate: null,
  droppedDate: null,
  altCdrNumbers: [],
  direction: 'Outbound',
  fallbackMarkup: null,
  discountPlan: '',
  ...over,
});

export const feature = (account: string, number: string, name: string, amount: number, over: Partial<FeatureRow> = {}): FeatureRow => ({
  row: row++,
  account,
  number,
  feature: name,
  kind: 'Recurring',
  amount: µ(amount),
  quantity: 1,
  interval: 'Monthly',
  startDate: day('2025-01-01'),
  endDate: null,
  prorate: true,
  ...over,
});

export const discount = (plan: string, kind: DiscountRow['kind'], value: number, over: Partial<DiscountRow> = {}): DiscountRow => ({
  row: row++,
  plan,
  kind,
  applies: '',
  value: µ(value),
  scope: 'Number',
  ...over,
});

export const workbook = (over: Partial<SheetRows> = {}): SheetRows => ({
  settings: settings(),
  customers: [],
  numbers: [],
  destinations: [],
  tariffs: [{ row: 2, tariff: 'T', description: '', fallbackMarkup: null, chargeDecimals: null, rounding: null }],
  rates: [],
  tariffAssignments: [],
  timeBands: [],
  holidays: [],
  features: [],
  discounts: [],
  cdrFormats: [],
  ...over,
});

let line = 2;
/** A rated call at a London local time (`2026-10-03 14:00:00`). */
export const call = (account: string, number: string, local: string, billed: number, charge: number, over: Partial<RatedCall> = {}): RatedCall => {
  const naive = Date.parse(local.replace(' ', 'T') + 'Z');
  // Europe/London: BST (UTC+1) from the last Sunday of March to the last Sunday of October.
  const bst = naive >= Date.parse('2026-03-29T01:00:00Z') && naive < Date.parse('2026-10-25T01:00:00Z');
  return {
    file: 'calls.csv',
    line: line++,
    id: `c${line}`,
    startMs: naive - (bst ? 3_600_000 : 0),
    direction: 'out',
    caller: number,
    called: '442079460000',
    extension: '',
    account,
    number,
    site: 'Main',
    destination: 'UK Geographic',
    callClass: 'National',
    band: 'Peak',
    tariff: 'T',
    duration: billed,
    billedSeconds: billed,
    charge: µ(charge),
    chargeDecimals: 4,
    cost: null,
    method: 'rate',
    ...over,
  };
};
