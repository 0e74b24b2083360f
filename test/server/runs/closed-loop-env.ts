// A run service over a fresh data directory holding the sample as version 1, for the closed loop's
// service tests: versions made from the sample's rows with changes, runs of small CDR files.

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SheetRows } from '../../../rules/workbook/rows.js';
import type { PassEnv } from '../../../server/runs/rating-pass.js';
import { RunService } from '../../../server/runs/run-service.js';
import type { RunRecord } from '../../../server/store/runs.js';
import { openStore, type Store } from '../../../server/store/store.js';
import { importSample } from '../http/runs-fixture.js';

export interface LoopEnv extends PassEnv {
  dir: string;
  /** A version made from the sample's rows changed by `change`: its seq. */
  version(change: (rows: SheetRows) => SheetRows): Promise<number>;
  /** A run of one CDR file with this content, rated with `version` (default 1): its record once done. */
  run(content: string, version?: number): Promise<RunRecord>;
  /** A file of a run's folder. */
  file(id: number, name: string): Promise<string>;
  /** The names in a run's folder. */
  entries(id: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function loopEnv(): Promise<LoopEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'ratebook-loop-'));
  const store: Store = await openStore(join(dir, 'data'));
  await importSample(store);
  const service = await RunService.open({ store });
  const sample = await store.loadRows(1);
  const sampleFile = await readFile('workbooks/sample-uk-reseller.xlsx');
  let n = 0;
  return {
    dir,
    store,
    service,
    async version(change) {
      const rows = change(structuredClone(sample));
      const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
      const { version } = await store.importVersion({ fileBytes: sampleFile, fileName: 'changed.xlsx', rows, contentHash: hash, issues: [], importer: 'test', source: 'changed.xlsx' });
      return version.seq;
    },
    async run(content, version = 1) {
      const path = join(dir, `in-${++n}.csv`);
      await writeFile(path, content);
      const sha256 = createHash('sha256').update(content).digest('hex');
      const rec = await service.submit({ version, format: null, files: [{ path, name: `calls-${n}.csv`, sha256, bytes: Buffer.byteLength(content), gzip: false }], createdBy: 'test', move: false });
      await service.idle();
      const done = service.runs.get(rec.id)!;
      if (done.status !== 'done') throw new Error(`run ${rec.id} ${done.status}: ${done.error}`);
      return done;
    },
    file: (id, name) => readFile(join(service.runs.runDir(id), name), 'utf8'),
    entries: async (id) => (await readdir(service.runs.runDir(id))).sort(),
    async close() {
      await service.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A CSV file's rows split at commas (the test files quote nothing). */
export const rowsOf = (text: string): string[][] => text.trimEnd().split('\n').slice(1).map((l) => l.split(','));
