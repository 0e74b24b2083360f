// rb-run (with rb-run-summary, rb-server-grid, rb-run-nav, rb-download): the summary, the rated
// calls paged, sorted and filtered by the server (offset = page × pageSize, sort=, filter[]=),
// a run still rating followed to its end, a failed run's reason, the downloads.

import { streamSSE } from 'hono/streaming';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, poll } from './browser.js';
import { mountElement, startFakeApi, type FakeApi } from './fake-api.js';
import { serveDownloadLinks, type FakeDownloads } from './fake-downloads.js';
import { gridPage, ratedRows, RUN_1 } from './fixtures.js';
import { deepText, unlabelledControls } from './page-checks.js';

const b = browserSuite();
let fake: FakeApi;
let downloads: FakeDownloads;
const ROWS = ratedRows(3100);
let run8 = 'rating';

beforeAll(async () => {
  fake = await startFakeApi();
  downloads = serveDownloadLinks(fake);
  fake.api.get('/runs/1', (c) => c.json(RUN_1));
  fake.api.get('/runs/1/rated', async (c) => {
    // An answer that comes late, after the user has typed on.
    if (c.req.query('filter[called]') === 'slow') await new Promise((r) => setTimeout(r, 1500));
    const { total, rows } = gridPage(c.req.url, ROWS);
    return c.json({ total, rows });
  });
  fake.api.get('/runs/1/files/:name', (c) => c.body(`file,line\n${c.req.param('name')},1\n`, 200, { 'Content-Type': 'text/csv', 'Content-Disposition': `attachment; filename="${c.req.param('name')}"` }));
  fake.api.get('/runs/8', (c) => c.json(run8 === 'done' ? { ...RUN_1, id: 8 } : { ...RUN_1, id: 8, status: 'rating', summary: null, progress: { bytes: 10, totalBytes: 100, lines: 1 } }));
  fake.api.get('/runs/8/rated', (c) => c.json({ total: 0, rows: [] }));
  fake.api.get('/runs/8/events', (c) =>
    streamSSE(c, async (s) => {
      await s.writeSSE({ event: 'progress', data: JSON.stringify({ bytes: 60, totalBytes: 100, lines: 600 }) });
      await new Promise((r) => setTimeout(r, 300));
      run8 = 'done';
      await s.writeSSE({ event: 'done', data: JSON.stringify({ id: 8, status: 'done', summary: RUN_1.summary }) });
    }),
  );
  fake.api.get('/runs/9', (c) => c.json({ ...RUN_1, id: 9, status: 'failed', summary: null, error: 'interrupted' }));
  fake.api.get('/runs/10', (c) => c.json({ ...RUN_1, id: 10 }));
  fake.api.get('/runs/10/rated', (c) => c.json({ error: 'rated.csv of run 10 cannot be read: line 7 has 3 fields' }, 409));
});
afterAll(() => fake.close());

const rated = (page: Page, id = 1) => page.locator(`vaadin-grid[accessible-name="Rated calls of run ${id}"]`);
const requests = (id = 1) => fake.requestsTo(`/runs/${id}/rated`);
const lastQuery = (id = 1) => requests(id).at(-1)!.query;

describe('rb-run', () => {
  it('shows input = rated + exceptions, the charge and cost as sent, and a grid whose total is the rated count', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-run', { callerRole: 'clerk', runId: 1 });
    await poll(() => page.getByTestId('equation').count()).toBe(1);
    expect(await deepText(page.getByTestId('equation'))).toBe('Input 3,235 calls = 3,100 rated + 135 exceptions');
    expect(await page.locator('[data-figure="charge"]').textContent()).toBe('12,345.678901');
    expect(await page.locator('[data-figure="cost"]').textContent()).toBe('8,000.5');
    expect(await deepText(page.getByRole('list', { name: 'Exceptions by reason' }))).toContain('UNKNOWN_NUMBER: 100');
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe('3,100 rated calls');
    expect(requests()[0].query.get('offset')).toBe('0');
    expect(requests()[0].query.get('limit')).toBe('100');
    expect(await page.getByRole('treegrid', { name: 'Rated calls of run 1' }).count()).toBe(1);
    // The charge column shows the server's decimal string, formatted.
    await poll(() => deepText(rated(page))).toContain('0113 496 0001');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await page.getByRole('link', { name: 'Summary and rated calls' }).getAttribute('aria-current')).toBe('page');
  });

  it('asks the server for the page a scroll reaches, and keeps a few dozen rows in the page', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-run', { callerRole: 'clerk', runId: 1 });
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe('3,100 rated calls');
    await rated(page).evaluate((g: HTMLElement & { scrollToIndex(i: number): void }) => g.scrollToIndex(3050));
    await poll(() => requests().some((r) => r.query.get('offset') === '3000' && r.query.get('limit') === '100')).toBe(true);
    await poll(() => deepText(rated(page))).toContain('nwv-003050');
    const rows = await rated(page).evaluate((g) => g.shadowRoot!.querySelectorAll('tbody#items tr').length);
    expect(rows).toBeLessThan(80);
  });

  it('sorts on the server by a column header, and filters by the fields in the header', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-run', { callerRole: 'clerk', runId: 1 });
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe('3,100 rated calls');
    const sorter = rated(page).locator('vaadin-grid-sorter[path="duration"]');
    await sorter.click();
    await poll(() => lastQuery().getAll('sort')).toEqual(['duration:asc']);
    await sorter.click();
    await poll(() => lastQuery().getAll('sort')).toEqual(['duration:desc']);
    expect(lastQuery().get('offset')).toBe('0');
    // The longest call first: 599 s.
    await poll(() => rated(page).evaluate(firstRowText)).toContain('599');

    await page.getByLabel('Filter Called').fill('07700');
    await poll(() => lastQuery().get('filter[called]')).toBe('07700');
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe('1,033 rated calls');
    expect(lastQuery().getAll('sort')).toEqual(['duration:desc']);
    await page.getByLabel('Filter Seconds', { exact: true }).fill('>=590');
    await poll(() => lastQuery().get('filter[duration]')).toBe('>=590');
    const expected = ROWS.filter((r) => String(r.called).includes('07700') && Number(r.duration) >= 590).length;
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe(`${expected} rated calls`);
    // An answer to an older filter that arrives last does not change the count.
    await page.getByLabel('Filter Called').fill('slow');
    await poll(() => lastQuery().get('filter[called]')).toBe('slow');
    await page.getByLabel('Filter Called').fill('07700');
    await poll(() => lastQuery().get('filter[called]')).toBe('07700');
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe(`${expected} rated calls`);
    await page.waitForTimeout(1700);
    expect(await deepText(page.locator('rb-server-grid .total'))).toBe(`${expected} rated calls`);
    // Clearing a field drops its filter.
    await page.getByLabel('Filter Called').fill('');
    await poll(() => lastQuery().has('filter[called]')).toBe(false);
  });

  it('sorts and filters from the keyboard: Space on a header cell sorts, Enter goes into its field, Escape back out', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-run', { callerRole: 'clerk', runId: 1 });
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe('3,100 rated calls');
    // Into the grid's header by Tab (from the download buttons' side: shift-tab from the first one).
    await page.getByRole('button', { name: 'Download rated.csv' }).focus();
    let guard = 0;
    while (!(await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('role') === 'columnheader';
    })) && guard++ < 10) await page.keyboard.press('Shift+Tab');
    expect(guard).toBeLessThan(10);
    await page.keyboard.press('Space');
    await poll(() => lastQuery().getAll('sort')).toEqual(['file:asc']);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await poll(() => lastQuery().getAll('sort')).toEqual(['line:asc']);
    await page.keyboard.press('Enter');
    await page.keyboard.type('>=3000');
    await poll(() => lastQuery().get('filter[line]')).toBe('>=3000');
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe('102 rated calls');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Space');
    await poll(() => lastQuery().getAll('sort')).toEqual(['line:desc']);
  });

  it('sends every field typed into within the wait in one request', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-run', { callerRole: 'clerk', runId: 1 });
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe('3,100 rated calls');
    const before = requests().length;
    await page.getByLabel('Filter Account').fill('ACME1');
    await page.getByLabel('Filter Class').fill('mobile');
    await poll(() => lastQuery().get('filter[class]')).toBe('mobile');
    expect(lastQuery().get('filter[account]')).toBe('ACME1');
    const expected = ROWS.filter((r) => String(r.account).includes('ACME1') && r.class === 'mobile').length;
    await poll(() => deepText(page.locator('rb-server-grid .total'))).toBe(`${expected} rated calls`);
    expect(requests().slice(before).every((r) => r.query.get('filter[account]') === 'ACME1')).toBe(true);
  });

  it('follows a run that is still rating, then shows its summary', async () => {
    const page = b.page();
    run8 = 'rating';
    await mountElement(page, fake, 'rb-run', { callerRole: 'clerk', runId: 8 });
    await poll(() => page.getByRole('progressbar', { name: 'Rating run 8' }).count()).toBe(1);
    await poll(() => page.getByTestId('equation').count()).toBe(1);
    expect(await page.getByRole('progressbar').count()).toBe(0);
  });

  it("shows a failed run's reason, and a grid page's error where the grid is", async () => {
    b.allowHttpErrors(409);
    const page = b.page();
    await mountElement(page, fake, 'rb-run', { callerRole: 'clerk', runId: 9 });
    await poll(() => page.getByRole('alert').textContent()).toContain('This run failed: interrupted');
    await mountElement(page, fake, 'rb-run', { callerRole: 'clerk', runId: 10 });
    await poll(() => page.locator('rb-server-grid').getByRole('alert').textContent()).toContain('rated.csv of run 10 cannot be read');
  });

  it('downloads the run files', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-run', { callerRole: 'manager', runId: 1 });
    const names = page.locator('rb-download');
    await poll(() => names.count()).toBe(4);
    for (const f of ['rated.csv', 'exceptions.csv', 'exceptions.xlsx', 'summary.json']) expect(await page.getByRole('button', { name: `Download ${f}` }).count()).toBe(1);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download exceptions.csv' }).click();
    expect((await download).suggestedFilename()).toBe('exceptions.csv');
    // Saved by the browser from a link asked for with the token; the link itself carries none.
    expect(await readFile((await (await download).path())!, 'utf8')).toBe('file,line\nexceptions.csv,1\n');
    expect(downloads.asked).toEqual([{ path: '/api/runs/1/files/exceptions.csv', authorization: 'Bearer test-token' }]);
    expect(downloads.followed).toEqual([{ key: 'link-1', authorization: undefined }]);
    expect(fake.requests.filter((r) => `${r.path}?${r.query.toString()}`.includes('test-token'))).toEqual([]);
    expect(page.url()).not.toContain('test-token');
  });
});

/** The text of the grid's first body row (rows are reused and reordered: the lowest aria-rowindex; cells are slotted light DOM). */
function firstRowText(g: HTMLElement): string {
  const rows = [...g.shadowRoot!.querySelectorAll<HTMLElement>('tbody#items tr')].filter((r) => !r.hidden && r.getAttribute('aria-rowindex'));
  rows.sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')));
  const row = rows[0];
  if (!row) return '';
  return [...row.querySelectorAll('slot')].map((s) => (s.assignedElements()[0]?.textContent ?? '').trim()).join(' ');
}
