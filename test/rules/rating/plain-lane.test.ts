// The fast lane may only say what the full path says: for any generic line, either the lane declines
// (and the full path decides) or the lane's row bytes, charge, dedupe key and fraud number are the
// full path's, byte for byte. The model has ranges, alternates, extensions, member assignments, an
// archived customer, markups and fallbacks, slots, bands, BandSplit and clock changes, so that the
// lane meets everything it must decline as well as what it takes.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileFormat } from '../../../rules/cdr/cdr-format.js';
import { splitCsvLine } from '../../../rules/cdr/csv-split.js';
import { mediationContext } from '../../../rules/cdr/mediate.js';
import { PlainLane } from '../../../rules/rating/plain-lane.js';
import { emptyResult, lineContext, rateDeclined, rateLine } from '../../../rules/rating/rate-line.js';
import type { RatingModel } from '../../../rules/rating/rating-model.js';
import { RowBytes } from '../../../rules/rating/row-bytes.js';
import type { Settings } from '../../../rules/workbook/rows.js';
import { assignment, customer, dest, holiday, model, numberRow, rate, settings, tariff, UK_BANDS, UK_DESTINATIONS } from './fixture-model.js';

const HEADER = 'id,start,duration,caller,called,extension,direction,cost';

function workbook(over: Partial<Settings> = {}): RatingModel {
  return model({
    settings: settings({ fraudMaxCallsPerMinute: 3, ...over }),
    customers: [
      customer('ACME'),
      customer('BETA', { tariff: '', markup: 25_000_000 }),
      customer('GONE', { status: 'Archived', archivedDate: null }),
      customer('FALL', { tariff: 'Thin', fallbackMarkup: 10_000_000 }),
      customer('=RISK', { tariff: 'Business' }),
    ],
    numbers: [
      numberRow('ACME', '020 7946 0000', { site: 'London, HQ' }),
      numberRow('ACME', '020 7946 0100', { rangeEnd: '020 7946 0199', site: 'Range' }),
      numberRow('ACME', '020 7946 0200', { altCdrNumbers: ['0161 496 0000'] }),
      numberRow('ACME', '020 7946 0250', { rangeEnd: '020 7946 0259' }),
      numberRow('ACME', '020 7946 0300', { extension: '12' }),
      numberRow('BETA', '0161 496 1000', { site: '"Quoted" site' }),
      numberRow('GONE', '0161 496 2000'),
      numberRow('FALL', '0161 496 3000', { droppedDate: '2026-10-15' }),
      numberRow('=RISK', '0161 496 4000', { site: 'Café' }),
      numberRow('ACME', '0161 496 5000', { dateSold: '2026-10-10' }),
      numberRow('ACME', '0161 496 6000', { direction: 'Inbound' }),
    ],
    destinations: [...UK_DESTINATIONS, dest('4420', 'London', 'National'), dest('150', 'Customer Services', 'ServiceNumbers'), dest('44207946', '=London, Inner', 'Bespoke1')],
    tariffs: [tariff('Business', { chargeDecimals: 2, rounding: 'HalfEven' }), tariff('Thin'), tariff('Mobile', { rounding: 'Up' })],
    rates: [
      rate('Business', 'UK Geographic', '0.0125', { band: 'Peak' }),
      rate('Business', 'UK Geographic', '0.01', { band: 'OffPeak', fee: '0.05', min: '0.07' }),
      rate('Business', 'London', '0.02', { initial: 60, increment: 30 }),
      rate('Business', 'London', '0.01', { from: 120, increment: 60 }),
      rate('Business', 'UK Mobile', '1.15', { max: '3', effectiveTo: '2026-10-20' }),
      rate('Business', 'USA', '0.5', { band: 'Weekend' }),
      rate('Business', 'Customer Services', '0'),
      rate('Business', '=London, Inner', '0.333333'),
      rate('Mobile', 'UK Mobile', '0.1'),
      rate('Thin', 'France', '0.2'),
    ],
    tariffAssignments: [assignment('ACME', { callClass: 'Mobile', tariff: 'Mobile' }), assignment('ACME', { number: '020 7946 0255', markup: '5' })],
    timeBands: [...UK_BANDS],
    holidays: [holiday('2026-10-26')],
  });
}

/** A field's usual values and odd ones: lines mostly of usual values, sometimes odd, meet both; lines of usual values only are what the lane is for. */
type Field = { usual: string[]; odd: string[] };
const field = (usual: string[], odd: string[]): Field => ({ usual, odd });
const mixed = (f: Field) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...f.usual) }, { weight: 1, arbitrary: fc.constantFrom(...f.odd) });
const plain = (f: Field) => fc.constantFrom(...f.usual);
/** Numbers as switches write them, owned and not. */
const callers = field(
  ['442079460000', '02079460000', '+442079460000', '00442079460000', '+4402079460000', '442079460160', '442079460101', '442079460200', '441614960000', '441614961000', '441614963000', '441614964000', '441614965000'],
  ['+44(0)2079460000', '020 7946 0000', ' 442079460000', '442079460255', '442079460300', '441614962000', '441614966000', '442079469999', '4420794600001234', 'anonymous', '', '+', '0'],
);
const called = field(
  ['441614961234', '01614961234', '+441614961234', '07700900123', '447700900123', '442079461234', '02079461234', '15551234567', '0015551234567', '33123456789', '999', '150', '118118'],
  ['0044 20 7946 1234', '0800123456', '88216978120', '123', '00', '1234567890123456'],
);
const starts = field(
  ['2026-10-05 10:00:00', '2026-10-05 17:59:30', '2026-10-05T18:00:00', '2026-10-03 12:00:00', '2026-10-26 09:00:00', '2026-10-05 10:00:00Z', '2026-10-05T10:00:00+02:00', '2026-10-05 10:00', '2026-10-05 10:00:00.75', '2026-10-21 08:00:00', '2026-10-12 23:59:59', '2024-12-31 10:00:00'],
  ['2026-10-25 01:30:00', '2026-03-29 01:30:00', '2026-10-05', 'yesterday', '', ' 2026-10-05 10:00:00'],
);
const durations = field(['0', '1', '6', '59', '60', '61', '119', '121', '600', '3601', '999999999'], ['1000000000', '7.5', '-3', 'x', '', ' 60']);
const directions = field(['', 'out', 'OUT', 'Out'], ['in', 'IN', 'sideways', ' out']);
const costs = field(['', '0', '0.1', '0.0125', '1.5', '1.123456'], ['2.', '.5', '1.1234567', '-1', 'abc', '1000000000.5', '0.0000001']);
const ids = field(['', 'c1', 'c2', '=cmd', '-x', '@a', '+1', 'a b'], [' c1', 'c1 ']);
const extensions = field([''], ['12', '99', ' 12']);

const extra = field(['', ',x'], [',"q"']);
const lineOf = (pick: (f: Field) => fc.Arbitrary<string>) =>
  fc
    .record({ id: pick(ids), start: pick(starts), duration: pick(durations), caller: pick(callers), called: pick(called), extension: pick(extensions), direction: pick(directions), cost: pick(costs), extra: pick(extra) })
    .map((r) => [r.id, r.start, r.duration, r.caller, r.called, r.extension, r.direction, r.cost].join(',') + r.extra);
const line = lineOf(mixed);
const usualLine = lineOf(plain);
const garbled = fc.oneof({ weight: 6, arbitrary: line }, line.map((l) => l.slice(0, l.length - 3)), line.map((l) => l.replace(',', '","')), line.map((l) => l + '\u00e9'));

function laneFor(m: RatingModel, keepCalls = false): PlainLane {
  const format = compileFormat('generic', HEADER.split(','), [], m.zone);
  if (!format.ok) throw new Error(format.error);
  const lane = PlainLane.for(m, format.value.plain, format.value.zone, 'calls.csv', keepCalls);
  if (lane === null) throw new Error('no lane for the generic format');
  return lane;
}

/** Lines the lane declined but had read (so the full path went on from the lane's reading), by what became of them. */
const readByLane = new Map<string, number>();

function compare(m: RatingModel, lines: string[]): { taken: number; rated: number } {
  const format = compileFormat('generic', HEADER.split(','), [], m.zone);
  if (!format.ok) throw new Error(format.error);
  // The full path keeps its calls (as for the billing run), so the lane's can be held to them too.
  const ctx = lineContext(m, mediationContext('calls.csv', m.settings, format.value), true, false);
  const lane = laneFor(m);
  const keeping = laneFor(m, true);
  let taken = 0;
  let rated = 0;
  // The lane reads each line in place in the text of them all, as in a chunk the reader read: a
  // quote or comma on a neighbouring line must not change what it makes of this one.
  const source = lines.join('\n');
  const starts: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) starts.push(at);
  for (let i = 0; i < lines.length; i++) {
    const a0 = starts[i];
    const b0 = a0 + lines[i].length;
    const full = new RowBytes(64);
    const fast = new RowBytes(64);
    const key = new RowBytes(64);
    const r = rateLine(ctx, i + 2, splitCsvLine(lines[i]), emptyResult(), full);
    if (r.kind === 'rated') rated++;
    if (!lane.rate(source, a0, b0, i + 2, fast, key)) {
      if (process.env.LANE_DEBUG && r.kind === 'rated') console.log('declined', lines[i]);
      expect(fast.pos + key.pos).toBe(0);
      // What the lane read of a line it declined takes the full path's place in mediation: the
      // result and any row are the full path's all the same.
      const what = `declined line ${JSON.stringify(lines[i])}`;
      const read = lane.declined(source, a0, i + 2);
      if (read !== null) readByLane.set(r.kind === 'rated' ? 'rated' : r.reason, (readByLane.get(r.kind === 'rated' ? 'rated' : r.reason) ?? 0) + 1);
      const via = rateDeclined(ctx, lane, i + 2, source, a0, b0, splitCsvLine(lines[i]), emptyResult(), fast);
      expect({ ...via }, what).toEqual({ ...r });
      expect(Buffer.from(fast.bytes()).toString('utf8'), what).toBe(Buffer.from(full.bytes()).toString('utf8'));
      continue;
    }
    taken++;
    const a = lane.answer;
    const what = `line ${JSON.stringify(lines[i])}`;
    expect(r.kind, what).toBe('rated');
    expect(Buffer.from(fast.bytes()).toString('utf8'), what).toBe(Buffer.from(full.bytes()).toString('utf8'));
    // With no fraud rule on, the run reads no fraud number: the lane does not make one.
    const fraudOn = m.settings.fraudMaxCallsPerMinute > 0 || (m.settings.fraudShortCallSeconds > 0 && m.settings.fraudShortCallsPerDay > 0);
    const fraudNumber =
      a.fraudId >= 0 ? String(m.fraudNumberValues[a.fraudId]).slice(1) : !Number.isNaN(a.fraudValue) ? String(a.fraudValue).slice(1) : a.fraudText === '' ? null : a.fraudText;
    expect([a.startMs, a.duration, a.day, a.charge, Number.isNaN(a.cost) ? null : a.cost, Buffer.from(key.bytes()).toString('latin1'), fraudNumber], what).toEqual([
      r.startMs, r.duration, r.day, r.charge, r.cost, r.dedupeKey, fraudOn ? r.fraudNumber : null,
    ]);
    expect(a.call, what).toBeNull();
    expect(keeping.rate(lines[i], 0, lines[i].length, i + 2, new RowBytes(64), new RowBytes(64)), what).toBe(true);
    expect(keeping.answer.call, what).toEqual(r.call);
  }
  return { taken, rated };
}

describe('the rating fast lane', () => {
  it('rates the usual line exactly as the full path does (row, charge, dedupe key, fraud number)', () => {
    const m = workbook();
    const lines = [
      'c1,2026-10-05 10:00:00,90,02079460000,01614961234,,out,0.02',
      ',2026-10-05 18:30:00,7,442079460160,+441614961234,,,',
      'c3,2026-10-05T10:00:00+01:00,61,00442079460000,07700900123,,OUT,1.5',
      '=cmd,2026-10-03 12:00:00,600,441614960000,15551234567,,out,',
      'c5,2026-10-05 10:00:00,45,441614961000,07700900123,,out,0.2',
      'c6,2026-10-05 10:00:00,45,441614964000,02079461234,,out,0.2',
      'c7,2026-10-05 10:00:00,0,441614963000,33123456789,,out,0',
    ];
    const { taken, rated } = compare(m, lines);
    expect(rated).toBe(lines.length);
    expect(taken).toBe(lines.length);
  });

  it('declines what it does not know and leaves it to the full path (inbound, extensions, quotes, punctuation, clock changes)', () => {
    const m = workbook();
    const declined = [
      'c1,2026-10-05 10:00:00,90,02079460000,01614961234,,in,0.02',
      'c1,2026-10-05 10:00:00,90,442079460300,01614961234,12,out,0.02',
      '"c1",2026-10-05 10:00:00,90,02079460000,01614961234,,out,0.02',
      'c1,2026-10-05 10:00:00,90,020 7946 0000,01614961234,,out,0.02',
      'c1,2026-10-25 01:30:00,90,02079460000,01614961234,,out,0.02',
      'c1,2026-10-05 10:00:00,90,442079469999,01614961234,,out,0.02',
    ];
    const lane = laneFor(m);
    for (const l of declined) expect(lane.rate(l, 0, l.length, 2, new RowBytes(64), new RowBytes(64)), l).toBe(false);
  });

  it('hands the full path its own reading of a line it declines after reading it, which ends as the full path ends it', () => {
    const m = workbook();
    const cases: [string, string][] = [
      ['c1,2026-10-05 10:00:00,-90,02079460000,01614961234,,out,0.02', 'INVALID_RECORD'],
      ['c1,2026-10-05 10:00:00,1000000001,anonymous,01614961234,,out,', 'INVALID_RECORD'],
      ['c1,2026-10-05 10:00:00,90,442079469999,01614961234,,out,0.02', 'UNKNOWN_NUMBER'],
      ['c1,2026-10-05 10:00:00,90,441614966000,01614961234,,out,0.02', 'UNKNOWN_NUMBER'],
      ['c1,2026-10-05 10:00:00,90,441614962000,01614961234,,out,0.02', 'NUMBER_INACTIVE'],
      ['c1,2026-10-05 10:00:00,90,02079460000,88216978120,,out,0.02', 'UNKNOWN_DESTINATION'],
      ['c1,2026-10-05 10:00:00,90,02079460000,0800123456,,out,', 'NO_RATE'],
      // A number with its own tariff assignment: the lane leaves it to the full path, which rates it.
      ['c1,2026-10-05 10:00:00,90,442079460255,01614961234,,out,0.02', 'rated'],
    ];
    const lane = laneFor(m);
    for (const [l, end] of cases) {
      expect(lane.rate(l, 0, l.length, 2, new RowBytes(64), new RowBytes(64)), l).toBe(false);
      expect(lane.declined(l, 0, 2), l).not.toBeNull();
      // The reading is of that line only.
      expect(lane.declined(l + ' ', 0, 2), l).toBeNull();
    }
    const before = new Map(readByLane);
    compare(m, cases.map(([l]) => l));
    for (const [, end] of cases) expect((readByLane.get(end) ?? 0) - (before.get(end) ?? 0), end).toBeGreaterThan(0);
  });

  it('agrees with the full path on any line, and takes every usual line that rates', () => {
    for (const over of [{}, { bandSplit: 'Split' as const, chargeDecimals: 6, rounding: 'Down' as const }, { nationalPrefix: '', shortCodeDigits: 0 }, { internationalPrefix: '011', fraudMaxCallsPerMinute: 0 }]) {
      const m = workbook(over);
      fc.assert(
        fc.property(fc.array(garbled, { minLength: 1, maxLength: 30 }), (lines) => void compare(m, lines)),
        { numRuns: 150 },
      );
      // The lane is there to take the usual call: of lines of usual values that rate, it takes
      // every one (a fixed seed, so that the count is the same on every run).
      let taken = 0;
      let rated = 0;
      fc.assert(
        fc.property(fc.array(usualLine, { minLength: 1, maxLength: 30 }), (lines) => {
          const c = compare(m, lines);
          taken += c.taken;
          rated += c.rated;
        }),
        { numRuns: 100, seed: 2026 },
      );
      expect(rated).toBeGreaterThan(100);
      expect(taken).toBe(rated);
    }
    // The lane's reading stood in for mediation for the usual exceptions (and for calls it leaves
    // to the full path to price), so the comparisons above met them.
    for (const what of ['INVALID_RECORD', 'UNKNOWN_NUMBER', 'NUMBER_INACTIVE', 'UNKNOWN_DESTINATION', 'NO_RATE']) expect(readByLane.get(what) ?? 0, what).toBeGreaterThan(20);
  });
});

describe('a plain lane exists only where it can', () => {
  it('is made for the generic format, not for asterisk or freeswitch', () => {
    const m = workbook();
    const generic = compileFormat('generic', HEADER.split(','), [], m.zone);
    const asterisk = compileFormat('asterisk', null, [], m.zone);
    expect(generic.ok && PlainLane.for(m, generic.value.plain, generic.value.zone, 'x')).not.toBeNull();
    expect(asterisk.ok && PlainLane.for(m, asterisk.value.plain, asterisk.value.zone, 'x')).toBeNull();
  });
});
