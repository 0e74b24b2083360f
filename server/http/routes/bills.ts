// Bills (SPEC §7): a clerk drafts a period, a manager finalises it; everyone reads bills and their
// files. The work is BillService's (server/bills/bill-service.ts); POST answers when the bill is made.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ApiRouter } from '../api-router.js';
import { actor, type ServerContext } from '../context.js';
import { ApiError, conflict, notFound } from '../errors.js';
import { EVERYONE } from '../roles.js';
import { BillConflict } from '../../bills/bill-service.js';
import { PERIOD, type PeriodBills } from '../../store/bills.js';

const Period = z.string().regex(PERIOD, 'must be a month as YYYY-MM (e.g. 2026-10)');
const Money = z.string().describe('a decimal with 2 decimals');
const Invoice = z.object({ invoice: z.string(), account: z.string(), net: Money, tax: Money, total: Money });
const Attempt = z.object({ status: z.enum(['billing', 'failed']), final: z.boolean(), createdBy: z.string(), createdAt: z.string(), error: z.string().optional() });
const Bill = z.object({
  period: z.string(),
  status: z.enum(['draft', 'final', 'billing', 'failed']).describe('billing or failed: the period has no bill yet, only an attempt'),
  invoices: z.array(Invoice),
  net: Money,
  tax: Money,
  total: Money,
  currency: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  version: z.number().optional(),
  runs: z.array(z.number()).optional(),
  files: z.array(z.string()).describe('the names GET /api/bills/{period}/files/{name} serves'),
  waitingCalls: z.number().optional(),
  duplicates: z.number().optional(),
  error: z.string().optional(),
  attempt: Attempt.optional().describe('the last attempt, when it is still billing or failed'),
});

/** What a period shows: its final, else its draft, else its last attempt (with no invoices). */
function view(p: PeriodBills): z.infer<typeof Bill> {
  const bill = p.final ?? p.draft;
  const attempt = p.attempt && { status: p.attempt.status, final: p.attempt.final, createdBy: p.attempt.createdBy, createdAt: p.attempt.createdAt, ...(p.attempt.error !== undefined && { error: p.attempt.error }) };
  if (bill) return { ...bill, ...(attempt && { attempt }) };
  const a = p.attempt!;
  return { period: p.period, status: a.status, invoices: [], net: '0.00', tax: '0.00', total: '0.00', currency: '', createdBy: a.createdBy, createdAt: a.createdAt, files: [], ...(a.error !== undefined && { error: a.error }) };
}

const TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
};

export function billRoutes(ctx: ServerContext): ApiRouter {
  return new ApiRouter()
    .add(
      {
        method: 'post',
        path: '/bills',
        summary: 'Bill a period from the rated calls of every done run: a draft (clerk) or final (manager); answers when the bill is made',
        access: ['clerk', 'manager'],
        body: z.object({ period: Period, final: z.boolean().optional() }).strict(),
        answers: {
          200: { description: 'the bill', schema: Bill },
          403: { description: 'a clerk asked to finalise' },
          409: { description: 'no published version; the period is final or before the last final period; a run is still rating (final); a run\'s files cannot be read' },
        },
      },
      async (c, { body }) => {
        const caller = c.get('caller')!;
        const final = body.final === true;
        if (final && caller.role === 'clerk') throw new ApiError(403, 'the clerk role may draft a bill but not finalise it (it needs manager)');
        let bill;
        try {
          bill = await ctx.bills.bill({ period: body.period, final, who: caller.name });
        } catch (e) {
          if (e instanceof BillConflict) throw conflict(e.message);
          throw e;
        }
        await ctx.audit.append({
          ...actor(caller),
          action: final ? 'finalise' : 'bill',
          target: `bill ${bill.period}`,
          version: bill.version,
          detail: `${bill.invoices.length} invoice(s), total ${bill.total} ${bill.currency}`,
        });
        return c.json(view({ period: bill.period, [bill.status]: bill }));
      },
    )
    .add(
      { method: 'get', path: '/bills', summary: 'Every period billed, newest first', access: EVERYONE, answers: { 200: { description: 'bills', schema: z.object({ bills: z.array(Bill) }) } } },
      async (c) => c.json({ bills: (await ctx.bills.list()).map(view) }),
    )
    .add(
      {
        method: 'get',
        path: '/bills/:period',
        summary: 'A period\'s bill: the final if there is one, else the draft',
        access: EVERYONE,
        params: z.object({ period: Period }),
        answers: { 200: { description: 'the bill', schema: Bill }, 404: { description: 'the period was never billed' } },
      },
      async (c, { params }) => {
        const p = await ctx.bills.period(params.period);
        if (!p.final && !p.draft && !p.attempt) throw notFound(`${params.period} has not been billed`);
        return c.json(view(p));
      },
    )
    .add(
      {
        method: 'get',
        path: '/bills/:period/files/:name{.+}',
        summary: 'One of a bill\'s files: invoices.csv, invoice_lines.csv, reports.xlsx, the report CSVs, invoices/<INVOICE>.html|.xlsx',
        access: EVERYONE,
        params: z.object({ period: Period, name: z.string().min(1).max(300) }),
        answers: { 200: { description: 'the file (text/csv, .xlsx, or text/html for the printable invoice)' }, 404: { description: 'no such bill or file' } },
      },
      async (c, { params }) => {
        // The name is looked up in the bill's own list of files, never joined into a path.
        const path = await ctx.bills.filePath(params.period, params.name);
        if (!path) throw notFound(`${params.period} has no file ${JSON.stringify(params.name)}`);
        const ext = params.name.slice(params.name.lastIndexOf('.') + 1);
        const size = (await stat(path)).size;
        const base = params.name.slice(params.name.lastIndexOf('/') + 1);
        c.header('Content-Type', TYPES[ext] ?? 'application/octet-stream');
        c.header('Content-Length', String(size));
        c.header('Content-Disposition', `${ext === 'html' ? 'inline' : 'attachment'}; filename="${base.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
        return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream);
      },
    );
}
