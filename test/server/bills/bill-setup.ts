// Test set-up for bills: the sample workbook published in a data directory, and CDR files rated
// into DIR/runs/<id>/ as a done run (rated.csv and friends by rateFiles, run.json in the shape
// server/store/runs.ts writes), the way the server's run service leaves them.

import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadWorkbookFile, type LoadedWorkbook } from '../../../server/model/workbook-file.js';
import { rateFiles } from '../../../server/runs/rate-run.js';
import type { Store } from '../../../server/store/store.js';

export const SAMPLE_WORKBOOK = 'workbooks/sample-uk-reseller.xlsx';
export const SAMPLE_CALLS = 'workbooks/sample-calls.csv';

let sample: LoadedWorkbook | null = null;

export async function sampleWorkbook(): Promise<LoadedWorkbook> {
  if (sample) return sample;
  const loaded = await loadWorkbookFile(SAMPLE_WORKBOOK);
  if (!loaded.ok || !loaded.value.model) throw new Error(`the sample workbook does not load: ${loaded.ok ? 'it has errors' : loaded.error}`);
  return (sample = loaded.value);
}

/** Imports and publishes the sample workbook as `ratebook import --publish` does; its seq. */
export async function publishSample(store: Store): Promise<number> {
  const wb = await sampleWorkbook();
  const { version } = await store.importVersion({
    fileBytes: wb.bytes,
    fileName: wb.fileName,
    fileSha256: wb.fileSha256,
    rows: wb.rows,
    contentHash: wb.hash,
    issues: wb.issues,
    importer: 'test',
    source: wb.fileName,
  });
  const p = await store.publish(version.seq);
  if (!p.ok) throw new Error(p.error);
  return version.seq;
}

/** Rates `paths` with the sample workbook into DIR/runs/<id>/ and records the run with `status`. */
export async function rateRun(dataDir: string, id: number, paths: string[], status: 'done' | 'failed' | 'rating' | 'queued' = 'done'): Promise<void> {
  const wb = await sampleWorkbook();
  const dir = join(dataDir, 'runs', String(id));
  const files = paths.map((path) => ({ path, name: basename(path) }));
  const { summary } = await rateFiles({ model: wb.model!, workbookHash: wb.hash, files, outDir: dir });
  const runFiles = await Promise.all(
    paths.map(async (path, i) => ({
      name: basename(path),
      stored: `f${i + 1}.csv`,
      sha256: createHash('sha256').update(await readFile(path)).digest('hex'),
      bytes: (await stat(path)).size,
    })),
  );
  const record = { id, status, version: 1, format: null, files: runFiles, createdBy: 'clerk-user', createdAt: new Date().toISOString(), revision: 0, ...(status === 'done' && { summary }) };
  await writeFile(join(dir, 'run.json'), JSON.stringify(record, null, 2));
}
