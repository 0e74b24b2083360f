// The first start on an empty data directory (SPEC §7): the sample workbook imported and
// published, the sample calls rated as run 1, the admin token made (RATEBOOK_ADMIN_TOKEN when
// set). Each step runs only if its result is missing, so a start interrupted half-way finishes
// the job next time; a data directory that already has versions gets no sample.

import { join } from 'node:path';
import { loadWorkbookFile } from '../model/workbook-file.js';
import type { ServerContext } from './context.js';
import { packageRoot } from './package-root.js';

export interface FirstStart {
  /** The admin token, when this start made it (it is shown once). */
  adminToken?: string;
  /** What was set up, for the start-up message. */
  did: string[];
}

export const SAMPLE_WORKBOOK = (): string => join(packageRoot(), 'workbooks', 'sample-uk-reseller.xlsx');
export const SAMPLE_CALLS = (): string => join(packageRoot(), 'workbooks', 'sample-calls.csv');

export async function prepareFirstStart(ctx: ServerContext, env: NodeJS.ProcessEnv = process.env): Promise<FirstStart> {
  const did: string[] = [];
  let adminToken: string | undefined;
  if (!ctx.tokens.hasAdmin()) {
    const given = env.RATEBOOK_ADMIN_TOKEN?.trim();
    if (given !== undefined && given.length > 0 && given.length < 16) throw new Error('RATEBOOK_ADMIN_TOKEN must be at least 16 characters');
    adminToken = (await ctx.tokens.create('admin', 'admin', 'first start', given || undefined)).token;
    await ctx.audit.append({ who: 'system', role: 'system', action: 'token-create', target: 'token for admin (admin)' });
    did.push('made the admin token');
  }
  if ((await ctx.store.listVersions()).length === 0) {
    const loaded = await loadWorkbookFile(SAMPLE_WORKBOOK());
    if (!loaded.ok) throw new Error(`the sample workbook cannot be read: ${loaded.error}`);
    const wb = loaded.value;
    const { version } = await ctx.store.importVersion({
      fileBytes: wb.bytes,
      fileName: wb.fileName,
      fileSha256: wb.fileSha256,
      rows: wb.rows,
      contentHash: wb.hash,
      issues: wb.issues,
      importer: 'first start',
      source: wb.fileName,
    });
    await ctx.audit.append({ who: 'system', role: 'system', action: 'import', target: `version ${version.seq} (${wb.fileName})`, version: version.seq });
    const p = await ctx.store.publish(version.seq);
    if (!p.ok) throw new Error(`the sample workbook cannot be published: ${p.error}`);
    await ctx.audit.append({ who: 'system', role: 'system', action: 'publish', target: `version ${version.seq}`, version: version.seq });
    did.push(`imported and published the sample workbook as version ${version.seq}`);
  }
  return { adminToken, did };
}
