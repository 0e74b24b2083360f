import { mkdtemp, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../../../rules/csv.js';
import { ColumnGrid, type ColumnKind, type GridRow } from '../../../server/grids/column-grid.js';
import { GridCache } from '../../../server/grids/grid-cache.js';
import { parseGridQuery, type GridQuery } from '../../../server/grids/grid-query.js';
import { pageRows } from '../../../server/grids/row-grid.js';
import { seededRandom } from '../../../workbooks/seeded-random.js';

const COLUMNS = ['file', 'line', 'caller', 'detail', 'charge', 'cost'] as const;
const KINDS: Record<string, ColumnKind> = { line: 'int', charge: 'money', cost: 'money' };
const NUMERIC = new Set(Object.keys(KINDS));

let dir: string;
let path: string;
/** The rows as the grid should give them back. */
let expected: GridRow[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-grid-'));
  path = join(dir, 'rated.csv');
  const r = seededRandom(11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  expected = [];
  let text = csvLine([...COLUMNS]);
  for (let i = 0; i < 2000; i++) {
    const row: GridRow = {
      file: pick(['a.csv', 'b.csv', 'Long file name number thirteen.csv']),
      line: r() < 0.05 ? null : Math.floor(r() * 500),
      caller: pick(['4420794600', '4416100000', '', 'Anon', 'anonymous caller with a long name']) + (r() < 0.5 ? String(Math.floor(r() * 10)) : ''),
      detail: pick(['add 44207 to Numbers', 'Rates: no row, "quoted", here', 'multi\nline', '', 'ÄÖÜ accents, émigré', '=HYPERLINK("x")', '-cmd', "'quoted'"]),
      charge: pick(['0.0125', '1.20', '12.5000', '0.0000', '3.3333', '-0.50']),
      cost: r() < 0.2 ? null : pick(['0.01', '0.5', '2', '0.0125']),
    };
    expected.push(row);
    text += csvLine(COLUMNS.map((c) => (row[c] === null ? '' : row[c])) as (string | number)[]);
  }
  await writeFile(path, text);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const q = (search: string): GridQuery => parseGridQuery(`/x?${search}`, COLUMNS, NUMERIC);

describe('ColumnGrid', () => {
  it('reads every row back as written: quoted fields, line breaks inside quotes, blanks', async () => {
    const grid = await ColumnGrid.load(path, KINDS);
    expect(grid.rows).toBe(expected.length);
    expect(grid.columns).toEqual([...COLUMNS]);
    expect((await grid.page(q('limit=1000'))).rows).toEqual(expected.slice(0, 1000));
    expect((await grid.page(q('offset=1990&limit=50'))).rows).toEqual(expected.slice(1990));
  });

  it('sorts and filters as the row grid does, for every column, both ways, and several at once', async () => {
    const grid = await ColumnGrid.load(path, KINDS);
    const queries = [
      ...COLUMNS.flatMap((c) => [`sort=${c}:asc`, `sort=${c}:desc`]),
      'sort=file:asc&sort=charge:desc',
      'sort=caller:desc,line:asc,cost:desc',
      'filter[caller]=anon',
      'filter[detail]=%C3%A9migr',
      'filter[file]=LONG&sort=line:desc',
      'filter[charge]=>=1',
      'filter[charge]=>=0,<=1.2&sort=charge:asc',
      'filter[cost]=<=0.0125&sort=cost:desc&offset=3&limit=7',
      'filter[line]=>=100,<=200&filter[file]=a.csv&sort=caller:asc',
      'filter[line]=12&sort=line:asc',
      'filter[charge]=.5&sort=charge:desc',
      'filter[caller]=nothing-like-this',
      // texts the CSV writer guarded with a ': shown, sorted and found as they were
      'sort=detail:asc&filter[detail]=%3Dhyper',
      'sort=detail:desc&filter[detail]=%27',
    ];
    for (const search of queries) {
      const query = q(search);
      const want = pageRows(expected, query, NUMERIC);
      const got = await grid.page(query);
      expect(got.total, search).toBe(want.total);
      expect(got.rows, search).toEqual(want.rows);
      // The cached views give the same answer again.
      expect(await grid.page(query), search).toEqual(got);
    }
  });

  it('reads a file bigger than its read buffer: records cut between two reads, quoted line breaks among them', async () => {
    const big = join(dir, 'big.csv');
    const want: GridRow[] = [];
    let text = csvLine([...COLUMNS]);
    for (let i = 0; i < 60_000; i++) {
      const row: GridRow = { file: `f${i % 7}.csv`, line: i, caller: `44${i}`, detail: i % 5 === 0 ? `quoted, "with"\nbreak ${i}` : `plain ${i}`, charge: `${i % 100}.${String(i % 10000).padStart(4, '0')}`, cost: null };
      want.push(row);
      text += csvLine(COLUMNS.map((c) => (row[c] === null ? '' : row[c])) as (string | number)[]);
    }
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * 1024 * 1024);
    await writeFile(big, text);
    const grid = await ColumnGrid.load(big, KINDS);
    expect(grid.rows).toBe(want.length);
    for (const offset of [0, 9_000, 17_000, 29_000, 59_500]) expect((await grid.page(q(`offset=${offset}&limit=1000`))).rows).toEqual(want.slice(offset, offset + 1000));
    const sorted = await grid.page(q('sort=caller:desc&filter[detail]=BREAK&limit=3'));
    expect(sorted.total).toBe(12_000);
    expect(sorted.rows.map((r) => r.caller)).toEqual(['449995', '449990', '449985']);
  });

  it('a filtered view paged shallow, deep, then shallow again gives the row grid\'s pages', async () => {
    const grid = await ColumnGrid.load(path, KINDS);
    for (const offset of [0, 40, 700, 5, 1500, 0]) {
      const query = q(`sort=caller:asc&filter[file]=.csv&filter[cost]=>=0.01&offset=${offset}&limit=30`);
      expect(await grid.page(query), String(offset)).toEqual(pageRows(expected, query, NUMERIC));
    }
  });

  it('orders money by its exact value, not its text', async () => {
    const grid = await ColumnGrid.load(path, KINDS);
    const charges = (await grid.page(q('sort=charge:asc&limit=1000'))).rows.map((r) => r.charge as string);
    const seen = [...new Set(charges)];
    expect(seen).toEqual(['-0.50', '0.0000', '0.0125', '1.20', '3.3333', '12.5000'].filter((c) => seen.includes(c)));
  });
});

describe('ColumnGrid on a big grid: every way a view is made gives the row grid\'s pages', () => {
  // 60,000 rows: past the point where a column of nearly unique values is coded directly, big
  // enough that a few filtered rows are sorted by themselves and many are walked in the grid's
  // order, and that a filter typed on from an earlier one is answered from that one's rows.
  const want: GridRow[] = [];
  let grid: ColumnGrid;
  beforeAll(async () => {
    const r = seededRandom(5);
    let text = csvLine([...COLUMNS]);
    for (let i = 0; i < 60_000; i++) {
      const row: GridRow = {
        file: `f${Math.floor(r() * 4)}.csv`,
        line: r() < 0.02 ? null : Math.floor(r() * 70_000),
        caller: r() < 0.01 ? '' : `44${String(Math.floor(r() * 1e9)).padStart(9, '0')}`,
        detail: r() < 0.5 ? 'Peak' : r() < 0.5 ? 'off-peak' : 'WEEKEND',
        charge: (Math.floor(r() * 300_000) / 10_000).toFixed(4),
        cost: r() < 0.1 ? null : (Math.floor(r() * 2000) / 1000).toFixed(3),
      };
      want.push(row);
      text += csvLine(COLUMNS.map((c) => (row[c] === null ? '' : row[c])) as (string | number)[]);
    }
    const big = join(dir, 'random.csv');
    await writeFile(big, text);
    grid = await ColumnGrid.load(big, KINDS);
  });

  it('answers random views (one to three sorts, filters of every selectivity, texts typed on, any offset) as the row grid does', async () => {
    const r = seededRandom(8);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const filters = [
      // a digit or two: most rows; four or five: a few hundred or a handful; typed on one at a time
      'filter[caller]=4', 'filter[caller]=44', 'filter[caller]=441', 'filter[caller]=4412', 'filter[caller]=44123',
      'filter[caller]=9', 'filter[caller]=98', 'filter[caller]=987', 'filter[caller]=9876',
      'filter[detail]=peak', 'filter[detail]=OFF', 'filter[file]=f1', 'filter[line]=>=1000,<=1500', 'filter[line]=7',
      'filter[charge]=<=0.5', 'filter[charge]=>=10', 'filter[cost]=>=1.9', 'filter[cost]=<=0.001',
    ];
    // Typed one character at a time, as the grid's filter field sends them.
    for (const typed of [['44', '441', '4412', '44123'], ['9', '98', '987', '9876', '98765']]) {
      for (const text of typed) {
        const query = q(`sort=line:desc&filter[caller]=${text}&filter[cost]=>=0.5&limit=40`);
        expect(await grid.page(query), text).toEqual(pageRows(want, query, NUMERIC));
      }
    }
    for (let i = 0; i < 40; i++) {
      const sorts = Array.from({ length: Math.floor(r() * 4) }, () => `sort=${pick(COLUMNS)}:${r() < 0.5 ? 'asc' : 'desc'}`);
      const fs = Array.from({ length: Math.floor(r() * 3) }, () => pick(filters));
      const base = [...sorts, ...new Set(fs)].join('&');
      const total = pageRows(want, q(base), NUMERIC).total;
      for (const offset of [0, Math.floor(r() * Math.max(1, total - 50)), Math.max(0, total - 20)]) {
        const search = `${base}&offset=${offset}&limit=50`;
        const query = q(search);
        const expected = pageRows(want, query, NUMERIC);
        const got = await grid.page(query);
        expect(got.total, search).toBe(expected.total);
        expect(got.rows, search).toEqual(expected.rows);
      }
    }
  });
});

describe('ColumnGrid at the edges', () => {
  // No rows, one row, a column all blank, whole numbers too big or not whole to rank as themselves.
  const cases: [string, GridRow[]][] = [
    ['no rows', []],
    ['one row', [{ file: 'a', line: 1, charge: '1.00' }]],
    ['blanks only', [{ file: '', line: null, charge: null }, { file: '', line: null, charge: null }]],
    ['big, negative and fractional numbers', [{ file: 'a', line: 3e9, charge: '1' }, { file: 'b', line: -5, charge: '2' }, { file: 'a', line: 1.5, charge: '0.5' }, { file: 'c', line: null, charge: null }]],
  ];
  const queries = ['', 'sort=file:desc', 'sort=line:desc&sort=charge:asc', 'filter[file]=a&sort=line:desc', 'filter[line]=>=-1&sort=charge:desc&sort=file:asc', 'filter[file]=zzz&sort=line:asc', 'offset=3&limit=2&sort=charge:desc', 'sort=line:asc&filter[charge]=<=1&filter[file]=b'];
  const columns = ['file', 'line', 'charge'];
  const kinds: Record<string, ColumnKind> = { line: 'int', charge: 'money' };
  const numeric = new Set(Object.keys(kinds));
  for (const [name, rows] of cases) {
    it(`${name}: every query as the row grid answers it`, async () => {
      const file = join(dir, `edge-${name.replace(/\W+/g, '-')}.csv`);
      await writeFile(file, csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c] ?? ''))).join(''));
      const grid = await ColumnGrid.load(file, kinds);
      expect(grid.rows).toBe(rows.length);
      for (const search of queries) {
        const query = parseGridQuery(`/x?${search}`, columns, numeric);
        expect(await grid.page(query), search).toEqual(pageRows(rows, query, numeric));
      }
    });
  }
});

describe('GridCache', () => {
  it('keeps a grid for the next page, reads a replaced file again, and keeps two at most', async () => {
    const cache = new GridCache({ capacity: 2 });
    const a = await cache.grid(path, KINDS);
    expect(await cache.grid(path, KINDS)).toBe(a);
    // Replaced as outputs are (a new file renamed over the old one).
    const tmp = join(dir, 'rated.csv.new');
    await writeFile(tmp, csvLine([...COLUMNS]) + csvLine(['z.csv', 1, '44', '', '1.00', '']));
    await rename(tmp, path);
    const b = await cache.grid(path, KINDS);
    expect(b).not.toBe(a);
    expect(b.rows).toBe(1);
    const others = [join(dir, 'x.csv'), join(dir, 'y.csv')];
    for (const p of others) await writeFile(p, 'a,b\n1,2\n');
    const x = await cache.grid(others[0], {});
    await cache.grid(others[1], {});
    // path was used least recently: it is read again; x is still held.
    expect(await cache.grid(others[0], {})).toBe(x);
    expect(await cache.grid(path, KINDS)).not.toBe(b);
    cache.clear();
  });
});
