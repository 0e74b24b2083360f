// The closed loop over HTTP (SPEC §7): re-rate a done run's exceptions with another version,
// release calls held as SUSPECTED_FRAUD after review, and what-if a version against a run without
// changing it. The work is server/runs/rerate.ts, release.ts and whatif.ts; re-rates and releases
// go to the audit log.

import { z } from 'zod';
import { EXCEPTION_REASONS } from '../../../rules/cdr/cdr.js';
import { releaseCalls, ReleaseRefused } from '../../runs/release.js';
import { rerateRun } from '../../runs/rerate.js';
import { InputError } from '../../runs/run-errors.js';
import { RunStateError } from '../../runs/run-service.js';
import { whatIf } from '../../runs/whatif.js';
import type { RunRecord } from '../../store/runs.js';
import { ApiRouter, seqParam } from '../api-router.js';
import { actor, type ServerContext } from '../context.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { EVERYONE } from '../roles.js';

const IdParams = z.object({ id: seqParam });
const Money = z.string().describe('a decimal string (exact)');
const VersionBody = z.object({ version: z.number().int().positive().describe('a version seq: published or a draft') }).strict();
const ByReason = z.partialRecord(z.enum(EXCEPTION_REASONS), z.number());

const Place = z.object({ file: z.string().min(1).describe("the run's label of the CDR file (exceptions.csv's file column)"), line: z.number().int().positive() }).strict();
const ReleaseBody = z
  .object({
    lines: z.array(Place).min(1).optional().describe('the held calls to release'),
    all: z.literal(true).optional().describe('release every call held as SUSPECTED_FRAUD'),
    reason: z.string().trim().min(1, 'say why the calls are released (it goes to the audit log)').max(2000),
    version: z.number().int().positive().optional().describe("rate them with this version rather than the run's (e.g. the version of a re-rate that held them)"),
  })
  .strict()
  .refine((b) => (b.lines === undefined) !== (b.all === undefined), { message: 'send either "lines" or "all": true', path: ['lines'] });

const Rerated = z.object({
  moved: z.number().describe('exceptions that now rate and joined the rated calls'),
  byReason: ByReason.describe('the moved calls by the reason they were exceptions for'),
  remaining: z.number().describe('exceptions left in the run'),
  charge: Money.describe("the moved calls' charges"),
});
const Released = z.object({
  moved: z.number().describe('released calls that rated and joined the rated calls'),
  remaining: z.number().describe('exceptions left in the run, of every reason'),
  held: z.number().describe('calls still held as SUSPECTED_FRAUD'),
  failed: ByReason.describe('released calls that failed another step, by its reason (they stay exceptions)'),
  charge: Money.describe("the moved calls' charges"),
});
const Totals = z.object({ input: z.number(), rated: z.number(), exceptions: z.number(), byReason: ByReason, charge: Money, cost: Money });
const change = { before: Money, after: Money, change: Money.describe('after − before'), callsBefore: z.number(), callsAfter: z.number() };
const WhatIf = z.object({
  run: z.number(),
  runVersion: z.number(),
  version: z.number(),
  before: Totals.describe('the run as it stands'),
  after: Totals.describe("the run's calls rated afresh with the version"),
  byCustomer: z.array(z.object({ account: z.string(), ...change })).describe('charges by customer, the biggest change first'),
  byClass: z.array(z.object({ class: z.string(), ...change })),
  byDestination: z.array(z.object({ destination: z.string(), ...change })),
});

/** The service's refusals as API errors (anything else is a bug: a 5xx). */
function answerFor(e: unknown): unknown {
  if (e instanceof ReleaseRefused) return badRequest(e.message, e.issues);
  if (e instanceof RunStateError || e instanceof InputError) return conflict(e.message);
  return e;
}

export function closedLoopRoutes(ctx: ServerContext): ApiRouter {
  const env = { service: ctx.runs, store: ctx.store };

  const doneRun = (id: number): RunRecord => {
    const r = ctx.runs.runs.get(id);
    if (!r) throw notFound(`there is no run ${id}`);
    if (r.status !== 'done') throw conflict(`run ${id} is ${r.status}: only a done run can be re-rated, released or compared`);
    return r;
  };
  /** A version that can rate calls: 404 when there is none, 409 when it has errors. */
  const ratingVersion = async (seq: number): Promise<void> => {
    const v = await ctx.store.getVersion(seq);
    if (!v) throw notFound(`there is no version ${seq}`);
    if (v.counts.error > 0) throw conflict(`version ${seq} has ${v.counts.error} error(s), so it cannot rate calls; fix the workbook and import it again`);
  };
  const attempt = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw answerFor(e);
    }
  };

  return new ApiRouter()
    .add(
      {
        method: 'post',
        path: '/runs/:id/rerate',
        summary: "Re-rate a done run's exceptions with a version (published or draft): those that now rate join its rated calls",
        access: ['clerk', 'manager'],
        params: IdParams,
        body: VersionBody,
        answers: {
          200: { description: 'what moved', schema: Rerated },
          404: { description: 'no such run or version' },
          409: { description: 'the run is not done, or the version has errors or reads the CDR files in another format' },
        },
      },
      async (c, { params, body }) => {
        doneRun(params.id);
        await ratingVersion(body.version);
        const r = await attempt(() => rerateRun(env, params.id, body.version));
        const reasons = Object.entries(r.byReason).map(([k, n]) => `${k} ${n}`).join(', ');
        await ctx.audit.append({ ...actor(c.get('caller')), action: 'rerate', target: `run ${params.id}`, version: body.version, detail: `moved ${r.moved}${reasons ? ` (${reasons})` : ''}, charge ${r.charge}; ${r.remaining} exceptions remain` });
        return c.json(r);
      },
    )
    .add(
      {
        method: 'post',
        path: '/runs/:id/release',
        summary: 'Release calls held as SUSPECTED_FRAUD after review: rated with the run\'s version as if no fraud rule had fired',
        access: ['manager'],
        params: IdParams,
        body: ReleaseBody,
        answers: {
          200: { description: 'what moved', schema: Released },
          400: { description: 'no reason given, or lines that are not held as SUSPECTED_FRAUD in the run (each named; nothing released)' },
          404: { description: 'no such run or version' },
          409: { description: 'the run is not done, or the version named has errors' },
        },
      },
      async (c, { params, body }) => {
        const rec = doneRun(params.id);
        if (body.version !== undefined) await ratingVersion(body.version);
        const choice = body.all ? { all: true as const } : { lines: body.lines! };
        const r = await attempt(() => releaseCalls(env, params.id, choice, body.version));
        const asked = body.all ? 'all held calls' : `${body.lines!.length} call(s): ${body.lines!.slice(0, 20).map((l) => `${l.file}:${l.line}`).join(', ')}${body.lines!.length > 20 ? ', …' : ''}`;
        await ctx.audit.append({ ...actor(c.get('caller')), action: 'release', target: `run ${params.id}`, version: body.version ?? rec.version, detail: `reason: ${body.reason}; released ${asked}; moved ${r.moved}, charge ${r.charge}; ${r.held} still held` });
        return c.json(r);
      },
    )
    .add(
      {
        method: 'post',
        path: '/runs/:id/whatif',
        summary: "Rate a done run's calls with a version and compare with the run, changing nothing",
        access: EVERYONE,
        params: IdParams,
        body: VersionBody,
        answers: {
          200: { description: 'the comparison', schema: WhatIf },
          404: { description: 'no such run or version' },
          409: { description: 'the run is not done, or the version has errors or reads the CDR files in another format' },
        },
      },
      async (c, { params, body }) => {
        doneRun(params.id);
        await ratingVersion(body.version);
        return c.json(await attempt(() => whatIf(env, params.id, body.version)));
      },
    );
}
