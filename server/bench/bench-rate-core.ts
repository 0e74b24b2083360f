// `npx tsx server/bench-rate-core.ts [calls]`: the pure rating core alone (SPEC §2 steps 3–4 and
// 6–10: owner, destination, band, tariff chain, slot walk, rounding) — no file reading, parsing,
// mediation, dedupe, fraud or writing. Builds a model of 100,000 Numbers rows (5,000 of them ranges
// of 100), 20,000 destinations and 50,000 rates, rates 1,000,000 synthetic Cdr objects made
// beforehand, and prints calls/s (best of three passes). The headline figure is the worst case:
// owners and destinations drawn uniformly, so nearly every call misses the CPU caches. A second
// figure draws them skewed, as real traffic is (a few numbers make most calls, to a few hundred
// destinations). About 10% of the calls end as exceptions, whose details cost more than a rating.

import type { Cdr } from '../../rules/cdr/cdr.js';
import { dayFromYmd } from '../../rules/day.js';
import { rateCall } from '../../rules/rating/rate.js';
import { buildRatingModel } from '../../rules/rating/rating-model.js';
import type { Customer, DestinationRow, NumberRow, RateRow, Settings, SheetRows, TariffAssignmentRow, TariffRow, TimeBandRow } from '../../rules/workbook/rows.js';
import { localToUtc } from '../../rules/zone.js';
import { seededRandom } from '../../workbooks/seeded-random.js';

const CALLS = Number(process.argv[2] ?? 1_000_000);

/** The same calls every run. */
const rnd = seededRandom(0x2f6b_1d3c);
const pick = (n: number): number => Math.floor(rnd() * n);
const digits = (n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(pick(10));
  return s;
};

const settings: Settings = {
  currency: 'GBP', countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', timezone: 'Europe/London',
  chargeDecimals: 4, rounding: 'HalfUp', bandSplit: 'Start', taxRate: 20_000_000, invoicePrefix: 'INV-',
  fraudMaxCallsPerMinute: 0, fraudShortCallSeconds: 0, fraudShortCallsPerDay: 0, billableDispositions: ['ANSWERED'],
  shortCodeDigits: 6, supplierName: 'Bench', supplierAddress: '', supplierVatNumber: '', supplierCompanyNumber: '',
};

function buildRows(): SheetRows {
  const TARIFFS = ['Standard', 'Business'];
  const customers: Customer[] = [];
  for (let i = 0; i < 5_000; i++) {
    customers.push({
      row: i + 2, account: `C${String(i).padStart(5, '0')}`, name: `Customer ${i}`, company: '', email: 'a@b.c', address: '', vatNumber: '',
      taxRate: null, accountType: 'Postpaid', creditLimit: null, paymentTermsDays: null, paymentMethod: null, status: 'Active', archivedDate: null,
      tariff: TARIFFS[i % 2], markup: i % 10 === 0 ? 15_000_000 : null, fallbackMarkup: 25_000_000, discountPlan: '', invoiceNote: '', zeroInvoice: false,
    });
  }
  const sold = dayFromYmd(2025, 1, 1);
  const numbers: NumberRow[] = [];
  const row = (i: number, number: string, rangeEnd: string, direction: NumberRow['direction'], extension = ''): NumberRow => ({
    row: i + 2, account: customers[i % customers.length].account, number, rangeEnd, extension, numberType: '', description: '', site: `Site ${i % 7}`,
    status: 'Active', dateSold: sold, callsStartDate: null, droppedDate: null, altCdrNumbers: i % 50 === 0 ? [`44330${String(i).padStart(7, '0')}`] : [],
    direction, fallbackMarkup: null, discountPlan: '',
  });
  // 95,000 single numbers (every 20th owns both directions), 5,000 ranges of 100.
  for (let i = 0; i < 95_000; i++) numbers.push(row(i, `44207${String(i * 3).padStart(7, '0')}`, '', i % 20 === 0 ? 'Both' : 'Outbound'));
  for (let j = 0; j < 5_000; j++) {
    const start = `44161${String(j * 1_000).padStart(7, '0')}`;
    numbers.push(row(95_000 + j, start, `44161${String(j * 1_000 + 99).padStart(7, '0')}`, 'Both'));
  }
  // A PBX: one number with extensions and a catch-all.
  numbers.push(row(100_000, '441130000000', '', 'Outbound', '201'));
  const destinations: DestinationRow[] = [];
  const seen = new Set<string>();
  const classes = ['National', 'Mobile', 'International', 'NonGeographic'] as const;
  while (destinations.length < 20_000) {
    const prefix = destinations.length < 8_000 ? `44${digits(2 + pick(4))}` : `${1 + pick(9)}${digits(1 + pick(5))}`;
    if (seen.has(prefix) || prefix.startsWith('440')) continue;
    seen.add(prefix);
    destinations.push({ row: destinations.length + 2, prefix, destination: `D${destinations.length}`, callClass: classes[destinations.length % 4] });
  }
  destinations.push({ row: destinations.length + 2, prefix: '999', destination: 'Emergency', callClass: 'ServiceNumbers' });
  const timeBands: TimeBandRow[] = [
    { row: 2, timeBand: 'Peak', days: [0, 1, 2, 3, 4], holiday: false, from: 480, to: 1080 },
    { row: 3, timeBand: 'OffPeak', days: [0, 1, 2, 3, 4], holiday: false, from: 1080, to: 480 },
    { row: 4, timeBand: 'Weekend', days: [5, 6], holiday: true, from: 0, to: 1440 },
  ];
  const rates: RateRow[] = [];
  const rate = (tariff: string, destination: string, timeBand: string, perMinute: number, extra: Partial<RateRow> = {}): RateRow => ({
    row: rates.length + 2, tariff, destination, timeBand, fromSecond: 0, perMinute, connectionFee: null, minimumCharge: null, maximumCharge: null,
    initialSeconds: null, incrementSeconds: null, effectiveFrom: null, effectiveTo: null, ...extra,
  });
  // Standard: every destination, blank band (20,000). Business: every destination in Peak and
  // OffPeak for 12,000 of them, with 60/1 increments, a fee and a second slot for a few (30,000).
  for (const d of destinations) rates.push(rate('Standard', d.destination, '', 10_000 + pick(200_000), { initialSeconds: 60, incrementSeconds: 60 }));
  for (let i = 0; rates.length < 50_000; i++) {
    const d = destinations[i % destinations.length];
    if (i < destinations.length - 6_000) {
      rates.push(rate('Business', d.destination, 'Peak', 20_000 + pick(100_000), { connectionFee: 5_000, initialSeconds: 60, incrementSeconds: 1 }));
      rates.push(rate('Business', d.destination, 'OffPeak', 5_000 + pick(50_000), { connectionFee: 5_000 }));
    } else {
      rates.push(rate('Business', d.destination, '', 15_000, { effectiveTo: dayFromYmd(2026, 10, 15) }));
      rates.push(rate('Business', d.destination, '', 12_000, { effectiveFrom: dayFromYmd(2026, 10, 15), minimumCharge: 1_000 }));
      rates.push(rate('Business', d.destination, '', 6_000, { effectiveFrom: dayFromYmd(2026, 10, 15), fromSecond: 300, incrementSeconds: 60 }));
    }
  }
  const tariffs: TariffRow[] = TARIFFS.map((t, i) => ({ row: i + 2, tariff: t, description: '', fallbackMarkup: null, chargeDecimals: i === 0 ? 4 : 2, rounding: null }));
  const tariffAssignments: TariffAssignmentRow[] = [];
  for (let i = 0; i < 2_000; i++) {
    tariffAssignments.push({ row: i + 2, account: customers[i].account, number: '', callClass: 'Mobile', tariff: 'Standard', markup: null });
  }
  for (let i = 0; i < 1_000; i++) {
    tariffAssignments.push({ row: 2_002 + i, account: numbers[i * 37].account, number: numbers[i * 37].number, callClass: '', tariff: 'Business', markup: 5_000_000 });
  }
  return {
    settings, customers, numbers, destinations, tariffs, rates, tariffAssignments, timeBands,
    holidays: [{ row: 2, date: dayFromYmd(2026, 10, 26), name: 'Bench holiday' }],
    features: [], discounts: [], cdrFormats: [],
  };
}

/** Uniform in [0, n), or skewed (a power law over a fixed shuffle, so popular rows are not neighbours). */
const draw = (n: number, skew: boolean): number => (skew ? (Math.floor(n * rnd() ** 4) * 7_919) % n : pick(n));

function buildCalls(rows: SheetRows, n: number, skew: boolean): Cdr[] {
  const calls: Cdr[] = [];
  const base = Date.UTC(2026, 9, 1);
  const singles = 95_000;
  const dests = rows.destinations;
  for (let i = 0; i < n; i++) {
    const r = rnd();
    let owner: string;
    if (r < 0.6) owner = `44207${String(draw(singles, skew) * 3).padStart(7, '0')}`;
    else if (r < 0.95) owner = `44161${String(draw(5_000, skew) * 1_000 + pick(100)).padStart(7, '0')}`;
    else if (r < 0.97) owner = `44330${String(draw(2_000, skew) * 50).padStart(7, '0')}`;
    else if (r < 0.99) owner = `44207${String(pick(singles) * 3 + 1).padStart(7, '0')}`; // nobody's: UNKNOWN_NUMBER
    else owner = '441130000000';
    const inbound = r >= 0.6 && r < 0.7;
    const d = dests[draw(dests.length, skew)];
    const other = d.callClass === 'ServiceNumbers' ? d.prefix : d.prefix + digits(Math.max(0, 12 - d.prefix.length));
    const local = base + pick(31 * 86_400) * 1_000;
    const startMs = localToUtc('Europe/London', local).utcMs;
    const duration = pick(20) === 0 ? 0 : 1 + pick(600);
    calls.push({
      kind: 'cdr', file: 'bench.csv', line: i + 2, id: `b${i}`, startMs, duration, answered: duration > 0,
      caller: inbound ? other : owner, called: inbound ? owner : other,
      callerN: inbound ? other : owner, calledN: inbound ? owner : other, calledShort: !inbound && d.callClass === 'ServiceNumbers',
      extension: owner === '441130000000' ? (pick(2) ? '201' : '202') : '', direction: inbound ? 'in' : 'out',
      cost: pick(3) === 0 ? null : pick(50_000),
    });
  }
  return calls;
}

function run(label: string, calls: Cdr[]): number {
  let best = Infinity;
  for (let pass = 1; pass <= 3; pass++) {
    let rated = 0;
    let charge = 0;
    const reasons = new Map<string, number>();
    const s = performance.now();
    for (let i = 0; i < calls.length; i++) {
      const r = rateCall(model, calls[i]);
      if (r.kind === 'rated') {
        rated++;
        charge += r.call.charge;
      } else reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    }
    const ms = performance.now() - s;
    best = Math.min(best, ms);
    const why = [...reasons].map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`${label} pass ${pass}: ${Math.round(ms)} ms, ${Math.round((calls.length * 1000) / ms).toLocaleString('en-GB')} calls/s; rated ${rated}, charge ${charge} micro; ${why}`);
  }
  return Math.round((calls.length * 1000) / best);
}

const t0 = performance.now();
const rows = buildRows();
const t1 = performance.now();
const model = buildRatingModel(rows);
const t2 = performance.now();
console.log(`rows built in ${Math.round(t1 - t0)} ms; model built in ${Math.round(t2 - t1)} ms`);
const uniform = run('uniform', buildCalls(rows, CALLS, false));
const skewed = run('skewed ', buildCalls(rows, CALLS, true));
console.log(`rating core, ${CALLS.toLocaleString('en-GB')} calls, best of 3: ${uniform.toLocaleString('en-GB')} calls/s uniform (worst case), ${skewed.toLocaleString('en-GB')} calls/s skewed`);
