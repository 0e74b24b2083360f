// GET /api/openapi.json: the OpenAPI 3.1 document, generated from the routes' own declarations
// (api-router.ts), so the document and the validation cannot drift.

import { z } from 'zod';
import type { RouteSpec } from './api-router.js';

const json = (s: z.ZodType): unknown => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function parameters(spec: RouteSpec): unknown[] {
  const out: unknown[] = [];
  const add = (where: 'path' | 'query', s: z.ZodType | undefined): void => {
    if (!s) return;
    const schema = json(s) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, p] of Object.entries(schema.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (schema.required ?? []).includes(name), schema: p });
    }
  };
  add('path', spec.params);
  add('query', spec.query);
  if (spec.grid) {
    out.push(
      { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
      { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
      { name: 'sort', in: 'query', description: '`column:asc` or `column:desc`; repeatable', schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true },
      {
        name: 'filter',
        in: 'query',
        description: '`filter[column]=text`: a case-insensitive substring; for numeric columns also `>=x`, `<=x`',
        schema: { type: 'object', additionalProperties: { type: 'string' } },
        style: 'deepObject',
        explode: true,
      },
    );
  }
  return out;
}

export function openApiDocument(specs: readonly RouteSpec[], version: string): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = '/api' + spec.path.replace(/:([A-Za-z_]\w*)(\{[^}]*\})?/g, '{$1}');
    const op: Record<string, unknown> = {
      summary: spec.summary,
      description: spec.access === 'public' ? 'No token needed.' : spec.access === 'token' ? 'Any valid token.' : `Roles: ${[...spec.access, 'admin'].filter((r, i, a) => a.indexOf(r) === i).join(', ')}.`,
      parameters: parameters(spec),
      responses: Object.fromEntries(
        Object.entries(spec.answers).map(([status, a]) => [
          status,
          { description: a.description, ...(a.schema ? { content: { 'application/json': { schema: json(a.schema) } } } : a.contentType ? { content: { [a.contentType]: {} } } : {}) },
        ]),
      ),
    };
    if (spec.access !== 'public') op.security = [{ bearer: [] }];
    if (spec.body) op.requestBody = { required: true, content: { 'application/json': { schema: json(spec.body) } } };
    if (spec.multipart) {
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: Object.fromEntries(
                Object.entries(spec.multipart).map(([k, f]) => [k, f.multiple ? { type: 'array', items: { type: 'string', format: 'binary' }, description: f.description } : { type: 'string', ...(f.file ? { format: 'binary' } : {}), description: f.description }]),
              ),
            },
          },
        },
      };
    }
    (paths[path] ??= {})[spec.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Ratebook workbench API', version, description: 'SPEC §7. Errors: { "error": "one sentence", "issues": [{ "at", "message" }] }.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
