// Google Sheets over HTTP (SPEC §7.1): import a workbook version from a sheet, as POST /api/versions
// does from an .xlsx; write a done run's tabs or a period's latest bill to a sheet. Google's
// refusals come back as 404, 403, 429 or 502 (503 when the server has no credentials) with a
// sentence naming the sheet and what to do. Nothing is written to the data directory but the
// version and the audit entry, each only once the sheet was read or written.

import { keepVersion } from '../../model/workbook-file.js';
import { importGoogleSheet } from '../../model/workbook-import.js';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ApiRouter, seqParam, type ApiContext } from '../api-router.js';
import { actor, type ServerContext } from '../context.js';
import { ApiError, conflict, notFound } from '../errors.js';
import { writeGoogleTabs } from '../../../workbooks/gsheets/sheet-writer.js';
import { SheetsError } from '../../../workbooks/gsheets/sheets-error.js';
import { spreadsheetIdOf, SPREADSHEET_ID_HELP } from '../../../workbooks/gsheets/spreadsheet-id.js';
import { billTabsFromFiles, runTabsFromFiles } from '../../../workbooks/gsheets/write-back-files.js';
import { parseMicro, type Micro } from '../../../rules/money.js';
import type { Table } from '../../../rules/tables.js';
import { locksOf } from '../../runs/run-locks.js';
import { PERIOD } from '../../store/bills.js';

const Body = z.object({
  spreadsheetId: z
    .string()
    .max(1000)
    .transform((s, c) => {
      const id = spreadsheetIdOf(s);
      if (id === null) c.addIssue({ code: 'custom', message: `must be ${SPREADSHEET_ID_HELP}` });
      return id ?? '';
    }),
});

const Imported = z.object({ seq: z.number().int(), hash: z.string(), existing: z.boolean(), errors: z.number().int(), warnings: z.number().int(), notices: z.number().int() });
const Written = z.object({ spreadsheetId: z.string(), tabs: z.array(z.object({ tab: z.string(), rows: z.number().int().describe('rows under the header') })) });

const GOOGLE_ANSWERS = {
  403: { description: 'Google refuses access: share the sheet with the service account\'s e-mail address (the message names it)' },
  404: { description: 'no such run, bill or spreadsheet' },
  429: { description: "Google's quota still exceeded after retries with backoff" },
  502: { description: 'Google Sheets could not be reached, or failed' },
  503: { description: 'the server has no Google credentials (RATEBOOK_GOOGLE_ACCESS_TOKEN or GOOGLE_APPLICATION_CREDENTIALS)' },
};

/** Google's refusal as the API's error, its sentence kept. */
async function google<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof SheetsError) throw new ApiError(e.status, e.message);
    throw e;
  }
}

/** Each reason's cost from exception-summary.json (exceptions.csv has no cost column); none if it cannot be read. */
async function reasonCosts(path: string): Promise<Partial<Record<string, Micro>>> {
  try {
    const { reasons } = JSON.parse(await readFile(path, 'utf8')) as { reasons?: { reason?: unknown; cost?: unknown }[] };
    const out: Partial<Record<string, Micro>> = {};
    for (const r of reasons ?? []) {
      const m = parseMicro(String(r.cost ?? ''));
      if (typeof r.reason === 'string' && m.ok) out[r.reason] = m.value;
    }
    return out;
  } catch {
    return {};
  }
}

export function sheetsRoutes(ctx: ServerContext): ApiRouter {
  const written = async (c: ApiContext, spreadsheetId: string, tables: Table[], target: string, version?: number): Promise<Response> => {
    const w = await google(() => writeGoogleTabs(spreadsheetId, tables));
    await ctx.audit.append({
      ...actor(c.get('caller')),
      action: 'sheets',
      target: `${target} to Google Sheet ${spreadsheetId}`,
      ...(version !== undefined ? { version } : {}),
      detail: w.tabs.map((t) => `${t.tab}: ${t.rows} rows`).join(', '),
    });
    return c.json({ spreadsheetId, tabs: w.tabs });
  };

  return new ApiRouter()
    .add(
      {
        method: 'post',
        path: '/versions/google',
        summary: 'Import a Google Sheet as a version (or name the version with the same content), as POST /versions does an .xlsx',
        access: ['commercial'],
        body: Body,
        answers: {
          201: { description: 'a new version (kept even with errors; a version with errors cannot be published)', schema: Imported },
          200: { description: 'the same content was imported before (from a sheet or an .xlsx): that version', schema: Imported },
          413: { description: 'the sheet is too big to read in the memory an import may take' },
          ...GOOGLE_ANSWERS,
        },
      },
      async (c, { body }) => {
        const id = body.spreadsheetId;
        // Read and compiled off the main thread: 170,000 rows take seconds.
        const read = await importGoogleSheet(id);
        if (!read.ok) throw new ApiError(read.status, read.error);
        const wb = read.value;
        const caller = c.get('caller');
        const { version, existing } = await keepVersion(ctx.store, wb, caller?.name ?? 'system', id);
        const counts = version.counts;
        await ctx.audit.append({
          ...actor(caller),
          action: 'import',
          target: `version ${version.seq} (Google Sheet ${id})`,
          version: version.seq,
          detail: existing ? 'the same content was imported before; no new version' : `${counts.error} errors, ${counts.warning} warnings, ${counts.notice} notices`,
        });
        return c.json({ seq: version.seq, hash: version.contentHash, existing, errors: counts.error, warnings: counts.warning, notices: counts.notice }, existing ? 200 : 201);
      },
    )
    .add(
      {
        method: 'post',
        path: '/runs/:id/sheets',
        summary: "Write a done run to a Google Sheet: tabs Exceptions, Exception summary and Rated by customer, each replaced whole",
        access: ['clerk'],
        params: z.object({ id: seqParam }),
        body: Body,
        answers: { 200: { description: 'the tabs written', schema: Written }, 409: { description: 'the run is not done' }, ...GOOGLE_ANSWERS },
      },
      async (c, { params, body }) => {
        const runs = ctx.runs.runs;
        const run = runs.get(params.id);
        if (!run) throw notFound(`there is no run ${params.id}`);
        if (run.status !== 'done') throw conflict(`run ${params.id} is ${run.status}${run.status === 'failed' ? '' : ' and not done yet'}: it can be written to a sheet once it is done`);
        // Read in the run's turn, so a re-rate or a release does not replace the files halfway.
        const tables = await locksOf(ctx.runs).change(params.id, async () =>
          runTabsFromFiles(runs.runDir(params.id), { reasonCosts: await reasonCosts(runs.outputPath(params.id, 'exception-summary.json')) }),
        );
        return written(c, body.spreadsheetId, tables, `run ${params.id}`, run.version);
      },
    )
    .add(
      {
        method: 'post',
        path: '/bills/:period/sheets',
        summary: "Write a period's latest bill, draft or final, to a Google Sheet: tabs Invoices and Invoice lines, each replaced whole",
        access: ['clerk'],
        params: z.object({ period: z.string().regex(PERIOD, 'must be YYYY-MM') }),
        body: Body,
        answers: { 200: { description: 'the tabs written', schema: Written }, ...GOOGLE_ANSWERS },
      },
      async (c, { params, body }) => {
        const period = params.period;
        // A new draft may replace the bill while it is read: read again until both files come from one bill.
        for (let tries = 0; ; tries++) {
          const bill = await ctx.bills.bills.latest(period);
          const invoices = await ctx.bills.filePath(period, 'invoices.csv');
          const lines = await ctx.bills.filePath(period, 'invoice_lines.csv');
          if (!bill || !invoices || !lines) throw notFound(`${period} has not been billed`);
          const tables = await billTabsFromFiles(invoices, lines).catch((e: unknown) => (tries < 3 ? null : Promise.reject(e)));
          const after = await ctx.bills.bills.latest(period);
          if (tables && after?.createdAt === bill.createdAt && after.status === bill.status) return written(c, body.spreadsheetId, tables, `bill ${period} (${bill.status})`, bill.version);
          if (tries >= 3) throw conflict(`the bill of ${period} kept changing while it was read; try again`);
        }
      },
    );
}
