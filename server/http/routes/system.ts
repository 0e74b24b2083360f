// The routes that are about the service itself: health, the OpenAPI document, who am I.

import { z } from 'zod';
import { ApiRouter } from '../api-router.js';
import type { ServerContext } from '../context.js';
import { ROLES } from '../roles.js';

export function systemRoutes(_ctx: ServerContext, document: () => unknown): ApiRouter {
  return new ApiRouter()
    .add({ method: 'get', path: '/health', summary: 'Is the server up', access: 'public', answers: { 200: { description: 'up', schema: z.object({ ok: z.literal(true) }) } } }, (c) =>
      c.json({ ok: true as const }),
    )
    .add({ method: 'get', path: '/openapi.json', summary: 'This document', access: 'public', answers: { 200: { description: 'the OpenAPI 3.1 document' } } }, (c) => c.json(document() as object))
    .add(
      { method: 'get', path: '/me', summary: "The caller's token name and role", access: 'token', answers: { 200: { description: 'the caller', schema: z.object({ name: z.string(), role: z.enum(ROLES) }) } } },
      (c) => {
        const caller = c.get('caller')!;
        return c.json({ name: caller.name, role: caller.role });
      },
    );
}
