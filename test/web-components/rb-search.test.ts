// rb-search (with rb-numbers-grid) and rb-number-page: QuickSearch's customers and numbers, each
// number linking to its page; SmartSearch's fields sent with the grid's paging and sorting and kept
// in the address; a number's page with its customer, tariffs in force, the assignments that apply
// and its recent calls; errors where they happened.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGridQuery } from '../../server/grids/grid-query.js';
import { pageRows } from '../../server/grids/row-grid.js';
import { browserSuite, poll } from './browser.js';
import { mountElement, startFakeApi, type FakeApi } from './fake-api.js';
import { RUNS } from './fixtures.js';
import { deepText, unlabelledControls } from './page-checks.js';
import { NUMBER_COLUMNS, NUMBER_PAGE, numberRows, recentRated, SEARCH_0113 } from './review-fixtures.js';

const b = browserSuite();
let fake: FakeApi;
const NUMBERS = numberRows(250);
const RATED = new Set(['file', 'line', 'id', 'start', 'direction', 'caller', 'called', 'extension', 'account', 'number', 'site', 'destination', 'class', 'band', 'tariff', 'duration', 'billed_seconds', 'charge', 'cost', 'method']);

beforeAll(async () => {
  fake = await startFakeApi();
  fake.api.get('/search', (c) => (c.req.query('q') === '0113' ? c.json(SEARCH_0113) : c.json({ version: 1, customers: [], numbers: [], more: false })));
  fake.api.get('/numbers', (c) => {
    const site = c.req.query('site')?.toLowerCase();
    const rows = NUMBERS.filter((r) => !site || String(r.Site).toLowerCase().includes(site));
    const page = pageRows(rows, parseGridQuery(c.req.url, NUMBER_COLUMNS, new Set(['Row'])), new Set(['Row']));
    return c.json({ version: 1, columns: NUMBER_COLUMNS, ...page });
  });
  fake.api.get('/numbers/441134960000', (c) => c.json(NUMBER_PAGE));
  fake.api.get('/numbers/:n', (c) => c.json({ error: `no Numbers row of version 1 holds ${c.req.param('n')}` }, 404));
  // Runs 3 (done), 2 (rating) and 1 (done): the recent calls come from the done ones, newest first.
  fake.api.get('/runs', (c) => c.json({ runs: [{ ...RUNS[1], id: 3 }, RUNS[0], RUNS[1]] }));
  for (const run of [1, 3])
    fake.api.get(`/runs/${run}/rated`, (c) => c.json(pageRows(recentRated(run), parseGridQuery(c.req.url, [...RATED], new Set(['line', 'duration'])), new Set(['line', 'duration']))));
});
afterAll(() => fake.close());

const numbersGrid = (page: Page) => page.locator('vaadin-grid[accessible-name="Numbers found"]');
const numbersTotal = (page: Page) => deepText(page.locator('rb-numbers-grid .total'));

describe('rb-search', () => {
  it("shows QuickSearch's customers and numbers, each number linking to its page", async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-search', { callerRole: 'clerk', q: '0113' });
    const numbers = page.locator('vaadin-grid[accessible-name="Numbers matching"]');
    await poll(() => deepText(numbers)).toContain('441134960000');
    expect(fake.requestsTo('/search').at(-1)!.query.get('q')).toBe('0113');
    expect(await deepText(page.locator('vaadin-grid[accessible-name="Customers found"]'))).toContain('Acme Widgets Ltd');
    // A range's member opens its own page; the row's range is shown beside it.
    expect(await numbers.getByRole('link', { name: '442079460013' }).getAttribute('href')).toBe('#/numbers/442079460013');
    expect(await deepText(numbers)).toContain('442079460000–442079460099');
    expect(await page.getByRole('heading', { name: 'Customers and numbers matching “0113”' }).count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
    await mountElement(page, fake, 'rb-search', { callerRole: 'clerk', q: 'nobody' });
    await poll(() => page.getByText('Nothing in version 1 matches “nobody”.').count()).toBe(1);
  });

  it("sends SmartSearch's fields with the grid's paging and sorting, and keeps them in the address", async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-search', { callerRole: 'commercial', q: '', filters: { site: 'leeds' } });
    await poll(() => numbersTotal(page)).toBe('125 numbers');
    let q = fake.requestsTo('/numbers').at(-1)!.query;
    expect([q.get('site'), q.get('offset'), q.get('limit')]).toEqual(['leeds', '0', '100']);
    expect(await page.getByLabel('Site', { exact: true }).inputValue()).toBe('leeds');
    await numbersGrid(page).locator('vaadin-grid-sorter[path="Number"]').click();
    await numbersGrid(page).locator('vaadin-grid-sorter[path="Number"]').click();
    await poll(() => fake.requestsTo('/numbers').at(-1)!.query.getAll('sort')).toEqual(['Number:desc']);
    q = fake.requestsTo('/numbers').at(-1)!.query;
    expect(q.get('site')).toBe('leeds');
    await poll(() => deepText(numbersGrid(page))).toContain('441134900249');
    expect(await numbersGrid(page).getByRole('link', { name: '441134900249' }).getAttribute('href')).toBe('#/numbers/441134900249');
    // The form goes into the address, QuickSearch's text with it.
    await page.getByLabel('Number status', { exact: true }).selectOption('Suspended');
    await page.getByLabel('Tariff', { exact: true }).fill('Business');
    await page.getByRole('button', { name: 'Find numbers' }).click();
    await poll(() => page.evaluate(() => location.hash)).toBe('#/search?tariff=Business&status=Suspended&site=leeds');
    await page.getByRole('button', { name: 'Clear' }).click();
    await poll(() => page.evaluate(() => location.hash)).toBe('#/search');
  });
});

describe('rb-number-page', () => {
  it('shows the customer, the tariffs in force, the assignments that apply and the recent calls', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-number-page', { callerRole: 'clerk', number: '441134960000' });
    await poll(() => page.getByRole('heading', { name: 'Number 441134960000', level: 1 }).count()).toBe(1);
    const customer = await deepText(page.getByRole('region', { name: 'Customer' }));
    for (const s of ['ACME01', 'Acme Widgets Ltd', '12 Tower Street, London, EC3R 5BT', 'accounts@acme-widgets.example']) expect(customer).toContain(s);
    const own = await deepText(page.getByRole('region', { name: 'The number' }));
    expect(own).toContain('Leeds office main line');
    // The customer's fields the server joins to the row are in the Customer card only.
    expect(own).not.toContain('Acme Widgets');
    const tariffs = await deepText(page.locator('vaadin-grid[accessible-name="Tariffs in force by call class"]'));
    for (const s of ['National', 'Standard', 'Mobile', 'none', '12.5%', '10%', 'HalfUp']) expect(tariffs).toContain(s);
    expect(await deepText(page.locator('vaadin-grid[accessible-name="Tariff assignments that apply"]'))).toContain('Standard');
    const calls = page.locator('vaadin-grid[accessible-name="Recent calls"]');
    await poll(() => calls.count()).toBe(1);
    // Run 3 first, newest call first; only the number's own calls (not 4411349600001's); run 2 is still rating.
    const text = await deepText(calls);
    expect(text.indexOf('Run 3')).toBeLessThan(text.indexOf('Run 1'));
    expect(text).toContain('3,234.57');
    expect(text.indexOf('2026-10-17')).toBeLessThan(text.indexOf('2026-10-15'));
    expect(fake.requestsTo('/runs/2/rated')).toHaveLength(0);
    const q = fake.requestsTo('/runs/3/rated').at(-1)!.query;
    expect([q.get('filter[number]'), q.getAll('sort')]).toEqual(['441134960000', ['start:desc']]);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('says when no Numbers row holds the number', async () => {
    b.allowHttpErrors(404);
    const page = b.page();
    await mountElement(page, fake, 'rb-number-page', { callerRole: 'clerk', number: '449999' });
    await poll(() => page.getByRole('alert').count()).toBe(1);
    expect(await deepText(page.getByRole('alert'))).toBe('no Numbers row of version 1 holds 449999 (404)');
  });
});
