// `ratebook serve` as a user starts it: the first start on an empty data directory, the printed
// URL and token, a restart that keeps the data and prints no token, SIGTERM and SIGINT exit 0.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signal, startServerProcess } from './server-process.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ratebook-serve-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('ratebook serve', () => {
  it('first start: the admin token from RATEBOOK_ADMIN_TOKEN, the sample published, the URL with #token= printed once; SIGTERM exits 0', async () => {
    const admin = 'test-admin-token-0123456789';
    const p = await startServerProcess(dataDir, { RATEBOOK_ADMIN_TOKEN: admin });
    try {
      expect(p.adminToken).toBe(admin);
      expect(p.output()).toContain(`${p.url}#token=${admin}`);
      const me = await fetch(new URL('api/me', p.url), { headers: { authorization: `Bearer ${admin}` } });
      expect(await me.json()).toEqual({ name: 'admin', role: 'admin' });
      const versions = JSON.parse(await readFile(join(dataDir, 'versions', 'index.json'), 'utf8')) as { published: number; versions: { source: string }[] };
      expect(versions.published).toBe(1);
      expect(versions.versions[0].source).toBe('sample-uk-reseller.xlsx');
      expect(await readFile(join(dataDir, 'tokens.json'), 'utf8')).not.toContain(admin);
    } finally {
      signal(p, 'SIGTERM');
    }
    expect(await p.exited).toBe(0);
  });

  it('a restart keeps the data, imports nothing again and prints no token; SIGINT exits 0', async () => {
    const p = await startServerProcess(dataDir);
    try {
      expect(p.adminToken).toBeUndefined();
      expect(p.output()).not.toContain('imported');
      const index = JSON.parse(await readFile(join(dataDir, 'versions', 'index.json'), 'utf8')) as { versions: unknown[] };
      expect(index.versions).toHaveLength(1);
      expect((await fetch(new URL('api/health', p.url))).status).toBe(200);
    } finally {
      signal(p, 'SIGINT');
    }
    expect(await p.exited).toBe(0);
  });

  it('a wrong command line is exit 2', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['server/ratebook.mjs', 'serve', '--port', 'eighty'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--port must be a port number');
  });
});
