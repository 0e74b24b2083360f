// rb-whatif: pick a version (those without errors), compare, and see the totals before and after
// and the change by customer, class and destination — the server's strings only formatted — with
// charts whose text alternative names every bar; a version in the address is compared at once.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserSuite, poll } from './browser.js';
import { mountElement, startFakeApi, type FakeApi } from './fake-api.js';
import { RUN_1, VERSIONS } from './fixtures.js';
import { deepText, unlabelledControls } from './page-checks.js';
import { WHATIF_1_2 } from './review-fixtures.js';

const b = browserSuite();
let fake: FakeApi;
let bodies: unknown[] = [];

beforeAll(async () => {
  fake = await startFakeApi();
  fake.api.get('/versions', (c) => c.json({ ...VERSIONS, versions: [{ ...VERSIONS.versions[0], errors: 0 }, VERSIONS.versions[1]] }));
  fake.api.get('/runs/1', (c) => c.json(RUN_1));
  fake.api.post('/runs/1/whatif', async (c) => {
    const body = await c.req.json<{ version: number }>();
    bodies.push(body);
    if (body.version === 1) return c.json({ error: 'version 1 is the one run 1 was rated with' }, 409);
    return c.json(WHATIF_1_2);
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  bodies = [];
});

const totals = (page: Page) => page.locator('vaadin-grid[accessible-name="Totals before and after"]');

describe('rb-whatif', () => {
  it('compares the run with the version picked: totals before and after, and the change charted and tabled', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-whatif', { callerRole: 'commercial', runId: 1 });
    const pick = page.getByLabel('Version', { exact: true });
    await poll(() => pick.inputValue()).toBe('2');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Compare' }).click();
    await poll(() => totals(page).count()).toBe(1);
    expect(bodies).toEqual([{ version: 2 }]);
    expect(await page.evaluate(() => location.hash)).toBe('#/runs/1/whatif?version=2');
    const cell = async (side: 'before' | 'after', what: string) => (await totals(page).locator(`[data-${side}="${what}"]`).textContent())?.trim();
    await poll(() => cell('before', 'Charge')).toBe('1,348.9474');
    expect(await cell('after', 'Charge')).toBe('1,352.2156');
    expect(await cell('after', 'Carrier cost')).toBe('124.243');
    expect(await cell('before', 'Rated calls')).toBe('3,049');
    expect(await cell('after', 'Exceptions')).toBe('143');
    // Every reason on either side, 0 where a side has none.
    expect(await cell('before', 'NO_TARIFF')).toBe('43');
    expect(await cell('after', 'NO_TARIFF')).toBe('0');

    const customers = page.getByRole('img', { name: /^Change in charges by customer/ });
    expect(await customers.getAttribute('aria-label')).toBe('Change in charges by customer: IVY09 +3.2082; BRIGHT02 +0.06; ACME01 -0.039');
    // A fall is drawn left of the zero line, a rise right of it.
    const bars = await customers.locator('rect.bar').evaluateAll((rs) => rs.map((r) => ({ x: Number(r.getAttribute('x')), w: Number(r.getAttribute('width')), down: r.classList.contains('down') })));
    const zero = await customers.locator('line.axis').getAttribute('x1');
    expect(bars[0]).toMatchObject({ x: Number(zero), down: false });
    expect(bars[2].down).toBe(true);
    expect(bars[2].x + bars[2].w).toBeCloseTo(Number(zero), 5);
    expect(bars[0].w).toBeGreaterThan(bars[1].w);
    const table = await deepText(page.locator('vaadin-grid[accessible-name="Change in charges by customer"]'));
    for (const s of ['IVY09', '42', '3.2082', '+3.2082', '1,168.3393', '1,168.3003', '-0.039']) expect(table).toContain(s);
    expect(await page.getByRole('img', { name: /^Change in charges by call class/ }).getAttribute('aria-label')).toBe('Change in charges by call class: Mobile +1.4976; Inbound 0.00');
    expect(await deepText(page.locator('vaadin-grid[accessible-name="Change in charges by destination"]'))).toContain('UK Mobile');
  });

  it('compares at once with the version the address names, and shows a refusal beside the picker', async () => {
    b.allowHttpErrors(409);
    const page = b.page();
    await mountElement(page, fake, 'rb-whatif', { callerRole: 'clerk', runId: 1, version: 2 });
    await poll(() => totals(page).count()).toBe(1);
    expect(bodies).toEqual([{ version: 2 }]);
    await page.getByLabel('Version', { exact: true }).selectOption('1');
    await page.getByRole('button', { name: 'Compare' }).click();
    await poll(() => page.getByRole('alert').count()).toBe(1);
    expect(await deepText(page.getByRole('alert'))).toBe('version 1 is the one run 1 was rated with (409)');
    // The old comparison is not left standing beside the refusal.
    expect(await totals(page).count()).toBe(0);
  });
});
