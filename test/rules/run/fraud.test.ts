import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cdr } from '../../../rules/cdr/cdr.js';
import { dayFromYmd, formatDay } from '../../../rules/day.js';
import { FraudWatch } from '../../../rules/run/fraud.js';
import type { Settings } from '../../../rules/workbook/rows.js';

const NUM = '442079460001';
const T0 = Date.parse('2026-10-03T09:00:00Z');
const DAY = dayFromYmd(2026, 10, 3);
const s = (n: number): number => T0 + n * 1000;

const perMinute = (n: number): FraudWatch => new FraudWatch({ maxCallsPerMinute: n, shortCallSeconds: 0, shortCallsPerDay: 0 });
const shortCalls = (seconds: number, perDay: number): FraudWatch => new FraudWatch({ maxCallsPerMinute: 0, shortCallSeconds: seconds, shortCallsPerDay: perDay, zone: 'Europe/London' });

const cdr = (startMs: number, duration: number, direction: 'out' | 'in' = 'out'): Cdr => ({
  kind: 'cdr', file: 'calls.csv', line: 2, id: '', startMs, duration, answered: duration > 0, caller: NUM, called: '447700900123', callerN: NUM, calledN: '447700900123',
  calledShort: false, extension: '', direction, cost: null,
});

describe('fraud: calls per minute', () => {
  it('flags a call when the number has more than N calls in [start − 59 s, start], this one included', () => {
    const f = perMinute(3);
    const got = [0, 10, 20, 59, 60, 120, 180].map((sec, i) => f.observe(NUM, s(sec), 30, DAY, i));
    expect(got).toEqual([
      null,
      null,
      null,
      // 0, 10, 20, 59: four within 59 s
      `${NUM} made 4 calls within a minute (limit 3)`,
      // [1 s, 60 s] holds 10, 20, 59, 60
      `${NUM} made 4 calls within a minute (limit 3)`,
      // [61 s, 120 s] holds 120 only
      null,
      null,
    ]);
    expect([...f.verdicts()]).toEqual([
      [3, `${NUM} made 4 calls within a minute (limit 3)`],
      [4, `${NUM} made 4 calls within a minute (limit 3)`],
    ]);
  });
  it('counts per owning number, and calls at the same second count each other', () => {
    const f = perMinute(2);
    expect(f.observe(NUM, s(0), 5, DAY, 0)).toBeNull();
    expect(f.observe('442079460002', s(0), 5, DAY, 1)).toBeNull();
    expect(f.observe(NUM, s(0), 5, DAY, 2)).toBeNull();
    expect(f.observe(NUM, s(0), 5, DAY, 3)).toBe(`${NUM} made 3 calls within a minute (limit 2)`);
    // every one of the three started at the same second: all of them have 3 in their window
    expect([...f.verdicts().keys()].sort()).toEqual([0, 2, 3]);
  });
  it('gives the same verdicts whatever order the calls arrive in (two files overlapping in time)', () => {
    const starts = [0, 5, 10, 15, 62, 70, 75, 80, 140, 141, 142, 143, 500];
    const inOrder = perMinute(3);
    starts.forEach((sec, i) => inOrder.observe(NUM, s(sec), 10, DAY, i));
    const mixed = perMinute(3);
    // file B (the odd calls) first, then file A
    const order = [...starts.keys()].filter((i) => i % 2 === 1).concat([...starts.keys()].filter((i) => i % 2 === 0));
    const early = order.map((i) => mixed.observe(NUM, s(starts[i]), 10, DAY, i));
    expect(mixed.verdicts()).toEqual(inOrder.verdicts());
    // in time order, observe() is already final; out of order, verdicts() adds what later lines condemn
    const inOrderEarly = new Set(starts.map((_, i) => i).filter((i) => inOrder.verdicts().has(i)));
    expect(inOrderEarly).toEqual(inOrder.flagged());
    expect(early.filter((w) => w !== null).length).toBeLessThan(mixed.flagged().size);
    expect(mixed.isFlagged(3)).toBe(true);
    expect(mixed.reason(3)).toBe(`${NUM} made 4 calls within a minute (limit 3)`);
    expect(mixed.isFlagged(12)).toBe(false);
  });
  it('matches a brute-force count for any calls in any order', () => {
    const call = fc.record({ number: fc.constantFrom('A', 'B'), sec: fc.integer({ min: 0, max: 400 }) });
    fc.assert(
      fc.property(fc.array(call, { maxLength: 120 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (calls, n, seed) => {
        const f = perMinute(n);
        // a shuffled arrival order; indexes stay the calls' own
        const order = calls.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b);
        const early = new Map<number, string>();
        for (const i of order) {
          const why = f.observe(calls[i].number, s(calls[i].sec), 10, DAY, i);
          if (why) early.set(i, why);
        }
        const expected = new Map<number, string>();
        calls.forEach((c, i) => {
          const count = calls.filter((o) => o.number === c.number && o.sec <= c.sec && o.sec >= c.sec - 59).length;
          if (count > n) expected.set(i, `${c.number} made ${count} calls within a minute (limit ${n})`);
        });
        expect(f.verdicts()).toEqual(expected);
        // whatever observe() flagged early, the run flags too
        for (const i of early.keys()) expect(expected.has(i)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
  it('answers the same for a number given by seeded id, by value or by text, in any mix', () => {
    const numbers = ['441610000001', '441610000002', '07700900123', '1'];
    const values = Float64Array.from(numbers.map((t) => 10 ** t.length + Number(t)));
    const call = fc.record({ k: fc.integer({ min: 0, max: 3 }), how: fc.constantFrom('id', 'value', 'text'), sec: fc.integer({ min: 0, max: 200 }) });
    fc.assert(
      fc.property(fc.array(call, { maxLength: 80 }), (calls) => {
        const seeded = perMinute(2);
        seeded.seedNumbers(values);
        const plain = perMinute(2);
        calls.forEach((c, i) => {
          const why =
            c.how === 'id' ? seeded.observeSeeded(c.k, s(c.sec), 10, DAY, i) : c.how === 'value' ? seeded.observeValue(values[c.k], s(c.sec), 10, DAY, i) : seeded.observe(numbers[c.k], s(c.sec), 10, DAY, i);
          expect(why).toBe(plain.observe(numbers[c.k], s(c.sec), 10, DAY, i));
        });
        expect(seeded.verdicts()).toEqual(plain.verdicts());
      }),
      { numRuns: 200 },
    );
    const late = perMinute(2);
    late.observe('441610000001', s(0), 10, DAY, 0);
    expect(() => late.seedNumbers(values)).toThrow(/after observing/);
    expect(() => perMinute(2).seedNumbers(Float64Array.from([values[0], values[0]]))).toThrow(/repeat/);
  });
  it('keeps up with a large number fed by two interleaved files', () => {
    const f = perMinute(1000);
    const n = 200_000;
    let flagged = 0;
    // file A: every even second of the period; then file B: every odd second, in order
    for (let i = 0; i < n; i++) if (f.observe(NUM, s(2 * i), 1, DAY, i)) flagged++;
    for (let i = 0; i < n; i++) if (f.observe(NUM, s(2 * i + 1), 1, DAY, n + i)) flagged++;
    expect(flagged).toBe(0);
    expect(f.verdicts().size).toBe(0);
  });
});

describe('fraud: short calls per day', () => {
  it('flags all of a number\'s short calls on a day once there are more than K of them', () => {
    const f = new FraudWatch({ maxCallsPerMinute: 0, shortCallSeconds: 6, shortCallsPerDay: 2 });
    const got = [
      f.observe(NUM, s(0), 6, DAY, 0),
      f.observe(NUM, s(600), 0, DAY, 1), // unanswered: not a short call
      f.observe(NUM, s(700), 7, DAY, 2), // longer than S
      f.observe(NUM, s(800), 1, DAY, 3),
      f.observe(NUM, s(900), 3, DAY + 1, 4), // another day
      f.observe('442079460002', s(950), 3, DAY, 5), // another number
      f.observe(NUM, s(1000), 2, DAY, 6),
    ];
    expect(got).toEqual([null, null, null, null, null, null, `${NUM} made 3 calls of 6 s or less on 2026-10-03 (limit 2)`]);
    // the first two only a later call could condemn: the whole run flags all three
    const why = `${NUM} made 3 calls of 6 s or less on 2026-10-03 (limit 2)`;
    expect([...f.verdicts()].sort((a, b) => a[0] - b[0])).toEqual([[0, why], [3, why], [6, why]]);
    expect(f.flagged()).toEqual(new Set([0, 3, 6]));
  });
  it('needs both S and K; a rule that is off stores and flags nothing', () => {
    const f = new FraudWatch({ maxCallsPerMinute: 0, shortCallSeconds: 6, shortCallsPerDay: 0 });
    expect(f.active).toBe(false);
    for (let i = 0; i < 50; i++) expect(f.observe(NUM, s(i), 1, DAY, i)).toBeNull();
    expect(f.verdicts().size).toBe(0);
    expect(new FraudWatch({ maxCallsPerMinute: 0, shortCallSeconds: 0, shortCallsPerDay: 5 }).active).toBe(false);
    expect(perMinute(1).active).toBe(true);
    expect(shortCalls(6, 1).active).toBe(true);
  });
  it('counts calls by the local day of their start (observeCall), and never an inbound call', () => {
    const f = shortCalls(6, 1);
    // 23:30 UTC on 3 October is 00:30 on the 4th in London (BST)
    expect(f.observeCall(NUM, cdr(Date.parse('2026-10-03T22:30:00Z'), 3), 0)).toBeNull();
    expect(f.observeCall(NUM, cdr(Date.parse('2026-10-03T23:30:00Z'), 3), 1)).toBeNull();
    expect(f.observeCall(NUM, cdr(Date.parse('2026-10-04T08:00:00Z'), 3, 'in'), 2)).toBeNull();
    expect(f.observeCall(NUM, cdr(Date.parse('2026-10-04T09:00:00Z'), 3), 3)).toBe(`${NUM} made 2 calls of 6 s or less on 2026-10-04 (limit 1)`);
    expect(f.flagged()).toEqual(new Set([1, 3]));
    expect(() => perMinute(1).observeCall(NUM, cdr(T0, 3), 0)).toThrow(/zone/);
  });
  it('gives the per-minute reason when both rules flag a call, and builds from Settings', () => {
    const settings = { fraudMaxCallsPerMinute: 1, fraudShortCallSeconds: 6, fraudShortCallsPerDay: 1, timezone: 'Europe/London' } as Settings;
    const f = FraudWatch.fromSettings(settings);
    expect(f.observeCall(NUM, cdr(T0, 2), 0)).toBeNull();
    expect(f.observeCall(NUM, cdr(T0 + 10_000, 2), 1)).toBe(`${NUM} made 2 calls within a minute (limit 1)`);
    expect(f.observeCall(NUM, cdr(T0 + 3_600_000, 2), 2)).toBe(`${NUM} made 3 calls of 6 s or less on 2026-10-03 (limit 1)`);
    expect([...f.verdicts()].sort((a, b) => a[0] - b[0])).toEqual([
      [0, `${NUM} made 3 calls of 6 s or less on 2026-10-03 (limit 1)`],
      [1, `${NUM} made 2 calls within a minute (limit 1)`],
      [2, `${NUM} made 3 calls of 6 s or less on 2026-10-03 (limit 1)`],
    ]);
  });
});

describe('fraud: against a brute-force oracle', () => {
  // Numbers the digits table holds and texts it hands to the key table (leading zeros, 16 digits, '').
  const numbers = ['442079460001', '0442079460001', '1234567890123456', 'anon', ''];
  const call = fc.record({ number: fc.constantFrom(...numbers), sec: fc.integer({ min: 0, max: 300 }), duration: fc.integer({ min: 0, max: 8 }), day: fc.integer({ min: 0, max: 1 }) });
  type Call = { number: string; sec: number; duration: number; day: number };

  /** The whole run's verdicts, straight from SPEC §2 step 5. */
  function oracle(calls: Call[], n: number, sec: number, perDay: number): Map<number, string> {
    const out = new Map<number, string>();
    calls.forEach((c, i) => {
      if (n === 0) return;
      const count = calls.filter((o) => o.number === c.number && o.sec <= c.sec && o.sec >= c.sec - 59).length;
      if (count > n) out.set(i, `${c.number} made ${count} calls within a minute (limit ${n})`);
    });
    calls.forEach((c, i) => {
      if (sec === 0 || perDay === 0 || out.has(i) || c.duration === 0 || c.duration > sec) return;
      const count = calls.filter((o) => o.number === c.number && o.day === c.day && o.duration > 0 && o.duration <= sec).length;
      if (count > perDay) out.set(i, `${c.number} made ${count} calls of ${sec} s or less on ${formatDay(DAY + c.day)} (limit ${perDay})`);
    });
    return out;
  }

  /** Arrival orders: time order (ties by index), two interleaved files, or shuffled. */
  const arrival = fc.constantFrom('time', 'files', 'shuffled');
  function order(calls: Call[], how: string, seed: number): number[] {
    const idx = calls.map((_, i) => i);
    if (how === 'time') return idx.sort((a, b) => calls[a].sec - calls[b].sec || a - b);
    if (how === 'files') {
      const byTime = idx.sort((a, b) => calls[a].sec - calls[b].sec || a - b);
      return byTime.filter((i) => (i + seed) % 2 === 0).concat(byTime.filter((i) => (i + seed) % 2 !== 0));
    }
    return idx.sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b);
  }

  it('gives the oracle\'s verdicts in any arrival order; observe flags only what the run flags, exactly so in time order', () => {
    fc.assert(
      fc.property(fc.array(call, { maxLength: 150 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 4 }), arrival, fc.nat(), (calls, n, sec, perDay, how, seed) => {
        const f = new FraudWatch({ maxCallsPerMinute: n, shortCallSeconds: sec, shortCallsPerDay: perDay });
        const expected = oracle(calls, n, sec, perDay);
        const arrived: number[] = [];
        for (const i of order(calls, how, seed)) {
          const c = calls[i];
          const why = f.observe(c.number, s(c.sec), c.duration, DAY + c.day, i);
          arrived.push(i);
          // the oracle over the calls seen so far: observe may say less (out of order), never more
          const sofar = oracle(arrived.map((k) => calls[k]), n, sec, perDay).get(arrived.length - 1) ?? null;
          if (why !== null) expect(expected.has(i)).toBe(true);
          if (how === 'time') expect(why).toBe(sofar);
          else if (why !== null) {
            // Out of time order it may prove less than the calls so far show, never more; when
            // both rules hold it may name the other one.
            const seen = arrived.map((k) => calls[k]);
            const count = (w: string): number => Number(/made (\d+) calls/.exec(w)![1]);
            if (/within a minute/.test(why)) {
              const minute = oracle(seen, n, 0, 0).get(seen.length - 1) ?? null;
              expect(minute).not.toBeNull();
              expect(why.replace(/\d+ calls/, '')).toBe(minute!.replace(/\d+ calls/, ''));
              expect(count(why)).toBeLessThanOrEqual(count(minute!));
            } else {
              expect(why).toBe(oracle(seen, 0, sec, perDay).get(seen.length - 1) ?? null);
            }
          }
        }
        expect(f.verdicts()).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });
  it('starts over when observing after verdicts()', () => {
    const f = perMinute(1);
    f.observe(NUM, s(10), 5, DAY, 0);
    expect(f.verdicts().size).toBe(0);
    expect(f.observe(NUM, s(0), 5, DAY, 1)).toBeNull();
    expect([...f.verdicts()]).toEqual([[0, `${NUM} made 2 calls within a minute (limit 1)`]]);
    f.observe(NUM, s(10), 5, DAY, 2);
    expect(f.verdicts().get(0)).toBe(`${NUM} made 3 calls within a minute (limit 1)`);
    expect(f.reason(2)).toBe(`${NUM} made 3 calls within a minute (limit 1)`);
  });
  it('keeps up with a flood of one number at one second, and with 200,000 numbers shuffled', () => {
    const f = perMinute(3);
    let flagged = 0;
    for (let i = 0; i < 100_000; i++) if (f.observe(NUM, s(0), 1, DAY, i)) flagged++;
    expect(flagged).toBe(100_000 - 3);
    expect(f.verdicts().size).toBe(100_000);
    expect(f.reason(0)).toBe(`${NUM} made 100000 calls within a minute (limit 3)`);
    const g = perMinute(2);
    for (let i = 0; i < 400_000; i++) g.observe(String(442000000000 + ((i * 7919) % 200_000)), s((i * 104_729) % 86_400), 1, DAY, i);
    // each number has two calls, ~43,000 s apart
    expect(g.verdicts().size).toBe(0);
  });
});

describe('fraud: numbers given by value (the rating fast lane)', () => {
  it('counts a number given as text and as its value (10^digits + number) as one, and names it in the reason', () => {
    const w = new FraudWatch({ maxCallsPerMinute: 2, shortCallSeconds: 0, shortCallsPerDay: 0 });
    const t = Date.UTC(2026, 9, 5, 10);
    expect(w.observe('442079460000', t, 60, 0, 0)).toBeNull();
    expect(w.observeValue(1e12 + 442079460000, t + 1000, 60, 0, 1)).toBeNull();
    expect(w.observeValue(1e12 + 442079460000, t + 2000, 60, 0, 2)).toBe('442079460000 made 3 calls within a minute (limit 2)');
    // A leading zero is kept by the length: 10^4 + 0123 is "0123", not "123".
    expect(w.observeValue(1e4 + 123, t, 60, 0, 3)).toBeNull();
    expect(w.observe('123', t, 60, 0, 4)).toBeNull();
    expect(w.observe('0123', t, 60, 0, 5)).toBeNull();
    expect(w.observe('0123', t, 60, 0, 6)).toBe('0123 made 3 calls within a minute (limit 2)');
  });
});
