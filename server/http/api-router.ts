// Routes as data: each route's method, path, access, zod schemas and answers are declared once.
// The same declaration validates the request (400 with the issue's path, e.g. `body.period`),
// admits or refuses the caller (401/403), and becomes the route's entry in GET /api/openapi.json.
// A routes file builds one ApiRouter; app.ts mounts its Hono router with app.route().

import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiError, badRequest, type ApiIssue } from './errors.js';
import { lingerOnClose } from './linger.js';
import { mayDo, type Caller, type Role } from './roles.js';

export interface Env {
  Variables: {
    /** Set by the auth middleware when the request carried a valid token. */
    caller: Caller | undefined;
  };
}

export type ApiContext = Context<Env>;

export interface AnswerSpec {
  description: string;
  /** JSON answer's shape; leave out for files. */
  schema?: z.ZodType;
  /** Content type of a file answer (text/csv, application/vnd.openxmlformats-…, text/event-stream). */
  contentType?: string;
}

type Schema = z.ZodType;

export interface RouteSpec<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> {
  method: 'get' | 'post' | 'delete';
  /** Hono path relative to /api, e.g. `/versions/:seq`. */
  path: string;
  summary: string;
  /** `public`: no token needed; `token`: any valid token; else the roles admitted (admin always is). */
  access: 'public' | 'token' | readonly Role[];
  params?: P;
  query?: Q;
  /** A JSON body. */
  body?: B;
  /** A multipart body, read as a stream by the handler: its fields, for the document. */
  multipart?: Record<string, { description: string; file?: boolean; multiple?: boolean }>;
  /** The route answers grid pages: offset, limit, sort, filter[column] (see grid-query.ts). */
  grid?: boolean;
  answers: Record<number, AnswerSpec>;
}

export interface Input<P extends Schema, Q extends Schema, B extends Schema> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
}

/** JSON bodies are small: a body past this is refused before it is parsed. */
const MAX_JSON_BYTES = 1024 * 1024;

export class ApiRouter {
  readonly hono = new Hono<Env>();
  readonly specs: RouteSpec[] = [];

  add<P extends Schema = z.ZodUndefined, Q extends Schema = z.ZodUndefined, B extends Schema = z.ZodUndefined>(
    spec: RouteSpec<P, Q, B>,
    handle: (c: ApiContext, input: Input<P, Q, B>) => Response | Promise<Response>,
  ): this {
    this.specs.push(spec as unknown as RouteSpec);
    this.hono.on(spec.method.toUpperCase(), spec.path, async (c) => {
      admit(c.get('caller'), spec.access);
      const input = {
        params: spec.params ? check(spec.params, c.req.param(), 'params') : undefined,
        query: spec.query ? check(spec.query, c.req.query(), 'query') : undefined,
        body: spec.body ? check(spec.body, await readJson(c), 'body') : undefined,
      } as Input<P, Q, B>;
      return handle(c, input);
    });
    return this;
  }
}

/** 401 without a valid token, 403 for a role the route does not admit. */
export function admit(caller: Caller | undefined, access: RouteSpec['access']): void {
  if (access === 'public') return;
  if (!caller) throw new ApiError(401, 'this needs a valid token: send Authorization: Bearer TOKEN');
  if (access === 'token') return;
  if (!mayDo(caller.role, access)) throw new ApiError(403, `the ${caller.role} role may not do this (it needs ${access.join(' or ')})`);
}

export function check<S extends Schema>(schema: S, value: unknown, where: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues: ApiIssue[] = r.error.issues.map((i) => ({ at: [where, ...i.path.map(String)].join('.'), message: i.message }));
  throw badRequest(`the request's ${where} is not valid: ${issues.map((i) => `${i.at}: ${i.message}`).join('; ')}`, issues);
}

const jsonTooLarge = (): ApiError => new ApiError(413, `a JSON body may be at most ${MAX_JSON_BYTES / 1024 / 1024} MB`);

/**
 * A body as text, or null as soon as it passes `max` bytes (a body sent without a Content-Length
 * is never held whole past the limit; the rest is left unread and the connection closed).
 */
async function readAtMost(body: ReadableStream<Uint8Array> | null, max: number): Promise<string | null> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (bytes > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(c: ApiContext): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw badRequest('send the body as JSON (Content-Type: application/json)');
  const declared = Number(c.req.header('content-length') ?? 0);
  const text = declared > MAX_JSON_BYTES ? null : await readAtMost(c.req.raw.body, MAX_JSON_BYTES);
  if (text === null) {
    // The rest of the body may still be on its way: read and dropped while the 413 goes out.
    lingerOnClose(c);
    throw jsonTooLarge();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('the body is not valid JSON');
  }
}

/** `:seq` and `:id` path parameters: positive whole numbers. */
export const seqParam = z.string().regex(/^[1-9]\d{0,8}$/, 'must be a positive whole number').transform(Number);
