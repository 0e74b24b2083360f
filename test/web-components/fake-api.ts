// A tiny server for the component tests: the harness page and its bundle (built here with the
// UI's esbuild options), the real UI at / (from .build/ui), and an /api whose routes each test
// writes with canned answers in the shapes of SPEC §7. Every /api request is recorded.

import { serve, type ServerType } from '@hono/node-server';
import { build } from 'esbuild';
import { Hono, type Context } from 'hono';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uiApp } from '../../server/http/ui.js';
import { PAGE_CSS, browserBundleOptions } from '../../web-components/build.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

export interface FakeApi {
  url: string;
  /** Routes under /api: `api.get('/versions', (c) => c.json(…))`. */
  api: Hono;
  requests: Recorded[];
  /** The requests to a path (exact), in order. */
  requestsTo(path: string): Recorded[];
  close(): Promise<void>;
}

let bundle: Promise<string> | null = null;

/** The harness bundle, built once per test file. */
function harnessBundle(): Promise<string> {
  return (bundle ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ratebook-harness-'));
    try {
      await build({ ...(browserBundleOptions() as object), entryPoints: [join(here, 'harness-entry.ts')], outfile: join(dir, 'harness.js') });
      return await readFile(join(dir, 'harness.js'), 'utf8');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })());
}

const HARNESS_PAGE = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>harness</title>
<link rel="icon" href="data:,"><style>${PAGE_CSS} body { padding: 1rem 1.5rem; }</style>
<script type="module" src="/harness.js"></script></head><body></body></html>`;

export async function startFakeApi(): Promise<FakeApi> {
  const js = await harnessBundle();
  const requests: Recorded[] = [];
  // Routes are added by each test after the server starts: /api is handed to this app per request.
  const api = new Hono().basePath('/api');
  const app = new Hono();
  app.all('/api/*', (c) => {
    const u = new URL(c.req.url);
    requests.push({ method: c.req.method, path: u.pathname.slice(4), query: u.searchParams, authorization: c.req.header('authorization') });
    return api.fetch(c.req.raw, c.env);
  });
  app.get('/harness.html', (c) => c.html(HARNESS_PAGE));
  app.get('/harness.js', (c) => c.body(js, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.route('/', uiApp());
  app.get('/favicon.ico', (c) => c.body(null, 204));
  api.notFound((c: Context) => c.json({ error: `the fake API has no ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    api,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** Opens the harness page and mounts `tag` with `props` and an API client for `token`. */
export async function mountElement(page: import('playwright-core').Page, fake: FakeApi, tag: string, props: Record<string, unknown> = {}, token = 'test-token'): Promise<void> {
  await page.goto(`${fake.url}harness.html`);
  await page.waitForFunction(() => 'rb' in window);
  await page.evaluate(
    ([tag, props, token]) => {
      const rb = (window as unknown as { rb: { api(t: string): unknown; mount(tag: string, props: Record<string, unknown>): HTMLElement } }).rb;
      rb.mount(tag, { ...props, api: rb.api(token) });
    },
    [tag, props, token] as const,
  );
}
