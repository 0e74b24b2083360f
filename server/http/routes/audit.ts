// The audit log, newest first (SPEC §7): admins and managers read it.

import { z } from 'zod';
import { ApiRouter } from '../api-router.js';
import type { ServerContext } from '../context.js';
import { AUDIT_ACTIONS } from '../../store/audit.js';

const Entry = z.object({ at: z.string(), who: z.string(), role: z.string(), action: z.enum(AUDIT_ACTIONS), target: z.string(), version: z.number().optional(), detail: z.string().optional() });

export function auditRoutes(ctx: ServerContext): ApiRouter {
  return new ApiRouter().add(
    {
      method: 'get',
      path: '/audit',
      summary: 'The audit log, newest first',
      access: ['manager', 'admin'],
      query: z.object({ limit: z.string().regex(/^\d{1,6}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(10000)).optional() }),
      answers: { 200: { description: 'entries', schema: z.object({ entries: z.array(Entry) }) } },
    },
    async (c, { query }) => c.json({ entries: await ctx.audit.read(query.limit ?? 100) }),
  );
}
