// Download links on the fake API, as the server makes them (server/http/routes/downloads.ts):
// POST /downloads asks the file route with the caller's token and answers its refusal or a link;
// GET /downloads/:key, with no token, answers the file route's answer once, as an attachment.
// Each test file writes its file routes; this follows them.

import type { FakeApi } from './fake-api.js';

export interface FakeDownloads {
  /** The links asked for: the path and the Authorization sent with the asking. */
  asked: { path: string; authorization: string | undefined }[];
  /** The links followed, with the Authorization the browser sent (none, it should be). */
  followed: { key: string; authorization: string | undefined }[];
}

export function serveDownloadLinks(fake: FakeApi): FakeDownloads {
  const out: FakeDownloads = { asked: [], followed: [] };
  const links = new Map<string, { path: string; authorization: string | undefined }>();
  let made = 0;
  const target = (path: string, base: string, authorization: string | undefined): Promise<Response> =>
    Promise.resolve(fake.api.fetch(new Request(new URL(path, base), { headers: authorization ? { authorization } : {} })));

  fake.api.post('/downloads', async (c) => {
    const { path } = await c.req.json<{ path: string }>();
    const authorization = c.req.header('authorization');
    out.asked.push({ path, authorization });
    const res = await target(path, c.req.url, authorization);
    if (!res.ok) return res;
    await res.body?.cancel();
    const key = `link-${++made}`;
    links.set(key, { path, authorization });
    return c.json({ href: `/api/downloads/${key}`, expiresAt: new Date(Date.now() + 60_000).toISOString() }, 201);
  });

  fake.api.get('/downloads/:key', async (c) => {
    const key = c.req.param('key');
    out.followed.push({ key, authorization: c.req.header('authorization') });
    const link = links.get(key);
    links.delete(key);
    if (!link) return c.json({ error: 'this download link is unknown, used or expired: ask for the file again' }, 404);
    const res = await target(link.path, c.req.url, link.authorization);
    const headers = new Headers(res.headers);
    headers.set('content-disposition', (res.headers.get('content-disposition') ?? 'attachment').replace(/^inline\b/, 'attachment'));
    return new Response(res.body, { status: res.status, headers });
  });
  return out;
}
