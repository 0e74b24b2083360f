// The small elements the screens are made of, each mounted alone: rb-error, rb-progress,
// rb-problem-counts, rb-file-drop, rb-download, rb-run-watch, rb-run-summary, rb-version-diff,
// rb-version-problems.

import { streamSSE } from 'hono/streaming';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, poll } from './browser.js';
import { mountElement, startFakeApi, type FakeApi } from './fake-api.js';
import { serveDownloadLinks } from './fake-downloads.js';
import { RUN_1 } from './fixtures.js';
import { deepText } from './page-checks.js';

const b = browserSuite();
let fake: FakeApi;
let streams = 0;

beforeAll(async () => {
  fake = await startFakeApi();
  serveDownloadLinks(fake);
  fake.api.get('/runs/4/files/:name', (c) => c.json({ error: `run 4 has no file ${c.req.param('name')}` }, 404));
  // A stream cut off before the end; the run has finished meanwhile.
  fake.api.get('/runs/5/events', (c) => {
    streams++;
    return streamSSE(c, async (s) => {
      await s.writeSSE({ event: 'progress', data: JSON.stringify({ bytes: 40, totalBytes: 100, lines: 400 }) });
    });
  });
  fake.api.get('/runs/5', (c) => c.json({ ...RUN_1, id: 5 }));
});
afterAll(() => fake.close());

/** Records the element's events of `type` into window.events. */
const listen = (page: Page, selector: string, type: string) =>
  page.evaluate(
    ([selector, type]) => {
      const w = window as unknown as { events: unknown[] };
      w.events = [];
      document.querySelector(selector)!.addEventListener(type, (e) => w.events.push((e as CustomEvent).detail));
    },
    [selector, type] as const,
  );
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: { files?: { name: string }[] }[] }).events.map((e) => ({ ...e, files: e.files?.map((f) => f.name) })));

describe('rb-error', () => {
  it('shows the sentence, the status and each issue with where it is; nothing without an error', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-error', { failure: { status: 400, error: "the request's body is not valid", issues: [{ at: 'body.period', message: 'must be YYYY-MM' }] } });
    const alert = page.getByRole('alert');
    await poll(() => alert.count()).toBe(1);
    expect(await deepText(alert)).toBe("the request's body is not valid (400) body.period: must be YYYY-MM");
    await mountElement(page, fake, 'rb-error', { failure: null });
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

describe('rb-progress', () => {
  it('is a progress bar named by its label, saying its figures and percentage, held within 0..max', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-progress', { label: 'Upload of calls.csv', value: 250, max: 1000, detail: '250 B of 1.0 kB' });
    const bar = page.getByRole('progressbar', { name: 'Upload of calls.csv' });
    await poll(() => bar.count()).toBe(1);
    expect(await bar.evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([250, 1000]);
    expect(await deepText(page.locator('rb-progress'))).toBe('Upload of calls.csv 250 B of 1.0 kB (25%)');
    await page.locator('rb-progress').evaluate((el: HTMLElement & { value: number; state: string }) => ((el.value = 5000), (el.state = 'done')));
    await poll(() => deepText(page.locator('rb-progress'))).toContain('(100%) — done');
    expect(await bar.evaluate((p: HTMLProgressElement) => p.value)).toBe(1000);
  });
});

describe('rb-problem-counts', () => {
  it('shows a badge per kind present, or no problems', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-problem-counts', { errors: 1, warnings: 0, notices: 12 });
    await poll(() => deepText(page.locator('rb-problem-counts'))).toBe('1 error 12 notices');
    await mountElement(page, fake, 'rb-problem-counts', {});
    await poll(() => deepText(page.locator('rb-problem-counts'))).toBe('no problems');
  });
});

describe('rb-file-drop', () => {
  it('is reached and used by keyboard, hands over picked files, and takes nothing while disabled', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-file-drop', { label: 'Choose CDR files…', multiple: true });
    await listen(page, 'rb-file-drop', 'files-chosen');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('type'));
    expect(focused).toBe('file');
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Space');
    await (await chooser).setFiles([{ name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from('x') }, { name: 'b.csv.gz', mimeType: 'application/gzip', buffer: Buffer.from('y') }]);
    await poll(() => events(page)).toEqual([{ files: ['a.csv', 'b.csv.gz'] }]);
    await page.locator('rb-file-drop').evaluate((el: HTMLElement & { disabled: boolean }) => (el.disabled = true));
    await poll(() => page.getByLabel('Choose CDR files…').isDisabled()).toBe(true);
    const dt = await page.evaluateHandle(() => {
      const t = new DataTransfer();
      t.items.add(new File(['z'], 'c.csv'));
      return t;
    });
    await page.locator('rb-file-drop .zone').dispatchEvent('drop', { dataTransfer: dt });
    expect(await events(page)).toHaveLength(1);
  });

  it('takes one file of a drop when it asks for one', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-file-drop', { label: 'Choose a workbook…' });
    await listen(page, 'rb-file-drop', 'files-chosen');
    const dt = await page.evaluateHandle(() => {
      const t = new DataTransfer();
      t.items.add(new File(['1'], 'first.xlsx'));
      t.items.add(new File(['2'], 'second.xlsx'));
      return t;
    });
    await page.locator('rb-file-drop .zone').dispatchEvent('drop', { dataTransfer: dt });
    await poll(() => events(page)).toEqual([{ files: ['first.xlsx'] }]);
  });
});

describe('rb-download', () => {
  it("shows the server's refusal beside the button", async () => {
    b.allowHttpErrors(404);
    const page = b.page();
    await mountElement(page, fake, 'rb-download', { path: '/runs/4/files/rated.csv', file: 'rated.csv' });
    await page.getByRole('button', { name: 'Download rated.csv' }).click();
    await poll(() => page.getByRole('alert').textContent()).toContain('run 4 has no file rated.csv');
    expect(await page.getByRole('button', { name: 'Download rated.csv' }).isEnabled()).toBe(true);
  });
});

describe('rb-run-watch', () => {
  it('asks for the run when its stream ends early, and finishes with it', async () => {
    const page = b.page();
    streams = 0;
    await page.goto(`${fake.url}harness.html`);
    await page.waitForFunction(() => 'rb' in window);
    await page.evaluate(() => {
      const w = window as unknown as { events: unknown[]; rb: { api(): unknown; mount(t: string, p: object): HTMLElement } };
      w.events = [];
      const el = w.rb.mount('rb-run-watch', { api: w.rb.api() });
      el.addEventListener('run-finished', (e) => w.events.push((e as CustomEvent).detail));
      (el as HTMLElement & { runId: number }).runId = 5;
    });
    await poll(() => page.evaluate(() => (window as unknown as { events: { id: number; event: { kind: string } }[] }).events.map((e) => [e.id, e.event.kind]))).toEqual([[5, 'done']]);
    expect(streams).toBe(1);
    const bar = page.getByRole('progressbar', { name: 'Rating run 5' });
    expect(await bar.evaluate((p: HTMLProgressElement) => p.value === p.max)).toBe(true);
    expect(await deepText(page.locator('rb-run-watch'))).toContain('3,235 lines');
  });
});

describe('rb-run-summary', () => {
  it('takes exceptions as a count or by reason, and formats amounts with the currency given', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-run-summary', { summary: { input: 10, rated: 7, exceptions: 3, charge: '1234.5', cost: '-0.25' }, currency: 'GBP' });
    await poll(() => deepText(page.getByTestId('equation'))).toBe('Input 10 calls = 7 rated + 3 exceptions');
    expect(await page.locator('[data-figure="charge"]').textContent()).toBe('£1,234.5');
    expect(await page.locator('[data-figure="cost"]').textContent()).toBe('-£0.25');
    expect(await page.getByRole('list', { name: 'Exceptions by reason' }).count()).toBe(0);
  });
});

describe('rb-version-diff', () => {
  it('strikes removed rows, marks blanks, and says when only the first rows are listed', async () => {
    const page = b.page();
    const diff = {
      tabs: [
        {
          tab: 'Numbers',
          keyColumns: ['Number', 'Extension', 'DateSold'],
          counts: { added: 0, removed: 3000, changed: 1 },
          added: [],
          removed: [{ key: '0113 496 0000 /  / 2026-01-01', cells: [{ column: 'Number', text: '0113 496 0000' }] }],
          changed: [{ key: '0121 496 0010 /  / 2025-06-01', cells: [{ column: 'Site', from: '', to: 'Birmingham' }] }],
        },
      ],
    };
    await mountElement(page, fake, 'rb-version-diff', { diff });
    await poll(() => deepText(page.locator('rb-version-diff p'))).toBe('The first 2 of 3,001 rows are listed.');
    expect(await page.locator('rb-version-diff del', { hasText: '0113 496 0000' }).count()).toBe(1);
    expect(await page.locator('rb-version-diff mark.changed').textContent()).toBe('(blank) → Birmingham');
    await mountElement(page, fake, 'rb-version-diff', { diff: { tabs: [] } });
    await poll(() => deepText(page.locator('rb-version-diff'))).toBe('No differences: the two versions have the same content.');
  });
});

describe('rb-version-problems', () => {
  it('lets a long list scroll inside its grid and keeps every problem', async () => {
    const page = b.page();
    const problems = Array.from({ length: 40 }, (_, i) => ({ severity: 'error', at: `Numbers!B${i + 2}`, code: 'NOT_A_PHONE_NUMBER', message: `row ${i + 2}` }));
    await mountElement(page, fake, 'rb-version-problems', { problems });
    const grid = page.locator('vaadin-grid[accessible-name="Problems on Numbers"]');
    await poll(() => grid.count()).toBe(1);
    expect(await grid.getAttribute('all-rows-visible')).toBeNull();
    expect(await grid.evaluate((g: HTMLElement & { items: unknown[] }) => g.items.length)).toBe(40);
    expect(await grid.evaluate((g) => g.getBoundingClientRect().height)).toBeLessThan(400);
  });
});
