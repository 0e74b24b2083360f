// Finds the caller from `Authorization: Bearer TOKEN` on every /api request. It only identifies:
// each route admits or refuses (api-router.ts), so a public route works with or without a token.

import type { MiddlewareHandler } from 'hono';
import type { Env } from './api-router.js';
import type { TokenStore } from '../store/tokens.js';

export function identify(tokens: TokenStore): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const t = m ? tokens.find(m[1]) : undefined;
    c.set('caller', t ? { tokenId: t.id, name: t.name, role: t.role } : undefined);
    await next();
  };
}
