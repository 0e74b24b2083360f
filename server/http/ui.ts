// The review UI at / (SPEC §8): index.html (no-cache, so a new build is picked up at once), the
// bundle's hashed assets (cached for a year: a new build has new names) and the favicon, all from
// .build/ui as web-components/build.mjs wrote it, read when the app is made (a rebuild is served
// after a restart). Asset names are looked up in that list, never joined from the request into a path.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { packageRoot } from './package-root.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** What the page may load and talk to: itself only (no CDN, no third party). */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Ratebook</title><h1>Ratebook</h1>
<p>The review UI has not been built: run <code>npm run build</code> (or <code>npm start</code>) and reload.
The API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>`;

export function uiApp(dir = join(packageRoot(), '.build', 'ui')): Hono {
  const app = new Hono();
  const index = existsSync(join(dir, 'index.html')) ? readFileSync(join(dir, 'index.html')) : null;
  const favicon = existsSync(join(dir, 'favicon.svg')) ? readFileSync(join(dir, 'favicon.svg')) : null;
  const assetsDir = join(dir, 'assets');
  // A megabyte or two, read (and gzipped, a quarter the size) once: every answer is from memory.
  const assets = new Map<string, { bytes: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer>; type: string }>();
  if (existsSync(assetsDir)) {
    for (const name of readdirSync(assetsDir)) {
      const type = TYPES[extname(name)];
      if (!type) continue;
      const bytes = readFileSync(join(assetsDir, name));
      assets.set(name, { bytes: new Uint8Array(bytes), gzip: new Uint8Array(gzipSync(bytes, { level: 9 })), type });
    }
  }

  app.get('/', (c) => {
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    if (!index) return c.html(NOT_BUILT, 200);
    return c.body(new Uint8Array(index), 200, { 'Content-Type': 'text/html; charset=utf-8' });
  });

  app.get('/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.json({ error: `no such file: ${c.req.param('name')}` }, 404);
    c.header('Cache-Control', IMMUTABLE);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Vary', 'Accept-Encoding');
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return c.body(asset.gzip, 200, { 'Content-Type': asset.type, 'Content-Encoding': 'gzip' });
    return c.body(asset.bytes, 200, { 'Content-Type': asset.type });
  });

  app.get('/favicon.svg', (c) => {
    if (!favicon) return c.body(null, 404);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(new Uint8Array(favicon), 200, { 'Content-Type': 'image/svg+xml' });
  });
  return app;
}
