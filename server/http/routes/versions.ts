// Workbook versions (SPEC §1 Versions, §7): upload an .xlsx as a version, list and read them with
// their problems, diff two, publish one, download the file as imported, and page through a tab.

import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ApiRouter, seqParam } from '../api-router.js';
import { actor, type ServerContext } from '../context.js';
import { ApiError, badRequest, conflict, notFound } from '../errors.js';
import { EVERYONE } from '../roles.js';
import { discard, receiveUpload } from '../upload.js';
import { parseGridQuery } from '../../grids/grid-query.js';
import { pageRows } from '../../grids/row-grid.js';
import { keepVersion } from '../../model/workbook-file.js';
import { importWorkbookBytes } from '../../model/workbook-import.js';
import { versionModel, warmVersion } from '../../model/version-cache.js';
import { diffVersions } from '../../model/version-diff.js';
import { tabKeyOf, tabTable, type TabTable } from '../../model/tab-rows.js';
import { TAB_NAMES } from '../../../rules/workbook/rows.js';
import type { VersionInfo, VersionMeta } from '../../store/store.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const Counts = { errors: z.number().int(), warnings: z.number().int(), notices: z.number().int() };

const Version = z.object({
  seq: z.number().int(),
  /** The content hash: the version's identity. */
  hash: z.string(),
  fileSha256: z.string(),
  /** File name or spreadsheet id. */
  source: z.string(),
  fileName: z.string(),
  importedBy: z.string(),
  importedAt: z.string(),
  ...Counts,
  published: z.boolean(),
});
type VersionView = z.infer<typeof Version>;

const Problem = z.object({ severity: z.enum(['error', 'warning', 'notice']), at: z.string().nullable().describe('Tab!Cell, or null for the workbook as a whole'), code: z.string(), message: z.string() });

const Imported = z.object({ seq: z.number().int(), hash: z.string(), existing: z.boolean(), ...Counts }).describe('errors, warnings and notices are counts; GET /api/versions/{seq} lists the problems');

const Cell = z.object({ column: z.string(), text: z.string() });
const DiffRow = z.object({ key: z.string(), row: z.number().int().describe('sheet row on its side (0 for Settings)'), cells: z.array(Cell).describe('every non-blank cell, in column order') });
const Diff = z.object({
  seq: z.number().int(),
  against: z.number().int(),
  tabs: z.array(
    z.object({
      tab: z.string(),
      keyColumns: z.array(z.string()),
      counts: z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int() }).describe('whole counts; the lists hold at most `limit` rows each'),
      added: z.array(DiffRow).describe('rows only {seq} has'),
      removed: z.array(DiffRow).describe('rows only {against} has'),
      changed: z.array(z.object({ key: z.string(), rowA: z.number().int(), rowB: z.number().int(), cells: z.array(z.object({ column: z.string(), from: z.string(), to: z.string() })) })).describe('from: in {against}; to: in {seq}'),
    }),
  ),
});

const TabPage = z.object({
  tab: z.string(),
  columns: z.array(z.string()).describe('Row (the sheet row), the tab\'s headers, then unknown columns'),
  total: z.number().int(),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))).describe('cells as text the way the workbook shows them: money as decimals, percentages 20%, dates YYYY-MM-DD'),
});

const SeqParams = z.object({ seq: seqParam });

function view(v: VersionInfo, published: number | undefined): VersionView {
  return {
    seq: v.seq,
    hash: v.contentHash,
    fileSha256: v.fileSha256,
    source: v.source,
    fileName: v.fileName,
    importedBy: v.importer,
    importedAt: v.importedAt,
    errors: v.counts.error,
    warnings: v.counts.warning,
    notices: v.counts.notice,
    published: v.seq === published,
  };
}

/** A file name for Content-Disposition: plain ASCII, and the UTF-8 one beside it (RFC 6266). */
function attachment(name: string): string {
  const file = /\.xlsx$/i.test(name) ? name : `${name}.xlsx`;
  const ascii = file.replace(/[^A-Za-z0-9._ -]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file)}`;
}

export function versionRoutes(ctx: ServerContext): ApiRouter {
  const published = async (): Promise<number | undefined> => (await ctx.store.published())?.seq;
  const meta = async (seq: number): Promise<VersionMeta> => {
    const v = await ctx.store.getVersion(seq);
    if (!v) throw notFound(`there is no version ${seq}`);
    return v;
  };

  return new ApiRouter()
    .add(
      {
        method: 'post',
        path: '/versions',
        summary: 'Import an .xlsx workbook as a version (or name the version with the same content)',
        access: ['commercial'],
        multipart: { file: { description: 'the workbook (.xlsx)', file: true } },
        answers: {
          201: { description: 'a new version (kept even with errors; a version with errors cannot be published)', schema: Imported },
          200: { description: 'the same content was imported before: that version', schema: Imported },
          400: { description: 'no file field' },
          413: { description: 'over the workbook limit, or too big to read in the memory an import may take' },
          415: { description: 'not an .xlsx workbook (CSV, an old .xls, password-protected, corrupt, or a zip bomb)' },
        },
      },
      async (c) => {
        const up = await receiveUpload(c, { dir: ctx.uploadsDir, fileFields: ['file'], maxFileBytes: ctx.limits.workbookBytes, maxFiles: 1, what: 'a workbook' });
        try {
          const file = up.files[0];
          if (!file) throw badRequest('send the workbook as the multipart file field "file"');
          // Read off the main thread when big; a zip bomb is refused as it inflates (415).
          const loaded = await importWorkbookBytes(await readFile(file.path), file.name, ctx.limits.workbookBytes);
          if (!loaded.ok) throw new ApiError(loaded.status, loaded.error);
          const wb = loaded.value;
          const caller = c.get('caller');
          const { version, existing } = await keepVersion(ctx.store, wb, caller?.name ?? 'system', file.name);
          const counts = version.counts;
          await ctx.audit.append({
            ...actor(caller),
            action: 'import',
            target: `version ${version.seq} (${file.name})`,
            version: version.seq,
            detail: existing ? 'the same content was imported before; no new version' : `${counts.error} errors, ${counts.warning} warnings, ${counts.notice} notices`,
          });
          return c.json({ seq: version.seq, hash: version.contentHash, existing, errors: counts.error, warnings: counts.warning, notices: counts.notice }, existing ? 200 : 201);
        } finally {
          await discard(up.files);
        }
      },
    )
    .add(
      {
        method: 'get',
        path: '/versions',
        summary: 'The versions, newest first, and which is published',
        access: EVERYONE,
        answers: { 200: { description: 'versions', schema: z.object({ published: z.number().int().nullable(), versions: z.array(Version) }) } },
      },
      async (c) => {
        const p = await published();
        const list = await ctx.store.listVersions();
        return c.json({ published: p ?? null, versions: [...list].reverse().map((v) => view(v, p)) });
      },
    )
    .add(
      {
        method: 'get',
        path: '/versions/:seq',
        summary: 'A version with its problems',
        access: EVERYONE,
        params: SeqParams,
        answers: { 200: { description: 'the version', schema: Version.extend({ problems: z.array(Problem) }) }, 404: { description: 'no such version' } },
      },
      async (c, { params }) => {
        const v = await meta(params.seq);
        const problems = v.report.map((i) => ({ severity: i.severity, at: i.at ?? null, code: i.code, message: i.message }));
        return c.json({ ...view(v, await published()), problems });
      },
    )
    .add(
      {
        method: 'get',
        path: '/versions/:seq/diff',
        summary: 'What changed per tab, by key, from version `against` (default: the published one) to this one',
        access: EVERYONE,
        params: SeqParams,
        query: z.object({
          against: seqParam.optional(),
          limit: z.string().regex(/^\d{1,6}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(100_000)).optional().describe('rows listed per tab and kind (default 1000); counts are always whole'),
        }),
        answers: { 200: { description: 'the tabs that differ', schema: Diff }, 404: { description: 'no such version' }, 409: { description: 'no against given and no version published' } },
      },
      async (c, { params, query }) => {
        const against = query.against ?? (await published());
        if (against === undefined) throw conflict('no version is published to diff against: give against=SEQ');
        // Big versions are diffed off the main thread.
        const tabs = await diffVersions(ctx, params.seq, against, query.limit ?? 1000);
        return c.json({ seq: params.seq, against, tabs });
      },
    )
    .add(
      {
        method: 'post',
        path: '/versions/:seq/publish',
        summary: 'Publish a version: rating and billing use it from now on',
        access: ['commercial'],
        params: SeqParams,
        answers: { 200: { description: 'the version, now published', schema: Version }, 404: { description: 'no such version' }, 409: { description: 'the version has errors' } },
      },
      async (c, { params }) => {
        await meta(params.seq);
        const p = await ctx.store.publish(params.seq);
        if (!p.ok) throw conflict(p.error);
        await ctx.audit.append({ ...actor(c.get('caller')), action: 'publish', target: `version ${params.seq} (${p.value.source})`, version: params.seq });
        warmVersion(ctx, params.seq);
        return c.json(view(p.value, params.seq));
      },
    )
    .add(
      {
        method: 'get',
        path: '/versions/:seq/workbook.xlsx',
        summary: 'The workbook file as imported',
        access: EVERYONE,
        params: SeqParams,
        answers: { 200: { description: 'the file', contentType: XLSX_TYPE }, 404: { description: 'no such version' } },
      },
      async (c, { params }) => {
        const v = await meta(params.seq);
        const path = ctx.store.versionFile(v);
        const size = (await stat(path)).size;
        c.header('Content-Type', XLSX_TYPE);
        c.header('Content-Length', String(size));
        c.header('Content-Disposition', attachment(v.fileName));
        return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream);
      },
    )
    .add(
      {
        method: 'get',
        path: '/versions/:seq/tabs/:tab',
        summary: "A tab's rows as a grid page",
        access: EVERYONE,
        params: z.object({ seq: seqParam, tab: z.string().min(1).max(100).describe(`one of ${Object.values(TAB_NAMES).join(', ')} (any case)`) }),
        grid: true,
        answers: { 200: { description: 'a page of rows', schema: TabPage }, 404: { description: 'no such version or tab' } },
      },
      async (c, { params }) => {
        const key = tabKeyOf(params.tab);
        if (!key) throw notFound(`a workbook has no tab ${JSON.stringify(params.tab)}; the tabs are ${Object.values(TAB_NAMES).join(', ')}`);
        const vm = await versionModel(ctx, params.seq);
        const table = vm.memo<TabTable>(`tab:${key}`, () => tabTable(vm.rows, key));
        const q = parseGridQuery(c.req.url, table.columns, table.numeric);
        const page = pageRows(table.rows, q, table.numeric);
        return c.json({ tab: table.tab, columns: table.columns, total: page.total, rows: page.rows });
      },
    );
}
