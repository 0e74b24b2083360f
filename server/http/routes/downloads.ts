// Download links (SPEC §8): a browser saves a file by following a link, and a link cannot carry
// the token — nor may the token go into a URL. So the UI asks for a short-lived, single-use link to
// a file route, and following it answers as that route would for the token that asked: streamed
// to the browser's own download, never held whole in the page. Reads, so nothing is audited.

import { PatternRouter } from 'hono/router/pattern-router';
import { z } from 'zod';
import { ApiRouter } from '../api-router.js';
import type { AppHandle, RouterFactory } from '../app.js';
import type { ServerContext } from '../context.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { LinkStore, type LinkOptions } from './download-links.js';

/** The routes that answer a file, as declared in their routers: the only targets of a link. */
export const FILE_ROUTES: readonly string[] = ['/runs/:id/files/:name', '/bills/:period/files/:name{.+}', '/versions/:seq/workbook.xlsx'];

export interface DownloadOptions extends LinkOptions {
  /** The file routes links may lead to (default FILE_ROUTES). */
  fileRoutes?: readonly string[];
}

interface Link {
  /** The target's path, /api/… as asked for. */
  path: string;
  /** The asking token's secret: the link is followed as that token, if it is still valid then. */
  token: string;
}

const Key = z.object({ key: z.string().describe('the key from the link') });
const Answer = z.object({ href: z.string().describe('/api/downloads/{key}: GET it without a token, once'), expiresAt: z.string() });

export const downloadRoutes: RouterFactory = (ctx, app) => downloadRoutesWith()(ctx, app);

export function downloadRoutesWith(options: DownloadOptions = {}): RouterFactory {
  return (ctx, app) => routes(ctx, app, options);
}

function routes(ctx: ServerContext, app: AppHandle, options: DownloadOptions): ApiRouter {
  const links = new LinkStore<Link>(options);
  const fileRoutes = options.fileRoutes ?? FILE_ROUTES;
  const matcher = new PatternRouter<string>();
  for (const r of fileRoutes) matcher.add('GET', r, r);

  /** The file routes as a person reads them (no route pattern syntax). */
  const shown = fileRoutes.map((r) => '/api' + r.replace('{.+}', ''));
  const asTarget = (path: string, base: string, token: string): Request => new Request(new URL(path, base), { headers: { authorization: `Bearer ${token}` } });

  return new ApiRouter()
    .add(
      {
        method: 'post',
        path: '/downloads',
        summary: 'A short-lived, single-use link to a file the caller may read',
        access: 'token',
        body: z.object({ path: z.string().min(1).max(1000).describe(`the file's API path: ${shown.join(', ')}`) }).strict(),
        answers: {
          201: { description: 'the link: valid for a minute, once', schema: Answer },
          400: { description: 'the path is not one of the file routes' },
          403: { description: 'the caller may not read the file' },
          404: { description: 'no such file (the file route\'s own answer)' },
          409: { description: 'the file is not there yet (e.g. the run is not done)' },
        },
      },
      async (c, { body }) => {
        if (!isFileRoute(body.path, matcher)) {
          const message = `${JSON.stringify(body.path)} is not a file the API serves; ask for one of ${shown.join(', ')}`;
          throw badRequest(message, [{ at: 'body.path', message: 'must be the API path of a file route' }]);
        }
        const token = bearer(c.req.header('authorization'))!;
        // Asked of the file route itself: a link is made only for what the caller would get.
        const res = await app.fetch(asTarget(body.path, c.req.url, token));
        if (!res.ok) return res;
        await res.body?.cancel();
        const { key, expires } = links.mint({ path: body.path, token });
        return c.json({ href: `/api/downloads/${key}`, expiresAt: new Date(expires).toISOString() }, 201);
      },
    )
    .add(
      {
        method: 'get',
        path: '/downloads/:key',
        summary: 'Follow a download link (no token: the key is the credential); the file as an attachment, streamed',
        access: 'public',
        params: Key,
        answers: {
          200: { description: 'the file, as its file route answers it for the token that asked, as an attachment', contentType: 'application/octet-stream' },
          401: { description: 'the token that asked for the link has been revoked' },
          404: { description: 'the link is unknown, used or expired' },
        },
      },
      async (c, { params }) => {
        // A HEAD (a link checker, a preview) does not use the link up.
        if (c.req.method === 'HEAD') return c.body(null, links.has(params.key) ? 200 : 404);
        const link = links.take(params.key);
        if (!link) throw notFound('this download link is unknown, used or expired: ask for the file again');
        if (!ctx.tokens.find(link.token)) throw new ApiError(401, 'the token that asked for this download link is no longer valid');
        const res = await app.fetch(asTarget(link.path, c.req.url, link.token));
        if (!res.ok) return res;
        const headers = new Headers(res.headers);
        headers.set('content-disposition', attachment(res.headers.get('content-disposition'), link.path));
        headers.set('cache-control', 'no-store');
        // The route's own stream, passed on: the file is never read whole.
        return new Response(res.body, { status: res.status, headers });
      },
    );
}

/**
 * Whether a path names a file route: matched against the routes as declared, never joined into a
 * file path. A path is plain segments only: no query, no `.`/`..` (in any spelling), no `%2F`.
 */
function isFileRoute(path: string, matcher: PatternRouter<string>): boolean {
  if (!path.startsWith('/api/') || /[?#\\\s\u0000-\u001f\u007f]/.test(path)) return false;
  const rest = path.slice('/api'.length);
  for (const segment of rest.slice(1).split('/')) {
    let plain: string;
    try {
      plain = decodeURIComponent(segment);
    } catch {
      return false;
    }
    if (plain === '' || plain === '.' || plain === '..' || /[/\\\u0000-\u001f]/.test(plain)) return false;
  }
  return matcher.match('GET', rest)[0].length > 0;
}

/** The token of an `Authorization: Bearer TOKEN` header, as the auth middleware reads it. */
const bearer = (header: string | undefined): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];

/** The route's Content-Disposition as an attachment (a printable invoice is served inline). */
function attachment(header: string | null, path: string): string {
  if (header && /^\s*(attachment|inline)\b/i.test(header)) return header.replace(/^\s*inline\b/i, 'attachment');
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${name}"`;
}
