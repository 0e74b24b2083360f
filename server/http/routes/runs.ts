// Rating runs over HTTP (SPEC §7): upload CDR files into a queued run, watch it rate, page through
// its rated calls and exceptions, download its files, retry a failed one. The rating itself is the
// run service's (server/runs/run-service.ts); the files live in the run store (server/store/runs.ts).

import { open, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { EXCEPTION_HEADER, RATED_HEADER } from '../../../rules/rating/call-rows.js';
import type { ColumnKind } from '../../grids/column-grid.js';
import { GridCache } from '../../grids/grid-cache.js';
import { parseGridQuery } from '../../grids/grid-query.js';
import { versionModel } from '../../model/version-cache.js';
import { checkCdrFile, formatNames } from '../../runs/cdr-check.js';
import { RunStateError, type RunEvent } from '../../runs/run-service.js';
import { DuplicateFileError, RUN_OUTPUT_FILES, RUN_STATUSES, type RunOutputFile, type RunRecord } from '../../store/runs.js';
import { ApiRouter, seqParam, type ApiContext } from '../api-router.js';
import { actor, type ServerContext } from '../context.js';
import { ApiError, badRequest, conflict, notFound } from '../errors.js';
import { EVERYONE } from '../roles.js';
import { discard, receiveUpload, type Upload } from '../upload.js';

const RATED_KINDS: Record<string, ColumnKind> = { line: 'int', duration: 'int', billed_seconds: 'int', charge: 'money', cost: 'money' };
const EXCEPTION_KINDS: Record<string, ColumnKind> = { line: 'int', duration: 'int' };
const GRIDS = {
  rated: { file: 'rated.csv', columns: RATED_HEADER, kinds: RATED_KINDS },
  exceptions: { file: 'exceptions.csv', columns: EXCEPTION_HEADER, kinds: EXCEPTION_KINDS },
} as const;

const CONTENT_TYPES: Record<RunOutputFile, string> = {
  'rated.csv': 'text/csv; charset=utf-8',
  'exceptions.csv': 'text/csv; charset=utf-8',
  'exceptions.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'summary.json': 'application/json',
};

/** CDR files one upload may carry. */
const MAX_FILES = 50;
/** A comment line on an idle event stream, so proxies keep it open. */
const KEEP_ALIVE_MS = 20_000;

const IdParams = z.object({ id: seqParam });
const Money = z.string().describe('a decimal string');
const Progress = z.object({ bytes: z.number(), totalBytes: z.number(), lines: z.number() });
const FileInfo = z.object({ name: z.string(), sha256: z.string(), bytes: z.number() });
const Summary = z.object({
  input: z.number(),
  rated: z.number(),
  exceptions: z.record(z.string(), z.number()),
  charge: Money,
  cost: Money,
  workbook: z.string(),
  files: z.array(z.object({ name: z.string(), sha256: z.string(), lines: z.number(), format: z.string() })),
});
const Started = z.object({ id: z.number(), status: z.enum(RUN_STATUSES) });
const ListItem = z.object({
  id: z.number(),
  status: z.enum(RUN_STATUSES),
  version: z.number(),
  files: z.array(FileInfo),
  createdBy: z.string(),
  createdAt: z.string(),
  input: z.number().nullable(),
  rated: z.number().nullable(),
  exceptions: z.number().nullable().describe('exceptions of every reason together'),
  charge: Money.nullable(),
  cost: Money.nullable(),
  error: z.string().optional(),
});
const RunDetail = z.object({
  id: z.number(),
  status: z.enum(RUN_STATUSES),
  version: z.number(),
  format: z.string().nullable(),
  files: z.array(FileInfo),
  createdBy: z.string(),
  createdAt: z.string(),
  progress: Progress,
  summary: Summary.nullable(),
  error: z.string().optional(),
});
const Reasons = z.object({ reasons: z.array(z.object({ reason: z.string(), count: z.number(), seconds: z.number(), cost: Money, fix: z.string() })) });
const GridPageSchema = z.object({ total: z.number(), rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))) });

const fileInfo = (r: RunRecord): z.infer<typeof FileInfo>[] => r.files.map((f) => ({ name: f.name, sha256: f.sha256, bytes: f.bytes }));

function listItem(r: RunRecord): z.infer<typeof ListItem> {
  const s = r.summary;
  return {
    id: r.id,
    status: r.status,
    version: r.version,
    files: fileInfo(r),
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    input: s?.input ?? null,
    rated: s?.rated ?? null,
    exceptions: s ? Object.values(s.exceptions).reduce((a, b) => a + (b ?? 0), 0) : null,
    charge: s?.charge ?? null,
    cost: s?.cost ?? null,
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}

/** The sentence of a 409 for a file already held by a run that did not fail. */
const duplicate = (e: DuplicateFileError): ApiError => conflict(e.message);

export function runRoutes(ctx: ServerContext): ApiRouter {
  const service = ctx.runs;
  const grids = new GridCache();

  const runOf = (id: number): RunRecord => {
    const r = service.runs.get(id);
    if (!r) throw notFound(`there is no run ${id}`);
    return r;
  };
  const doneRun = (id: number): RunRecord => {
    const r = runOf(id);
    if (r.status !== 'done') throw conflict(`run ${id} is ${r.status}${r.status === 'failed' ? '' : ' and not done yet'}: its results are there once it is done`);
    return r;
  };

  /** The version a new run rates with: the one named, else the published one. */
  const pickVersion = async (text: string | undefined): Promise<number> => {
    const given = text?.trim() ?? '';
    if (given === '') {
      const p = await ctx.store.published();
      if (!p) throw conflict('no version is published: publish a workbook version first, or name one in the "version" field');
      return p.seq;
    }
    if (!/^[1-9]\d{0,8}$/.test(given)) throw badRequest('the version must be a version number', [{ at: 'body.version', message: `"${given}" is not a version number` }]);
    const v = await ctx.store.getVersion(Number(given));
    if (!v) throw badRequest(`there is no version ${given}`, [{ at: 'body.version', message: `there is no version ${given}` }]);
    if (v.counts.error > 0) throw conflict(`version ${given} has ${v.counts.error} error(s), so it cannot rate calls; fix the workbook and import it again`);
    return v.seq;
  };

  /** Checks every file of an upload and records the run; the upload's temp files are the run's or gone. */
  const startRun = async (c: ApiContext, upload: Upload): Promise<RunRecord> => {
    if (upload.files.length === 0) throw badRequest('send one or more CDR files in the "cdrs" field', [{ at: 'body.cdrs', message: 'at least one file is needed' }]);
    const seq = await pickVersion(upload.fields.version);
    // The version's rows (shared with the other routes) say which formats there are: no model is built here.
    const { rows } = await versionModel(ctx, seq);
    const format = upload.fields.format?.trim() || undefined;
    if (format !== undefined && !formatNames(rows).includes(format)) {
      throw badRequest(`unknown CDR format "${format}"`, [{ at: 'body.format', message: `must be one of ${formatNames(rows).join(', ')}` }]);
    }
    const files = [];
    for (const f of upload.files) {
      const check = await checkCdrFile(f.path, f.name, rows, format);
      if (!check.ok) throw new ApiError(415, check.problem);
      files.push({ path: f.path, name: f.name, sha256: f.sha256, bytes: f.bytes, gzip: check.gzip });
    }
    try {
      return await service.submit({ version: seq, format: format ?? null, files, createdBy: actor(c.get('caller')).who });
    } catch (e) {
      if (e instanceof DuplicateFileError) throw duplicate(e);
      if (e instanceof RunStateError) throw new ApiError(503, e.message);
      throw e;
    }
  };

  const gridRoute = (which: keyof typeof GRIDS) => async (c: ApiContext, { params }: { params: { id: number } }): Promise<Response> => {
    const g = GRIDS[which];
    runOf(params.id);
    const q = parseGridQuery(c.req.url, g.columns, new Set(Object.keys(g.kinds)));
    doneRun(params.id);
    const grid = await grids.grid(service.runs.outputPath(params.id, g.file), g.kinds);
    return c.json(await grid.page(q));
  };

  return new ApiRouter()
    .add(
      {
        method: 'post',
        path: '/runs',
        summary: 'Upload CDR files as a new run, rated in the background',
        access: ['clerk'],
        multipart: {
          cdrs: { description: 'a CDR file (CSV, or gzip of it); repeat for several', file: true, multiple: true },
          format: { description: "the files' CDR format (default: recognised from each file)" },
          version: { description: 'the workbook version to rate with (default: the published one)' },
        },
        answers: {
          202: { description: 'the run, queued', schema: Started },
          409: { description: 'a file already rated by a run that did not fail, or no version published' },
          413: { description: 'a file over the upload limit' },
          415: { description: 'a file that is not a CDR file' },
        },
      },
      async (c) => {
        const upload = await receiveUpload(c, { dir: ctx.uploadsDir, fileFields: ['cdrs'], maxFileBytes: ctx.limits.cdrBytes, maxFiles: MAX_FILES, what: 'a CDR file' });
        let run: RunRecord;
        try {
          run = await startRun(c, upload);
        } finally {
          // Files the run took are no longer here; anything else goes.
          await discard(upload.files);
        }
        await ctx.audit.append({ ...actor(c.get('caller')), action: 'run', target: `run ${run.id} (${run.files.map((f) => f.name).join(', ')})`, version: run.version });
        return c.json({ id: run.id, status: run.status }, 202);
      },
    )
    .add({ method: 'get', path: '/runs', summary: 'Every run, newest first', access: EVERYONE, answers: { 200: { description: 'the runs', schema: z.object({ runs: z.array(ListItem) }) } } }, (c) =>
      c.json({ runs: service.runs.list().map(listItem) }),
    )
    .add(
      { method: 'get', path: '/runs/:id', summary: 'A run: status, progress, summary', access: EVERYONE, params: IdParams, answers: { 200: { description: 'the run', schema: RunDetail }, 404: { description: 'no such run' } } },
      (c, { params }) => {
        const r = runOf(params.id);
        return c.json({
          id: r.id,
          status: r.status,
          version: r.version,
          format: r.format,
          files: fileInfo(r),
          createdBy: r.createdBy,
          createdAt: r.createdAt,
          progress: service.progress(r.id),
          summary: r.status === 'done' ? (r.summary ?? null) : null,
          ...(r.error !== undefined ? { error: r.error } : {}),
        });
      },
    )
    .add(
      {
        method: 'get',
        path: '/runs/:id/events',
        summary: 'Server-Sent Events: `progress` while the run rates, then one `done` or `failed`',
        access: EVERYONE,
        params: IdParams,
        answers: { 200: { description: 'the event stream', contentType: 'text/event-stream' }, 404: { description: 'no such run' } },
      },
      (c, { params }) => {
        const r = runOf(params.id);
        return streamSSE(c, async (stream) => {
          let end!: () => void;
          const ended = new Promise<void>((resolve) => (end = resolve));
          let writes: Promise<void> = Promise.resolve();
          let lastProgress = '';
          const send = (e: RunEvent): void => {
            if (e.kind === 'closed') return end();
            if (e.kind === 'progress') {
              // The same figures twice (the first report and the meter's start) say nothing new.
              const key = JSON.stringify(e.progress);
              if (key === lastProgress) return;
              lastProgress = key;
            }
            const data = e.kind === 'progress' ? e.progress : e.kind === 'done' ? { id: r.id, status: 'done', summary: e.summary } : { id: r.id, status: 'failed', error: e.error };
            writes = writes.then(() => stream.writeSSE({ event: e.kind, data: JSON.stringify(data) })).catch(() => end());
            if (e.kind !== 'progress') end();
          };
          const live = r.status === 'queued' || r.status === 'rating';
          if (live) send({ kind: 'progress', progress: service.progress(r.id) });
          const stop = service.watch(r.id, send);
          stream.onAbort(end);
          const beat = setInterval(() => void (writes = writes.then(() => stream.write(': keep-alive\n\n')).then(() => undefined, () => end())), KEEP_ALIVE_MS);
          try {
            await ended;
          } finally {
            clearInterval(beat);
            stop();
            await writes;
          }
        });
      },
    )
    .add(
      { method: 'get', path: '/runs/:id/rated', summary: "A page of the run's rated calls (rated.csv)", access: EVERYONE, params: IdParams, grid: true, answers: { 200: { description: 'a grid page', schema: GridPageSchema }, 409: { description: 'the run is not done' } } },
      gridRoute('rated'),
    )
    .add(
      { method: 'get', path: '/runs/:id/exceptions', summary: "A page of the run's exceptions (exceptions.csv)", access: EVERYONE, params: IdParams, grid: true, answers: { 200: { description: 'a grid page', schema: GridPageSchema }, 409: { description: 'the run is not done' } } },
      gridRoute('exceptions'),
    )
    .add(
      {
        method: 'get',
        path: '/runs/:id/exceptions/summary',
        summary: 'Exceptions by reason: count, seconds, cost and the usual fix (the Summary tab of exceptions.xlsx)',
        access: EVERYONE,
        params: IdParams,
        answers: { 200: { description: 'the reasons', schema: Reasons }, 409: { description: 'the run is not done' } },
      },
      async (c, { params }) => {
        doneRun(params.id);
        const text = await readFile(service.runs.outputPath(params.id, 'exception-summary.json'), 'utf8');
        return c.json(JSON.parse(text) as z.infer<typeof Reasons>);
      },
    )
    .add(
      {
        method: 'get',
        path: '/runs/:id/files/:name',
        summary: "One of a done run's files: rated.csv, exceptions.csv, exceptions.xlsx or summary.json",
        access: EVERYONE,
        params: z.object({ id: seqParam, name: z.string() }),
        answers: { 200: { description: 'the file', contentType: 'application/octet-stream' }, 404: { description: 'no such run or file' }, 409: { description: 'the run is not done' } },
      },
      async (c, { params }) => {
        const name = RUN_OUTPUT_FILES.find((f) => f === params.name);
        if (!name) throw notFound(`a run has no file "${params.name}" (it has ${RUN_OUTPUT_FILES.join(', ')})`);
        doneRun(params.id);
        // Opened before answering: outputs replaced meanwhile (a re-rate) do not cut the download.
        const fh = await open(service.runs.outputPath(params.id, name));
        const st = await fh.stat();
        const body = Readable.toWeb(fh.createReadStream()) as unknown as ReadableStream;
        return c.body(body, 200, {
          'content-type': CONTENT_TYPES[name],
          'content-length': String(st.size),
          'content-disposition': `attachment; filename="run-${params.id}-${name}"`,
        });
      },
    )
    .add(
      {
        method: 'post',
        path: '/runs/:id/retry',
        summary: 'Rate a failed run again from its kept files',
        access: ['clerk'],
        params: IdParams,
        answers: { 202: { description: 'the run, queued again', schema: Started }, 404: { description: 'no such run' }, 409: { description: 'the run has not failed, or a later run holds its files' } },
      },
      async (c, { params }) => {
        runOf(params.id);
        let run: RunRecord;
        try {
          run = await service.retry(params.id);
        } catch (e) {
          if (e instanceof DuplicateFileError) throw duplicate(e);
          if (e instanceof RunStateError) throw conflict(e.message);
          throw e;
        }
        await ctx.audit.append({ ...actor(c.get('caller')), action: 'retry', target: `run ${run.id}`, version: run.version });
        return c.json({ id: run.id, status: run.status }, 202);
      },
    );
}
