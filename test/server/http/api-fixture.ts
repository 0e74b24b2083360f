// A fresh data directory with an app over it and one token per role, for route tests.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppOptions } from '../../../server/http/app.js';
import { openContext, type ServerContext } from '../../../server/http/context.js';
import { ROLES, type Role } from '../../../server/http/roles.js';

export interface ApiFixture {
  ctx: ServerContext;
  app: ReturnType<typeof createApp>;
  tokens: Record<Role, string>;
  /** app.request with a role's token; `body` objects are sent as JSON. */
  call(method: string, path: string, opts?: { role?: Role | null; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export async function apiFixture(options: AppOptions = {}, limits?: Parameters<typeof openContext>[0]['limits']): Promise<ApiFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ratebook-api-'));
  const ctx = await openContext({ dataDir, limits });
  const app = createApp(ctx, options);
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) tokens[role] = (await ctx.tokens.create(`${role}-user`, role, 'fixture')).token;
  const call: ApiFixture['call'] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const role = opts.role === undefined ? 'admin' : opts.role;
    if (role) headers.authorization = `Bearer ${tokens[role]}`;
    let body: BodyInit | undefined;
    if (opts.body instanceof FormData || typeof opts.body === 'string') body = opts.body as BodyInit;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    return Promise.resolve(app.request(path, { method, headers, body }));
  };
  return {
    ctx,
    app,
    tokens,
    call,
    close: async () => {
      await ctx.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
