// Tokens (SPEC §7 Access): an admin makes them (the secret shown once), lists and revokes them.

import { z } from 'zod';
import { ApiRouter } from '../api-router.js';
import { actor, type ServerContext } from '../context.js';
import { notFound } from '../errors.js';
import { ROLES } from '../roles.js';

const TokenInfo = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), createdAt: z.string(), createdBy: z.string(), revokedAt: z.string().optional() });
const NewToken = z.object({
  name: z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f]*$/, 'must not hold control characters'),
  role: z.enum(ROLES),
});

export function tokenRoutes(ctx: ServerContext): ApiRouter {
  return new ApiRouter()
    .add(
      {
        method: 'post',
        path: '/tokens',
        summary: 'Make a token (its secret is shown once)',
        access: ['admin'],
        body: NewToken,
        answers: { 201: { description: 'the new token', schema: z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), token: z.string() }) } },
      },
      async (c, { body }) => {
        const caller = c.get('caller');
        const t = await ctx.tokens.create(body.name, body.role, caller!.name);
        await ctx.audit.append({ ...actor(caller), action: 'token-create', target: `token ${t.id} (${t.name}, ${t.role})` });
        return c.json({ id: t.id, name: t.name, role: t.role, token: t.token }, 201);
      },
    )
    .add({ method: 'get', path: '/tokens', summary: 'The tokens (no secrets)', access: ['admin'], answers: { 200: { description: 'tokens, newest first', schema: z.object({ tokens: z.array(TokenInfo) }) } } }, (c) =>
      c.json({ tokens: ctx.tokens.list() }),
    )
    .add(
      {
        method: 'delete',
        path: '/tokens/:id',
        summary: 'Revoke a token (from the next request on)',
        access: ['admin'],
        params: z.object({ id: z.string().regex(/^\d{1,9}$/, 'must be a token id') }),
        answers: { 200: { description: 'the revoked token', schema: TokenInfo }, 404: { description: 'no such token' } },
      },
      async (c, { params }) => {
        const t = await ctx.tokens.revoke(params.id);
        if (!t) throw notFound(`there is no token ${params.id}`);
        await ctx.audit.append({ ...actor(c.get('caller')), action: 'token-revoke', target: `token ${t.id} (${t.name}, ${t.role})` });
        return c.json(t);
      },
    );
}
