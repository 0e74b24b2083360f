// rb-version (with rb-version-problems and rb-version-diff): problems grouped by tab with their
// Tab!Cell, the diff against the published version with changed cells marked, another version
// picked to compare with, publish (the 409's reason shown beside it), the download.

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, poll } from './browser.js';
import { mountElement, startFakeApi, type FakeApi } from './fake-api.js';
import { serveDownloadLinks, type FakeDownloads } from './fake-downloads.js';
import { DIFF_2_1, VERSION_2, VERSIONS } from './fixtures.js';
import { deepText, unlabelledControls } from './page-checks.js';

const b = browserSuite();
let fake: FakeApi;
let downloads: FakeDownloads;
let published = 1;

const VERSION_3 = { ...VERSION_2, seq: 3, source: 'rates-december.xlsx', errors: 0, warnings: 0, notices: 0, published: false, problems: [] };

beforeAll(async () => {
  fake = await startFakeApi();
  downloads = serveDownloadLinks(fake);
  const list = () => ({ published, versions: [{ ...VERSION_3, published: published === 3 }, ...VERSIONS.versions.map((v) => ({ ...v, published: v.seq === published }))] });
  fake.api.get('/versions', (c) => c.json(list()));
  fake.api.get('/versions/:seq', (c) => {
    const seq = Number(c.req.param('seq'));
    if (seq === 2) return c.json(VERSION_2);
    if (seq === 3) return c.json({ ...VERSION_3, published: published === 3 });
    return c.json({ error: `there is no version ${seq}` }, 404);
  });
  fake.api.get('/versions/:seq/diff', (c) => {
    const against = Number(c.req.query('against') ?? published);
    if (against === 1) return c.json({ ...DIFF_2_1, seq: Number(c.req.param('seq')) });
    return c.json({ seq: Number(c.req.param('seq')), against, tabs: [] });
  });
  fake.api.post('/versions/:seq/publish', (c) => {
    const seq = Number(c.req.param('seq'));
    if (seq === 2) return c.json({ error: 'version 2 has 2 errors and cannot be published: fix them in the workbook and import it again' }, 409);
    published = seq;
    return c.json({ ...VERSION_3, published: true });
  });
  fake.api.get('/versions/:seq/workbook.xlsx', (c) =>
    c.body('PK fake xlsx', 200, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': `attachment; filename="rates-november.xlsx"` }),
  );
});
afterAll(() => fake.close());

describe('rb-version', () => {
  it("groups the problems by tab, each with its Tab!Cell, and marks the changed cells of the diff against the published version", async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-version', { callerRole: 'clerk', seq: 2 });
    await poll(() => page.getByRole('heading', { name: 'Version 2', level: 1 }).count()).toBe(1);
    const problems = page.locator('rb-version-problems');
    await poll(() => problems.locator('summary h3').allTextContents()).toEqual(['Customers', 'Rates', 'Workbook']);
    const rates = page.locator('vaadin-grid[accessible-name="Problems on Rates"]');
    await poll(() => deepText(rates)).toContain('Rates!E14');
    const text = await deepText(rates);
    expect(text.indexOf('Rates!E14')).toBeLessThan(text.indexOf('Rates!E20'));
    expect(text).toContain('PerMinute must be a number >= 0 (got -1)');
    expect(await deepText(page.locator('vaadin-grid[accessible-name="Problems on Customers"]'))).toContain('Customers!F7');

    // The diff against version 1 (published): the changed cell marked from → to.
    await poll(() => fake.requestsTo('/versions/2/diff').at(-1)?.query.get('against')).toBe('1');
    const diff = page.locator('rb-version-diff');
    await poll(() => diff.locator('mark.changed').count()).toBe(1);
    expect(await diff.locator('mark.changed del').textContent()).toBe('1.5');
    expect(await diff.locator('mark.changed ins').textContent()).toBe('1.3');
    expect(await deepText(diff.locator('h3'))).toContain('Rates 1 added, 0 removed, 1 changed');
    expect(await deepText(page.locator('vaadin-grid[accessible-name="Rows changed on Rates"]'))).toContain('Standard / Mars / Peak / 0 / 2026-11-01');
    expect(await page.getByLabel('Compared with').inputValue()).toBe('1');

    // A clerk may read and download, not publish.
    expect(await page.getByRole('button', { name: /Publish/ }).count()).toBe(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download workbook.xlsx' }).click();
    expect((await download).suggestedFilename()).toBe('rates-november.xlsx');
    expect(await readFile((await (await download).path())!, 'utf8')).toBe('PK fake xlsx');
    expect(downloads.asked.map((a) => a.path)).toEqual(['/api/versions/2/workbook.xlsx']);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it("refuses to publish a version with errors and shows the server's reason beside the button", async () => {
    b.allowHttpErrors(409);
    const page = b.page();
    await mountElement(page, fake, 'rb-version', { callerRole: 'commercial', seq: 2 });
    const publish = page.getByRole('button', { name: 'Publish version 2' });
    await poll(() => publish.count()).toBe(1);
    await publish.click();
    await poll(() => page.getByRole('alert').textContent()).toContain('version 2 has 2 errors and cannot be published');
    expect(await page.getByRole('alert').textContent()).toContain('(409)');
    expect(published).toBe(1);
  });

  it('publishes a clean version, then compares it with the one published before; another can be picked', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-version', { callerRole: 'commercial', seq: 3 });
    const publish = page.getByRole('button', { name: 'Publish version 3' });
    await poll(() => publish.count()).toBe(1);
    expect(await deepText(page.locator('rb-version-problems'))).toContain('No problems');
    await publish.click();
    await poll(() => page.getByRole('status').textContent()).toContain('Version 3 is now published');
    expect(published).toBe(3);
    await poll(() => publish.count()).toBe(0);
    // The heading follows once the version is read again after publishing.
    await poll(() => deepText(page.locator('h1'))).toContain('published');
    await poll(() => page.getByLabel('Compared with').inputValue()).toBe('1');
    expect(fake.requestsTo('/versions/3/diff').at(-1)?.query.get('against')).toBe('1');
    await page.getByLabel('Compared with').selectOption('2');
    await poll(() => fake.requestsTo('/versions/3/diff').at(-1)?.query.get('against')).toBe('2');
    await poll(() => deepText(page.locator('rb-version-diff'))).toContain('No differences');
    published = 1;
  });

  it('says so when there is no such version', async () => {
    b.allowHttpErrors(404);
    const page = b.page();
    await mountElement(page, fake, 'rb-version', { callerRole: 'commercial', seq: 9 });
    await poll(() => page.getByRole('alert').textContent()).toContain('there is no version 9');
  });
});
