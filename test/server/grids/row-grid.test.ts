import { describe, expect, it } from 'vitest';
import { parseGridQuery } from '../../../server/grids/grid-query.js';
import { pageRows } from '../../../server/grids/row-grid.js';

const rows = [
  { name: 'a', amount: '10.5' },
  { name: 'b', amount: '9.999999' },
  { name: 'c', amount: '' },
  { name: 'd', amount: '-0.000001' },
  { name: 'e', amount: '10.500001' },
];
const columns = ['name', 'amount'];
const numeric = new Set(['amount']);
const page = (qs: string) => pageRows(rows, parseGridQuery(`/x?${qs}`, columns, numeric), numeric);

describe('pageRows', () => {
  it('sorts a money column by its exact value; descending is ascending reversed (blanks first), as the column grid does', () => {
    expect(page('sort=amount:asc').rows.map((r) => r.name)).toEqual(['d', 'b', 'a', 'e', 'c']);
    expect(page('sort=amount:desc').rows.map((r) => r.name)).toEqual(['c', 'e', 'a', 'b', 'd']);
  });

  it('filters by a range and by text, and pages', () => {
    expect(page('filter[amount]=>=10').rows.map((r) => r.name)).toEqual(['a', 'e']);
    expect(page('filter[amount]=>=0,<=10&sort=amount:desc')).toEqual({ total: 1, rows: [rows[1]] });
    expect(page('filter[name]=E')).toEqual({ total: 1, rows: [rows[4]] });
    expect(page('sort=name:desc&offset=1&limit=2')).toEqual({ total: 5, rows: [rows[3], rows[2]] });
  });
});
