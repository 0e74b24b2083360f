// The review UI as the server serves it (SPEC §8): index.html never cached, the hashed bundle
// cached for good, names looked up (never joined into paths), and a page that says how to build
// when there is no build.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiApp } from '../../../server/http/ui.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-ui-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><script type="module" src="assets/main-ABC123.js"></script><rb-app></rb-app>');
  await writeFile(join(dir, 'assets', 'main-ABC123.js'), 'console.log(1)');
  await writeFile(join(dir, 'assets', 'main-ABC123.js.map'), '{}');
  await writeFile(join(dir, 'assets', 'notes.exe'), 'MZ');
  await writeFile(join(dir, 'favicon.svg'), '<svg/>');
  await writeFile(join(dir, 'secret.txt'), 'not an asset');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the UI app', () => {
  it('serves index.html uncached, with a policy that keeps the page to this server', async () => {
    const res = await uiApp(dir).request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await res.text()).toContain('<rb-app>');
  });

  it('serves the hashed assets for a year, immutable, with their types', async () => {
    const app = uiApp(dir);
    const js = await app.request('/assets/main-ABC123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    expect((await app.request('/assets/main-ABC123.js.map')).headers.get('content-type')).toMatch(/^application\/json/);
    // Gzipped for a client that takes it.
    const gz = await app.request('/assets/main-ABC123.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect([gz.headers.get('content-encoding'), gz.headers.get('vary'), gz.headers.get('cache-control')]).toEqual(['gzip', 'Accept-Encoding', 'public, max-age=31536000, immutable']);
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe('console.log(1)');
    const icon = await app.request('/favicon.svg');
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
  });

  it('answers 404 for a name it does not hold, whatever the name tries', async () => {
    const app = uiApp(dir);
    for (const name of ['main-OLD.js', 'notes.exe', '..%2Fsecret.txt', '%2E%2E%2Findex.html', '..%2F..%2Fetc%2Fpasswd']) {
      const res = await app.request(`/assets/${name}`);
      expect(res.status, name).toBe(404);
      expect(((await res.json()) as { error: string }).error).toMatch(/^no such file/);
    }
  });

  it('says how to build it when there is no build', async () => {
    const res = await uiApp(join(dir, 'missing')).request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build');
    expect((await uiApp(join(dir, 'missing')).request('/assets/main-ABC123.js')).status).toBe(404);
  });
});
