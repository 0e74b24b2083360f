// rb-exceptions (with rb-bar-chart, rb-rerate-form, rb-release-form, rb-server-grid): the reasons
// with count, seconds, cost and fix, the chart and its text alternative, the grid filtered by a
// reason, re-rate with a chosen version, release held calls with a reason, and what each role is
// offered.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserSuite, poll } from './browser.js';
import { mountElement, startFakeApi, type FakeApi } from './fake-api.js';
import { RUN_1, VERSIONS } from './fixtures.js';
import { deepText, unlabelledControls } from './page-checks.js';
import { exceptionPage, exceptionRows, REASONS } from './review-fixtures.js';

const b = browserSuite();
let fake: FakeApi;
let rows = exceptionRows();
let reasons = REASONS;
let bodies: { path: string; body: Record<string, unknown> }[] = [];
let rerateAnswer: { status: number; body: object } = { status: 200, body: {} };

// Version 3 has errors: it cannot rate, so it is not offered.
const VERSIONS_3 = { ...VERSIONS, versions: [{ ...VERSIONS.versions[0], seq: 3, errors: 4 }, { ...VERSIONS.versions[0], errors: 0 }, VERSIONS.versions[1]] };

beforeAll(async () => {
  fake = await startFakeApi();
  fake.api.get('/versions', (c) => c.json(VERSIONS_3));
  fake.api.get('/runs/1', (c) => c.json(RUN_1));
  fake.api.get('/runs/1/exceptions/summary', (c) => c.json({ reasons }));
  fake.api.get('/runs/1/exceptions', (c) => c.json(exceptionPage(c.req.url, rows)));
  fake.api.post('/runs/1/rerate', async (c) => {
    const body = await c.req.json<Record<string, unknown>>();
    bodies.push({ path: '/runs/1/rerate', body });
    if (rerateAnswer.status === 200) {
      // Version 2 gives IVY09 a tariff: its NO_TARIFF calls rate.
      rows = rows.filter((r) => r.reason !== 'NO_TARIFF');
      reasons = reasons.map((r) => (r.reason === 'NO_TARIFF' ? { ...r, count: 0, seconds: 0, cost: '0.0000' } : r));
    }
    return c.json(rerateAnswer.body, rerateAnswer.status as 200);
  });
  fake.api.post('/runs/1/release', async (c) => {
    const body = await c.req.json<Record<string, unknown>>();
    bodies.push({ path: '/runs/1/release', body });
    return c.json({ moved: 2, remaining: 124, held: 47, failed: { NO_RATE: 1 }, charge: '0.1234' });
  });
  fake.api.get('/runs/2/exceptions/summary', (c) => c.json({ error: 'run 2 is rating and not done yet: its results are there once it is done' }, 409));
  fake.api.get('/runs/2', (c) => c.json({ ...RUN_1, id: 2, status: 'rating', summary: null }));
});
afterAll(() => fake.close());
beforeEach(() => {
  rows = exceptionRows();
  reasons = REASONS;
  bodies = [];
  rerateAnswer = { status: 200, body: { moved: 43, byReason: { NO_TARIFF: 43 }, remaining: 83, charge: '3.2082' } };
});

const grid = (page: Page) => page.locator('rb-server-grid vaadin-grid');
const total = (page: Page) => deepText(page.locator('rb-server-grid .total'));
const lastQuery = () => fake.requestsTo('/runs/1/exceptions').at(-1)!.query;
const mount = (page: Page, role: string, props: Record<string, unknown> = {}) => mountElement(page, fake, 'rb-exceptions', { callerRole: role, runId: 1, ...props });

describe('rb-exceptions', () => {
  it('shows each reason with its count, seconds, cost as sent and what fixes it, charted with a text alternative', async () => {
    const page = b.page();
    await mount(page, 'manager');
    const table = page.locator('vaadin-grid[accessible-name="Exceptions by reason"]');
    await poll(() => deepText(table)).toContain('NO_RATE');
    const text = await deepText(table);
    // Reasons without calls are left out; figures formatted, the cost as the server sent it.
    expect(text).not.toContain('DUPLICATE');
    for (const s of ['SUSPECTED_FRAUD', '49', '251', '5,797', '1,234.8249', 'Give the customer a Tariff or Markup']) expect(text).toContain(s);
    const chart = page.getByRole('img', { name: /^Exceptions by reason \(calls\)/ });
    expect(await chart.getAttribute('aria-label')).toBe('Exceptions by reason (calls): INVALID_RECORD 7 calls; UNKNOWN_NUMBER 2 calls; SUSPECTED_FRAUD 49 calls; NO_TARIFF 43 calls; NO_RATE 25 calls');
    // The longest bar is the biggest count.
    const widths = await chart.locator('rect.bar').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
    expect(widths.indexOf(Math.max(...widths))).toBe(2);
    // Charted by cost: the server's strings, formatted.
    await page.getByLabel('Chart').selectOption('cost');
    await poll(() => page.getByRole('img', { name: /^Exceptions by reason \(carrier cost\)/ }).getAttribute('aria-label')).toContain('NO_RATE 1,234.8249');
    await poll(() => total(page)).toBe('126 exceptions');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await page.getByRole('link', { name: 'Exceptions' }).getAttribute('aria-current')).toBe('page');
  });

  it('filters the grid by the reason picked, by a reason\'s Show button, and from the address', async () => {
    const page = b.page();
    await mount(page, 'manager');
    await poll(() => total(page)).toBe('126 exceptions');
    await page.getByLabel('Reason', { exact: true }).selectOption('NO_RATE');
    await poll(() => lastQuery().get('filter[reason]')).toBe('NO_RATE');
    await poll(() => total(page)).toBe('25 exceptions');
    expect(await page.evaluate(() => location.hash)).toBe('#/runs/1/exceptions?reason=NO_RATE');
    // The grid's own header field shows it.
    expect(await page.getByLabel('Filter Reason').inputValue()).toBe('NO_RATE');
    await page.getByRole('button', { name: 'Show the SUSPECTED_FRAUD calls' }).click();
    await poll(() => total(page)).toBe('49 exceptions');
    expect(await page.getByLabel('Reason', { exact: true }).inputValue()).toBe('SUSPECTED_FRAUD');
    await page.getByLabel('Reason', { exact: true }).selectOption('');
    await poll(() => total(page)).toBe('126 exceptions');
    expect(lastQuery().has('filter[reason]')).toBe(false);
    // A reason typed in the grid's header moves the picker too.
    await page.getByLabel('Filter Reason').fill('unknown_number');
    await poll(() => page.getByLabel('Reason', { exact: true }).inputValue()).toBe('UNKNOWN_NUMBER');
    await poll(() => total(page)).toBe('2 exceptions');

    await mount(page, 'clerk', { reason: 'NO_TARIFF' });
    await poll(() => total(page)).toBe('43 exceptions');
    expect(fake.requestsTo('/runs/1/exceptions').at(-1)!.query.get('filter[reason]')).toBe('NO_TARIFF');
    expect(await deepText(grid(page))).toContain('NO_TARIFF detail');
  });

  it('re-rates with the version chosen and shows what moved, then the run as it is now', async () => {
    const page = b.page();
    await mount(page, 'clerk');
    const pick = page.getByLabel('Version');
    await poll(() => pick.count()).toBe(1);
    // Versions without errors, newest first; the newest the run was not rated with is offered first.
    expect(await pick.locator('option').allTextContents()).toEqual([expect.stringMatching(/^version 2 \(draft, carol/), expect.stringMatching(/^version 1 \(published, the run's/)]);
    expect(await pick.inputValue()).toBe('2');
    const summaries = fake.requestsTo('/runs/1/exceptions/summary').length;
    await page.getByRole('button', { name: 'Re-rate with version 2' }).click();
    await poll(() => page.getByTestId('rerate-result').count()).toBe(1);
    expect(bodies).toEqual([{ path: '/runs/1/rerate', body: { version: 2 } }]);
    expect(await deepText(page.getByTestId('rerate-result'))).toBe('Re-rated with version 2: 43 calls moved to the rated calls (NO_TARIFF 43), charge 3.2082; 83 exceptions remain.');
    // The reasons and the grid are asked for again.
    await poll(() => fake.requestsTo('/runs/1/exceptions/summary').length).toBe(summaries + 1);
    await poll(() => total(page)).toBe('83 exceptions');
    await poll(() => deepText(page.locator('vaadin-grid[accessible-name="Exceptions by reason"]'))).not.toContain('NO_TARIFF');
    // A clerk may re-rate but not release.
    expect(await page.getByRole('button', { name: 'Release the calls' }).count()).toBe(0);
  });

  it("shows the server's refusal of a re-rate beside the form", async () => {
    b.allowHttpErrors(409);
    rerateAnswer = { status: 409, body: { error: 'version 2 reads the CDR files in another format than run 1' } };
    const page = b.page();
    await mount(page, 'manager');
    await page.getByLabel('Version').selectOption('1');
    await page.getByRole('button', { name: 'Re-rate with version 1' }).click();
    await poll(() => page.locator('rb-rerate-form').getByRole('alert').count()).toBe(1);
    expect(await deepText(page.locator('rb-rerate-form').getByRole('alert'))).toBe('version 2 reads the CDR files in another format than run 1 (409)');
    expect(bodies).toEqual([{ path: '/runs/1/rerate', body: { version: 1 } }]);
  });

  it('releases held calls with the reason, all of them or the ones listed, and says which lines are not file:line', async () => {
    const page = b.page();
    await mount(page, 'manager');
    const release = page.getByRole('button', { name: 'Release the calls' });
    await poll(() => release.count()).toBe(1);
    expect(await page.getByLabel('All 49 held calls').isChecked()).toBe(true);
    await page.getByLabel('Only the calls listed').check();
    await page.getByLabel(/^Calls to release/).fill('sample-calls.csv:812\nnot a line\nb:c.csv:9');
    await page.getByLabel(/^Why they are released/).fill('Checked with Acme: a sales trip');
    await release.click();
    const alert = page.locator('rb-release-form').getByRole('alert');
    await poll(() => alert.count()).toBe(1);
    expect(await deepText(alert)).toContain('line 2: "not a line" is not file:line');
    expect(bodies).toEqual([]);
    await page.getByLabel(/^Calls to release/).fill('sample-calls.csv:812\n\nb:c.csv: 9');
    await release.click();
    await poll(() => page.getByTestId('release-result').count()).toBe(1);
    expect(bodies).toEqual([{ path: '/runs/1/release', body: { lines: [{ file: 'sample-calls.csv', line: 812 }, { file: 'b:c.csv', line: 9 }], reason: 'Checked with Acme: a sales trip' } }]);
    expect(await deepText(page.getByTestId('release-result'))).toBe('Released: 2 calls moved to the rated calls, charge 0.1234; 1 failed NO_RATE and stay exceptions. 47 calls still held. 124 exceptions in the run.');
    // All of them, by the keyboard.
    await page.getByLabel('All 49 held calls').focus();
    await page.keyboard.press('Space');
    await page.getByLabel(/^Why they are released/).fill('Reviewed the lot');
    await page.getByLabel(/^Why they are released/).press('Tab');
    await page.keyboard.press('Enter');
    await poll(() => bodies.length).toBe(2);
    expect(bodies[1].body).toEqual({ all: true, reason: 'Reviewed the lot' });
  });

  it('offers a commercial user neither re-rate nor release, and shows why a run has no exceptions yet', async () => {
    b.allowHttpErrors(409);
    const page = b.page();
    const asked = fake.requestsTo('/versions').length;
    await mount(page, 'commercial');
    await poll(() => total(page)).toBe('126 exceptions');
    expect(await page.getByRole('button', { name: /Re-rate/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Release the calls' }).count()).toBe(0);
    // Nothing to pick a version for.
    expect(fake.requestsTo('/versions')).toHaveLength(asked);
    await mountElement(page, fake, 'rb-exceptions', { callerRole: 'manager', runId: 2 });
    await poll(() => page.getByRole('alert').count()).toBe(1);
    expect(await deepText(page.getByRole('alert'))).toContain('run 2 is rating and not done yet');
  });
});
