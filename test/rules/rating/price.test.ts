// SPEC §2 steps 6–10, every charge worked by hand in the comments: destination, tariff and markups,
// which price applies, the slot walk with increments, fee, minimum and cap, BandSplit, and the one
// rounding.

import { describe, expect, it } from 'vitest';
import type { Cdr } from '../../../rules/cdr/cdr.js';
import { findOwner } from '../../../rules/rating/owner.js';
import { priceCall } from '../../../rules/rating/price.js';
import type { RateRow, SheetRows } from '../../../rules/workbook/rows.js';
import {
  assignment,
  band,
  cdr,
  customer,
  dest,
  holiday,
  model,
  numberRow,
  outcome,
  pct,
  priced,
  rate,
  rated,
  settings,
  tariff,
  UK_BANDS,
  UK_DESTINATIONS,
  day,
  money,
} from './fixture-model.js';

const A = '020 7946 0000'; // ACME's line
const GEO = '0161 496 1234'; // UK Geographic (prefix 441)
const MOB = '07700 900123'; // UK Mobile (prefix 447)
const MON = '2026-10-05 10:00:00'; // a Monday morning, BST

/** ACME on tariff Business (4 decimals, HalfUp unless said), the UK destinations, and these rates. */
const priceModel = (rates: RateRow[], over: Partial<SheetRows> = {}) =>
  model({
    customers: [customer('ACME')],
    numbers: [numberRow('ACME', A)],
    destinations: UK_DESTINATIONS,
    tariffs: [tariff('Business')],
    rates,
    ...over,
  });
const call = (duration: number, over: Partial<Cdr> = {}, at = MON, called = GEO): Cdr => cdr(A, called, at, duration, over);

describe('the rate price (step 9) and the one rounding (step 10)', () => {
  it('prices 6 s at 1.15/min to 0.12 at 2 decimals, not 0.11', () => {
    // 1.15 × 6 / 60 = 0.115 exactly -> 0.12 HalfUp (in binary floats it is 0.11499999…, which rounds to 0.11)
    expect(1.15 * 6 / 60 < 0.115).toBe(true);
    const m = priceModel([rate('Business', 'UK Geographic', '1.15')], { tariffs: [tariff('Business', { chargeDecimals: 2 })] });
    expect(priced(m, call(6))).toBe('0.12 / 6s');
  });

  it('keeps per-second charges exact until the one rounding', () => {
    const m = priceModel([rate('Business', 'UK Geographic', '0.0125')]);
    // 0.0125 × 7 / 60 = 0.00145833… -> 0.0015
    expect(priced(m, call(7))).toBe('0.0015 / 7s');
    // 0.0125 × 3 / 60 = 0.000625 -> 0.0006 (the 25 left over is below half)
    expect(priced(m, call(3))).toBe('0.0006 / 3s');
    const six = priceModel([rate('Business', 'UK Geographic', '0.0125')], { tariffs: [tariff('Business', { chargeDecimals: 6 })] });
    expect(priced(six, call(3))).toBe('0.000625 / 3s');
  });

  it('bills whole increments: InitialSeconds 60, IncrementSeconds 60 bills 61 s as 120 s', () => {
    const m = (initial: number | undefined, increment: number | undefined) => priceModel([rate('Business', 'UK Geographic', '0.06', { initial, increment })]);
    // 61 s: 60 + ceil(1/60) × 60 = 120 s; 0.06 × 120 / 60 = 0.12
    expect(priced(m(60, 60), call(61))).toBe('0.1200 / 120s');
    // 1 s and 60 s are within the first increment: 60 s, 0.06
    expect([priced(m(60, 60), call(1)), priced(m(60, 60), call(60))]).toEqual(['0.0600 / 60s', '0.0600 / 60s']);
    // 30/6: 31 s -> 30 + ceil(1/6) × 6 = 36 s, 0.036; 10 s -> 30 s, 0.03
    expect([priced(m(30, 6), call(31)), priced(m(30, 6), call(10))]).toEqual(['0.0360 / 36s', '0.0300 / 30s']);
    // InitialSeconds defaults to IncrementSeconds: 60 -> 61 s bills 120 s; IncrementSeconds defaults to 1: 61 s
    expect([priced(m(undefined, 60), call(61)), priced(m(undefined, undefined), call(61))]).toEqual(['0.1200 / 120s', '0.0610 / 61s']);
  });

  it('walks slots by FromSecond, a rounded-up span running into the next slot not billed again', () => {
    // 0.10 for seconds 0–60 in steps of `inc`, then 0.05 in minutes
    const m = (inc: number) => priceModel([rate('Business', 'UK Geographic', '0.05', { from: 60, increment: 60 }), rate('Business', 'UK Geographic', '0.10', { increment: inc })]);
    // inc 30, 100 s: slot 0 spans 60 s -> 30 + ceil(30/30) × 30 = 60 s at 0.10 = 0.10; slot 1 spans 40 s -> 60 s at 0.05 = 0.05
    expect(priced(m(30), call(100))).toBe('0.1500 / 120s');
    // inc 45, 100 s: slot 0 spans 60 s -> 45 + ceil(15/45) × 45 = 90 s at 0.10 = 0.15, reaching second 90;
    // slot 1 spans only 100 − 90 = 10 s -> 60 s at 0.05 = 0.05: 0.20 for 150 s
    expect(priced(m(45), call(100))).toBe('0.2000 / 150s');
    // inc 45, 70 s: slot 0 bills 90 s (0.15), past the call's end: slot 1 is never reached
    expect(priced(m(45), call(70))).toBe('0.1500 / 90s');
  });

  it('skips a slot the walk has already passed', () => {
    // 0.10 with InitialSeconds 120 from 0, 0.05 from 60, 0.02 from 90 (per second)
    const m = priceModel([
      rate('Business', 'UK Geographic', '0.10', { initial: 120 }),
      rate('Business', 'UK Geographic', '0.05', { from: 60 }),
      rate('Business', 'UK Geographic', '0.02', { from: 90 }),
    ]);
    // 200 s: slot 0 spans 60 s <= 120 -> 120 s at 0.10 = 0.20; slot 1 (60–90) is passed (t = 120);
    // slot 2 spans 200 − 120 = 80 s at 0.02 = 0.02666…; 0.22666… -> 0.2267
    expect(priced(m, call(200))).toBe('0.2267 / 200s');
  });

  it('adds the first slot’s ConnectionFee, raises to MinimumCharge, caps at MaximumCharge; d = 0 is free', () => {
    const m = priceModel([rate('Business', 'UK Geographic', '0.06', { fee: '0.01', min: '0.05', max: '0.10' })]);
    // 10 s: 0.01 + 0.01 = 0.02 -> minimum 0.05; 60 s: 0.06 + 0.01 = 0.07; 300 s: 0.30 + 0.01 = 0.31 -> cap 0.10
    expect([priced(m, call(10)), priced(m, call(60)), priced(m, call(300))]).toEqual(['0.0500 / 10s', '0.0700 / 60s', '0.1000 / 300s']);
    // no fee and no minimum for a call of 0 s or one that was not answered (it rates with d = 0)
    expect(priced(m, call(0))).toBe('0.0000 / 0s');
    const missed = rated(m, call(95, { answered: false }));
    expect([missed.charge, missed.billedSeconds, missed.duration]).toEqual([0, 0, 95]);
  });

  it('takes fee, minimum and cap from the first slot only', () => {
    const m = priceModel([rate('Business', 'UK Geographic', '0.06', { fee: '0.01' }), rate('Business', 'UK Geographic', '0.03', { from: 60, fee: '1.00', min: '5.00' })]);
    // 120 s: 60 s at 0.06 = 0.06, 60 s at 0.03 = 0.03, fee 0.01: 0.10
    expect(priced(m, call(120))).toBe('0.1000 / 120s');
  });

  it('raises to the minimum before the one rounding', () => {
    const m = priceModel([rate('Business', 'UK Geographic', '0.06', { min: '0.0125' })], { tariffs: [tariff('Business', { chargeDecimals: 2 })] });
    // 1 s: 0.001 -> minimum 0.0125 -> 0.01 at 2 decimals (HalfUp)
    expect(priced(m, call(1))).toBe('0.01 / 1s');
  });

  it('rounds by the tariff’s Rounding: HalfUp, HalfEven, Up, Down', () => {
    const at = (perMinute: string, rounding: 'HalfUp' | 'HalfEven' | 'Up' | 'Down') =>
      priced(priceModel([rate('Business', 'UK Geographic', perMinute)], { tariffs: [tariff('Business', { chargeDecimals: 2, rounding })] }), call(6));
    const modes = ['HalfUp', 'HalfEven', 'Up', 'Down'] as const;
    // 1.25 × 6 / 60 = 0.125: HalfUp 0.13, HalfEven 0.12 (2 is even), Up 0.13, Down 0.12
    expect(modes.map((r) => at('1.25', r))).toEqual(['0.13 / 6s', '0.12 / 6s', '0.13 / 6s', '0.12 / 6s']);
    // 1.35 × 6 / 60 = 0.135: HalfEven goes up to the even 0.14
    expect(at('1.35', 'HalfEven')).toBe('0.14 / 6s');
    // 1.21 × 6 / 60 = 0.121, not a half: only Up goes up
    expect(modes.map((r) => at('1.21', r))).toEqual(['0.12 / 6s', '0.12 / 6s', '0.13 / 6s', '0.12 / 6s']);
  });

  it('takes ChargeDecimals and Rounding from the tariff, each else from Settings', () => {
    const s = settings({ chargeDecimals: 3, rounding: 'Up' });
    // no tariff settings: 0.0125 × 7 / 60 = 0.0014583… -> Up at 3 decimals = 0.002
    const plain = priceModel([rate('Business', 'UK Geographic', '0.0125')], { settings: s });
    expect(priced(plain, call(7))).toBe('0.002 / 7s');
    expect(rated(plain, call(7)).chargeDecimals).toBe(3);
    // the tariff's 2 decimals with Settings' Up: 1.15 × 6 / 60 = 0.115 -> 0.12; with Down 0.11
    const two = (rounding: 'Up' | 'Down') => priceModel([rate('Business', 'UK Geographic', '1.15')], { settings: settings({ rounding }), tariffs: [tariff('Business', { chargeDecimals: 2 })] });
    expect([priced(two('Up'), call(6)), priced(two('Down'), call(6))]).toEqual(['0.12 / 6s', '0.11 / 6s']);
    // 0 decimals: 1.50 for 60 s -> 2 HalfUp and HalfEven; 2.50 -> 3 HalfUp, 2 HalfEven
    const whole = (perMinute: string, rounding: 'HalfUp' | 'HalfEven') => priced(priceModel([rate('Business', 'UK Geographic', perMinute)], { tariffs: [tariff('Business', { chargeDecimals: 0, rounding })] }), call(60));
    expect([whole('1.50', 'HalfUp'), whole('1.50', 'HalfEven'), whole('2.50', 'HalfUp'), whole('2.50', 'HalfEven')]).toEqual(['2 / 60s', '2 / 60s', '3 / 60s', '2 / 60s']);
  });

  it('stays exact past 2^53, where a double no longer is', () => {
    // PerMinute 3,000,000,000.000030 (3000000000000030 micro) for 7 s: 21000000000000210 sixtieths of a
    // micro-unit, past 2^53; as a double it is …208. Exactly, / 60 = 350000000000003.5 micro -> HalfUp …004
    // (the double would give …003.47 -> …003)
    const huge = { ...rate('Business', 'UK Geographic', '0'), perMinute: 3_000_000_000_000_030 };
    const m = (bandSplit: 'Start' | 'Split') => priceModel([huge], { tariffs: [tariff('Business', { chargeDecimals: 6 })], settings: settings({ bandSplit }) });
    expect([priced(m('Start'), call(7)), priced(m('Split'), call(7))]).toEqual(['350000000.000004 / 7s', '350000000.000004 / 7s']);
  });

  it('fills in the rated call', () => {
    const m = priceModel([rate('Business', 'UK Mobile', '0.12', { band: 'Peak' })], { timeBands: UK_BANDS });
    const c = call(30, { id: 'x1', extension: '', cost: money('0.0040') }, MON, '+44 7700 900123');
    expect(rated(m, c)).toEqual({
      file: 'calls.csv',
      line: 2,
      id: 'x1',
      startMs: c.startMs,
      direction: 'out',
      caller: '442079460000',
      called: '447700900123',
      extension: '',
      account: 'ACME',
      number: '442079460000',
      site: 'HQ',
      destination: 'UK Mobile',
      callClass: 'Mobile',
      band: 'Peak',
      tariff: 'Business',
      duration: 30,
      billedSeconds: 30,
      // 0.12 × 30 / 60 = 0.06
      charge: money('0.06'),
      chargeDecimals: 4,
      cost: money('0.0040'),
      method: 'rate',
    });
  });
});

describe('which rate applies (step 8)', () => {
  it('uses the rows in force on the call’s local start date, EffectiveTo exclusive', () => {
    const m = priceModel([rate('Business', 'UK Geographic', '0.06', { effectiveTo: '2026-10-15' }), rate('Business', 'UK Geographic', '0.04', { effectiveFrom: '2026-10-15' })]);
    // 60 s at 0.06 on the 14th; at 0.04 from midnight on the 15th
    expect([priced(m, call(60, {}, '2026-10-14 23:59:00')), priced(m, call(60, {}, '2026-10-15 00:00:00'))]).toEqual(['0.0600 / 60s', '0.0400 / 60s']);
    // 23:30 UTC on the 14th is 00:30 BST on the 15th
    expect(priced(m, call(60, {}, '2026-10-14T23:30:00Z'))).toBe('0.0400 / 60s');
    // a call running past midnight keeps its start date's price: 120 s at 0.06 = 0.12
    expect(priced(m, call(120, {}, '2026-10-14 23:59:00'))).toBe('0.1200 / 120s');
    // no row holds a date before a first EffectiveFrom
    const late = priceModel([rate('Business', 'UK Geographic', '0.04', { effectiveFrom: '2026-10-15' })]);
    expect(outcome(late, call(60, {}, '2026-10-14 12:00:00'))).toBe('NO_RATE: Rates: no row for Tariff Business, Destination UK Geographic, band (blank) on 2026-10-14');
  });

  it('takes the call’s band’s rows, else the blank-band rows valid that day', () => {
    const m = priceModel([rate('Business', 'UK Geographic', '0.06', { band: 'Peak', effectiveFrom: '2026-10-01' }), rate('Business', 'UK Geographic', '0.02')], { timeBands: UK_BANDS });
    // Monday 10:00 is Peak: 0.06; Saturday is Weekend, which has no rows: the blank band's 0.02
    expect([priced(m, call(60)), priced(m, call(60, {}, '2026-10-10 10:00:00'))]).toEqual(['0.0600 / 60s', '0.0200 / 60s']);
    expect(rated(m, call(60, {}, '2026-10-10 10:00:00')).band).toBe('Weekend');
    // before its EffectiveFrom the Peak row does not hold: the blank band's 0.02
    expect(priced(m, call(60, {}, '2026-09-28 10:00:00'))).toBe('0.0200 / 60s');
  });

  it('tells NO_TARIFF (nothing resolved) from NO_RATE (something resolved, no price)', () => {
    const m = priceModel([rate('Business', 'UK Geographic', '0.06')], {
      customers: [customer('ACME'), customer('BETA', { tariff: '' }), customer('GAMMA', { tariff: '', markup: pct('20') })],
      numbers: [numberRow('ACME', A), numberRow('BETA', '020 7946 0001'), numberRow('GAMMA', '020 7946 0002')],
      timeBands: [band('Peak', 'Mon-Sun', '08:00', '20:00')],
    });
    // Saturday 2026-10-03 10:00 is Peak here
    expect(outcome(m, cdr(A, MOB, '2026-10-03 10:00:00', 60))).toBe('NO_RATE: Rates: no row for Tariff Business, Destination UK Mobile, band Peak on 2026-10-03');
    expect(outcome(m, cdr('020 7946 0001', GEO, MON, 60))).toBe(
      'NO_TARIFF: BETA has no Tariff, Markup or FallbackMarkup for National calls: set one in Customers (Customers!N3) or TariffAssignments',
    );
    // a markup with no cost to mark up prices nothing
    expect(outcome(m, cdr('020 7946 0002', MOB, MON, 60))).toBe('NO_RATE: GAMMA has no Tariff for Mobile calls to UK Mobile; the Markup of 20% needs a cost and the call has none');
  });
});

describe('markup and fallback prices (step 8)', () => {
  const noRates = (over: Partial<SheetRows>) => priceModel([rate('Business', 'UK Geographic', '0.06')], over);

  it('charges cost × (1 + Markup/100), billing the duration', () => {
    const m = noRates({ customers: [customer('ACME', { tariff: '', markup: pct('20') })] });
    const r = rated(m, call(61, { cost: money('0.0100') }, MON, MOB));
    // 0.0100 × 1.20 = 0.0120
    expect([r.method, r.tariff, r.charge, r.billedSeconds, r.chargeDecimals]).toEqual(['markup', '', money('0.012'), 61, 4]);
    // 0.0101 × 1.15 = 0.011615 -> 0.0116
    const m15 = noRates({ customers: [customer('ACME', { tariff: '', markup: pct('15') })] });
    expect(priced(m15, call(61, { cost: money('0.0101') }, MON, MOB))).toBe('0.0116 / 61s');
    // a call of 0 s costs nothing, whatever its cost; so does one not answered
    expect(priced(m, call(0, { cost: money('0.0100') }, MON, MOB))).toBe('0.0000 / 0s');
    expect(priced(m, call(30, { cost: money('0.0100'), answered: false }, MON, MOB))).toBe('0.0000 / 0s');
  });

  it('prefers a rate to the markup, and the markup to the fallback', () => {
    const m = noRates({ customers: [customer('ACME', { markup: pct('20'), fallbackMarkup: pct('50') })] });
    // UK Geographic has a rate: 0.06 for 60 s
    expect(rated(m, call(60, { cost: money('0.0100') })).method).toBe('rate');
    // UK Mobile has none: the markup, 0.0120, not the fallback
    const r = rated(m, call(60, { cost: money('0.0100') }, MON, MOB));
    expect([r.method, r.tariff, r.charge]).toEqual(['markup', 'Business', money('0.012')]);
  });

  it('takes the fallback markup from the tariff, else the number, else the customer', () => {
    const fallback = (tariffFb: string | null, numberFb: string | null) =>
      rated(
        noRates({
          customers: [customer('ACME', { fallbackMarkup: pct('50') })],
          tariffs: [tariff('Business', { fallbackMarkup: tariffFb === null ? null : pct(tariffFb) })],
          numbers: [numberRow('ACME', A, { fallbackMarkup: numberFb === null ? null : pct(numberFb) })],
        }),
        call(60, { cost: money('0.0100') }, MON, MOB),
      );
    // 0.0100 × 1.10 = 0.0110 (tariff), × 1.30 = 0.0130 (number), × 1.50 = 0.0150 (customer)
    expect([fallback('10', '30'), fallback(null, '30'), fallback(null, null)].map((r) => [r.method, r.charge])).toEqual([
      ['fallback', money('0.011')],
      ['fallback', money('0.013')],
      ['fallback', money('0.015')],
    ]);
    // no cost: nothing to mark up
    const m = noRates({ tariffs: [tariff('Business', { fallbackMarkup: pct('10') })] });
    expect(outcome(m, call(60, {}, MON, MOB))).toBe(
      'NO_RATE: Rates: no row for Tariff Business, Destination UK Mobile, band (blank) on 2026-10-05; the FallbackMarkup of 10% needs a cost and the call has none',
    );
    const half = noRates({ tariffs: [tariff('Business', { fallbackMarkup: pct('12.5') })] });
    expect(outcome(half, call(60, {}, MON, MOB))).toMatch(/; the FallbackMarkup of 12\.5% needs a cost and the call has none$/);
  });
});

describe('destinations (step 6)', () => {
  const m = priceModel([], {
    destinations: [...UK_DESTINATIONS, dest('447700', 'UK Mobile Special', 'Mobile')],
    rates: ['UK Geographic', 'UK Mobile', 'UK Mobile Special', 'Emergency', 'Directory Enquiries', 'USA', 'UK Freephone'].map((d) => rate('Business', d, '0.01')),
  });
  const to = (called: string, mm = m): string => {
    const r = outcome(mm, call(60, {}, MON, called));
    return r === 'rated' ? `${rated(mm, call(60, {}, MON, called)).destination} (${rated(mm, call(60, {}, MON, called)).callClass})` : r;
  };

  it('takes the longest prefix of the called number', () => {
    expect([to('07700 900123'), to('07711 900123'), to('0161 496 1234'), to('+1 212 555 0100')]).toEqual([
      'UK Mobile Special (Mobile)',
      'UK Mobile (Mobile)',
      'UK Geographic (National)',
      'USA (International)',
    ]);
  });

  it('matches short codes only against ServiceNumbers prefixes: 150 is not the USA', () => {
    expect([to('999'), to('118118'), to('150')]).toEqual([
      'Emergency (ServiceNumbers)',
      'Directory Enquiries (ServiceNumbers)',
      'UNKNOWN_DESTINATION: short code 150 matches no ServiceNumbers prefix: add it to Destinations with CallClass ServiceNumbers',
    ]);
    // dialled internationally, 1 50… is a US number
    expect(to('001 50 5550 1234')).toBe('USA (International)');
    // with short codes off (ShortCodeDigits 0), 150 is just digits, and the USA's
    const off = priceModel(m.rows.rates, { destinations: UK_DESTINATIONS, settings: settings({ shortCodeDigits: 0 }) });
    const plain = cdr(A, '150', MON, 60, { calledShort: false });
    expect(rated(off, plain).destination).toBe('USA');
  });

  it('says which prefix to add', () => {
    expect(to('+882 16 978120')).toBe('UNKNOWN_DESTINATION: no Destinations prefix matches 88216978120: add its prefix to Destinations');
  });

  it('rates an inbound call as class Inbound, to the NumberType or the number’s own prefix (AutoDetect)', () => {
    const inbound = priceModel([rate('Business', 'UK Freephone', '0.02'), rate('Business', 'UK Geographic', '0.01'), rate('Business', 'Premium', '0.50')], {
      numbers: [
        numberRow('ACME', '0800 123 4567', { direction: 'Inbound', numberType: 'AutoDetect' }),
        numberRow('ACME', '0800 765 4321', { direction: 'Inbound' }),
        numberRow('ACME', '020 7946 0000', { direction: 'Both', numberType: 'Premium' }),
        numberRow('ACME', '0300 123 4567', { direction: 'Inbound' }),
        numberRow('ACME', '0161 496 0000', { direction: 'Inbound', rangeEnd: '0161 496 0099' }),
      ],
    });
    const at = (called: string): string => {
      const r = outcome(inbound, cdr('withheld', called, MON, 120, { direction: 'in' }));
      if (r !== 'rated') return r;
      const c = rated(inbound, cdr('withheld', called, MON, 120, { direction: 'in' }));
      return `${c.destination} ${c.callClass} ${priced(inbound, cdr('withheld', called, MON, 120, { direction: 'in' }))}`;
    };
    // 0800 -> 44800… -> UK Freephone: 0.02 × 120 / 60 = 0.04
    expect([at('0800 123 4567'), at('0800 765 4321')]).toEqual(['UK Freephone Inbound 0.0400 / 120s', 'UK Freephone Inbound 0.0400 / 120s']);
    // NumberType names the destination: Premium, 0.50 × 2 = 1.00
    expect(at('020 7946 0000')).toBe('Premium Inbound 1.0000 / 120s');
    // a member of a range, by its own prefix: UK Geographic at 0.01 × 2 = 0.02
    expect(at('0161 496 0042')).toBe('UK Geographic Inbound 0.0200 / 120s');
    expect(at('0300 123 4567')).toBe(
      'UNKNOWN_DESTINATION: no Destinations prefix matches 443001234567, the number called: set its NumberType (Numbers!E5) or add its prefix to Destinations',
    );
  });
});

describe('tariff and markups along the chain (step 7)', () => {
  const rates = ['Business', 'RangeT', 'FiftyT', 'MobileT', 'InboundT', 'AltT', 'MemberMobile'].flatMap((t, i) => [
    rate(t, 'UK Geographic', `0.0${i + 1}`),
    rate(t, 'UK Mobile', `0.1${i + 1}`),
    rate(t, 'UK Freephone', `0.2${i + 1}`),
  ]);
  const tariffs = ['Business', 'RangeT', 'FiftyT', 'MobileT', 'InboundT', 'AltT', 'MemberMobile'].map((t) => tariff(t));
  const chainModel = (assignments: ReturnType<typeof assignment>[], over: Partial<SheetRows> = {}) =>
    model({
      customers: [customer('ACME'), customer('BETA')],
      numbers: [
        numberRow('ACME', '020 7946 0000', { rangeEnd: '020 7946 0099', direction: 'Both', altCdrNumbers: ['020 7000 0001'] }),
        numberRow('ACME', '020 7946 5000'),
        numberRow('BETA', '020 7946 6000'),
      ],
      destinations: UK_DESTINATIONS,
      tariffs,
      rates,
      tariffAssignments: assignments,
      ...over,
    });
  const tariffOf = (m: ReturnType<typeof chainModel>, caller: string, called: string): string => rated(m, cdr(caller, called, MON, 60)).tariff;

  it('goes (Account, Number, CallClass) -> (Account, Number, All) -> (Account, blank, CallClass) -> (Account, blank, All) -> Customers.Tariff', () => {
    const m = chainModel([
      assignment('ACME', { callClass: 'Mobile', tariff: 'MobileT' }),
      assignment('ACME', { number: '020 7946 0000', tariff: 'RangeT' }),
      assignment('ACME', { number: '020 7946 0000', callClass: 'Mobile', tariff: 'MemberMobile' }),
    ]);
    // the range's row: (Account, Number, Mobile) for mobiles, (Account, Number, All) for the rest
    expect([tariffOf(m, '020 7946 0001', MOB), tariffOf(m, '020 7946 0001', GEO)]).toEqual(['MemberMobile', 'RangeT']);
    // another row of ACME: (Account, blank, Mobile), else the customer's Business
    expect([tariffOf(m, '020 7946 5000', MOB), tariffOf(m, '020 7946 5000', GEO)]).toEqual(['MobileT', 'Business']);
    // BETA has no assignments: its own Business
    expect(tariffOf(m, '020 7946 6000', MOB)).toBe('Business');
    const all = chainModel([assignment('ACME', { tariff: 'RangeT' }), assignment('ACME', { callClass: 'Inbound', tariff: 'InboundT' })]);
    expect([tariffOf(all, '020 7946 5000', GEO), rated(all, cdr('x', '020 7946 0001', MON, 60, { direction: 'in' })).tariff]).toEqual(['RangeT', 'InboundT']);
  });

  it('applies an assignment whose Number is the row’s Number, lies in its range, is the matched number or an alternate', () => {
    // a member's own assignment comes first for its calls; for the range's other numbers the row's Number first
    const m = chainModel([assignment('ACME', { number: '020 7946 0050', tariff: 'FiftyT' }), assignment('ACME', { number: '020 7946 0000', tariff: 'RangeT' })]);
    expect([tariffOf(m, '020 7946 0050', GEO), tariffOf(m, '020 7946 0001', GEO)]).toEqual(['FiftyT', 'RangeT']);
    // a number inside the range applies to the row when nothing closer does
    const member = chainModel([assignment('ACME', { number: '020 7946 0050', tariff: 'FiftyT' })]);
    expect([tariffOf(member, '020 7946 0001', GEO), tariffOf(member, '020 7946 5000', GEO)]).toEqual(['FiftyT', 'Business']);
    // an alternate CDR number's assignment is the row's, whichever way the call came
    const alt = chainModel([assignment('ACME', { number: '020 7000 0001', tariff: 'AltT' })]);
    expect([tariffOf(alt, '020 7000 0001', GEO), tariffOf(alt, '020 7946 0007', GEO)]).toEqual(['AltT', 'AltT']);
    // another account's assignment for the number does not apply
    const other = chainModel([assignment('BETA', { number: '020 7946 5000', tariff: 'AltT' })]);
    expect(tariffOf(other, '020 7946 5000', GEO)).toBe('Business');
  });

  it('resolves the markup on its own: a blank Tariff lets the tariff come from further down', () => {
    const m = chainModel([assignment('ACME', { number: '020 7946 5000', markup: '20' })], {
      customers: [customer('ACME', { markup: pct('5') }), customer('BETA')],
      rates: rates.filter((r) => r.destination !== 'UK Mobile'),
    });
    // Business (the customer's) has no UK Mobile rate: the assignment's 20% markup, not the customer's 5%
    const r = rated(m, cdr('020 7946 5000', MOB, MON, 60, { cost: money('0.0100') }));
    expect([r.tariff, r.method, r.charge]).toEqual(['Business', 'markup', money('0.012')]);
    expect(rated(m, cdr('020 7946 0001', MOB, MON, 60, { cost: money('0.0100') })).charge).toBe(money('0.0105'));
  });
});

describe('BandSplit Split (step 9)', () => {
  const split = settings({ bandSplit: 'Split' });
  const bandModel = (rates: RateRow[], over: Partial<SheetRows> = {}) => priceModel(rates, { timeBands: UK_BANDS, ...over });
  const peakOff = [rate('Business', 'UK Geographic', '0.06', { band: 'Peak' }), rate('Business', 'UK Geographic', '0.03', { band: 'OffPeak' }), rate('Business', 'UK Geographic', '0.01', { band: 'Weekend' })];

  it('prices a call from 17:59:00 for 120 s at Peak then OffPeak', () => {
    // Split: 60 s at 0.06 = 0.06 + 60 s at 0.03 = 0.03 -> 0.09; Start: 120 s at 0.06 = 0.12
    expect(priced(bandModel(peakOff, { settings: split }), call(120, {}, '2026-10-05 17:59:00'))).toBe('0.0900 / 120s');
    expect(priced(bandModel(peakOff), call(120, {}, '2026-10-05 17:59:00'))).toBe('0.1200 / 120s');
    expect(rated(bandModel(peakOff, { settings: split }), call(120, {}, '2026-10-05 17:59:00')).band).toBe('Peak');
  });

  it('prices billed seconds past the call’s end by their band too', () => {
    const withMinutes = peakOff.map((r) => ({ ...r, initialSeconds: 60, incrementSeconds: 60 }));
    // 45 s from 17:59:30 bills 60 s: e 0–29 Peak (30 × 0.06/60 = 0.03), e 30–59 OffPeak (30 × 0.03/60 = 0.015) = 0.045
    expect(priced(bandModel(withMinutes, { settings: split }), call(45, {}, '2026-10-05 17:59:30'))).toBe('0.0450 / 60s');
    expect(priced(bandModel(withMinutes), call(45, {}, '2026-10-05 17:59:30'))).toBe('0.0600 / 60s');
  });

  it('charges what Start charges for a call inside one band', () => {
    for (const d of [1, 59, 61, 600, 3599]) expect(priced(bandModel(peakOff, { settings: split }), call(d))).toBe(priced(bandModel(peakOff), call(d)));
  });

  it('takes the fee, minimum and cap from the start band’s rate', () => {
    const fees = [rate('Business', 'UK Geographic', '0.06', { band: 'Peak', fee: '0.05' }), rate('Business', 'UK Geographic', '0.03', { band: 'OffPeak', fee: '1.00', min: '9.00' })];
    // 0.06 + 0.03 + the Peak fee 0.05 = 0.14
    expect(priced(bandModel(fees, { settings: split }), call(120, {}, '2026-10-05 17:59:00'))).toBe('0.1400 / 120s');
  });

  it('prices each second by the slot in the same position of its band’s rate, or that rate’s last', () => {
    const slots = [
      rate('Business', 'UK Geographic', '0.10', { band: 'Peak' }),
      rate('Business', 'UK Geographic', '0.05', { band: 'Peak', from: 60 }),
      rate('Business', 'UK Geographic', '0.03', { band: 'OffPeak' }),
    ];
    // 180 s from 17:59:00: slot 0 bills e 0–59 (Peak, 0.10: 0.10); slot 1 bills e 60–179, all OffPeak,
    // whose rate has one slot: its last, 0.03 × 120/60 = 0.06. 0.16. Start: 0.10 + 0.05 × 2 = 0.20
    expect(priced(bandModel(slots, { settings: split }), call(180, {}, '2026-10-05 17:59:00'))).toBe('0.1600 / 180s');
    expect(priced(bandModel(slots), call(180, {}, '2026-10-05 17:59:00'))).toBe('0.2000 / 180s');
  });

  it('falls back to the blank-band rate, else the start band’s, for a band with no rate', () => {
    const bands = [band('Peak', 'Mon-Fri', '08:00', '18:00'), band('Evening', 'Mon-Fri', '18:00', '20:00')];
    const peakOnly = [rate('Business', 'UK Geographic', '0.06', { band: 'Peak' })];
    // Evening has no rows: the blank band's 0.02 -> 0.06 + 0.02 = 0.08
    expect(priced(priceModel([...peakOnly, rate('Business', 'UK Geographic', '0.02')], { timeBands: bands, settings: split }), call(120, {}, '2026-10-05 17:59:00'))).toBe('0.0800 / 120s');
    // and no blank-band rate either: Peak's own 0.06 -> 0.12
    expect(priced(priceModel(peakOnly, { timeBands: bands, settings: split }), call(120, {}, '2026-10-05 17:59:00'))).toBe('0.1200 / 120s');
  });

  it('finds the band of start + e on its own date: across midnight into a holiday', () => {
    const m = bandModel(peakOff, { settings: split, holidays: [holiday('2026-12-25')] });
    // Thursday 2026-12-24 23:59:00 for 120 s: 60 s OffPeak (0.03), then Christmas Day, a holiday: Weekend (0.01) -> 0.04
    expect(priced(m, call(120, {}, '2026-12-24 23:59:00'))).toBe('0.0400 / 120s');
  });

  it('chooses every band’s rate by the call’s local start date', () => {
    const m = bandModel(
      [
        rate('Business', 'UK Geographic', '0.03', { band: 'OffPeak', effectiveTo: '2026-10-06' }),
        rate('Business', 'UK Geographic', '0.02', { band: 'OffPeak', effectiveFrom: '2026-10-06' }),
        rate('Business', 'UK Geographic', '0.06', { band: 'Peak' }),
      ],
      { settings: split },
    );
    // Monday 23:59:00 for 120 s, all OffPeak: the rate of Monday, 0.03 × 2 = 0.06 (not 0.03 + 0.02)
    expect(priced(m, call(120, {}, '2026-10-05 23:59:00'))).toBe('0.0600 / 120s');
  });

  it('follows the clock change: the band of start + e is that of the instant', () => {
    const m = priceModel([rate('Business', 'UK Geographic', '0.01', { band: 'Night' }), rate('Business', 'UK Geographic', '0.06', { band: 'Day' })], {
      settings: split,
      timeBands: [band('Night', 'Sun', '00:00', '02:00'), band('Day', 'Sun', '02:00', '24:00')],
    });
    // autumn: 00:59:00 UTC is 01:59 BST; a minute later it is 01:00 GMT, still Night: 120 s at 0.01 = 0.02
    expect(priced(m, call(120, {}, '2026-10-25T00:59:00Z'))).toBe('0.0200 / 120s');
    // spring: 00:59:00 UTC is 00:59 GMT; a minute later it is 02:00 BST, Day: 0.01 + 0.06 = 0.07
    expect(priced(m, call(120, {}, '2026-03-29T00:59:00Z'))).toBe('0.0700 / 120s');
  });
});

describe('priceCall on its own', () => {
  it('prices for a known owner', () => {
    const m = priceModel([rate('Business', 'UK Geographic', '0.06')]);
    const c = call(60);
    const o = findOwner(m, c);
    if (o.kind !== 'owner') throw new Error(o.detail);
    const p = priceCall(m, c, o);
    expect(p.kind === 'rated' && [p.call.account, p.call.charge]).toEqual(['ACME', money('0.06')]);
    expect(o.day).toBe(day('2026-10-05'));
  });
});
