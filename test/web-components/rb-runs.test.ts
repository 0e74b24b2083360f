// rb-runs (with rb-run-upload, rb-run-watch, rb-progress, rb-file-drop): the runs list, and for
// clerks CDR files dropped or picked with a progress bar for the upload and one for the rating,
// fed by the run's event stream read with the token in the Authorization header.

import { streamSSE } from 'hono/streaming';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, poll } from './browser.js';
import { mountElement, startFakeApi, type FakeApi } from './fake-api.js';
import { RUN_1, RUNS, VERSIONS } from './fixtures.js';
import { deepText, unlabelledControls } from './page-checks.js';

const b = browserSuite();
let fake: FakeApi;
let uploads: { names: string[]; version: string | null }[] = [];
/** The test lets the rating go on: each call releases the next step of the event stream. */
let step: (() => void) | null = null;
const next = (): Promise<void> => new Promise((resolve) => (step = resolve));
let eventAuth: string[] = [];

beforeAll(async () => {
  fake = await startFakeApi();
  const clean3 = { ...VERSIONS.versions[0], seq: 3, source: 'rates-december.xlsx', errors: 0, warnings: 0 };
  fake.api.get('/versions', (c) => c.json({ ...VERSIONS, versions: [clean3, ...VERSIONS.versions] }));
  fake.api.get('/runs', (c) => c.json({ runs: RUNS }));
  fake.api.post('/runs', async (c) => {
    const form = await c.req.formData();
    uploads.push({ names: form.getAll('cdrs').map((f) => (f as File).name), version: (form.get('version') as string | null) ?? null });
    if (form.getAll('cdrs').some((f) => (f as File).name === 'again.csv')) return c.json({ error: 'again.csv has already been rated: run 1 holds the same file' }, 409);
    return c.json({ id: 7, status: 'queued' }, 202);
  });
  fake.api.get('/runs/7/events', (c) => {
    eventAuth.push(c.req.header('authorization') ?? '');
    return streamSSE(c, async (s) => {
      await next();
      await s.writeSSE({ event: 'progress', data: JSON.stringify({ bytes: 250_000, totalBytes: 1_000_000, lines: 2_500 }) });
      await next();
      await s.writeSSE({ event: 'progress', data: JSON.stringify({ bytes: 1_000_000, totalBytes: 1_000_000, lines: 10_000 }) });
      await s.writeSSE({ event: 'done', data: JSON.stringify({ id: 7, status: 'done', summary: { ...RUN_1.summary, input: 10_000 } }) });
    });
  });
});
afterAll(() => fake.close());

describe('rb-runs', () => {
  it('lists the runs with their figures as the server sent them, formatted', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-runs', { callerRole: 'commercial' });
    const grid = page.locator('vaadin-grid[accessible-name="Runs"]');
    await poll(() => grid.getByRole('link', { name: 'Run 1' }).count()).toBe(1);
    const text = await deepText(grid);
    for (const s of ['sample-calls.csv', 'first start', '3,235', '3,100', '135', '12,345.678901', '8,000.5', 'rating', 'november.csv']) expect(text).toContain(s);
    expect(await grid.getByRole('link', { name: 'Run 1' }).getAttribute('href')).toBe('#/runs/1');
    // Commercial may not start runs: nothing to drop.
    expect(await page.locator('rb-run-upload').count()).toBe(0);
  });

  it('uploads dropped CDR files with a progress bar, then follows the rating on the event stream to the end', async () => {
    const page = b.page();
    uploads = [];
    eventAuth = [];
    await mountElement(page, fake, 'rb-runs', { callerRole: 'clerk' }, 'clerk-token');
    const picker = page.getByLabel('Choose CDR files…');
    await poll(() => picker.count()).toBe(1);
    expect(await picker.getAttribute('multiple')).not.toBeNull();
    await poll(() => page.getByLabel('Rate with').count()).toBe(1);
    await picker.setInputFiles([
      { name: 'october.csv', mimeType: 'text/csv', buffer: Buffer.alloc(400_000, 0x31) },
      { name: 'november.csv.gz', mimeType: 'application/gzip', buffer: Buffer.alloc(100_000, 0x32) },
    ]);
    const upload = page.getByRole('progressbar', { name: 'Upload of 2 files' });
    await poll(() => upload.evaluate((p: HTMLProgressElement) => p.value === p.max && p.max >= 500_000)).toBe(true);
    expect(await deepText(page.locator('rb-run-upload rb-progress').first())).toContain('— done');
    expect(uploads).toEqual([{ names: ['october.csv', 'november.csv.gz'], version: null }]);

    const rating = page.getByRole('progressbar', { name: 'Rating run 7' });
    await poll(() => rating.count()).toBe(1);
    await poll(() => step !== null).toBe(true);
    step!();
    await poll(() => rating.evaluate((p: HTMLProgressElement) => p.value)).toBe(250_000);
    expect(await rating.evaluate((p: HTMLProgressElement) => p.max)).toBe(1_000_000);
    expect(await deepText(page.locator('rb-run-watch'))).toContain('2,500 lines, 250 kB of 1.0 MB (25%)');
    step!();
    await poll(() => page.getByRole('status').textContent()).toContain('Run 7 is rated.');
    expect(await rating.evaluate((p: HTMLProgressElement) => p.value === p.max)).toBe(true);
    expect(await deepText(page.locator('rb-run-watch'))).toContain('10,000 lines');
    expect(await page.getByRole('link', { name: 'Open run 7' }).getAttribute('href')).toBe('#/runs/7');
    // EventSource cannot send the token: the stream was read with it in the header.
    expect(eventAuth).toEqual(['Bearer clerk-token']);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('offers the versions without errors and sends the one picked; a refused upload is shown where it happened', async () => {
    b.allowHttpErrors(409);
    const page = b.page();
    uploads = [];
    await mountElement(page, fake, 'rb-runs', { callerRole: 'admin' });
    await poll(() => page.getByLabel('Rate with').count()).toBe(1);
    // Only versions without errors are offered.
    expect(await page.getByLabel('Rate with').locator('option').allTextContents()).toEqual(['version 3', 'version 1 (published)']);
    expect(await page.getByLabel('Rate with').inputValue()).toBe('1');
    await page.getByLabel('Rate with').selectOption('3');
    const dt = await page.evaluateHandle(() => {
      const t = new DataTransfer();
      t.items.add(new File(['id,start\n'], 'again.csv', { type: 'text/csv' }));
      return t;
    });
    await page.locator('rb-file-drop .zone').dispatchEvent('drop', { dataTransfer: dt });
    await poll(() => page.locator('rb-run-upload').getByRole('alert').textContent()).toContain('again.csv has already been rated: run 1 holds the same file');
    expect(uploads).toEqual([{ names: ['again.csv'], version: '3' }]);
    expect(await page.getByRole('progressbar', { name: /Rating/ }).count()).toBe(0);
  });
});
