// A newcomer's tour of the workbench in a browser, on the real server over a fresh data
// directory (SPEC §8): open the printed URL, see the token leave the address bar and the sample
// listed; upload a changed workbook, see its diff, publish it (and see a workbook with errors
// refused); upload calls and watch the upload's and the rating's progress bars; check the run's
// grid total against its summary, and sort and filter the grid on the server.

import ExcelJS from 'exceljs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CALLS, SAMPLE_WORKBOOK } from '../../server/http/first-start.js';
import { startServer, type RunningServer } from '../../server/http/serve.js';
import { browserSuite, poll } from './browser.js';
import { deepText, unlabelledControls } from './page-checks.js';

const b = browserSuite();
let dataDir: string;
let server: RunningServer;
let printed = '';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ratebook-tour-'));
  const lines: string[] = [];
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, log: (l) => lines.push(l) });
  printed = /^open (\S+#token=\S+)/m.exec(lines.join('\n'))?.[1] ?? '';
}, 120_000);

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The sample workbook with cells changed. */
async function editedWorkbook(edits: [string, string, ExcelJS.CellValue][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(SAMPLE_WORKBOOK());
  for (const [tab, cell, value] of edits) wb.getWorksheet(tab)!.getCell(cell).value = value;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The sample's calls under new ids, `copies` times over: a file the server has not rated yet, big
 * enough for the rating to report progress on the way (the copies after the first are duplicates).
 */
async function newCalls(copies = 12): Promise<Buffer> {
  const [head, ...rows] = (await readFile(SAMPLE_CALLS(), 'utf8')).trimEnd().split('\n');
  const out = [head];
  for (let k = 0; k < copies; k++) for (const r of rows) out.push(`tour${k}-${r}`);
  return Buffer.from(out.join('\n') + '\n');
}

/** API answers as the admin sees them, to hold the screens to. */
async function api<T>(path: string): Promise<T> {
  const res = await fetch(new URL(`api${path}`, server.url), { headers: { authorization: `Bearer ${server.adminToken}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** Records every value each progress bar on the page takes, frame by frame (they are in shadow roots). */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
    const bars = (root: Document | ShadowRoot, out: HTMLProgressElement[]): HTMLProgressElement[] => {
      for (const el of root.querySelectorAll('*')) {
        if (el instanceof HTMLProgressElement) out.push(el);
        if (el.shadowRoot) bars(el.shadowRoot, out);
      }
      return out;
    };
    const tick = (): void => {
      for (const p of bars(document, [])) {
        const host = (p.getRootNode() as ShadowRoot).host;
        const label = host?.shadowRoot?.querySelector('#label')?.textContent ?? '?';
        const v = `${p.value}/${p.max}`;
        const list = (seen[label] ??= []);
        if (list.at(-1) !== v) list.push(v);
      }
      requestAnimationFrame(tick);
    };
    tick();
  });
}

const totalText = (page: Page) => deepText(page.locator('rb-server-grid .total'));
const fmt = (n: number) => n.toLocaleString('en-GB');

describe('the tour', () => {
  it('opens the printed URL, signs in from #token=, and shows the sample published', async () => {
    expect(printed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const page = b.page();
    const t0 = Date.now();
    await page.goto(printed);
    const sample = page.locator('vaadin-grid[accessible-name="Workbook versions"]').getByRole('link', { name: 'Version 1' });
    await poll(() => sample.count(), 30_000).toBe(1);
    const firstScreenMs = Date.now() - t0;
    const inPage = Math.round(await page.evaluate(() => performance.now()));
    const timings = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e as PerformanceResourceTiming)
        .filter((e) => /assets\/|api\//.test(e.name))
        .map((e) => `${new URL(e.name).pathname} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)} ms`),
    );
    console.log(`tour: time to first screen (the versions list with the sample): ${firstScreenMs} ms from goto, ${inPage} ms after navigation start; ${timings.join(', ')}`);
    expect(page.url()).toBe(`${server.url}#/workbooks`);
    expect(page.url()).not.toContain('token');
    const list = await deepText(page.locator('vaadin-grid[accessible-name="Workbook versions"]'));
    expect(list).toContain('sample-uk-reseller.xlsx');
    expect(list).toContain('published');
    expect(await page.locator('rb-app .who .role').textContent()).toBe('admin');
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('uploads a changed workbook, shows its diff against the published one, publishes it; a workbook with errors is refused', async () => {
    b.allowHttpErrors(409);
    const page = b.page();
    await page.goto(printed);
    const picker = page.getByLabel('Choose a workbook…');
    await poll(() => picker.count(), 30_000).toBe(1);
    await picker.setInputFiles({ name: 'rates-cheaper-enquiries.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await editedWorkbook([['Rates', 'E15', 1.3]]) });
    await poll(() => page.getByRole('status').textContent(), 30_000).toMatch(/Imported as version 2 \(0 errors/);
    await page.getByRole('link', { name: 'Review version 2' }).click();
    await poll(() => page.getByRole('heading', { name: 'Version 2', level: 1 }).count()).toBe(1);
    expect(page.url()).toBe(`${server.url}#/workbooks/2`);
    const changed = page.locator('rb-version-diff mark.changed');
    await poll(() => changed.count(), 30_000).toBe(1);
    expect(await changed.locator('del').textContent()).toBe('1.5');
    expect(await changed.locator('ins').textContent()).toBe('1.3');
    expect(await deepText(page.locator('rb-version-diff'))).toContain('Rates 0 added, 0 removed, 1 changed');
    await page.getByRole('button', { name: 'Publish version 2' }).click();
    await poll(() => page.getByRole('status').textContent(), 30_000).toContain('Version 2 is now published');
    expect((await api<{ published: number }>('/versions')).published).toBe(2);

    // A workbook with an error is kept, and publishing it is refused with the server's reason.
    await page.getByRole('link', { name: 'Workbooks', exact: true }).click();
    await poll(() => page.getByLabel('Choose a workbook…').count()).toBe(1);
    await page.getByLabel('Choose a workbook…').setInputFiles({ name: 'rates-broken.xlsx', mimeType: 'application/octet-stream', buffer: await editedWorkbook([['Rates', 'E14', -1]]) });
    await poll(() => page.getByRole('status').textContent(), 30_000).toMatch(/Imported as version 3 \(1 error/);
    await page.getByRole('link', { name: 'Review version 3' }).click();
    await poll(() => deepText(page.locator('rb-version-problems')), 30_000).toContain('Rates!E14');
    await page.getByRole('button', { name: 'Publish version 3' }).click();
    await poll(() => page.locator('rb-version').getByRole('alert').first().textContent(), 30_000).toContain('(409)');
    expect((await api<{ published: number }>('/versions')).published).toBe(2);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('uploads calls with a progress bar for the upload and one for the rating, then checks the grid against the summary, sorts and filters it', { timeout: 180_000 }, async () => {
    const page = b.page();
    await page.goto(printed);
    await poll(() => page.getByRole('link', { name: 'Runs', exact: true }).count(), 30_000).toBe(1);
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    const picker = page.getByLabel('Choose CDR files…');
    await poll(() => picker.count(), 30_000).toBe(1);
    await recordProgress(page);
    await picker.setInputFiles({ name: 'tour-calls.csv', mimeType: 'text/csv', buffer: await newCalls() });
    const opened = page.getByRole('link', { name: /^Open run \d+$/ });
    await poll(() => opened.count(), 60_000).toBe(1);
    const id = Number((await opened.textContent())!.replace(/\D+/g, ''));
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: Record<string, string[]> }).progressSeen);
    console.log(`tour: progress bars seen ${JSON.stringify(seen)}`);
    const upload = seen['Upload of tour-calls.csv'];
    const rating = seen[`Rating run ${id}`];
    expect(upload.length).toBeGreaterThan(0);
    expect(rating.length).toBeGreaterThan(0);
    // Each bar only goes forward, and ends full.
    for (const bar of [upload, rating]) {
      const done = bar.map((v) => Number(v.split('/')[0]));
      expect(done).toEqual([...done].sort((x, y) => x - y));
      const [value, max] = bar.at(-1)!.split('/').map(Number);
      expect(max).toBeGreaterThan(1);
      expect(value).toBe(max);
    }

    await opened.click();
    await poll(() => page.getByTestId('equation').count(), 30_000).toBe(1);
    const run = await api<{ summary: { input: number; rated: number; charge: string } }>(`/runs/${id}`);
    const exceptions = run.summary.input - run.summary.rated;
    expect(await deepText(page.getByTestId('equation'))).toBe(`Input ${fmt(run.summary.input)} calls = ${fmt(run.summary.rated)} rated + ${fmt(exceptions)} exceptions`);
    expect(await page.locator('[data-figure="charge"]').textContent()).toContain(run.summary.charge.split('.')[1]);
    // The grid's total is the summary's rated count.
    await poll(() => totalText(page), 30_000).toBe(`${fmt(run.summary.rated)} rated calls`);

    const grid = page.locator(`vaadin-grid[accessible-name="Rated calls of run ${id}"]`);
    const sorter = grid.locator('vaadin-grid-sorter[path="duration"]');
    // The column is off to the right: scroll the grid to it and let it settle, or the grid's own
    // scrolling of the focused header cell moves it between the press and the release.
    await sorter.scrollIntoViewIfNeeded();
    await poll(async () => {
      const a = await sorter.boundingBox();
      await page.waitForTimeout(150);
      return JSON.stringify(a) === JSON.stringify(await sorter.boundingBox());
    }).toBe(true);
    await sorter.click();
    await poll(() => sorter.getAttribute('direction')).toBe('asc');
    await sorter.click();
    const longest = await api<{ rows: { duration: number; id: string }[] }>(`/runs/${id}/rated?limit=1&sort=duration:desc`);
    await poll(() => deepText(grid), 30_000).toContain(longest.rows[0].id);
    expect(await sorter.getAttribute('direction')).toBe('desc');

    // Filtered on the server: one call by its id, then the longest calls by a numeric bound.
    const first = (await api<{ rows: { id: string }[] }>(`/runs/${id}/rated?limit=1`)).rows[0];
    await page.getByLabel('Filter Call id').fill(first.id);
    await poll(() => totalText(page), 30_000).toBe('1 rated call');
    await poll(() => deepText(grid)).toContain(first.id);
    await page.getByLabel('Filter Call id').fill('');
    await page.getByLabel('Filter Seconds', { exact: true }).fill(`>=${longest.rows[0].duration}`);
    const bound = await api<{ total: number }>(`/runs/${id}/rated?limit=1&filter[duration]=${encodeURIComponent(`>=${longest.rows[0].duration}`)}`);
    expect(bound.total).toBeGreaterThan(0);
    expect(bound.total).toBeLessThan(run.summary.rated);
    await poll(() => totalText(page), 30_000).toBe(`${fmt(bound.total)} rated call${bound.total === 1 ? '' : 's'}`);
    expect(await unlabelledControls(page)).toEqual([]);

    // A download follows a single-use link (no token in it), saved by the browser itself: the
    // run's file byte for byte.
    const saved = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download rated.csv' }).click();
    const download = await saved;
    expect(download.suggestedFilename()).toBe(`run-${id}-rated.csv`);
    expect(download.url()).toMatch(/\/api\/downloads\/[^/?#]+$/);
    expect((await readFile((await download.path())!)).equals(await readFile(join(dataDir, 'runs', String(id), 'rated.csv')))).toBe(true);
  });
});
