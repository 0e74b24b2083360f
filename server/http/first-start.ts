// The first start on an empty data directory (SPEC §7): the sample workbook imported and
// published, the sample calls rated as run 1, the admin token made (RATEBOOK_ADMIN_TOKEN when
// set). Each step runs only if its result is missing, so a start interrupted half-way finishes
// the job next time; a data directory that already has versions of its own gets no sample.
//
// "Of its own": the sample steps run while the only version is the one a first start imported
// (importer FIRST_START) and no run exists — runs are never deleted, so no run means the sample
// run was never filed. The admin token is made last: a start cut off before it prints nothing,
// and the next start makes the token and shows it.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { keepVersion } from '../model/workbook-file.js';
import { importWorkbookBytes } from '../model/workbook-import.js';
import type { RunEvent } from '../runs/run-service.js';
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

/** The importer and audit name of what the first start does. */
const FIRST_START = 'first start';

const who = { who: 'system', role: 'system' } as const;

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const count = (n: number): string => n.toLocaleString('en-GB');

/** The admin token to make: RATEBOOK_ADMIN_TOKEN when set (checked before anything is written). */
function givenAdminToken(env: NodeJS.ProcessEnv): string | undefined {
  const given = env.RATEBOOK_ADMIN_TOKEN?.trim();
  if (given !== undefined && given.length > 0 && given.length < 16) throw new Error('RATEBOOK_ADMIN_TOKEN must be at least 16 characters');
  return given || undefined;
}

/** Imports the sample workbook unless a first start already did; publishes it unless it is. Its seq, or null when the directory has versions of its own. */
async function sampleVersion(ctx: ServerContext, did: string[]): Promise<number | null> {
  const versions = await ctx.store.listVersions();
  if (versions.length > 1 || (versions.length === 1 && versions[0].importer !== FIRST_START)) return null;
  let seq = versions[0]?.seq;
  let imported = false;
  if (seq === undefined) {
    const path = SAMPLE_WORKBOOK();
    // As an upload is imported (the sample is small enough to be read on this thread).
    const loaded = await importWorkbookBytes(await readFile(path), basename(path), ctx.limits.workbookBytes);
    if (!loaded.ok) throw new Error(`the sample workbook cannot be read: ${loaded.error}`);
    const wb = loaded.value;
    const { version } = await keepVersion(ctx.store, wb, FIRST_START, wb.fileName);
    await ctx.audit.append({ ...who, action: 'import', target: `version ${version.seq} (${wb.fileName})`, version: version.seq });
    seq = version.seq;
    imported = true;
  }
  if ((await ctx.store.published())?.seq !== seq) {
    const p = await ctx.store.publish(seq);
    if (!p.ok) throw new Error(`the sample workbook cannot be published: ${p.error}`);
    await ctx.audit.append({ ...who, action: 'publish', target: `version ${seq}`, version: seq });
    did.push(imported ? `imported and published the sample workbook as version ${seq}` : `published the sample workbook, version ${seq}`);
  } else if (imported) did.push(`imported the sample workbook as version ${seq}`);
  return seq;
}

/** Files the sample calls as a run (copied in, as an upload is kept) and waits for it to end. */
async function sampleRun(ctx: ServerContext, seq: number, did: string[]): Promise<void> {
  if (ctx.runs.runs.list().length > 0) return;
  const path = SAMPLE_CALLS();
  const run = await ctx.runs.submit({
    version: seq,
    format: null,
    files: [{ path, name: basename(path), sha256: await sha256Of(path), bytes: (await stat(path)).size, gzip: false }],
    createdBy: FIRST_START,
    move: false,
  });
  await ctx.audit.append({ ...who, action: 'run', target: `run ${run.id} (${basename(path)})`, version: seq });
  // The sample rates in a second or two: the URL is printed once its results are there to open.
  const end = await new Promise<RunEvent>((resolve) => {
    const stop = ctx.runs.watch(run.id, (e) => {
      if (e.kind === 'progress') return;
      resolve(e);
      queueMicrotask(() => stop());
    });
  });
  if (end.kind === 'done') {
    const s = end.summary;
    const exceptions = Object.values(s.exceptions).reduce((a, b) => a + (b ?? 0), 0);
    did.push(`rated the sample calls as run ${run.id}: ${count(s.input)} calls, ${count(s.rated)} rated, ${count(exceptions)} exceptions`);
  } else {
    // The server still starts: the run is there, failed, and can be retried.
    did.push(`rating the sample calls as run ${run.id} did not finish (${end.kind === 'failed' ? end.error : 'the server is stopping'})`);
  }
}

export async function prepareFirstStart(ctx: ServerContext, env: NodeJS.ProcessEnv = process.env): Promise<FirstStart> {
  const did: string[] = [];
  const needsAdmin = !ctx.tokens.hasAdmin();
  const given = needsAdmin ? givenAdminToken(env) : undefined;
  const seq = await sampleVersion(ctx, did);
  if (seq !== null) await sampleRun(ctx, seq, did);
  let adminToken: string | undefined;
  if (needsAdmin) {
    adminToken = (await ctx.tokens.create('admin', 'admin', FIRST_START, given)).token;
    await ctx.audit.append({ ...who, action: 'token-create', target: 'token for admin (admin)' });
    did.push('made the admin token');
  }
  return { adminToken, did };
}
