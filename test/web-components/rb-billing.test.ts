// rb-billing (with rb-invoice-list, rb-invoice-view, rb-margin-report): draft a period (clerk), the
// bills with their totals as sent, a period's invoices and an invoice as its printable page,
// finalise (manager only, after a confirmation), downloads, margin reports as tables and charts,
// and errors where they happened.

import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserSuite, poll } from './browser.js';
import { mountElement, startFakeApi, type FakeApi } from './fake-api.js';
import { serveDownloadLinks } from './fake-downloads.js';
import { deepText, unlabelledControls } from './page-checks.js';
import { BILL_DRAFT, BILL_SEPTEMBER, HOUSEKEEPING, invoicePageHtml, MARGIN_BY_CLASS, MARGIN_BY_CUSTOMER } from './review-fixtures.js';
import type { Bill } from '../../web-components/review-types.js';

const b = browserSuite();
let fake: FakeApi;
let october: Bill = BILL_DRAFT;
let posts: unknown[] = [];

const FILES: Record<string, { type: string; body: () => string }> = {
  'margin_by_customer.csv': { type: 'text/csv', body: () => MARGIN_BY_CUSTOMER },
  'margin_by_class.csv': { type: 'text/csv', body: () => MARGIN_BY_CLASS },
  'margin_by_destination.csv': { type: 'text/csv', body: () => 'destination,calls,seconds,charge,cost,margin,margin_percent,calls_without_cost\n' },
  'housekeeping.csv': { type: 'text/csv', body: () => HOUSEKEEPING },
  'invoices.csv': { type: 'text/csv', body: () => 'invoice,account\n' },
  'invoices/NWV-000001.html': { type: 'text/html', body: () => invoicePageHtml('NWV-000001') },
};

beforeAll(async () => {
  fake = await startFakeApi();
  serveDownloadLinks(fake);
  fake.api.get('/bills', (c) => c.json({ bills: [october, BILL_SEPTEMBER] }));
  fake.api.get('/bills/2026-10', (c) => c.json(october));
  fake.api.get('/bills/2026-09', (c) => c.json(BILL_SEPTEMBER));
  fake.api.get('/bills/2026-08', (c) => c.json({ error: '2026-08 has not been billed' }, 404));
  fake.api.get('/bills/:period/files/:name{.+}', (c) => {
    const f = FILES[c.req.param('name')];
    if (!f) return c.json({ error: `${c.req.param('period')} has no file "${c.req.param('name')}"` }, 404);
    const base = c.req.param('name').split('/').pop()!;
    return c.body(f.body(), 200, { 'Content-Type': `${f.type}; charset=utf-8`, 'Content-Disposition': `${f.type === 'text/html' ? 'inline' : 'attachment'}; filename="${base}"` });
  });
  fake.api.post('/bills', async (c) => {
    const body = await c.req.json<{ period: string; final?: boolean }>();
    posts.push(body);
    if (body.period === '2026-09') return c.json({ error: '2026-09 is final: a final period is not billed again' }, 409);
    if (body.final) october = { ...october, status: 'final', createdBy: 'alice' };
    return c.json(body.period === '2026-10' ? october : { ...october, period: body.period });
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  october = BILL_DRAFT;
  posts = [];
});

const mount = (page: Page, role: string, props: Record<string, unknown> = {}) => mountElement(page, fake, 'rb-billing', { callerRole: role, period: null, ...props });
const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"]`).textContent();

describe('rb-billing', () => {
  it('lists the bills with their totals as sent, and lets a clerk draft a period', async () => {
    const page = b.page();
    await mount(page, 'clerk');
    const list = page.locator('vaadin-grid[accessible-name="Bills"]');
    await poll(() => deepText(list)).toContain('October 2026');
    const text = await deepText(list);
    for (const s of ['draft', 'final', '£1,568.62', '£313.72', '£1,882.34', '£58.45', 'bob', 'alice']) expect(text).toContain(s);
    expect(await list.getByRole('link', { name: 'October 2026' }).getAttribute('href')).toBe('#/billing/2026-10');
    expect(await unlabelledControls(page)).toEqual([]);
    const period = page.getByLabel('Period', { exact: true });
    await period.fill('2026-11');
    await page.getByRole('button', { name: 'Draft the bill' }).click();
    await poll(() => page.evaluate(() => location.hash)).toBe('#/billing/2026-11');
    expect(posts).toEqual([{ period: '2026-11' }]);
  });

  it("shows the server's refusal of a draft beside the form, and offers others no draft", async () => {
    b.allowHttpErrors(409);
    const page = b.page();
    await mount(page, 'clerk');
    await page.getByLabel('Period', { exact: true }).fill('2026-09');
    await page.getByRole('button', { name: 'Draft the bill' }).click();
    await poll(() => page.getByRole('alert').count()).toBe(1);
    expect(await deepText(page.getByRole('alert'))).toBe('2026-09 is final: a final period is not billed again (409)');
    for (const role of ['commercial', 'manager']) {
      await mount(page, role);
      await poll(() => deepText(page.locator('vaadin-grid[accessible-name="Bills"]'))).toContain('October 2026');
      expect(await page.getByRole('button', { name: 'Draft the bill' }).count()).toBe(0);
    }
  });

  it("shows a period's invoices with totals, and a clerk's page offers no finalise", async () => {
    const page = b.page();
    await mount(page, 'clerk', { period: '2026-10' });
    await poll(() => figure(page, 'total')).toBe('£1,882.34');
    expect(await figure(page, 'net')).toBe('£1,568.62');
    expect(await figure(page, 'tax')).toBe('£313.72');
    expect(await figure(page, 'invoices')).toBe('2');
    expect(await page.getByTestId('bill-status').textContent()).toBe('draft');
    const invoices = page.locator('vaadin-grid[accessible-name="Invoices"]');
    await poll(() => deepText(invoices)).toContain('NWV-000001');
    for (const s of ['ACME01', '£1,519.91', '£303.98', '£1,823.89', 'BRIGHT02', '£58.45']) expect(await deepText(invoices)).toContain(s);
    expect(await page.getByRole('button', { name: /^Finalise/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Draft again' }).count()).toBe(1);
    // The bill's files but the invoices' own.
    for (const f of ['invoices.csv', 'invoice_lines.csv', 'margin_by_customer.csv', 'reports.xlsx']) expect(await page.getByRole('button', { name: `Download ${f}` }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /Download NWV-/ }).count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('opens an invoice as its printable page, with print and its downloads', async () => {
    const page = b.page();
    await mount(page, 'commercial', { period: '2026-10' });
    await page.getByRole('button', { name: 'Open invoice NWV-000001' }).click();
    const frame = page.frameLocator('iframe[title="Invoice NWV-000001, printable page"]');
    await poll(() => frame.locator('p.number').textContent()).toBe('NWV-000001');
    expect(await frame.locator('h1').textContent()).toBe('Invoice (DRAFT)');
    expect(fake.requestsTo('/bills/2026-10/files/invoices/NWV-000001.html').at(-1)!.authorization).toBe('Bearer test-token');
    expect(await page.getByRole('button', { name: 'Open invoice NWV-000001' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => location.hash)).toBe('#/billing/2026-10?invoice=NWV-000001');
    expect(await page.getByRole('button', { name: 'Print' }).isEnabled()).toBe(true);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download NWV-000001.html' }).click();
    // Served inline for the frame; through its link, an attachment.
    expect((await download).suggestedFilename()).toBe('NWV-000001.html');
    expect(await readFile((await (await download).path())!, 'utf8')).toBe(invoicePageHtml('NWV-000001'));
    expect(await page.getByRole('button', { name: 'Download NWV-000001.xlsx' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Close invoice NWV-000001' }).click();
    await poll(() => page.locator('iframe').count()).toBe(0);
    // An invoice the bill has no page for says so where it would be.
    b.allowHttpErrors(404);
    await page.getByRole('button', { name: 'Open invoice NWV-000002' }).click();
    await poll(() => page.locator('rb-invoice-view').getByRole('alert').count()).toBe(1);
    expect(await deepText(page.locator('rb-invoice-view').getByRole('alert'))).toContain('has no file "invoices/NWV-000002.html"');
  });

  it('reaches an invoice and its printable page with the keyboard alone', async () => {
    const page = b.page();
    await mount(page, 'clerk', { period: '2026-10' });
    await poll(() => figure(page, 'total')).toBe('£1,882.34');
    // Tab reaches the invoices' grid (its first cell), End the row's last cell, Enter the button in it, Enter presses it.
    const focused = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.getAttribute('aria-label') ?? el?.tagName.toLowerCase() ?? '';
      });
    await page.locator('body').focus();
    const path: string[] = [];
    for (let i = 0; i < 10 && path.at(-1) !== 'td'; i++) {
      await page.keyboard.press('Tab');
      path.push(await focused());
    }
    // The back link, Draft again, the grid's header row, its first body cell.
    expect(path).toEqual(['a', 'button', 'th', 'td']);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('Open invoice NWV-000001');
    await page.keyboard.press('Enter');
    await poll(() => page.frameLocator('iframe[title="Invoice NWV-000001, printable page"]').locator('p.number').textContent()).toBe('NWV-000001');
  });

  it('lets a manager finalise a draft after confirming, and then offers no finalise', async () => {
    const page = b.page();
    await mount(page, 'manager', { period: '2026-10' });
    await page.getByRole('button', { name: 'Finalise 2026-10…' }).click();
    // Confirming is a second step; Cancel backs out.
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(posts).toEqual([]);
    await page.getByRole('button', { name: 'Finalise 2026-10…' }).click();
    await page.getByRole('button', { name: 'Finalise 2026-10 now' }).click();
    await poll(() => page.getByTestId('bill-status').textContent()).toBe('final');
    expect(posts).toEqual([{ period: '2026-10', final: true }]);
    expect(await deepText(page.getByRole('status'))).toBe('2026-10 is final: 2 invoices.');
    expect(await page.getByRole('button', { name: /^Finalise/ }).count()).toBe(0);
    // A manager does not draft.
    expect(await page.getByRole('button', { name: 'Draft again' }).count()).toBe(0);
  });

  it('shows the margin reports as tables with a chart of the margin, the figures as the file holds them', async () => {
    const page = b.page();
    await mount(page, 'manager', { period: '2026-10' });
    const chart = page.getByRole('img', { name: /^Margin by customer/ });
    await poll(() => chart.count()).toBe(1);
    // The biggest margin first; a loss drawn left of the zero line; the text is the file's decimals.
    expect(await chart.getAttribute('aria-label')).toBe('Margin by customer: ACME01 £1,107.4888; BRIGHT02, Ltd -£3.7582');
    expect(await chart.locator('rect.bar.down').count()).toBe(1);
    const table = await deepText(page.locator('vaadin-grid[accessible-name="Margin by customer"]'));
    for (const s of ['ACME01', '1,395', '187,699', '£1,168.3393', '£60.8505', '£1,107.4888', '94.79%', 'BRIGHT02, Ltd', '-£3.7582', '-10.98%']) expect(table).toContain(s);
    await page.getByRole('button', { name: 'Margin by call class' }).click();
    await poll(() => page.getByRole('img', { name: /^Margin by call class/ }).getAttribute('aria-label')).toBe('Margin by call class: Mobile £40.7146');
    expect(await page.getByRole('button', { name: 'Margin by call class' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Margin by destination' }).click();
    await poll(() => page.getByText('Margin by destination: nothing to report.').count()).toBe(1);
    await page.getByRole('button', { name: 'Housekeeping', exact: true }).click();
    await poll(() => deepText(page.locator('vaadin-grid[accessible-name="Housekeeping"]'))).toContain('Customer without a tariff');
    expect(await page.getByRole('img').count()).toBe(0);
    // loss_making_calls.csv is in the bill's list but the server has none here: said in the reports.
    b.allowHttpErrors(404);
    await page.getByRole('button', { name: 'Loss-making calls', exact: true }).click();
    await poll(() => page.locator('rb-margin-report').getByRole('alert').count()).toBe(1);
  });

  it('says when a period was never billed, and offers a clerk to draft it there', async () => {
    b.allowHttpErrors(404);
    const page = b.page();
    await mount(page, 'clerk', { period: '2026-08' });
    await poll(() => page.getByRole('alert').count()).toBe(1);
    expect(await deepText(page.getByRole('alert'))).toBe('2026-08 has not been billed (404)');
    await page.getByRole('button', { name: 'Draft it' }).click();
    await poll(() => posts.length).toBe(1);
    expect(posts).toEqual([{ period: '2026-08' }]);
  });
});
