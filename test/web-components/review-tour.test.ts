// The review half of the tour (SPEC §8), in Chromium on the real server over a fresh data directory
// (the first start rates the sample calls as run 1): open run 1's exceptions — the reasons with
// count, seconds, cost and fix, the chart — and filter them by reason; compare the run with a
// fixed workbook (what-if: totals before and after, the change by customer and class); re-rate
// after publishing it and see what moved; draft October 2026 as a clerk (whose page offers no
// finalise), open an invoice's printable page, finalise as a manager; find a number with
// QuickSearch and see its customer, tariffs in force and recent calls. Every screen is held to the
// API's own answers.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/http/serve.js';
import { formatAmount } from '../../web-components/format.js';
import type { Bill, ReasonRow, WhatIf } from '../../web-components/review-types.js';
import { browserSuite, poll } from './browser.js';
import { deepText, unlabelledControls } from './page-checks.js';
import { publishFixedSample } from './review-fixture.js';

const b = browserSuite();
let dataDir: string;
let server: RunningServer;
const tokens: Record<string, string> = {};
let fixed = 0;

/** An API answer as the admin sees it, to hold the screens to. */
async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(new URL(`api${path}`, server.url), {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${server.adminToken}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as T;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ratebook-review-tour-'));
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, log: () => undefined });
  for (const role of ['clerk', 'manager']) tokens[role] = (await api<{ token: string }>('/tokens', { method: 'POST', body: { name: `tour ${role}`, role } })).token;
  // The fixed workbook goes up through the API (the Workbooks screen's upload has its own tour).
  fixed = await publishFixedSample(server.url, server.adminToken!, false);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Signs in with a role's token from the address, then opens a screen. */
async function open(page: Page, role: string, hash: string): Promise<void> {
  await page.goto(`${server.url}#token=${tokens[role]}`);
  await poll(() => page.locator('rb-app .who .role').textContent(), 30_000).toBe(role);
  await page.goto(`${server.url}${hash}`);
}

const gridTotal = (page: Page) => deepText(page.locator('rb-server-grid .total'));
const fmt = (n: number) => n.toLocaleString('en-GB');

describe('the review tour', () => {
  it("opens run 1's exceptions: each reason with count, seconds, cost and fix, the chart, and the grid filtered by reason", async () => {
    const page = b.page();
    await open(page, 'manager', '#/runs/1/exceptions');
    const { reasons } = await api<{ reasons: ReasonRow[] }>('/runs/1/exceptions/summary');
    const shown = reasons.filter((r) => r.count > 0);
    expect(shown.length).toBeGreaterThan(3);
    const table = page.locator('vaadin-grid[accessible-name="Exceptions by reason"]');
    await poll(() => deepText(table), 30_000).toContain(shown[0].reason);
    const text = await deepText(table);
    for (const r of shown) for (const s of [r.reason, fmt(r.count), fmt(r.seconds), formatAmount(r.cost), r.fix]) expect(text).toContain(s);
    const chart = page.getByRole('img', { name: /^Exceptions by reason \(calls\)/ });
    expect(await chart.getAttribute('aria-label')).toBe(`Exceptions by reason (calls): ${shown.map((r) => `${r.reason} ${fmt(r.count)} call${r.count === 1 ? '' : 's'}`).join('; ')}`);
    expect(await chart.locator('rect.bar').count()).toBe(shown.length);
    const all = shown.reduce((n, r) => n + r.count, 0);
    await poll(() => gridTotal(page), 30_000).toBe(`${fmt(all)} exceptions`);
    // The grid filtered by a reason holds its count.
    const noTariff = shown.find((r) => r.reason === 'NO_TARIFF')!;
    await page.getByLabel('Reason', { exact: true }).selectOption('NO_TARIFF');
    await poll(() => gridTotal(page), 30_000).toBe(`${fmt(noTariff.count)} exceptions`);
    await poll(() => deepText(page.locator('vaadin-grid[accessible-name="Exceptions of run 1"]'))).toContain('IVY09 has no Tariff');
    expect(page.url()).toBe(`${server.url}#/runs/1/exceptions?reason=NO_TARIFF`);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('compares run 1 with the fixed workbook: totals before and after, the change charted by customer and class', { timeout: 120_000 }, async () => {
    const page = b.page();
    await open(page, 'clerk', '#/runs/1/whatif');
    const pick = page.getByLabel('Version', { exact: true });
    await poll(() => pick.inputValue(), 30_000).toBe(String(fixed));
    await page.getByRole('button', { name: 'Compare' }).click();
    const totals = page.locator('vaadin-grid[accessible-name="Totals before and after"]');
    await poll(() => totals.count(), 90_000).toBe(1);
    const w = await api<WhatIf>('/runs/1/whatif', { method: 'POST', body: { version: fixed } });
    const cell = async (side: 'before' | 'after', what: string) => (await totals.locator(`[data-${side}="${what}"]`).textContent())?.trim();
    await poll(() => cell('before', 'Charge')).toBe(formatAmount(w.before.charge));
    expect(await cell('after', 'Charge')).toBe(formatAmount(w.after.charge));
    expect(await cell('before', 'Rated calls')).toBe(fmt(w.before.rated));
    expect(await cell('after', 'Rated calls')).toBe(fmt(w.after.rated));
    expect(await cell('after', 'NO_TARIFF')).toBe('0');
    // IVY09, given a tariff, is the biggest change: first in the chart and the table.
    const customers = page.getByRole('img', { name: /^Change in charges by customer/ });
    const ivy = w.byCustomer.find((c) => c.account === 'IVY09')!;
    expect(await customers.getAttribute('aria-label')).toMatch(new RegExp(`^Change in charges by customer: IVY09 \\+${formatAmount(ivy.change).replace('.', '\\.')};`));
    expect(await page.getByRole('img', { name: /^Change in charges by call class/ }).locator('rect.bar').count()).toBe(w.byClass.length);
    expect(await deepText(page.locator('vaadin-grid[accessible-name="Change in charges by customer"]'))).toContain(formatAmount(ivy.after));
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('re-rates the exceptions with the fixed workbook once published, and shows what moved', { timeout: 120_000 }, async () => {
    await api(`/versions/${fixed}/publish`, { method: 'POST' });
    const before = (await api<{ summary: { rated: number } }>('/runs/1')).summary.rated;
    const page = b.page();
    await open(page, 'manager', '#/runs/1/exceptions?reason=NO_TARIFF');
    await poll(() => page.getByLabel('Version', { exact: true }).inputValue(), 30_000).toBe(String(fixed));
    await page.getByRole('button', { name: `Re-rate with version ${fixed}` }).click();
    const result = page.getByTestId('rerate-result');
    await poll(() => result.count(), 90_000).toBe(1);
    const after = (await api<{ summary: { rated: number } }>('/runs/1')).summary.rated;
    const moved = Number((await page.locator('[data-figure="moved"]').textContent())!.replace(/,/g, ''));
    expect(moved).toBeGreaterThan(0);
    expect(after - before).toBe(moved);
    expect(await deepText(result)).toContain(`Re-rated with version ${fixed}:`);
    expect(await deepText(result)).toContain('NO_TARIFF');
    // No NO_TARIFF calls are left in the grid, which still filters by it.
    await poll(() => gridTotal(page), 30_000).toBe('0 exceptions');
    await poll(() => deepText(page.locator('vaadin-grid[accessible-name="Exceptions by reason"]'))).not.toContain('NO_TARIFF');
  });

  it("drafts October 2026 as a clerk, whose page offers no finalise, and opens an invoice's printable page", { timeout: 120_000 }, async () => {
    const page = b.page();
    await open(page, 'clerk', '#/billing');
    const period = page.getByLabel('Period', { exact: true });
    await poll(() => period.count(), 30_000).toBe(1);
    await period.fill('2026-10');
    await page.getByRole('button', { name: 'Draft the bill' }).click();
    await poll(() => page.url(), 90_000).toBe(`${server.url}#/billing/2026-10`);
    const bill = await api<Bill>('/bills/2026-10');
    await poll(() => page.locator('[data-figure="total"]').textContent(), 30_000).toBe(formatAmount(bill.total, bill.currency));
    expect(await page.locator('[data-figure="net"]').textContent()).toBe(formatAmount(bill.net, bill.currency));
    expect(await page.getByTestId('bill-status').textContent()).toBe('draft');
    expect(await page.getByRole('button', { name: /^Finalise/ }).count()).toBe(0);
    const invoices = page.locator('vaadin-grid[accessible-name="Invoices"]');
    const first = bill.invoices[0];
    await poll(() => deepText(invoices)).toContain(first.invoice);
    expect(await deepText(invoices)).toContain(formatAmount(first.total, bill.currency));
    await page.getByRole('button', { name: `Open invoice ${first.invoice}` }).click();
    const frame = page.frameLocator(`iframe[title="Invoice ${first.invoice}, printable page"]`);
    await poll(() => frame.locator('body').textContent(), 30_000).toContain(first.invoice);
    expect(await frame.locator('body').textContent()).toContain(first.total);
    // The margin report is the bill's own CSV, charted.
    await poll(() => page.getByRole('img', { name: /^Margin by customer/ }).count(), 30_000).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('finalises October 2026 as a manager', { timeout: 120_000 }, async () => {
    const page = b.page();
    await open(page, 'manager', '#/billing/2026-10');
    await page.getByRole('button', { name: 'Finalise 2026-10…' }).click();
    await page.getByRole('button', { name: 'Finalise 2026-10 now' }).click();
    await poll(() => page.getByTestId('bill-status').textContent(), 90_000).toBe('final');
    expect((await api<Bill>('/bills/2026-10')).status).toBe('final');
    expect(await page.getByRole('button', { name: /^Finalise/ }).count()).toBe(0);
  });

  it("finds a number with QuickSearch and shows its customer, tariffs in force and recent calls", { timeout: 120_000 }, async () => {
    const page = b.page();
    await open(page, 'clerk', '#/runs');
    const box = page.getByRole('searchbox', { name: 'Search customers and numbers' });
    await box.fill('1134960000');
    await box.press('Enter');
    await poll(() => page.url()).toBe(`${server.url}#/search?q=1134960000`);
    const link = page.locator('vaadin-grid[accessible-name="Numbers matching"]').getByRole('link', { name: '441134960000' });
    await poll(() => link.count(), 30_000).toBe(1);
    await link.click();
    await poll(() => page.getByRole('heading', { name: 'Number 441134960000', level: 1 }).count(), 30_000).toBe(1);
    expect(await deepText(page.getByRole('region', { name: 'Customer' }))).toContain('Acme Widgets');
    const tariffs = page.locator('vaadin-grid[accessible-name="Tariffs in force by call class"]');
    expect(await deepText(tariffs)).toContain('National');
    const calls = page.locator('vaadin-grid[accessible-name="Recent calls"]');
    await poll(() => calls.count(), 30_000).toBe(1);
    const latest = await api<{ rows: { start: string; called: string }[] }>('/runs/1/rated?limit=1&sort=start:desc&filter[number]=441134960000');
    expect(await deepText(calls)).toContain(latest.rows[0].called);
    expect(await unlabelledControls(page)).toEqual([]);
  });
});
