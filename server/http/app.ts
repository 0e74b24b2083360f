// The workbench's HTTP app (SPEC §7): the /api routes composed with app.route(), one onError
// that turns every failure into the JSON error shape, and the UI at /.

import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiRouter, Env } from './api-router.js';
import { identify } from './auth.js';
import type { ServerContext } from './context.js';
import { ApiError, errorBody } from './errors.js';
import { openApiDocument } from './openapi.js';
import { systemRoutes } from './routes/system.js';
import { tokenRoutes } from './routes/tokens.js';
import { auditRoutes } from './routes/audit.js';

/** The composed app as a router may reach it: a request answered as a client's would be, with no socket. */
export interface AppHandle {
  fetch(request: Request): Promise<Response>;
}

/** Routers that a later part of the server adds (versions, runs, bills, search, sheets, the UI). */
export type RouterFactory = (ctx: ServerContext, app: AppHandle) => ApiRouter;

export interface AppOptions {
  /** More /api routers, mounted after the built-in ones. */
  routers?: RouterFactory[];
  /** The UI: a Hono app mounted at / (the UI issue replaces the plain page). */
  ui?: Hono;
}

export function createApp(ctx: ServerContext, options: AppOptions = {}): Hono<Env> {
  const app = new Hono<Env>();
  // Hono answers a HEAD by running the GET route and dropping its body unread: a file route's
  // stream (an open file) would never be closed. Cancelled here, the file is closed at once.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method === 'HEAD' && c.res.body) {
      await c.res.body.cancel().catch(() => undefined);
      c.res = new Response(null, c.res);
    }
  });
  const api = new Hono<Env>();
  api.use('*', identify(ctx.tokens));
  let doc: unknown = null;
  // Download links answer as their file route would: they dispatch to the app once it is built.
  const handle: AppHandle = { fetch: async (request) => app.fetch(request) };
  const routers = [systemRoutes(ctx, () => doc), tokenRoutes(ctx), auditRoutes(ctx), ...(options.routers ?? []).map((f) => f(ctx, handle))];
  doc = openApiDocument(routers.flatMap((r) => r.specs), '0.1.0');
  for (const r of routers) api.route('/', r.hono);
  app.route('/api', api);

  if (options.ui) app.route('/', options.ui);
  else app.get('/', (c) => c.html('<!doctype html><meta charset="utf-8"><title>Ratebook</title><h1>Ratebook</h1><p>The workbench API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>'));
  app.get('/favicon.ico', (c) => c.body(null, 204));
  // Hono runs only the top app's notFound for routes mounted with app.route().
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    if (path === '/api' || path.startsWith('/api/')) return c.json({ error: `no such route: ${c.req.method} ${path}` }, 404);
    return c.text('Not found', 404);
  });

  app.onError((e, c) => {
    if (e instanceof ApiError) {
      if (e.status === 413) c.header('Connection', 'close');
      return c.json(errorBody(e), e.status);
    }
    if (e instanceof HTTPException) return c.json({ error: e.message || 'the request could not be handled' }, e.status);
    // A 5xx is a bug: say so, and keep the details in the server's log.
    console.error(`ratebook: ${c.req.method} ${c.req.url} failed:`, e);
    return c.json({ error: 'the server failed to handle this request; this is a bug, and the server log has the details' }, 500);
  });
  return app;
}
