// Download links over HTTP: asked for with a token, followed without one, once, within their
// lifetime, for a token still valid; the file as its route serves it, streamed, as an attachment.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiRouter } from '../../../server/http/api-router.js';
import { downloadRoutes, downloadRoutesWith, FILE_ROUTES } from '../../../server/http/routes/downloads.js';
import { LinkStore } from '../../../server/http/routes/download-links.js';
import { ROUTERS } from '../../../server/http/routers.js';
import type { Role } from '../../../server/http/roles.js';
import { publishSample } from '../bills/bill-setup.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { sampleSlice, settled, startRun } from './runs-fixture.js';

const MiB = 1024 * 1024;
const LIFETIME = 60_000;
let clock = Date.parse('2026-11-02T10:00:00.000Z');
let f: ApiFixture;
let bigRun = 0;

/** A file route only a manager may read: no route of the workbench refuses a role today. */
const managersOnly = (): ApiRouter =>
  new ApiRouter().add(
    { method: 'get', path: '/test-secret/:name', summary: 'test', access: ['manager'], params: z.object({ name: z.string() }), answers: { 200: { description: 'a file' } } },
    (c, { params }) => c.body(`secret ${params.name}\n`, 200, { 'content-type': 'text/plain', 'content-disposition': `attachment; filename="${params.name}"` }),
  );

beforeAll(async () => {
  const links = downloadRoutesWith({ lifetimeMs: LIFETIME, now: () => clock, fileRoutes: [...FILE_ROUTES, '/test-secret/:name'] });
  f = await apiFixture({ routers: [...ROUTERS.filter((r) => r !== downloadRoutes), managersOnly, links] });
  await publishSample(f.ctx.store);
  const run = await startRun(f, [{ name: 'calls.csv', content: await sampleSlice(0, 400) }]);
  expect((await settled(f, run)).status).toBe('done');
  bigRun = await startRun(f, [{ name: 'more.csv', content: await sampleSlice(400, 450) }]);
  expect((await settled(f, bigRun)).status).toBe('done');
  const bill = await f.call('POST', '/api/bills', { role: 'clerk', body: { period: '2026-10' } });
  expect(bill.status, await bill.clone().text()).toBe(200);
}, 120_000);
afterAll(() => f.close());

const ask = (path: unknown, role: Role | null = 'commercial', headers?: Record<string, string>) => f.call('POST', '/api/downloads', { role, body: { path }, headers });
const follow = (href: string, method = 'GET') => f.app.request(href, { method });

async function linkTo(path: string, role: Role = 'commercial'): Promise<string> {
  const r = await ask(path, role);
  const body = (await r.json()) as { href: string; expiresAt: string; error?: string };
  expect(r.status, body.error).toBe(201);
  return body.href;
}

const bytesOf = async (r: Response): Promise<Buffer> => Buffer.from(await r.arrayBuffer());

describe('a download link', () => {
  it('serves the file route\'s bytes once and only once, with no token, as an attachment; nothing is audited', async () => {
    const auditBefore = ((await (await f.call('GET', '/api/audit')).json()) as { entries: unknown[] }).entries.length;
    const r = await ask('/api/runs/1/files/rated.csv');
    expect(r.status).toBe(201);
    const link = (await r.json()) as { href: string; expiresAt: string };
    expect(link.href).toMatch(/^\/api\/downloads\/[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAt).toBe(new Date(clock + LIFETIME).toISOString());

    const got = await follow(link.href);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="run-1-rated.csv"');
    expect(got.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(got.headers.get('cache-control')).toBe('no-store');
    const direct = await f.call('GET', '/api/runs/1/files/rated.csv', { role: 'commercial' });
    const bytes = await bytesOf(got);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.equals(await bytesOf(direct))).toBe(true);
    expect(got.headers.get('content-length')).toBe(String(bytes.length));

    const again = await follow(link.href);
    expect(again.status).toBe(404);
    expect((await again.json()).error).toMatch(/unknown, used or expired/);
    expect(((await (await f.call('GET', '/api/audit')).json()) as { entries: unknown[] }).entries.length).toBe(auditBefore);
  });

  it("serves a bill's printable invoice (inline on its route) and a version's workbook as attachments", async () => {
    const page = await follow(await linkTo('/api/bills/2026-10/files/invoices/NWV-000001.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-disposition')).toBe('attachment; filename="NWV-000001.html"');
    expect((await bytesOf(page)).equals(await bytesOf(await f.call('GET', '/api/bills/2026-10/files/invoices/NWV-000001.html')))).toBe(true);

    const sheet = await follow(await linkTo('/api/versions/1/workbook.xlsx', 'clerk'));
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-disposition')).toMatch(/^attachment; filename="sample-uk-reseller\.xlsx"/);
    expect((await bytesOf(sheet)).equals(await bytesOf(await f.call('GET', '/api/versions/1/workbook.xlsx')))).toBe(true);
  });

  it('expires after its lifetime', async () => {
    const live = await linkTo('/api/runs/1/files/summary.json');
    const late = await linkTo('/api/runs/1/files/summary.json');
    clock += LIFETIME - 1;
    expect((await follow(live)).status).toBe(200);
    clock += 1;
    const expired = await follow(late);
    expect(expired.status).toBe(404);
    expect((await expired.json()).error).toMatch(/unknown, used or expired/);
  });

  it('is not used up by a HEAD, and an unknown key is a 404', async () => {
    const href = await linkTo('/api/runs/1/files/exceptions.csv');
    expect((await follow(href, 'HEAD')).status).toBe(200);
    expect((await follow(href)).status).toBe(200);
    expect((await follow(href, 'HEAD')).status).toBe(404);
    for (const key of ['nope', 'A'.repeat(43)]) {
      const r = await follow(`/api/downloads/${key}`);
      expect(r.status, key).toBe(404);
      expect((await r.json()).error).toMatch(/unknown, used or expired/);
    }
  });

  it("stops working when the token that asked is revoked", async () => {
    const made = (await (await f.call('POST', '/api/tokens', { body: { name: 'leaving', role: 'clerk' } })).json()) as { id: string; token: string };
    const r = await f.call('POST', '/api/downloads', { role: null, body: { path: '/api/runs/1/files/rated.csv' }, headers: { authorization: `Bearer ${made.token}` } });
    expect(r.status).toBe(201);
    const { href } = (await r.json()) as { href: string };
    expect((await f.call('DELETE', `/api/tokens/${made.id}`)).status).toBe(200);
    const got = await follow(href);
    expect(got.status).toBe(401);
    expect((await got.json()).error).toMatch(/no longer valid/);
  });
});

describe('asking for a link', () => {
  it('refuses a path that is not a file route, or tries to leave one, with 400 at body.path', async () => {
    const paths = [
      '/api/runs/1/files/../../../tokens.json',
      '/api/runs/1/files/%2e%2e',
      '/api/runs/1/files/.%2E',
      '/api/bills/2026-10/files/invoices/../../../../tokens.json',
      '/api/bills/2026-10/files/invoices%2FNWV-000001.html',
      '/api/bills/2026-10/files/invoices//NWV-000001.html',
      '/api/runs/1/files/rated.csv?x=1',
      '/api/runs/1/files/rated.csv#x',
      '/api/runs/1/files/..\\rated.csv',
      '/api/runs/1',
      '/api/runs/1/rated',
      '/api/tokens',
      '/api/openapi.json',
      '/api/downloads/abc',
      '/api/versions/1/workbook.xlsx/',
      'runs/1/files/rated.csv',
      '/runs/1/files/rated.csv',
      'http://localhost/api/runs/1/files/rated.csv',
      '/api/runs/1/files/%ZZ',
    ];
    for (const path of paths) {
      const r = await ask(path);
      const body = (await r.json()) as { error: string; issues?: { at: string }[] };
      expect(r.status, path).toBe(400);
      expect(body.issues?.map((i) => i.at), path).toEqual(['body.path']);
    }
    for (const body of [{}, { path: '' }, { path: 7 }, { path: '/api/runs/1/files/rated.csv', extra: 1 }]) {
      expect((await f.call('POST', '/api/downloads', { body })).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('answers as the file route would for a caller who may not read it, or a file that is not there', async () => {
    expect((await ask('/api/runs/1/files/rated.csv', null)).status).toBe(401);
    const cases: [string, Role][] = [
      ['/api/test-secret/plan.txt', 'commercial'],
      ['/api/runs/99/files/rated.csv', 'commercial'],
      ['/api/runs/1/files/run.json', 'clerk'],
      ['/api/versions/99/workbook.xlsx', 'commercial'],
      ['/api/bills/2026-10/files/invoices/NWV-999999.html', 'commercial'],
      ['/api/bills/2026-09/files/invoices.csv', 'commercial'],
    ];
    for (const [path, role] of cases) {
      const r = await ask(path, role);
      const direct = await f.call('GET', path, { role });
      expect(direct.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBe(direct.status);
      expect(await r.json(), path).toEqual(await direct.json());
    }
    const secret = await follow(await linkTo('/api/test-secret/plan.txt', 'manager'));
    expect(await secret.text()).toBe('secret plan.txt\n');
  });

  it('is documented in openapi.json, beside every file route a link may lead to', async () => {
    const doc = (await (await f.call('GET', '/api/openapi.json', { role: null })).json()) as { paths: Record<string, Record<string, { description: string; security?: unknown }>> };
    expect(doc.paths['/api/downloads'].post.description).toBe('Any valid token.');
    expect(doc.paths['/api/downloads/{key}'].get.description).toBe('No token needed.');
    expect(doc.paths['/api/downloads/{key}'].get.security).toBeUndefined();
    for (const route of FILE_ROUTES) expect(doc.paths['/api' + route.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')]?.get, route).toBeDefined();
  });
});

describe('a big file through a link', () => {
  it('is streamed: the answer is a stream, and the first bytes come before the file is read whole', async () => {
    // A run's rated.csv of 64 MiB, written a MiB at a time so the test itself holds no copy.
    const path = f.ctx.runs.runs.outputPath(bigRun, 'rated.csv');
    const size = 64 * MiB;
    const chunk = Buffer.alloc(MiB, 'x');
    const want = createHash('sha256');
    const fh = await open(path, 'w');
    for (let i = 0; i < size / MiB; i++) {
      chunk.write(`${String(i).padStart(8, '0')}\n`, 0);
      want.update(chunk);
      await fh.write(chunk);
    }
    await fh.close();

    const href = await linkTo(`/api/runs/${bigRun}/files/rated.csv`);
    const before = process.memoryUsage().arrayBuffers;
    const r = await follow(href);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBe(String(size));
    expect(r.body).toBeInstanceOf(ReadableStream);
    const reader = r.body!.getReader();
    const first = await reader.read();
    const grew = process.memoryUsage().arrayBuffers - before;
    console.log(`64 MiB through a download link: buffers grew by ${(grew / MiB).toFixed(1)} MiB by the first chunk (${first.value!.length} bytes)`);
    expect(grew).toBeLessThan(size / 4);
    const got = createHash('sha256').update(first.value!);
    let n = first.value!.length;
    for (let c = await reader.read(); !c.done; c = await reader.read()) {
      got.update(c.value);
      n += c.value.length;
    }
    expect(n).toBe(size);
    expect(got.digest('hex')).toBe(want.digest('hex'));
  });
});

describe('the link store', () => {
  it('keeps a bounded number of links: past it the oldest goes', () => {
    const links = new LinkStore<string>({ maxLinks: 2, now: () => 0 });
    const a = links.mint('a');
    const b = links.mint('b');
    const c = links.mint('c');
    expect(links.size).toBe(2);
    expect(links.take(a.key)).toBeUndefined();
    expect(links.take(b.key)).toBe('b');
    expect(links.take(c.key)).toBe('c');
    expect(links.take(c.key)).toBeUndefined();
    expect(new Set([a.key, b.key, c.key]).size).toBe(3);
  });

  it('drops expired links when it makes a new one', () => {
    let now = 0;
    const links = new LinkStore<string>({ lifetimeMs: 10, now: () => now });
    links.mint('a');
    links.mint('b');
    now = 10;
    links.mint('c');
    expect(links.size).toBe(1);
  });
});
