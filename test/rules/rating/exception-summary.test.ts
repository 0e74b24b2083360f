import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXCEPTION_REASONS, type CallException } from '../../../rules/cdr/cdr.js';
import { ExceptionSummary, USUAL_FIX } from '../../../rules/rating/exception-summary.js';
import { formatMicro } from '../../../rules/money.js';
import { TopCounter } from '../../../rules/rating/top-counter.js';

/** The counting the Summary tab always had: a Map up to the cap, then sorted by count and key. */
function referenceTop(keys: readonly string[], n: number, cap: number): string {
  const counts = new Map<string, number>();
  for (const k of keys) {
    if (k === '') continue;
    const c = counts.get(k);
    if (c !== undefined) counts.set(k, c + 1);
    else if (counts.size < cap) counts.set(k, 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([k, c]) => `${k} (${c})`)
    .join(', ');
}

const key = fc.oneof(
  fc.constantFrom('', '442079460001', '442079460002', '+44 20', 'Côte', '🙂', 'a', 'b', 'A', 'lone \ud800'),
  fc.stringMatching(/^44\d{1,3}$/),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

describe('TopCounter', () => {
  it('gives the n most frequent keys, ties by key, counting only the first cap distinct keys', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 400 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 300 }), (keys, n, cap) => {
        const c = new TopCounter(cap);
        for (const k of keys) c.add(k);
        expect(c.top(n)).toBe(referenceTop(keys, n, cap));
      }),
      { numRuns: 500 },
    );
  });

  it('stays exact past many table growths and at the default cap', () => {
    const keys: string[] = [];
    for (let i = 0; i < 60_000; i++) keys.push(String(442079460000 + ((i * 7_919) % 25_000)));
    // A known key seen often comes first; a key first seen past the cap is never counted.
    const known = keys[100];
    for (let i = 0; i < 500; i++) keys.push(known, '449999999999');
    const c = new TopCounter();
    for (const k of keys) c.add(k);
    expect(c.top(5)).toBe(referenceTop(keys, 5, 20_000));
    expect(c.top(1)).toMatch(new RegExp(`^${known} \\(50\\d\\)$`));
    expect(c.top(20_000)).not.toContain('449999999999');
  });
});

describe('ExceptionSummary', () => {
  it('has per reason the calls, seconds, cost, usual fix and most frequent numbers, normalised when known', () => {
    const e = (reason: CallException['reason'], caller: string, callerN: string | null, duration: number | null, cost: number | null): CallException => ({
      file: 'f.csv', line: 2, id: '', startMs: null, caller, called: '0207946000', callerN, calledN: callerN === null ? null : '442079460000', duration, cost, reason, detail: '',
    });
    const s = new ExceptionSummary();
    s.add(e('NO_RATE', '02079460001', '442079460001', 60, 1_500));
    s.add(e('NO_RATE', '02079460001', '442079460001', 30, null));
    s.add(e('NO_RATE', '02079460002', '442079460002', 5, 250));
    s.add(e('INVALID_RECORD', 'x', null, null, null));
    expect(s.total()).toBe(4);
    expect(s.counts()).toEqual({ NO_RATE: 3, INVALID_RECORD: 1 });
    expect(s.table().rows).toEqual([
      ['INVALID_RECORD', 1, 0, '0.0000', USUAL_FIX.INVALID_RECORD, 'x (1)', '0207946000 (1)'],
      ['NO_RATE', 3, 95, formatMicro(1_750, 4), USUAL_FIX.NO_RATE, '442079460001 (2), 442079460002 (1)', '442079460000 (3)'],
    ]);
  });

  it('lists the reasons in their fixed order whatever order they came in', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EXCEPTION_REASONS), { maxLength: 30 }), (reasons) => {
        const s = new ExceptionSummary();
        for (const reason of reasons) s.add({ file: '', line: 1, id: '', startMs: null, caller: '1', called: '2', duration: 1, cost: 1, reason, detail: '' });
        expect(s.table().rows.map((r) => r[0])).toEqual(EXCEPTION_REASONS.filter((r) => reasons.includes(r)));
        expect(s.table().rows.map((r) => r[1])).toEqual(EXCEPTION_REASONS.filter((r) => reasons.includes(r)).map((r) => reasons.filter((x) => x === r).length));
      }),
    );
  });
});
