import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFixture, type ApiFixture } from './api-fixture.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await apiFixture();
});
afterAll(() => f.close());

describe('access', () => {
  it('health needs no token', async () => {
    const r = await f.call('GET', '/api/health', { role: null });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });

  it('me: 401 without a token or with a wrong one, the name and role with one', async () => {
    expect((await f.call('GET', '/api/me', { role: null })).status).toBe(401);
    const bad = await f.call('GET', '/api/me', { role: null, headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error).toMatch(/token/);
    expect(await (await f.call('GET', '/api/me', { role: 'clerk' })).json()).toEqual({ name: 'clerk-user', role: 'clerk' });
  });

  it('an admin makes a token shown once, stored only as a hash; revoking it works from the next request', async () => {
    const made = await f.call('POST', '/api/tokens', { body: { name: 'Ann', role: 'manager' } });
    expect(made.status).toBe(201);
    const t = (await made.json()) as { id: string; token: string; role: string };
    expect(t.role).toBe('manager');
    const { readFile } = await import('node:fs/promises');
    const onDisk = await readFile(`${f.ctx.dataDir}/tokens.json`, 'utf8');
    expect(onDisk).not.toContain(t.token);
    const me = await f.app.request('/api/me', { headers: { authorization: `Bearer ${t.token}` } });
    expect(await me.json()).toEqual({ name: 'Ann', role: 'manager' });
    const list = (await (await f.call('GET', '/api/tokens')).json()) as { tokens: { id: string; token?: string }[] };
    expect(list.tokens.some((x) => x.id === t.id && x.token === undefined)).toBe(true);
    expect((await f.call('DELETE', `/api/tokens/${t.id}`)).status).toBe(200);
    expect((await f.app.request('/api/me', { headers: { authorization: `Bearer ${t.token}` } })).status).toBe(401);
    expect((await f.call('DELETE', '/api/tokens/999')).status).toBe(404);
    const audit = (await (await f.call('GET', '/api/audit?limit=2')).json()) as { entries: { action: string; who: string }[] };
    expect(audit.entries.map((e) => e.action)).toEqual(['token-revoke', 'token-create']);
    expect(audit.entries[0].who).toBe('admin-user');
  });

  it('tokens and audit refuse the roles that may not', async () => {
    for (const role of ['commercial', 'clerk', 'manager'] as const) {
      expect((await f.call('POST', '/api/tokens', { role, body: { name: 'x', role: 'admin' } })).status).toBe(403);
      expect((await f.call('GET', '/api/tokens', { role })).status).toBe(403);
      expect((await f.call('DELETE', '/api/tokens/1', { role })).status).toBe(403);
    }
    for (const role of ['commercial', 'clerk'] as const) expect((await f.call('GET', '/api/audit', { role })).status).toBe(403);
    expect((await f.call('GET', '/api/audit', { role: 'manager' })).status).toBe(200);
  });

  it('bad input is a 400 naming where', async () => {
    const wrongType = await f.call('POST', '/api/tokens', { body: { name: 'x', role: 'boss' } });
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { issues: { at: string }[] }).issues[0].at).toBe('body.role');
    const malformed = await f.call('POST', '/api/tokens', { body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toMatch(/not valid JSON/);
    expect((await f.call('GET', '/api/audit?limit=lots')).status).toBe(400);
    expect((await f.call('DELETE', '/api/tokens/..%2F..%2Fetc')).status).toBe(400);
    const missing = await f.call('GET', '/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no such route: GET /api/nothing-here' });
  });

  it('openapi.json documents every route with its roles', async () => {
    const doc = (await (await f.call('GET', '/api/openapi.json', { role: null })).json()) as { openapi: string; paths: Record<string, Record<string, { description: string }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/me', '/api/tokens', '/api/tokens/{id}', '/api/audit']));
    expect(doc.paths['/api/tokens'].post.description).toMatch(/admin/);
  });
});

describe('the uploads directory', () => {
  it('is emptied when the server opens the data directory: a cut-off upload was never answered', async () => {
    const { mkdir, readdir, writeFile } = await import('node:fs/promises');
    const { openContext } = await import('../../../server/http/context.js');
    await mkdir(f.ctx.uploadsDir, { recursive: true });
    await writeFile(`${f.ctx.uploadsDir}/0123456789abcdef.part`, 'half a CDR file');
    const again = await openContext({ dataDir: f.ctx.dataDir });
    expect(await readdir(again.uploadsDir)).toEqual([]);
    await again.close();
  });
});
