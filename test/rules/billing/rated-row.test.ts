import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RatedCall } from '../../../rules/cdr/cdr.js';
import { csvLine } from '../../../rules/csv.js';
import { splitCsvLine } from '../../../rules/cdr/csv-split.js';
import { RATED_HEADER, ratedRow } from '../../../rules/rating/call-rows.js';
import { checkRatedHeader, parseOffsetIso, parseRatedRow } from '../../../rules/billing/rated-row.js';
import { CALL_CLASSES } from '../../../rules/workbook/rows.js';

/** A call as rated.csv writes it, split back into fields as a CSV reader would. */
const fieldsOf = (c: RatedCall, zone: string): string[] => splitCsvLine(csvLine(ratedRow(c, zone)).slice(0, -1))!;

const call = (over: Partial<RatedCall> = {}): RatedCall => ({
  file: 'calls.csv',
  line: 812,
  id: 'nwv-000001',
  startMs: Date.UTC(2026, 9, 3, 13, 5, 0),
  direction: 'out',
  caller: '442079460000',
  called: '441173212630',
  extension: '',
  account: 'ACME01',
  number: '442079460000',
  site: 'London',
  destination: 'UK National',
  callClass: 'National',
  band: 'Peak',
  tariff: 'Business',
  duration: 89,
  billedSeconds: 120,
  charge: 12_500,
  chargeDecimals: 4,
  cost: 5_900,
  method: 'rate',
  ...over,
});

describe('parseRatedRow', () => {
  it('reads a row back into the call it was written from', () => {
    const c = call();
    const fields = fieldsOf(c, 'Europe/London');
    expect(fields[3]).toBe('2026-10-03T14:05:00+01:00');
    expect(fields[17]).toBe('0.0125');
    expect(parseRatedRow(fields, 'rated.csv:2')).toEqual({ ok: true, value: c });
  });

  it('keeps the charge\'s decimals, a blank cost, and texts a spreadsheet could run', () => {
    const c = call({ charge: 3_000_000, chargeDecimals: 0, cost: null, site: '=HYPERLINK("x")', band: '-Peak', tariff: 'a,"b"', method: 'fallback', callClass: 'Surcharges' });
    const fields = fieldsOf(c, 'Europe/London');
    expect([fields[17], fields[18], fields[10]]).toEqual(['3', '', '\'=HYPERLINK("x")']);
    expect(parseRatedRow(fields, 'x:1')).toEqual({ ok: true, value: c });
    const negative = call({ charge: -500_000, chargeDecimals: 2 });
    expect(parseRatedRow(fieldsOf(negative, 'UTC'), 'x:1')).toEqual({ ok: true, value: negative });
  });

  it('reads offsets with seconds (local mean time) and years before 100', () => {
    const monrovia = call({ startMs: Date.UTC(1960, 0, 1, 12, 0, 0) });
    const fields = fieldsOf(monrovia, 'Africa/Monrovia');
    expect(fields[3]).toBe('1960-01-01T11:15:30-00:44:30');
    expect(parseRatedRow(fields, 'x:1')).toEqual({ ok: true, value: monrovia });
    const early = new Date(0);
    early.setUTCFullYear(50, 5, 1);
    expect(parseOffsetIso('0050-06-01T00:00:00+00:00')).toBe(early.getTime());
    expect(parseOffsetIso('2026-02-30T00:00:00+00:00')).toBeNull();
    expect(parseOffsetIso('2026-10-03 14:05:00')).toBeNull();
  });

  it('names the line and the column of a bad row, and never throws', () => {
    const good = fieldsOf(call(), 'UTC');
    const with_ = (i: number, v: string): string[] => good.map((f, k) => (k === i ? v : f));
    const cases: [string[], RegExp][] = [
      [good.slice(1), /row: has 19 fields/],
      [with_(1, 'x'), /^line:/],
      [with_(3, '2026-10-03'), /^start:/],
      [with_(4, 'sideways'), /^direction:/],
      [with_(12, 'Bespoke9'), /^class:/],
      [with_(15, '-1'), /^duration:/],
      [with_(16, '1.5'), /^billed_seconds:/],
      [with_(17, '0.1234567'), /^charge:/],
      [with_(17, 'free'), /^charge:/],
      [with_(17, ''), /^charge:/],
      [with_(18, '1e3'), /^cost:/],
      [with_(19, 'guess'), /^method:/],
    ];
    for (const [fields, message] of cases) {
      const r = parseRatedRow(fields, 'runs/3/rated.csv:812');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.at).toBe('runs/3/rated.csv:812');
        expect(r.error.message).toMatch(message);
      }
    }
  });

  it('checks the header', () => {
    expect(checkRatedHeader([...RATED_HEADER], 'rated.csv:1').ok).toBe(true);
    const r = checkRatedHeader(['file', 'line'], 'rated.csv:1');
    expect(r.ok).toBe(false);
  });

  it('reads back every call rated.csv can write (property)', () => {
    // Texts of any characters, but not a `'` before a risky character: the writer cannot tell those apart.
    const text = fc.string({ maxLength: 12, unit: 'binary' }).filter((s) => !/^'[=+\-@\t\r]/.test(s));
    const arb = fc.record({
      file: text,
      line: fc.nat({ max: 10_000_000 }),
      id: text,
      startMs: fc.integer({ min: -2_000_000_000, max: 4_000_000_000 }).map((s) => s * 1000),
      direction: fc.constantFrom('out' as const, 'in' as const),
      caller: text,
      called: text,
      extension: text,
      account: text,
      number: text,
      site: text,
      destination: text,
      callClass: fc.constantFrom(...CALL_CLASSES),
      band: text,
      tariff: text,
      duration: fc.nat({ max: 1_000_000 }),
      billedSeconds: fc.nat({ max: 1_000_000 }),
      chargeDecimals: fc.integer({ min: 0, max: 6 }),
      chargeUnits: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
      cost: fc.option(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 })),
      method: fc.constantFrom('rate' as const, 'markup' as const, 'fallback' as const),
      zone: fc.constantFrom('Europe/London', 'UTC', 'America/St_Johns', 'Asia/Kathmandu', 'Africa/Monrovia'),
    });
    fc.assert(
      fc.property(arb, ({ chargeUnits, zone, ...rest }) => {
        const c: RatedCall = { ...rest, charge: chargeUnits * 10 ** (6 - rest.chargeDecimals) };
        const r = parseRatedRow(fieldsOf(c, zone), 'p:1');
        expect(r).toEqual({ ok: true, value: c });
      }),
      { numRuns: 500 },
    );
  });
});
