import { describe, expect, it } from 'vitest';
import { compareGroups, moneyText, RatedTotals } from '../../../rules/rating/what-if.js';

const call = (account: string, charge: number, cost: number | null = null, callClass = 'National', destination = 'UK National') =>
  ({ account, callClass, destination, charge, cost }) as Parameters<RatedTotals['add']>[0];

describe('moneyText', () => {
  it('writes at least two decimals and no trailing zeros past them, exactly, negatives too', () => {
    expect(moneyText(348_947_400)).toBe('348.9474');
    expect(moneyText(12_500_000)).toBe('12.50');
    expect(moneyText(5_000_000)).toBe('5.00');
    expect(moneyText(0)).toBe('0.00');
    expect(moneyText(-1_200)).toBe('-0.0012');
    expect(moneyText(1)).toBe('0.000001');
  });
});

describe('compareGroups', () => {
  it('totals exact micro-units by customer and lists every group of either set, the biggest change first', () => {
    const before = new RatedTotals();
    const after = new RatedTotals();
    // 0.1 + 0.2 in binary floats is 0.30000000000000004; in micro-units it is 0.30.
    before.add(call('A', 100_000, 10));
    before.add(call('A', 200_000));
    before.add(call('B', 5_000_000));
    after.add(call('A', 100_000));
    after.add(call('A', 200_000));
    after.add(call('B', 4_000_000));
    after.add(call('C', 1_234_500, 7, 'Mobile', 'UK Mobile'));
    expect(before.all).toEqual({ calls: 3, charge: 5_300_000, cost: 10 });
    expect(compareGroups(before.byAccount, after.byAccount)).toEqual([
      { key: 'C', before: '0.00', after: '1.2345', change: '1.2345', callsBefore: 0, callsAfter: 1 },
      { key: 'B', before: '5.00', after: '4.00', change: '-1.00', callsBefore: 1, callsAfter: 1 },
      { key: 'A', before: '0.30', after: '0.30', change: '0.00', callsBefore: 2, callsAfter: 2 },
    ]);
    expect(compareGroups(before.byClass, after.byClass).map((g) => g.key)).toEqual(['Mobile', 'National']);
    expect(compareGroups(before.byDestination, after.byDestination).find((g) => g.key === 'UK National')!.change).toBe('-1.00');
  });

  it('orders equal changes by key, and an empty pair of sets compares to nothing', () => {
    const a = new RatedTotals();
    const b = new RatedTotals();
    b.add(call('Z', 1_000_000));
    b.add(call('M', 1_000_000));
    expect(compareGroups(a.byAccount, b.byAccount).map((g) => g.key)).toEqual(['M', 'Z']);
    expect(compareGroups(new Map(), new Map())).toEqual([]);
  });
});
