// Canned answers in SPEC §7's shapes for the review screens' component tests: a run's exceptions
// by reason and rows, a what-if, bills with their files, search answers and a number's page.

import { parseGridQuery } from '../../server/grids/grid-query.js';
import { pageRows } from '../../server/grids/row-grid.js';
import type { Bill, NumberPage, ReasonRow, SearchAnswer, WhatIf } from '../../web-components/review-types.js';
import { EXCEPTION_COLUMNS } from '../../web-components/run-columns.js';

type Row = Record<string, string | number | null>;

export const REASONS: ReasonRow[] = [
  { reason: 'INVALID_RECORD', count: 7, seconds: 240, cost: '0.0000', fix: 'Fix the CDR export (the detail names the field), or correct the line and rate it again.' },
  { reason: 'DUPLICATE', count: 0, seconds: 0, cost: '0.0000', fix: 'Usually nothing: the switch sent the record twice.' },
  { reason: 'UNKNOWN_NUMBER', count: 2, seconds: 165, cost: '0.0170', fix: 'Add the number, or a range holding it, to Numbers with its customer.' },
  { reason: 'SUSPECTED_FRAUD', count: 49, seconds: 251, cost: '0.2090', fix: 'Check with the customer; release the calls if they are genuine.' },
  { reason: 'NO_TARIFF', count: 43, seconds: 5797, cost: '3.0685', fix: 'Give the customer a Tariff or Markup (Customers or TariffAssignments).' },
  { reason: 'NO_RATE', count: 25, seconds: 3117, cost: '1234.8249', fix: 'Add a Rates row for the tariff, destination and band, or a FallbackMarkup.' },
];

/** exceptions.csv rows matching REASONS' counts. */
export function exceptionRows(): Row[] {
  const rows: Row[] = [];
  let line = 1;
  for (const r of REASONS) {
    for (let i = 0; i < r.count; i++) {
      line++;
      rows.push({ file: 'sample-calls.csv', line, id: `nwv-${String(line).padStart(6, '0')}`, start: '2026-10-09T16:03:05+01:00', caller: '441134960090', called: '441173212630', duration: 30 + i, reason: r.reason, detail: `${r.reason} detail ${i}` });
    }
  }
  return rows;
}

const EXCEPTION_NUMERIC = new Set(EXCEPTION_COLUMNS.filter((c) => c.numeric).map((c) => c.key));

/** A grid page of exception rows, as the server answers one. */
export function exceptionPage(url: string, rows: Row[]): { total: number; rows: Row[] } {
  return pageRows(rows, parseGridQuery(url, EXCEPTION_COLUMNS.map((c) => c.key), EXCEPTION_NUMERIC), EXCEPTION_NUMERIC);
}

const change = (before: string, after: string, change: string, callsBefore: number, callsAfter: number) => ({ before, after, change, callsBefore, callsAfter });

export const WHATIF_1_2: WhatIf = {
  run: 1,
  runVersion: 1,
  version: 2,
  before: { input: 3235, rated: 3049, exceptions: 186, byReason: { NO_TARIFF: 43, UNKNOWN_NUMBER: 2, NO_RATE: 25 }, charge: '1348.9474', cost: '123.6415' },
  after: { input: 3235, rated: 3092, exceptions: 143, byReason: { UNKNOWN_NUMBER: 1, NO_RATE: 26 }, charge: '1352.2156', cost: '124.243' },
  byCustomer: [
    { account: 'IVY09', ...change('0.00', '3.2082', '3.2082', 0, 42) },
    { account: 'BRIGHT02', ...change('34.221', '34.281', '0.06', 273, 274) },
    { account: 'ACME01', ...change('1168.3393', '1168.3003', '-0.039', 1395, 1395) },
  ],
  byClass: [
    { class: 'Mobile', ...change('60.8146', '62.3122', '1.4976', 733, 742) },
    { class: 'Inbound', ...change('6.1944', '6.1944', '0.00', 160, 160) },
  ],
  byDestination: [{ destination: 'UK Mobile', ...change('60.8146', '62.3122', '1.4976', 733, 742) }],
};

const invoices = [
  { invoice: 'NWV-000001', account: 'ACME01', net: '1519.91', tax: '303.98', total: '1823.89' },
  { invoice: 'NWV-000002', account: 'BRIGHT02', net: '48.71', tax: '9.74', total: '58.45' },
];

export const BILL_DRAFT: Bill = {
  period: '2026-10',
  status: 'draft',
  invoices,
  net: '1568.62',
  tax: '313.72',
  total: '1882.34',
  currency: 'GBP',
  createdBy: 'bob',
  createdAt: '2026-11-02T09:00:00.000Z',
  version: 1,
  runs: [1],
  files: ['invoices.csv', 'invoice_lines.csv', 'margin_by_customer.csv', 'margin_by_destination.csv', 'margin_by_class.csv', 'loss_making_calls.csv', 'housekeeping.csv', 'reports.xlsx', 'invoices/NWV-000001.html', 'invoices/NWV-000001.xlsx', 'invoices/NWV-000002.html', 'invoices/NWV-000002.xlsx'],
  waitingCalls: 29,
  duplicates: 0,
};

export const BILL_SEPTEMBER: Bill = { ...BILL_DRAFT, period: '2026-09', status: 'final', invoices: [invoices[1]], net: '48.71', tax: '9.74', total: '58.45', createdBy: 'alice' };

export const MARGIN_BY_CUSTOMER = `account,calls,seconds,charge,cost,margin,margin_percent,calls_without_cost
ACME01,1395,187699,1168.3393,60.8505,1107.4888,94.79,0
"BRIGHT02, Ltd",273,34610,34.2210,37.9792,-3.7582,-10.98,2
`;

export const MARGIN_BY_CLASS = `class,calls,seconds,charge,cost,margin,margin_percent,calls_without_cost
Mobile,733,90000,60.8146,20.1,40.7146,66.95,0
`;

export const HOUSEKEEPING = `check,subject,detail
Customer without a tariff,IVY09,Ivy Lane Florist: calls will not rate (NO_TARIFF)
`;

export const invoicePageHtml = (invoice: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${invoice}</title><style>body{font-family:sans-serif}</style></head><body><h1>Invoice (DRAFT)</h1><p class="number">${invoice}</p><p>Amount due 623.89 GBP</p></body></html>`;

export const SEARCH_0113: SearchAnswer = {
  version: 1,
  customers: [{ account: 'ACME01', name: 'Acme Widgets', company: 'Acme Widgets Ltd', status: 'Active', numberRows: 3 }],
  numbers: [
    { account: 'ACME01', name: 'Acme Widgets', company: 'Acme Widgets Ltd', number: '441134960000', rangeEnd: '', extension: '', site: 'Leeds', status: 'Active', row: 3, matched: '441134960000' },
    { account: 'ACME01', name: 'Acme Widgets', company: 'Acme Widgets Ltd', number: '442079460000', rangeEnd: '442079460099', extension: '', site: 'London HQ', status: 'Active', row: 2, matched: '442079460013' },
  ],
  more: false,
};

export const NUMBER_COLUMNS = ['Row', 'Account', 'Number', 'RangeEnd', 'Extension', 'NumberType', 'Description', 'Site', 'Status', 'DateSold', 'Name', 'Company', 'Address', 'CustomerStatus', 'Tariffs'];

export function numberRows(count: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      Row: i + 2,
      Account: `CUST${String(i % 7).padStart(2, '0')}`,
      Number: `4411349${String(i).padStart(5, '0')}`,
      RangeEnd: '',
      Extension: '',
      NumberType: '',
      Description: `Line ${i}`,
      Site: i % 2 ? 'Leeds' : 'London',
      Status: 'Active',
      DateSold: '2026-01-01',
      Name: `Customer ${i % 7}`,
      Company: `Company ${i % 7} Ltd`,
      Address: `${i} High Street, Leeds, LS1 ${i % 9}AB`,
      CustomerStatus: 'Active',
      Tariffs: i % 3 ? 'Standard' : 'Business',
    });
  }
  return rows;
}

export const NUMBER_PAGE: NumberPage = {
  version: 1,
  number: '441134960000',
  rows: [
    {
      match: 'number',
      number: { Row: 3, Account: 'ACME01', Number: '441134960000', RangeEnd: '', Description: 'Leeds office main line', Site: 'Leeds', Status: 'Active', DateSold: '2026-10-06', Name: 'Acme Widgets', CustomerStatus: 'Active', Tariffs: 'Standard' },
      customer: { Row: 2, Account: 'ACME01', Name: 'Acme Widgets', Company: 'Acme Widgets Ltd', Address: '12 Tower Street, London, EC3R 5BT', Email: 'accounts@acme-widgets.example', Status: 'Active', Tariff: 'Business' },
      tariffs: [
        { callClass: 'National', tariff: 'Standard', markup: null, fallbackMarkup: null, chargeDecimals: 4, rounding: 'HalfUp' },
        { callClass: 'Mobile', tariff: null, markup: '12.5%', fallbackMarkup: '10%', chargeDecimals: 2, rounding: 'Up' },
      ],
      assignments: [{ Row: 3, Account: 'ACME01', Number: '441134960000', CallClass: '', Tariff: 'Standard', Markup: '' }],
    },
  ],
};

/** rated.csv rows of two numbers, for the number page's recent calls. */
export function recentRated(run: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 8; i++) {
    rows.push({ file: `run${run}.csv`, line: i + 2, id: `r${run}-${i}`, start: `2026-10-${String(10 + i).padStart(2, '0')}T10:00:00+01:00`, direction: 'out', caller: '441134960000', called: '447700900123', extension: '', account: 'ACME01', number: i % 2 ? '441134960000' : '4411349600001', site: 'Leeds', destination: 'UK Mobile', class: 'Mobile', band: 'Peak', tariff: 'Standard', duration: 60 + i, billed_seconds: 60 + i, charge: `${run}234.5${i}`, cost: '0.01', method: 'rate' });
  }
  return rows;
}
