import { describe, expect, it } from 'vitest';
import { RatedByCustomer } from '../../../rules/rating/rated-by-customer.js';
import { RATED_HEADER } from '../../../rules/rating/call-rows.js';

/** A rated.csv row with the fields the tab reads. */
const row = (account: string, cls: string, billed: number, charge: string, cost: string): string[] => {
  const f: string[] = RATED_HEADER.map(() => '');
  f[RATED_HEADER.indexOf('account')] = account;
  f[RATED_HEADER.indexOf('class')] = cls;
  f[RATED_HEADER.indexOf('billed_seconds')] = String(billed);
  f[RATED_HEADER.indexOf('charge')] = charge;
  f[RATED_HEADER.indexOf('cost')] = cost;
  return f;
};

describe('Rated by customer', () => {
  it('sums per account and class exactly, charge at the ChargeDecimals, classes in their order, no total row', () => {
    const t = new RatedByCustomer();
    // 0.1 + 0.2 as floats is 0.30000000000000004: here it is 0.3000 exactly.
    expect(t.addCsvFields(row('BRIGHT02', 'Mobile', 60, '0.1000', '0.05'))).toBe(true);
    t.addCsvFields(row('BRIGHT02', 'Mobile', 120, '0.2000', '0.000001'));
    t.addCsvFields(row('ACME01', 'National', 30, '0.02', ''));
    t.addCsvFields(row('BRIGHT02', 'National', 7, '0.0015', '0.001'));
    t.addCsvFields(row('ACME01', 'International', 61, '1.25', '0.4'));
    const table = t.table();
    expect(table.name).toBe('Rated by customer');
    expect(table.columns.map((c) => c.header)).toEqual(['account', 'class', 'calls', 'seconds', 'charge', 'cost']);
    expect(table.columns[4]).toMatchObject({ kind: 'money', decimals: 4 });
    expect(table.rows).toEqual([
      ['ACME01', 'National', 1, 30, '0.02', null],
      ['ACME01', 'International', 1, 61, '1.25', '0.4'],
      ['BRIGHT02', 'National', 1, 7, '0.0015', '0.001'],
      ['BRIGHT02', 'Mobile', 2, 180, '0.3000', '0.050001'],
    ]);
  });

  it('refuses a row whose numbers cannot be read, adding nothing', () => {
    const t = new RatedByCustomer();
    expect(t.addCsvFields(row('A', 'National', 1, 'abc', ''))).toBe(false);
    expect(t.addCsvFields(['too', 'short'])).toBe(false);
    expect(t.table().rows).toEqual([]);
  });
});
