// rb-workbooks: the versions list, and for commercial roles an .xlsx picked or dropped (with its
// upload's progress and the result) or a Google Sheet; other roles get the list only.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, poll } from './browser.js';
import { mountElement, startFakeApi, type FakeApi } from './fake-api.js';
import { VERSIONS } from './fixtures.js';
import { deepText, unlabelledControls } from './page-checks.js';

const b = browserSuite();
let fake: FakeApi;
let uploads: { name: string; size: number }[] = [];
let answerUpload: (() => void) | null = null;
let uploadAnswer: { status: number; body: unknown } = { status: 201, body: { seq: 3, hash: 'c'.repeat(64), existing: false, errors: 0, warnings: 1, notices: 0 } };

beforeAll(async () => {
  fake = await startFakeApi();
  fake.api.get('/versions', (c) => c.json(VERSIONS));
  fake.api.post('/versions', async (c) => {
    const body = await c.req.parseBody();
    const file = body.file;
    if (file instanceof File) uploads.push({ name: file.name, size: file.size });
    // Held until the test has seen the progress bar.
    await new Promise<void>((resolve) => (answerUpload = resolve));
    return c.json(uploadAnswer.body as object, uploadAnswer.status as 201);
  });
  fake.api.post('/versions/google', async (c) => {
    const { spreadsheetId } = await c.req.json<{ spreadsheetId: string }>();
    if (spreadsheetId === 'private-sheet') return c.json({ error: 'Google refused access to spreadsheet private-sheet: share it with ratebook@example.iam.gserviceaccount.com' }, 403);
    return c.json({ seq: 4, hash: 'd'.repeat(64), existing: true, errors: 0, warnings: 0, notices: 0 });
  });
});
afterAll(() => fake.close());

const grid = (page: Page) => page.locator('rb-workbooks vaadin-grid');

describe('rb-workbooks', () => {
  it('lists the versions: seq, published, source, who, when and problems', async () => {
    const page = b.page();
    await mountElement(page, fake, 'rb-workbooks', { callerRole: 'clerk' });
    await poll(() => grid(page).getByRole('link', { name: 'Version 2' }).count()).toBe(1);
    const text = await deepText(grid(page));
    for (const s of ['rates-november.xlsx', 'carol', 'sample-uk-reseller.xlsx', 'first start', '2 errors', '1 warning', '3 notices', 'published']) expect(text).toContain(s);
    expect(await page.getByText('Version 1 is published').count()).toBe(1);
    // A clerk may not import: nothing to drop or pick.
    expect(await page.locator('rb-workbooks input[type=file]').count()).toBe(0);
    expect(await page.getByLabel('Google Sheet (its id or address)').count()).toBe(0);
    expect(await grid(page).getByRole('link', { name: 'Version 2' }).getAttribute('href')).toBe('#/workbooks/2');
  });

  it('uploads a picked .xlsx with a progress bar, says what it became and lists it', async () => {
    const page = b.page();
    uploads = [];
    await mountElement(page, fake, 'rb-workbooks', { callerRole: 'commercial' });
    const picker = page.getByLabel('Choose a workbook…');
    await poll(() => picker.count()).toBe(1);
    expect(await picker.getAttribute('accept')).toBe('.xlsx');
    const before = fake.requestsTo('/versions').filter((r) => r.method === 'GET').length;
    await picker.setInputFiles({ name: 'rates-december.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.alloc(300_000, 7) });
    const bar = page.getByRole('progressbar', { name: /Uploading rates-december\.xlsx/ });
    await poll(() => bar.count()).toBe(1);
    await poll(() => bar.evaluate((p: HTMLProgressElement) => p.value === p.max)).toBe(true);
    expect(await deepText(page.locator('rb-workbooks rb-progress'))).toContain('(100%)');
    answerUpload!();
    await poll(() => page.getByRole('status').textContent()).toContain('Imported as version 3 (0 errors, 1 warning, 0 notices).');
    expect(await page.getByRole('link', { name: 'Review version 3' }).getAttribute('href')).toBe('#/workbooks/3');
    expect(uploads).toEqual([{ name: 'rates-december.xlsx', size: 300_000 }]);
    expect(fake.requestsTo('/versions').filter((r) => r.method === 'POST')[0].authorization).toBe('Bearer test-token');
    await poll(() => fake.requestsTo('/versions').filter((r) => r.method === 'GET').length).toBe(before + 1);
    await poll(() => bar.count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('uploads a dropped workbook, and shows a refusal where the upload was', async () => {
    b.allowHttpErrors(415);
    const page = b.page();
    uploads = [];
    uploadAnswer = { status: 415, body: { error: 'notes.csv is not an .xlsx workbook (it looks like CSV text); open it in a spreadsheet and save it as .xlsx' } };
    await mountElement(page, fake, 'rb-workbooks', { callerRole: 'commercial' });
    await poll(() => page.locator('rb-file-drop .zone').count()).toBe(1);
    const dt = await page.evaluateHandle(() => {
      const t = new DataTransfer();
      t.items.add(new File(['id,start\n'], 'notes.csv', { type: 'text/csv' }));
      return t;
    });
    await page.locator('rb-file-drop .zone').dispatchEvent('dragover', { dataTransfer: dt });
    expect(await page.locator('rb-file-drop .zone').getAttribute('class')).toContain('over');
    await page.locator('rb-file-drop .zone').dispatchEvent('drop', { dataTransfer: dt });
    await poll(() => uploads.length).toBe(1);
    answerUpload!();
    const alert = page.locator('rb-workbooks section').first().getByRole('alert');
    await poll(() => alert.textContent()).toContain('notes.csv is not an .xlsx workbook');
    expect(await alert.textContent()).toContain('(415)');
    expect(uploads[0].name).toBe('notes.csv');
  });

  it('imports a Google Sheet by its address, and shows Google\'s refusal beside the form', async () => {
    b.allowHttpErrors(403);
    const page = b.page();
    await mountElement(page, fake, 'rb-workbooks', { callerRole: 'admin' });
    const field = page.getByLabel('Google Sheet (its id or address)');
    await poll(() => field.count()).toBe(1);
    await field.fill('private-sheet');
    await page.getByRole('button', { name: 'Import the sheet' }).click();
    await poll(() => page.locator('form.google').getByRole('alert').textContent()).toContain('share it with ratebook@example.iam.gserviceaccount.com');
    await field.fill('https://docs.google.com/spreadsheets/d/1AbC_x-y9/edit#gid=0');
    await field.press('Enter');
    await poll(() => page.getByRole('status').textContent()).toContain('The same content is already version 4.');
    expect(await page.locator('form.google').getByRole('alert').count()).toBe(0);
  });
});
