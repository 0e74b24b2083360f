import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { versionRoutes } from '../../../server/http/routes/versions.js';
import { searchRoutes } from '../../../server/http/routes/search.js';
import { ROLES } from '../../../server/http/roles.js';
import { columnOf, editedSample, sampleBytes, uploadWorkbook } from './workbook-edits.js';

interface SearchAnswer {
  version: number;
  customers: { account: string; name: string; company: string; status: string; numberRows: number }[];
  numbers: { account: string; name: string; number: string; rangeEnd: string; extension: string; site: string; status: string; row: number; matched?: string }[];
  more: boolean;
}
interface NumbersAnswer {
  version: number;
  columns: string[];
  total: number;
  rows: Record<string, string | number | null>[];
}
interface PageAnswer {
  version: number;
  number: string;
  rows: {
    match: string;
    number: Record<string, string | number | null>;
    customer: Record<string, string | number | null> | null;
    tariffs: { callClass: string; tariff: string | null; markup: string | null; fallbackMarkup: string | null; chargeDecimals: number; rounding: string }[];
    assignments: Record<string, string | number | null>[];
  }[];
}

let f: ApiFixture;
const get = async <T>(path: string, role: (typeof ROLES)[number] = 'clerk'): Promise<T> => {
  const r = await f.call('GET', path, { role });
  expect(r.status, path).toBe(200);
  return (await r.json()) as T;
};
const search = (q: string): Promise<SearchAnswer> => get<SearchAnswer>(`/api/search?q=${encodeURIComponent(q)}`);
const numbers = (query: string): Promise<NumbersAnswer> => get<NumbersAnswer>(`/api/numbers?${query}`);
const page = (n: string): Promise<PageAnswer> => get<PageAnswer>(`/api/numbers/${encodeURIComponent(n)}`);

beforeAll(async () => {
  f = await apiFixture({ routers: [versionRoutes, searchRoutes] });
});
afterAll(() => f.close());

describe('before a version is published', () => {
  it('search, SmartSearch and number pages are 409, saying what to do', async () => {
    expect((await uploadWorkbook(f, await sampleBytes(), 'sample.xlsx')).status).toBe(201);
    for (const path of ['/api/search?q=acme', '/api/numbers', '/api/numbers/02079460042']) {
      const r = await f.call('GET', path);
      expect(r.status, path).toBe(409);
      expect((await r.json()).error).toMatch(/no version is published yet: import a workbook and publish it/);
    }
    expect((await f.call('POST', '/api/versions/1/publish', { role: 'commercial' })).status).toBe(200);
  });
});

describe('GET /api/search (QuickSearch)', () => {
  it('finds customers by account, name or company, any case, with their numbers', async () => {
    const a = await search('acme');
    expect(a.version).toBe(1);
    expect(a.customers).toEqual([{ account: 'ACME01', name: 'Acme Widgets', company: 'Acme Widgets Ltd', status: 'Active', numberRows: 2 }]);
    expect(a.numbers.map((n) => [n.account, n.number, n.rangeEnd])).toEqual([
      ['ACME01', '442079460000', '442079460099'],
      ['ACME01', '441134960000', ''],
    ]);
    expect(a.more).toBe(false);
    expect((await search('DENTAL LLP')).customers.map((c) => c.account)).toEqual(['BRIGHT02']);
    expect((await search('fox')).customers).toEqual([{ account: 'FOXG06', name: 'Fox & Gander', company: 'Fox & Gander Inns Ltd', status: 'Archived', numberRows: 1 }]);
    expect(await search('nobody at all')).toEqual({ version: 1, customers: [], numbers: [], more: false });
  });

  it('finds numbers by any of their digits, inside ranges and alternates too, typed as people type them', async () => {
    const inRange = await search('7946 0042');
    expect(inRange.customers).toEqual([]);
    expect(inRange.numbers).toEqual([expect.objectContaining({ account: 'ACME01', number: '442079460000', rangeEnd: '442079460099', matched: '442079460042', site: 'London HQ' })]);
    expect((await search('020 7946 0042')).numbers.map((n) => n.matched)).toEqual(['442079460042']);
    expect((await search('+44 (20) 7946-0042')).numbers.map((n) => n.matched)).toEqual(['442079460042']);
    const alt = await search('0191 498 0071');
    expect(alt.numbers).toEqual([expect.objectContaining({ account: 'HILL08', number: '441914980070', matched: '441914980071' })]);
    // A number held by two customers in turn: both rows.
    expect((await search('4960050')).numbers.map((n) => n.account)).toEqual(['CARTER03', 'GREEN07']);
    // Short digits match a lot: every row holding "496" in sheet order.
    expect((await search('496')).numbers.length).toBe(12);
  });

  it('needs a q (400), a token (401); every role may search', async () => {
    for (const q of ['', '?q=', '?q=%20%20']) {
      const r = await f.call('GET', `/api/search${q}`);
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { issues: { at: string }[] }).issues[0].at).toBe('query.q');
    }
    expect((await f.call('GET', `/api/search?q=${'9'.repeat(201)}`)).status).toBe(400);
    expect((await f.call('GET', '/api/search?q=acme', { role: null })).status).toBe(401);
    for (const role of ROLES) expect((await get<SearchAnswer>('/api/search?q=acme', role)).customers.length).toBe(1);
  });
});

describe('GET /api/numbers (SmartSearch)', () => {
  it('lists every Numbers row with its customer and the tariffs its calls resolve to, as a grid page', async () => {
    const all = await numbers('');
    expect(all.total).toBe(18);
    expect(all.columns).toEqual(expect.arrayContaining(['Row', 'Account', 'Number', 'Site', 'Status', 'Name', 'Company', 'Address', 'CustomerStatus', 'Tariffs']));
    expect(all.rows[0]).toMatchObject({ Row: 2, Account: 'ACME01', Number: '442079460000', RangeEnd: '442079460099', Name: 'Acme Widgets', Address: '12 Tower Street, London, EC3R 5BT', CustomerStatus: 'Active', DateSold: '2025-03-01', Tariffs: 'Business' });
    const hill = all.rows.filter((r) => r.Account === 'HILL08');
    expect(hill.map((r) => r.Tariffs)).toEqual(['Business, Freephone', 'Business, Freephone']);
    const ivy = all.rows.find((r) => r.Account === 'IVY09')!;
    expect(ivy.Tariffs).toBe('');
  });

  it('filters by status, site, tariff, postcode, customer status, number type and call class, together', async () => {
    const accounts = async (q: string): Promise<string[]> => (await numbers(q)).rows.map((r) => `${r.Account} ${r.Number}${r.Extension ? ' x' + r.Extension : ''}`);
    expect(await accounts('status=suspended')).toEqual(['BRIGHT02 441214960011']);
    expect(await accounts('site=LEEDS')).toEqual(['ACME01 441134960000', 'IVY09 441134960090']);
    expect(await accounts('postcode=ls1%204ap')).toEqual(['IVY09 441134960090']);
    expect(await accounts('postcode=LS14AP')).toEqual(['IVY09 441134960090']);
    expect(await accounts('customerStatus=Archived')).toEqual(['FOXG06 441184960040']);
    expect(await accounts('tariff=freephone')).toEqual(['HILL08 448081570000', 'HILL08 441914980070']);
    // Business: ACME's range (its Leeds line is on Standard for every class), Carter's mobiles, Greenfield and the hotel.
    expect((await numbers('tariff=Business')).rows.map((r) => r.Account)).toEqual(['ACME01', 'CARTER03', 'CARTER03', 'CARTER03', 'GREEN07', 'GREEN07', 'HILL08', 'HILL08']);
    // Call class: numbers that a TariffAssignments row naming the class applies to.
    expect((await numbers('callClass=mobile')).rows.map((r) => r.Account)).toEqual(['CARTER03', 'CARTER03', 'CARTER03']);
    expect((await numbers('callClass=International')).rows.map((r) => r.Number)).toEqual(['441614960050', '441514960060']);
    expect((await numbers('callClass=Inbound')).total).toBe(2);
    expect((await numbers('callClass=Bespoke1')).total).toBe(0);
    expect((await numbers('numberType=autodetect')).total).toBe(18);
    expect((await numbers('numberType=UK%20Freephone')).total).toBe(0);
    expect(await accounts('site=birmingham&status=Active')).toEqual(['BRIGHT02 441214960010']);
    expect(await accounts('tariff=business&customerStatus=active&site=newcastle&status=active')).toEqual(['HILL08 448081570000', 'HILL08 441914980070']);
    // Blank filters are no filters (a UI sends its empty fields).
    expect((await numbers('status=&site=&tariff=&callClass=')).total).toBe(18);
  });

  it('pages, sorts and filters on any column', async () => {
    const p = await numbers('sort=Number:desc&limit=2&offset=1');
    expect(p.total).toBe(18);
    expect(p.rows.map((r) => r.Number)).toEqual(['442920180100', '442920180100']);
    const delta = await numbers('filter[Account]=delta&filter[Extension]=20&sort=Extension:desc');
    expect(delta.rows.map((r) => r.Extension)).toEqual(['202', '201']);
    const rows = await numbers('filter[Row]=%3E%3D18&sort=Row:asc');
    expect(rows.rows.map((r) => r.Row)).toEqual([18, 19]);
  });

  it('refuses values it does not know (400, naming the parameter) and callers without a token (401)', async () => {
    for (const [q, at] of [
      ['status=Lost', 'query.status'],
      ['callClass=Everything', 'query.callClass'],
      ['customerStatus=gone', 'query.customerStatus'],
      ['limit=abc', 'query.limit'],
      ['limit=1001', 'query.limit'],
      ['offset=-1', 'query.offset'],
      ['filter[Secret]=x', 'query.filter[Secret]'],
      ['sort=Number:sideways', 'query.sort'],
    ]) {
      const r = await f.call('GET', `/api/numbers?${q}`);
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { issues: { at: string }[] }).issues[0].at, q).toBe(at);
    }
    expect((await f.call('GET', `/api/numbers?site=${'x'.repeat(201)}`)).status).toBe(400);
    expect((await f.call('GET', '/api/numbers', { role: null })).status).toBe(401);
    for (const role of ROLES) expect((await get<NumbersAnswer>('/api/numbers?limit=1', role)).total).toBe(18);
  });
});

describe('GET /api/numbers/:number', () => {
  it('a member of a range: the range row, its customer, the tariffs in force per call class', async () => {
    const p = await page('020 7946 0042');
    expect(p.number).toBe('442079460042');
    expect(p.rows).toHaveLength(1);
    const [r] = p.rows;
    expect(r.match).toBe('range');
    expect(r.number).toMatchObject({ Number: '442079460000', RangeEnd: '442079460099', Site: 'London HQ' });
    expect(r.customer).toMatchObject({ Account: 'ACME01', Name: 'Acme Widgets', Tariff: 'Business', DiscountPlan: 'BUNDLE500' });
    expect(r.tariffs.find((t) => t.callClass === 'Mobile')).toEqual({ callClass: 'Mobile', tariff: 'Business', markup: null, fallbackMarkup: '10%', chargeDecimals: 4, rounding: 'HalfUp' });
    expect(r.assignments).toEqual([]);
  });

  it('a number with an assignment of its own: Standard for every class, and the assignment', async () => {
    const p = await page('+44 113 496 0000');
    const [r] = p.rows;
    expect(r.match).toBe('number');
    expect(new Set(r.tariffs.map((t) => t.tariff))).toEqual(new Set(['Standard']));
    expect(r.tariffs).toHaveLength(11);
    expect(r.assignments).toEqual([expect.objectContaining({ Account: 'ACME01', Number: '441134960000', CallClass: '', Tariff: 'Standard' })]);
  });

  it('a number that moved between customers has both rows; an alternate CDR number finds its row; markups show as percentages', async () => {
    const moved = await page('01614960050');
    expect(moved.rows.map((r) => [r.match, r.customer?.Account, r.number.Status])).toEqual([
      ['number', 'CARTER03', 'Dropped'],
      ['number', 'GREEN07', 'Active'],
    ]);
    const green = moved.rows[1];
    expect(green.tariffs.find((t) => t.callClass === 'International')).toMatchObject({ tariff: 'Business', markup: '25%', fallbackMarkup: '10%' });
    expect(green.assignments.map((a) => a.CallClass)).toEqual(['International', 'ExtendedInternational']);
    const alt = await page('0191 498 0071');
    expect(alt.rows.map((r) => [r.match, r.number.Number])).toEqual([['alt', '441914980070']]);
    expect(alt.rows[0].tariffs.find((t) => t.callClass === 'Inbound')!.tariff).toBe('Freephone');
  });

  it('not a phone number is 400; a number nobody holds is 404; a token is needed', async () => {
    const bad = await f.call('GET', '/api/numbers/not-a-number');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { at: string }[] }).issues[0].at).toBe('params.number');
    const none = await f.call('GET', `/api/numbers/${encodeURIComponent('020 7946 0100')}`);
    expect(none.status).toBe(404);
    expect((await none.json()).error).toBe('no Numbers row of version 1 holds 442079460100');
    expect((await f.call('GET', `/api/numbers/${'1'.repeat(41)}`)).status).toBe(400);
    expect((await f.call('GET', '/api/numbers/01134960000', { role: null })).status).toBe(401);
  });
});

describe('a newly published version with many numbers', () => {
  it('search lists 50 at most and says there were more; SmartSearch pages through all of them', async () => {
    const many = await editedSample((wb) => {
      const ws = wb.getWorksheet('Numbers')!;
      for (let i = 0; i < 120; i++) {
        const row = ws.getRow(ws.rowCount + 1);
        row.getCell(columnOf(ws, 'Account')).value = 'IVY09';
        row.getCell(columnOf(ws, 'Number')).value = `0113 496 ${1000 + i}`;
        row.getCell(columnOf(ws, 'Site')).value = 'Leeds market stall';
        row.getCell(columnOf(ws, 'DateSold')).value = new Date(Date.UTC(2026, 9, 1));
        row.commit();
      }
    });
    const up = (await (await uploadWorkbook(f, many, 'many.xlsx')).json()) as { seq: number; errors: number };
    expect(up.errors).toBe(0);
    expect((await f.call('POST', `/api/versions/${up.seq}/publish`, { role: 'commercial' })).status).toBe(200);

    const ivy = await search('ivy lane');
    expect(ivy.version).toBe(up.seq);
    expect(ivy.customers).toHaveLength(1);
    expect(ivy.numbers).toHaveLength(50);
    expect(ivy.more).toBe(true);
    expect((await search('0113 496 1119')).numbers.map((n) => n.number)).toEqual(['441134961119']);
    const stall = await numbers('site=market&limit=1000');
    expect(stall.total).toBe(120);
    expect((await numbers('site=market&offset=100')).rows).toHaveLength(20);
  });
});
