// rateCall = owner (steps 3–4) then price (steps 6–10): from workbook cells through parse and
// compile to a rated call, and properties that hold for any rate: a charge is never negative, never
// falls as a call grows, and is the exact price rounded once.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Cdr } from '../../../rules/cdr/cdr.js';
import { compileWorkbook } from '../../../rules/workbook/compile.js';
import { divRoundBig, formatMicro, type Rounding } from '../../../rules/money.js';
import { rateCall } from '../../../rules/rating/rate.js';
import type { RatingModel } from '../../../rules/rating/rating-model.js';
import type { RawSheet } from '../../../rules/workbook/raw.js';
import type { RateRow } from '../../../rules/workbook/rows.js';
import { cdr, customer, model, numberRow, outcome, rate, rated, settings, tariff, UK_BANDS, UK_DESTINATIONS } from './fixture-model.js';
import { settingsSheet, sheet, workbook, type Plain } from '../workbook/raw-builder.js';

const A = '020 7946 0000';
const GEO = '0161 496 1234';
const MON = '2026-10-05 10:00:00';

describe('rateCall', () => {
  const m = model({
    customers: [customer('ACME')],
    numbers: [numberRow('ACME', A)],
    destinations: UK_DESTINATIONS,
    tariffs: [tariff('Business')],
    rates: [rate('Business', 'UK Geographic', '0.06')],
  });

  it('finds the owner, then prices the call', () => {
    const r = rateCall(m, cdr(A, GEO, MON, 90));
    // 0.06 × 90 / 60 = 0.09
    expect(r.kind === 'rated' && [r.call.account, r.call.destination, formatMicro(r.call.charge, 4)]).toEqual(['ACME', 'UK Geographic', '0.0900']);
  });

  it('stops at the first step that fails', () => {
    expect(outcome(m, cdr('020 7946 9999', '+882 16 978120', MON, 90))).toBe('UNKNOWN_NUMBER: add 442079469999 to Numbers');
    expect(outcome(m, cdr(A, '+882 16 978120', MON, 90))).toBe('UNKNOWN_DESTINATION: no Destinations prefix matches 88216978120: add its prefix to Destinations');
    expect(outcome(m, cdr(A, '07700 900123', MON, 90))).toBe('NO_RATE: Rates: no row for Tariff Business, Destination UK Mobile, band (blank) on 2026-10-05');
  });
});

describe('from workbook cells (parse, checks, compile, rate)', () => {
  function compiled(...sheets: RawSheet[]): RatingModel {
    const c = compileWorkbook(workbook(...sheets));
    if (!c.model) throw new Error(c.issues.filter((i) => i.severity === 'error').map((i) => `${i.at}: ${i.message}`).join('\n'));
    return c.model;
  }
  const dest = sheet('Destinations', [
    ['Prefix', 'Destination', 'CallClass'],
    ['441', 'UK Geo', 'National'],
    ['442', 'UK Geo', 'National'],
    ['447', 'UK Mobile', 'Mobile'],
    ['44800', 'UK Freephone', 'NonGeographic'],
    ['999', 'Emergency', 'ServiceNumbers'],
    ['1', 'USA', 'International'],
  ]);
  const customers = sheet('Customers', [['Account', 'Name', 'Email', 'Tariff'], ['ACME', 'Acme', 'a@x', 'Business']]);
  const tariffs = (decimals: number) => sheet('Tariffs', [['Tariff', 'ChargeDecimals'], ['Business', decimals]]);
  const rates = (rows: Plain[][]) => sheet('Rates', [['Tariff', 'Destination', 'TimeBand', 'PerMinute'], ...rows]);
  const numbers = (rows: Plain[][]) => sheet('Numbers', [['Account', 'Number', 'RangeEnd', 'Direction', 'NumberType', 'DateSold', 'AltCdrNumbers'], ...rows]);

  it('prices 6 s at a PerMinute cell of 1.15 to 0.12 at 2 decimals', () => {
    // the cell holds the float 1.15; read as its decimal text it is exact: 1.15 × 6 / 60 = 0.115 -> 0.12
    const m = compiled(customers, dest, tariffs(2), rates([['Business', 'UK Geo', null, 1.15]]), numbers([['ACME', A, null, null, null, '2025-01-01', null]]));
    expect(rated(m, cdr(A, GEO, MON, 6)).charge).toBe(120_000);
  });

  it('owns by range and alternate numbers typed in cells, inbound 0800 by AutoDetect', () => {
    const m = compiled(
      customers,
      dest,
      tariffs(4),
      rates([['Business', 'UK Geo', null, 0.06], ['Business', 'UK Freephone', null, 0.02]]),
      numbers([
        ['ACME', '020 7946 0000', '020 7946 0099', null, null, '2025-01-01', '020 7946 5555, 020 7946 5556'],
        ['ACME', '0800 123 4567', null, 'Inbound', 'AutoDetect', '2025-01-01', null],
      ]),
    );
    expect(rated(m, cdr('020 7946 0042', GEO, MON, 60)).number).toBe('442079460042');
    expect(rated(m, cdr('020 7946 5556', GEO, MON, 60)).number).toBe('442079460000');
    const r = rated(m, cdr('withheld', '0800 123 4567', MON, 120, { direction: 'in' }));
    // 0.02 × 120 / 60 = 0.04
    expect([r.destination, r.callClass, r.charge]).toEqual(['UK Freephone', 'Inbound', 40_000]);
  });

  it('splits a call across bands with BandSplit Split, holidays included', () => {
    const m = compiled(
      customers,
      dest,
      tariffs(4),
      numbers([['ACME', A, null, null, null, '2025-01-01', null]]),
      sheet('TimeBands', [['TimeBand', 'Days', 'From', 'To'], ['Peak', 'Mon-Fri', '08:00', '18:00'], ['OffPeak', 'Mon-Fri', '18:00', '08:00'], ['Weekend', 'Sat,Sun,Hol', '00:00', '24:00']]),
      sheet('Holidays', [['Date', 'Name'], ['2026-12-25', 'Christmas Day']]),
      rates([['Business', 'UK Geo', 'Peak', 0.06], ['Business', 'UK Geo', 'OffPeak', 0.03], ['Business', 'UK Geo', 'Weekend', 0.01]]),
      settingsSheet([['BandSplit', 'Split']]),
    );
    // 60 s at 0.06 + 60 s at 0.03 = 0.09
    expect(rated(m, cdr(A, GEO, '2026-10-05 17:59:00', 120)).charge).toBe(90_000);
    // Christmas Day is a Friday, and a holiday: Weekend, 0.01 × 2 = 0.02
    expect(rated(m, cdr(A, GEO, '2026-12-25 10:00:00', 120))).toMatchObject({ band: 'Weekend', charge: 20_000 });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Any valid rate: 1–3 slots from second 0, with or without increments, fee, minimum and cap. */
const slotArb = fc.record({
  perMinute: fc.integer({ min: 0, max: 5_000_000 }),
  initial: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
  increment: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
});
const rateArb = fc.record({
  slots: fc.array(slotArb, { minLength: 1, maxLength: 3 }),
  starts: fc.uniqueArray(fc.integer({ min: 1, max: 600 }), { minLength: 2, maxLength: 2 }),
  fee: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
  min: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: null }),
  max: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
  decimals: fc.integer({ min: 0, max: 6 }),
  rounding: fc.constantFrom<Rounding>('HalfUp', 'HalfEven', 'Up', 'Down'),
});
type RateSpec = typeof rateArb extends fc.Arbitrary<infer T> ? T : never;

function rowsOf(spec: RateSpec, timeBand = ''): RateRow[] {
  const froms = [0, ...[...spec.starts].sort((a, b) => a - b)];
  return spec.slots.map((s, k) => ({
    ...rate('Business', 'UK Geographic', '0', { band: timeBand, from: froms[k], initial: s.initial, increment: s.increment }),
    perMinute: s.perMinute,
    connectionFee: k === 0 ? spec.fee : null,
    minimumCharge: k === 0 ? spec.min : null,
    maximumCharge: k === 0 ? spec.max : null,
  }));
}

function modelOf(spec: RateSpec, split = false, bands = false): RatingModel {
  // with bands: Peak at the spec's rate, OffPeak and Weekend at half its per-minute prices
  const half = { ...spec, slots: spec.slots.map((s) => ({ ...s, perMinute: Math.floor(s.perMinute / 2) })) };
  return model({
    settings: settings({ bandSplit: split ? 'Split' : 'Start' }),
    customers: [customer('ACME')],
    numbers: [numberRow('ACME', A)],
    destinations: UK_DESTINATIONS,
    tariffs: [tariff('Business', { chargeDecimals: spec.decimals, rounding: spec.rounding })],
    rates: bands ? [...rowsOf(spec, 'Peak'), ...rowsOf(half, 'OffPeak'), ...rowsOf(half, 'Weekend')] : rowsOf(spec),
    timeBands: bands ? UK_BANDS : [],
  });
}

const startArb = fc.constantFrom('2026-10-05 10:00:00', '2026-10-05 17:58:30', '2026-10-09 23:59:10', '2026-10-25T00:58:00Z', '2026-03-29T00:59:30Z');
const chargeOf = (m: RatingModel, c: Cdr): { charge: number; billed: number } => {
  const r = rated(m, c);
  return { charge: r.charge, billed: r.billedSeconds };
};

describe('properties', () => {
  it('never charges below zero', () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 0, max: 7200 }), fc.boolean(), startArb, (spec, d, split, start) => {
        const { charge, billed } = chargeOf(modelOf(spec, split, true), cdr(A, GEO, start, d));
        return charge >= 0 && billed >= 0 && (d === 0 ? charge === 0 && billed === 0 : billed >= d);
      }),
      { numRuns: 400 },
    );
  });

  it('never charges less, nor bills fewer seconds, for a longer call at the same rate', () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 1, max: 600 }), fc.boolean(), startArb, (spec, d, extra, split, start) => {
        const m = modelOf(spec, split, true);
        const a = chargeOf(m, cdr(A, GEO, start, d));
        const b = chargeOf(m, cdr(A, GEO, start, d + extra));
        return b.charge >= a.charge && b.billed >= a.billed;
      }),
      { numRuns: 400 },
    );
  });

  it('charges exactly the single-slot formula, rounded once', () => {
    // billed = I if d <= I, else I + ceil((d − I)/J) × J; charge = fee + PerMinute × billed / 60, then
    // minimum, cap, one rounding — worked here in BigInt sixtieths of a micro-unit, apart from the code
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 1, max: 7200 }), (full, d) => {
        const spec = { ...full, slots: full.slots.slice(0, 1) };
        const s = spec.slots[0];
        const j = s.increment ?? 1;
        const i = s.initial ?? j;
        const billed = d <= i ? i : i + Math.ceil((d - i) / j) * j;
        let sum = BigInt(s.perMinute) * BigInt(billed) + BigInt(spec.fee ?? 0) * 60n;
        if (spec.min !== null && sum < BigInt(spec.min) * 60n) sum = BigInt(spec.min) * 60n;
        if (spec.max !== null && sum > BigInt(spec.max) * 60n) sum = BigInt(spec.max) * 60n;
        const unit = 10n ** BigInt(6 - spec.decimals);
        const expected = Number(divRoundBig(sum, 60n * unit, spec.rounding) * unit);
        const got = chargeOf(modelOf(spec), cdr(A, GEO, MON, d));
        return got.billed === billed && got.charge === expected;
      }),
      { numRuns: 500 },
    );
  });

  it('gives Split the same charge as Start when every band has the same rate', () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 0, max: 7200 }), startArb, (spec, d, start) => {
        const same = (split: boolean): RatingModel =>
          model({
            settings: settings({ bandSplit: split ? 'Split' : 'Start' }),
            customers: [customer('ACME')],
            numbers: [numberRow('ACME', A)],
            destinations: UK_DESTINATIONS,
            tariffs: [tariff('Business', { chargeDecimals: spec.decimals, rounding: spec.rounding })],
            rates: [...rowsOf(spec, 'Peak'), ...rowsOf(spec, 'OffPeak'), ...rowsOf(spec, 'Weekend')],
            timeBands: UK_BANDS,
          });
        return chargeOf(same(true), cdr(A, GEO, start, d)).charge === chargeOf(same(false), cdr(A, GEO, start, d)).charge;
      }),
      { numRuns: 200 },
    );
  });
});
