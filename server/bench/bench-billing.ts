// The billing benchmark's month: 10,000 customers, 100,000 numbers, 300,000 features and
// 2,000,000 rated calls, built in memory (the run, not the building, is measured).

import type { RatedCall } from '../../rules/cdr/cdr.js';
import { dayFromYmd } from '../../rules/day.js';
import type { Customer, FeatureRow, NumberRow, SheetRows } from '../../rules/workbook/rows.js';

const settings: SheetRows['settings'] = {
  currency: 'GBP', countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', timezone: 'Europe/London', chargeDecimals: 4,
  rounding: 'HalfUp', bandSplit: 'Start', taxRate: 20_000_000, invoicePrefix: 'INV-', fraudMaxCallsPerMinute: 0, fraudShortCallSeconds: 0,
  fraudShortCallsPerDay: 0, billableDispositions: ['ANSWERED'], shortCodeDigits: 6, supplierName: 'Bench Ltd', supplierAddress: '1 Road',
  supplierVatNumber: 'GB1', supplierCompanyNumber: '1',
};

export function benchBillingMonth(customers = 10_000, numbers = 100_000, calls = 2_000_000): { rows: SheetRows; calls: RatedCall[] } {
  const sold = dayFromYmd(2025, 1, 1);
  const cs: Customer[] = [];
  for (let i = 0; i < customers; i++) {
    cs.push({
      row: i + 2, account: `C${String(i).padStart(6, '0')}`, name: `Customer ${i}`, company: '', email: `c${i}@example.com`, address: `${i} Road`,
      vatNumber: '', taxRate: null, accountType: 'Postpaid', creditLimit: null, paymentTermsDays: 30, paymentMethod: 'DirectDebit', status: 'Active',
      archivedDate: null, tariff: 'T', markup: null, fallbackMarkup: null, discountPlan: i % 2 === 0 ? 'BUNDLE' : 'PCT', invoiceNote: '', zeroInvoice: false,
    });
  }
  const ns: NumberRow[] = [];
  const fs: FeatureRow[] = [];
  for (let i = 0; i < numbers; i++) {
    const account = cs[i % customers].account;
    const number = `44161${String(i).padStart(7, '0')}`;
    ns.push({
      row: i + 2, account, number, rangeEnd: '', extension: '', numberType: '', description: '', site: `Site ${i % 3}`, status: i % 50 === 0 ? 'Suspended' : 'Active',
      dateSold: sold, callsStartDate: null, droppedDate: i % 40 === 0 ? dayFromYmd(2026, 10, 12) : null, altCdrNumbers: [], direction: 'Outbound', fallbackMarkup: null, discountPlan: '',
    });
    for (const [feature, amount] of [['Line rental', 12_500_000], ['Caller display', 2_000_000], ['Voicemail', 3_000_000]] as const) {
      fs.push({ row: fs.length + 2, account, number, feature, kind: 'Recurring', amount, quantity: 1, interval: 'Monthly', startDate: i % 7 === 0 ? dayFromYmd(2026, 10, 9) : sold, endDate: null, prorate: true });
    }
  }
  const cl: RatedCall[] = [];
  const start = Date.UTC(2026, 9, 1) - 3_600_000;
  for (let i = 0; i < calls; i++) {
    const n = ns[(i * 7919) % numbers];
    const duration = (i * 37) % 900;
    const cost = duration * 200;
    cl.push({
      file: 'bench.csv', line: i + 2, id: `b${i}`, startMs: start + Math.floor((i / calls) * 30 * 86_400_000), direction: 'out', caller: n.number,
      called: '447700900123', extension: '', account: n.account, number: n.number, site: n.site, destination: i % 3 === 0 ? 'UK Mobile' : 'UK Geographic',
      callClass: i % 3 === 0 ? 'Mobile' : 'National', band: i % 2 ? 'Peak' : 'OffPeak', tariff: 'T', duration, billedSeconds: duration,
      charge: duration * (i % 3 === 0 ? 700 : 300), chargeDecimals: 4, cost: i % 10 === 0 ? cost * 3 : cost, method: 'rate',
    });
  }
  const rows: SheetRows = {
    settings, customers: cs, numbers: ns, destinations: [], tariffs: [{ row: 2, tariff: 'T', description: '', fallbackMarkup: null, chargeDecimals: null, rounding: null }],
    rates: [], tariffAssignments: [], timeBands: [], holidays: [], features: fs,
    discounts: [
      { row: 2, plan: 'BUNDLE', kind: 'InclusiveMinutes', applies: 'class == "National" or class == "Mobile"', value: 300_000_000, scope: 'Account' },
      { row: 3, plan: 'PCT', kind: 'Percentage', applies: 'class == "Mobile"', value: 5_000_000, scope: 'Number' },
    ],
    cdrFormats: [],
  };
  return { rows, calls: cl };
}
