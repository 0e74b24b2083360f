// Route tests of runs: an app with the runs router over a data directory holding the sample
// workbook (imported and published as the command line's import does), and CDR uploads as forms.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadWorkbookFile } from '../../../server/model/workbook-file.js';
import { runRoutes } from '../../../server/http/routes/runs.js';
import type { Role } from '../../../server/http/roles.js';
import type { Store } from '../../../server/store/store.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';

export const SAMPLE_WORKBOOK = join('workbooks', 'sample-uk-reseller.xlsx');
export const SAMPLE_CALLS = join('workbooks', 'sample-calls.csv');

/** Imports the sample workbook into the store (and publishes it unless told not to): its seq. */
export async function importSample(store: Store, publish = true): Promise<number> {
  const loaded = await loadWorkbookFile(SAMPLE_WORKBOOK);
  if (!loaded.ok) throw new Error(loaded.error);
  const wb = loaded.value;
  const { version } = await store.importVersion({ fileBytes: wb.bytes, fileName: wb.fileName, fileSha256: wb.fileSha256, rows: wb.rows, contentHash: wb.hash, issues: wb.issues, importer: 'test', source: wb.fileName });
  if (publish) {
    const p = await store.publish(version.seq);
    if (!p.ok) throw new Error(p.error);
  }
  return version.seq;
}

export async function runsFixture(opts: { publish?: boolean; limits?: Parameters<typeof apiFixture>[1] } = {}): Promise<ApiFixture> {
  const f = await apiFixture({ routers: [runRoutes] }, opts.limits);
  await importSample(f.ctx.store, opts.publish !== false);
  return f;
}

/** The sample calls' lines: the header, then 3,235 calls. */
export async function sampleLines(): Promise<string[]> {
  return (await readFile(SAMPLE_CALLS, 'utf8')).trimEnd().split('\n');
}

/** A CDR file of the sample's header and calls [from, to): distinct slices are distinct files. */
export async function sampleSlice(from: number, to: number): Promise<string> {
  const lines = await sampleLines();
  return [lines[0], ...lines.slice(1 + from, 1 + to)].join('\n') + '\n';
}

export function cdrForm(files: { name: string; content: string | Uint8Array; type?: string }[], fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('cdrs', new Blob([f.content as BlobPart], { type: f.type ?? 'text/csv' }), f.name);
  return form;
}

export async function upload(f: ApiFixture, files: { name: string; content: string | Uint8Array; type?: string }[], fields: Record<string, string> = {}, role: Role | null = 'clerk'): Promise<Response> {
  return f.call('POST', '/api/runs', { role, body: cdrForm(files, fields) });
}

/** Uploads and expects 202: the run's id. */
export async function startRun(f: ApiFixture, files: { name: string; content: string | Uint8Array }[], fields: Record<string, string> = {}): Promise<number> {
  const r = await upload(f, files, fields);
  const body = (await r.json()) as { id: number; status: string; error?: string };
  expect(r.status, body.error).toBe(202);
  return body.id;
}

/** Waits until the run is done or failed (the queue rates in the background): its GET answer. */
export async function settled(f: ApiFixture, id: number): Promise<{ status: string; summary: { input: number; rated: number; exceptions: Record<string, number>; charge: string; cost: string } | null; error?: string; progress: { bytes: number; totalBytes: number; lines: number } }> {
  for (let i = 0; i < 600; i++) {
    const body = (await (await f.call('GET', `/api/runs/${id}`)).json()) as Awaited<ReturnType<typeof settled>>;
    if (body.status === 'done' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${id} did not finish`);
}

/** An event stream's events, read to its end. */
export async function readEvents(res: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await res.text();
  const out: { event: string; data: unknown }[] = [];
  for (const block of text.split('\n\n')) {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (event && data !== undefined) out.push({ event, data: JSON.parse(data) });
  }
  return out;
}
