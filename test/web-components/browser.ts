// Headless Chromium (Debian's package) driven by playwright-core, for the UI's browser tests.
// browserSuite() gives each test a fresh page in a browser with a fresh profile, and after the
// test: a screenshot in test-results/web-components/ if it failed, and a failure if the page
// logged a console error, threw, or asked for anything off this machine.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, type TestContext } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const RESULTS_DIR = join(root, 'test-results', 'web-components');

/** A laptop's screen. */
export const VIEWPORT = { width: 1366, height: 768 };

/** expect.poll with room for a slow, shared machine (its default gives up after 1 s). */
export const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 50 });

export interface BrowserSuite {
  /** This test's page. */
  page(): Page;
  context(): BrowserContext;
  /** HTTP error statuses this test expects to provoke (Chromium logs each as a console error). */
  allowHttpErrors(...statuses: number[]): void;
  /** What the page logged as errors so far. */
  problems(): string[];
}

export function browserSuite(): BrowserSuite {
  let context: BrowserContext;
  let profile: string;
  let page: Page;
  let problems: string[] = [];
  let allowed = new Set<number>();

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'ratebook-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Europe/London', acceptDownloads: true });
    // A missing element fails its step well inside the test's own timeout.
    context.setDefaultTimeout(15_000);
    // Nothing leaves the machine: no CDN, no usage statistics, no fonts from elsewhere.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, async (route) => {
      problems.push(`asked for something off this machine: ${route.request().url()}`);
      await route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
  });

  beforeEach(async () => {
    problems = [];
    allowed = new Set();
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const status = /status of (\d{3})/.exec(m.text());
      if (status && allowed.has(Number(status[1]))) return;
      problems.push(`console error: ${m.text()}${m.location().url ? ` (${m.location().url})` : ''}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.stack ?? e.message}`));
  });

  afterEach(async (ctx: TestContext) => {
    const failed = ctx.task.result?.state === 'fail' || problems.length > 0;
    if (failed) {
      await mkdir(RESULTS_DIR, { recursive: true });
      const name = `${ctx.task.file?.name.split('/').pop() ?? 'test'}-${ctx.task.name}`.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 150);
      await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
      if (problems.length) await writeFile(join(RESULTS_DIR, `${name}.console.txt`), problems.join('\n') + '\n');
    }
    await page.close();
    if (problems.length > 0) throw new Error(`the page logged errors:\n${problems.join('\n')}`);
  });

  return {
    page: () => page,
    context: () => context,
    allowHttpErrors: (...statuses) => statuses.forEach((s) => allowed.add(s)),
    problems: () => problems,
  };
}
