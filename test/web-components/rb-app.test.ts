// rb-app: the token from #token= (then gone from the address bar, kept in the session) or the
// sign-in form, the role shown, the header's screens, QuickSearch, unknown addresses.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, poll } from './browser.js';
import { startFakeApi, type FakeApi } from './fake-api.js';
import { RUNS, VERSIONS } from './fixtures.js';
import { unlabelledControls } from './page-checks.js';

const b = browserSuite();
let fake: FakeApi;
const TOKENS: Record<string, { name: string; role: string }> = { 'tok-commercial-0000000': { name: 'carol', role: 'commercial' }, 'tok-clerk-000000000000': { name: 'bob', role: 'clerk' } };

beforeAll(async () => {
  fake = await startFakeApi();
  fake.api.get('/me', (c) => {
    const t = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    const who = TOKENS[t];
    return who ? c.json(who) : c.json({ error: 'this needs a valid token: send Authorization: Bearer TOKEN' }, 401);
  });
  fake.api.get('/versions', (c) => c.json(VERSIONS));
  fake.api.get('/runs', (c) => c.json({ runs: RUNS }));
});
afterAll(() => fake.close());

describe('rb-app', () => {
  it('takes the token from #token=, removes it from the address bar, keeps it for the session and shows the role', async () => {
    const page = b.page();
    await page.goto(`${fake.url}#token=tok-commercial-0000000`);
    await poll(() => page.getByRole('heading', { name: 'Workbooks', level: 1 }).count()).toBe(1);
    expect(page.url()).toBe(`${fake.url}#/workbooks`);
    expect(await page.evaluate(() => sessionStorage.getItem('ratebook.token'))).toBe('tok-commercial-0000000');
    // about:blank and this page: the address with the token was replaced, not added to history.
    expect(await page.evaluate(() => history.length)).toBe(2);
    await poll(() => page.locator('rb-app .who').textContent()).toContain('carol');
    expect(await page.locator('rb-app .who .role').textContent()).toBe('commercial');
    expect(fake.requestsTo('/me').at(-1)?.authorization).toBe('Bearer tok-commercial-0000000');
    expect(await page.title()).toBe('Workbooks · Ratebook');
    // A reload signs in from the session: no form.
    await page.reload();
    await poll(() => page.getByRole('heading', { name: 'Workbooks', level: 1 }).count()).toBe(1);
    expect(await page.getByLabel('Access token').count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it("starts a clerk on Runs, lights the screen's tab, and moves between screens by the header", async () => {
    const page = b.page();
    await page.goto(`${fake.url}#token=tok-clerk-000000000000`);
    await poll(() => page.url()).toBe(`${fake.url}#/runs`);
    await poll(() => page.getByRole('heading', { name: 'Runs', level: 1 }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Runs', exact: true }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('link', { name: 'Workbooks', exact: true }).click();
    await poll(() => page.getByRole('heading', { name: 'Workbooks', level: 1 }).count()).toBe(1);
    expect(page.url()).toBe(`${fake.url}#/workbooks`);
    expect(await page.getByRole('link', { name: 'Workbooks', exact: true }).getAttribute('aria-current')).toBe('page');
  });

  it('asks for a token when there is none, says when the server refuses one, and signs in with a good one', async () => {
    b.allowHttpErrors(401);
    const page = b.page();
    await page.goto(`${fake.url}#/runs`);
    const field = page.getByLabel('Access token');
    await poll(() => field.count()).toBe(1);
    expect(await field.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await field.fill('wrong-token-123456');
    await page.keyboard.press('Enter');
    await poll(() => page.getByRole('alert').textContent()).toContain('did not accept this token');
    expect(await page.evaluate(() => sessionStorage.getItem('ratebook.token'))).toBeNull();
    await field.fill('tok-clerk-000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await poll(() => page.getByRole('heading', { name: 'Runs', level: 1 }).count()).toBe(1);
    expect(page.url()).toBe(`${fake.url}#/runs`);
    expect(await page.evaluate(() => sessionStorage.getItem('ratebook.token'))).toBe('tok-clerk-000000000000');
    // Sign out forgets it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await poll(() => page.getByLabel('Access token').count()).toBe(1);
    expect(await page.evaluate(() => sessionStorage.getItem('ratebook.token'))).toBeNull();
  });

  it('QuickSearch opens #/search?q= from any screen; an unknown address says so', async () => {
    // The search screen asks a search route this fake does not have.
    b.allowHttpErrors(404);
    const page = b.page();
    await page.goto(`${fake.url}#token=tok-commercial-0000000`);
    const box = page.getByRole('searchbox', { name: 'Search customers and numbers' });
    await poll(() => box.count()).toBe(1);
    await box.fill('0113 496');
    await box.press('Enter');
    await poll(() => page.url()).toBe(`${fake.url}#/search?q=0113+496`);
    await page.goto(`${fake.url}#/nowhere/7`);
    await poll(() => page.getByRole('heading', { name: 'No such page' }).count()).toBe(1);
    expect(await page.title()).toBe('No such page · Ratebook');
  });

  it('reaches the screens, the search box and sign-out with the keyboard alone', async () => {
    const page = b.page();
    await page.goto(`${fake.url}#token=tok-commercial-0000000`);
    await poll(() => page.getByRole('heading', { name: 'Workbooks', level: 1 }).count()).toBe(1);
    const reached: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          let el: Element | null = document.activeElement;
          while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
          return `${el?.tagName.toLowerCase()}:${(el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim()}`;
        }),
      );
    }
    expect(reached).toEqual(expect.arrayContaining(['a:Ratebook', 'a:Workbooks', 'a:Runs', 'input:', 'button:Search', 'button:Sign out']));
    // Enter on a focused tab opens its screen.
    await page.getByRole('link', { name: 'Runs', exact: true }).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.url()).toBe(`${fake.url}#/runs`);
  });
});
