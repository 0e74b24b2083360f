import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Cdr } from '../../rules/cdr.js';
import { compileWorkbook } from '../../rules/compile.js';
import { formatMicro } from '../../rules/money.js';
import { normalisePhone } from '../../rules/phone.js';
import { rateCall } from '../../rules/rate.js';
import type { RatingModel } from '../../rules/rating-model.js';
import { localToUtc } from '../../rules/zone.js';
import type { RawSheet } from '../../rules/raw.js';
import { settingsSheet, sheet, workbook, type Plain } from './raw-builder.js';

const plan = { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', shortCodeDigits: 6 };

function model(...sheets: RawSheet[]): RatingModel {
  const c = compileWorkbook(workbook(...sheets));
  if (!c.model) throw new Error(c.issues.filter((i) => i.severity === 'error').map((i) => `${i.at}: ${i.message}`).join('\n'));
  return c.model;
}

/** A call at a London local time. */
function cdr(caller: string, called: string, local: string, duration: number, over: Partial<Cdr> = {}): Cdr {
  const c = normalisePhone(caller, plan);
  const d = normalisePhone(called, plan);
  return {
    kind: 'cdr', file: 'calls.csv', line: 2, id: '', startMs: localToUtc('Europe/London', Date.parse(local.replace(' ', 'T') + 'Z')).utcMs,
    duration, answered: duration > 0, caller, called, callerN: c?.digits ?? null, calledN: d?.digits ?? null, calledShort: d?.shortCode ?? false,
    extension: '', direction: 'out', cost: null, ...over,
  };
}

const charge = (m: RatingModel, c: Cdr): string => {
  const r = rateCall(m, c);
  if (r.kind !== 'rated') throw new Error(`${r.reason}: ${r.detail}`);
  return `${formatMicro(r.call.charge, r.call.chargeDecimals)} / ${r.call.billedSeconds}s`;
};
const reason = (m: RatingModel, c: Cdr): string => {
  const r = rateCall(m, c);
  return r.kind === 'rated' ? 'rated' : `${r.reason}: ${r.detail}`;
};

const dest = sheet('Destinations', [['Prefix', 'Destination', 'CallClass'], ['441', 'UK Geo', 'National'], ['442', 'UK Geo', 'National'], ['447', 'UK Mobile', 'Mobile'], ['44800', 'UK Freephone', 'NonGeographic'], ['999', 'Emergency', 'ServiceNumbers'], ['118', 'Directory', 'ServiceNumbers'], ['1', 'USA', 'International']]);
const tariffs = (decimals = 4, rounding = 'HalfUp'): RawSheet => sheet('Tariffs', [['Tariff', 'ChargeDecimals', 'Rounding', 'FallbackMarkup'], ['Business', decimals, rounding, null]]);
const rates = (rows: Plain[][]): RawSheet => sheet('Rates', [['Tariff', 'Destination', 'TimeBand', 'FromSecond', 'PerMinute', 'ConnectionFee', 'MinimumCharge', 'MaximumCharge', 'InitialSeconds', 'IncrementSeconds', 'EffectiveFrom', 'EffectiveTo'], ...rows]);
const one = (perMinute: number, extra: Plain[] = []): RawSheet => rates([['Business', 'UK Geo', null, null, perMinute, ...extra]]);
const A = '020 7946 0000';
const TO = '0161 496 1234';

describe('the price of a call (SPEC §2 step 9–10), worked by hand', () => {
  it('prices 6 s at 1.15/min to 0.12 at 2 decimals, not 0.11', () => {
    // 1.15 × 6 / 60 = 0.115 -> 0.12 HalfUp
    expect(charge(model(dest, tariffs(2), one(1.15)), cdr(A, TO, '2026-10-05 10:00:00', 6))).toBe('0.12 / 6s');
  });
  it('keeps a per-second charge exact until the one rounding', () => {
    // 0.0125 × 7 / 60 = 0.0014583… -> 0.0015
    expect(charge(model(dest, tariffs(4), one(0.0125)), cdr(A, TO, '2026-10-05 10:00:00', 7))).toBe('0.0015 / 7s');
  });
  it('rounds by the tariff mode', () => {
    // 1.25 × 6 / 60 = 0.125 exactly
    const at = (mode: string) => charge(model(dest, tariffs(2, mode), one(1.25)), cdr(A, TO, '2026-10-05 10:00:00', 6));
    expect([at('HalfUp'), at('HalfEven'), at('Up'), at('Down')]).toEqual(['0.13 / 6s', '0.12 / 6s', '0.13 / 6s', '0.12 / 6s']);
  });
  it('bills whole increments: 61 s at 60/60 is 120 s', () => {
    // 0.06 × 120 / 60 = 0.12
    expect(charge(model(dest, tariffs(), one(0.06, [null, null, null, 60, 60])), cdr(A, TO, '2026-10-05 10:00:00', 61))).toBe('0.1200 / 120s');
    expect(charge(model(dest, tariffs(), one(0.06, [null, null, null, 30, 6])), cdr(A, TO, '2026-10-05 10:00:00', 31))).toBe('0.0360 / 36s');
    expect(charge(model(dest, tariffs(), one(0.06, [null, null, null, 30, 6])), cdr(A, TO, '2026-10-05 10:00:00', 10))).toBe('0.0300 / 30s');
  });
  it('walks two slots, and a rounded-up span running into the next slot is not billed again', () => {
    const m = (inc0: number) => model(dest, tariffs(), rates([['Business', 'UK Geo', null, 0, 0.1, null, null, null, null, inc0], ['Business', 'UK Geo', null, 60, 0.05, null, null, null, null, 60]]));
    // inc 30: slot 0 bills 60 s (0.10), slot 1 bills ceil(40/60)×60 = 60 s (0.05): 0.15 for 120 s
    expect(charge(m(30), cdr(A, TO, '2026-10-05 10:00:00', 100))).toBe('0.1500 / 120s');
    // inc 45: slot 0 bills 45 + 45 = 90 s (0.15), past second 60; slot 1 bills the last 10 s as 60 s (0.05): 0.20 for 150 s
    expect(charge(m(45), cdr(A, TO, '2026-10-05 10:00:00', 100))).toBe('0.2000 / 150s');
  });
  it('adds the connection fee, raises to the minimum, caps at the maximum; an unanswered call is free', () => {
    const m = model(dest, tariffs(), one(0.06, [0.01, 0.05, 0.1]));
    // 0.06 × 10/60 + 0.01 = 0.02 -> minimum 0.05
    expect(charge(m, cdr(A, TO, '2026-10-05 10:00:00', 10))).toBe('0.0500 / 10s');
    // 0.06 × 300/60 + 0.01 = 0.31 -> capped 0.10
    expect(charge(m, cdr(A, TO, '2026-10-05 10:00:00', 300))).toBe('0.1000 / 300s');
    expect(charge(m, cdr(A, TO, '2026-10-05 10:00:00', 0))).toBe('0.0000 / 0s');
    expect(charge(m, cdr(A, TO, '2026-10-05 10:00:00', 95, { answered: false }))).toBe('0.0000 / 0s');
  });
});

const numbers = (rows: Plain[][]): RawSheet => sheet('Numbers', [['Account', 'Number', 'RangeEnd', 'Extension', 'Direction', 'NumberType', 'DateSold', 'DroppedDate', 'AltCdrNumbers', 'Site'], ...rows]);
const customers = (rows: Plain[][]): RawSheet => sheet('Customers', [['Account', 'Name', 'Email', 'Tariff', 'Markup', 'FallbackMarkup', 'Status', 'ArchivedDate'], ...rows]);
const base = [customers([['ACME', 'Acme', 'a@x', 'Business', null, null, null, null], ['BETA', 'Beta', 'b@x', 'Business', null, null, null, null]]), dest, tariffs(), one(0.06)];

describe('owners (steps 3–4)', () => {
  it('bills a number that moved to whoever had it on the day', () => {
    const m = model(...base, numbers([['ACME', A, null, null, null, null, '2025-01-01', '2026-10-14'], ['BETA', A, null, null, null, null, '2026-10-15']]));
    const who = (day: string) => { const r = rateCall(m, cdr(A, TO, day, 60)); return r.kind === 'rated' ? r.call.account : r.reason; };
    expect([who('2026-10-14 23:59:59'), who('2026-10-15 00:00:00')]).toEqual(['ACME', 'BETA']);
  });
  it('finds a number in a range, and bills an alternate CDR number as the row\'s Number', () => {
    const m = model(...base, numbers([['ACME', '020 7946 0000', '020 7946 0099', null, null, null, '2025-01-01', null, '020 7946 5555', 'HQ']]));
    const r = rateCall(m, cdr('020 7946 0042', TO, '2026-10-05 10:00:00', 60));
    const alt = rateCall(m, cdr('020 7946 5555', TO, '2026-10-05 10:00:00', 60));
    expect(r.kind === 'rated' && [r.call.number, r.call.site]).toEqual(['442079460042', 'HQ']);
    expect(alt.kind === 'rated' && alt.call.number).toBe('442079460000');
    expect(reason(m, cdr('020 7946 0100', TO, '2026-10-05 10:00:00', 60))).toBe('UNKNOWN_NUMBER: add 442079460100 to Numbers');
  });
  it('prefers the row of the CDR\'s extension, else the catch-all', () => {
    const m = model(...base, numbers([['ACME', A, null, null, null, null, '2025-01-01', null, null, 'Main'], ['ACME', A, null, '201', null, null, '2025-01-01', null, null, 'Office']]));
    const site = (ext: string) => { const r = rateCall(m, cdr(A, TO, '2026-10-05 10:00:00', 60, { extension: ext })); return r.kind === 'rated' ? r.call.site : r.reason; };
    expect([site('201'), site('203'), site('')]).toEqual(['Office', 'Main', 'Main']);
    const noCatchAll = model(...base, numbers([['ACME', A, null, '201', null, null, '2025-01-01']]));
    expect(reason(noCatchAll, cdr(A, TO, '2026-10-05 10:00:00', 60, { extension: '203' }))).toBe('NUMBER_INACTIVE: 442079460000 (ACME) has no row for extension 203 and no catch-all row with a blank Extension (Numbers!D2): add one to Numbers');
  });
  it('says when a number is not active yet, no longer, or its customer left', () => {
    const m = model(customers([['ACME', 'Acme', 'a@x', 'Business', null, null, 'Archived', '2026-09-30']]), dest, tariffs(), one(0.06), numbers([['ACME', A, null, null, null, null, '2025-01-01', null], ['ACME', '020 7946 0001', null, null, null, null, '2026-10-10', null]]));
    expect(reason(m, cdr(A, TO, '2026-09-30 12:00:00', 60))).toBe('rated');
    expect(reason(m, cdr(A, TO, '2026-10-01 12:00:00', 60))).toBe('NUMBER_INACTIVE: 442079460000 (ACME) is not active on 2026-10-01: the customer is Archived since 2026-09-30 (Customers!M2); give the number a DroppedDate and a row for its new owner');
    expect(reason(m, cdr('020 7946 0001', TO, '2026-09-01 12:00:00', 60))).toBe('NUMBER_INACTIVE: 442079460001 (ACME) is not active on 2026-09-01: DateSold 2026-10-10 (Numbers!I3)');
  });
  it('owns inbound calls by the called number, by Direction', () => {
    const m = model(...base.slice(0, 3), sheet('Rates', [['Tariff', 'Destination', 'PerMinute'], ['Business', 'UK Geo', 0.06], ['Business', 'UK Freephone', 0.02]]), numbers([['ACME', '0800 123 4567', null, null, 'Inbound', 'AutoDetect', '2025-01-01'], ['ACME', A, null, null, null, 'UK Geo', '2025-01-01']]));
    const r = rateCall(m, cdr('withheld', '0800 123 4567', '2026-10-05 10:00:00', 120, { direction: 'in' }));
    expect(r.kind === 'rated' && [r.call.destination, r.call.callClass, formatMicro(r.call.charge, 4)]).toEqual(['UK Freephone', 'Inbound', '0.0400']);
    expect(reason(m, cdr('07700 900123', A, '2026-10-05 10:00:00', 60, { direction: 'in' }))).toMatch(/^UNKNOWN_NUMBER: 442079460000 is in Numbers \(Numbers!B3, ACME\) for outbound calls only/);
  });
});

describe('destinations, bands and tariffs (steps 6–8)', () => {
  const nums = numbers([['ACME', A, null, null, null, null, '2025-01-01']]);
  it('matches short codes only against ServiceNumbers (150 is not the USA)', () => {
    const m = model(...base.slice(0, 3), sheet('Rates', [['Tariff', 'Destination', 'PerMinute'], ['Business', 'Emergency', 0], ['Business', 'USA', 0.02]]), nums);
    const d = (called: string) => { const r = rateCall(m, cdr(A, called, '2026-10-05 10:00:00', 60)); return r.kind === 'rated' ? r.call.destination : r.reason; };
    expect([d('999'), d('150'), d('001 212 555 0100')]).toEqual(['Emergency', 'UNKNOWN_DESTINATION', 'USA']);
  });
  const banded = [
    sheet('TimeBands', [['TimeBand', 'Days', 'From', 'To'], ['Peak', 'Mon-Fri', '08:00', '18:00'], ['OffPeak', 'Mon-Fri', '18:00', '08:00'], ['Weekend', 'Sat,Sun,Hol', '00:00', '24:00']]),
    sheet('Holidays', [['Date', 'Name'], ['2026-12-25', 'Christmas']]),
    rates([['Business', 'UK Geo', 'Peak', null, 0.06], ['Business', 'UK Geo', 'OffPeak', null, 0.03], ['Business', 'UK Geo', 'Weekend', null, 0.01]]),
  ];
  it('finds the band: Friday 19:00 is off-peak, Saturday 07:00 weekend, a holiday weekend', () => {
    const m = model(base[0], dest, tariffs(), nums, ...banded);
    const band = (t: string) => { const r = rateCall(m, cdr(A, TO, t, 60)); return r.kind === 'rated' ? r.call.band : r.reason; };
    // 2026-10-09 is a Friday, 2026-12-25 a Friday
    expect([band('2026-10-09 19:00:00'), band('2026-10-10 07:00:00'), band('2026-10-12 07:59:59'), band('2026-10-12 08:00:00'), band('2026-12-25 10:00:00')]).toEqual(['OffPeak', 'Weekend', 'OffPeak', 'Peak', 'Weekend']);
  });
  it('prices each part of a call crossing 18:00 at its own band with BandSplit Split', () => {
    const split = model(base[0], dest, tariffs(), nums, ...banded, settingsSheet([['BandSplit', 'Split']]));
    const start = model(base[0], dest, tariffs(), nums, ...banded);
    // 60 s of Peak at 0.06 + 60 s of OffPeak at 0.03 = 0.06 + 0.03 = 0.09; Start: 120 s at 0.06 = 0.12
    expect(charge(split, cdr(A, TO, '2026-10-05 17:59:00', 120))).toBe('0.0900 / 120s');
    expect(charge(start, cdr(A, TO, '2026-10-05 17:59:00', 120))).toBe('0.1200 / 120s');
    // inside one band both agree
    expect(charge(split, cdr(A, TO, '2026-10-05 10:00:00', 120))).toBe(charge(start, cdr(A, TO, '2026-10-05 10:00:00', 120)));
  });
  it('takes a naive time across the clock change as local time', () => {
    const m = model(base[0], dest, tariffs(), nums, ...banded);
    const r = rateCall(m, cdr(A, TO, '2026-10-25 01:30:00', 60));
    expect(r.kind === 'rated' && new Date(r.call.startMs).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
  it('uses the price in force on the call\'s local date', () => {
    const m = model(...base.slice(0, 3), nums, rates([['Business', 'UK Geo', null, null, 0.06, null, null, null, null, null, null, '2026-10-15'], ['Business', 'UK Geo', null, null, 0.04, null, null, null, null, null, '2026-10-15', null]]));
    expect([charge(m, cdr(A, TO, '2026-10-14 23:59:00', 60)), charge(m, cdr(A, TO, '2026-10-15 00:00:00', 60))]).toEqual(['0.0600 / 60s', '0.0400 / 60s']);
  });
  it('tells NO_TARIFF from NO_RATE', () => {
    const m = model(customers([['ACME', 'Acme', 'a@x', 'Business', null, null, null, null], ['BETA', 'Beta', 'b@x', null, null, null, null, null]]), dest, tariffs(), one(0.06), numbers([['ACME', A, null, null, null, null, '2025-01-01'], ['BETA', '020 7946 0001', null, null, null, null, '2025-01-01']]));
    expect(reason(m, cdr(A, '07700 900123', '2026-10-03 10:00:00', 60))).toBe('NO_RATE: Rates: no row for Tariff Business, Destination UK Mobile, band (blank) on 2026-10-03');
    expect(reason(m, cdr('020 7946 0001', TO, '2026-10-03 10:00:00', 60))).toBe('NO_TARIFF: BETA has no Tariff, Markup or FallbackMarkup for National calls: set one in Customers (Customers!N3) or TariffAssignments');
  });
  it('prices cost plus markup, and falls back along tariff -> number -> customer', () => {
    const m = model(
      customers([['ACME', 'Acme', 'a@x', null, 20, null, null, null], ['BETA', 'Beta', 'b@x', 'Business', null, 50, null, null]]),
      dest, sheet('Tariffs', [['Tariff', 'FallbackMarkup'], ['Business', 10]]), one(0.06),
      numbers([['ACME', A, null, null, null, null, '2025-01-01'], ['BETA', '020 7946 0001', null, null, null, null, '2025-01-01']]),
    );
    const r = rateCall(m, cdr(A, '07700 900123', '2026-10-03 10:00:00', 60, { cost: 10_000 }));
    // 0.0100 × 1.20 = 0.0120
    expect(r.kind === 'rated' && [r.call.method, formatMicro(r.call.charge, 4), r.call.billedSeconds]).toEqual(['markup', '0.0120', 60]);
    const f = rateCall(m, cdr('020 7946 0001', '07700 900123', '2026-10-03 10:00:00', 60, { cost: 10_000 }));
    // the tariff's FallbackMarkup (10%) comes before the customer's (50%): 0.0110
    expect(f.kind === 'rated' && [f.call.method, formatMicro(f.call.charge, 4)]).toEqual(['fallback', '0.0110']);
    expect(reason(m, cdr('020 7946 0001', '07700 900123', '2026-10-03 10:00:00', 60))).toBe('NO_RATE: Rates: no row for Tariff Business, Destination UK Mobile, band (blank) on 2026-10-03; the FallbackMarkup of 10% needs a cost and the call has none');
  });
  it('resolves the tariff along the assignment chain', () => {
    const m = model(
      customers([['ACME', 'Acme', 'a@x', 'Business', null, null, null, null]]), dest,
      sheet('Tariffs', [['Tariff'], ['Business'], ['Cheap'], ['Mobile']]),
      sheet('Rates', [['Tariff', 'Destination', 'PerMinute'], ['Business', 'UK Geo', 0.06], ['Cheap', 'UK Geo', 0.01], ['Mobile', 'UK Mobile', 0.02], ['Cheap', 'UK Mobile', 0.03]]),
      sheet('TariffAssignments', [['Account', 'Number', 'CallClass', 'Tariff'], ['ACME', null, 'Mobile', 'Mobile'], ['ACME', '020 7946 0050', null, 'Cheap']]),
      numbers([['ACME', '020 7946 0000', '020 7946 0099', null, null, null, '2025-01-01']]),
    );
    const t = (caller: string, called: string) => { const r = rateCall(m, cdr(caller, called, '2026-10-05 10:00:00', 60)); return r.kind === 'rated' ? r.call.tariff : r.reason; };
    // (Account, Number in the row's range, blank class) beats (Account, blank, Mobile)
    expect([t('020 7946 0001', TO), t('020 7946 0001', '07700 900123'), t('020 7946 0002', '07700 900123')]).toEqual(['Cheap', 'Cheap', 'Cheap']);
  });
});

describe('properties', () => {
  const m = model(...base.slice(0, 3), numbers([['ACME', A, null, null, null, null, '2025-01-01']]), rates([['Business', 'UK Geo', null, 0, 0.0137, 0.01, null, null, 30, 6], ['Business', 'UK Geo', null, 120, 0.009, null, null, null, null, 60]]));
  it('never charges below zero and never less for a longer call', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 7200 }), fc.integer({ min: 0, max: 600 }), (d, extra) => {
      const a = rateCall(m, cdr(A, TO, '2026-10-05 10:00:00', d));
      const b = rateCall(m, cdr(A, TO, '2026-10-05 10:00:00', d + extra));
      if (a.kind !== 'rated' || b.kind !== 'rated') return false;
      return a.call.charge >= 0 && b.call.charge >= a.call.charge && b.call.billedSeconds >= a.call.billedSeconds;
    }), { numRuns: 500 });
  });
});
