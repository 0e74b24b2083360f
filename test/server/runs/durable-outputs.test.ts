// A run's outputs on disk before they are published (SPEC §7 Durability: temp file, fsync,
// rename): the server's runs fsync each file in .partial before its rename and the run's folder
// after the renames; the command line's `rate --out` does neither. fsync cannot be seen from a
// test, so the calls to the one fsync module are watched, with what the directories held then.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RatingModel } from '../../../rules/rating/rating-model.js';
import { loadWorkbookFile } from '../../../server/model/workbook-file.js';
import { startRating } from '../../../server/runs/rate-run.js';
import { RUN_FILES } from '../../../server/runs/run-outputs.js';
import { RunService } from '../../../server/runs/run-service.js';
import * as durable from '../../../server/store/durable-files.js';
import { openStore } from '../../../server/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { importSample, sampleSlice } from '../http/runs-fixture.js';

const SAMPLE = 'workbooks/sample-calls.csv';

/** One fsync as it was asked for, with whether each run file was then in `watched` (the published folder). */
interface SyncCall {
  kind: 'file' | 'dir';
  path: string;
  published: string[];
}

let model: RatingModel;
let dir: string;
let calls: SyncCall[];
let watched: string;

beforeAll(async () => {
  const r = await loadWorkbookFile('workbooks/sample-uk-reseller.xlsx');
  if (!r.ok || !r.value.model) throw new Error('sample does not compile');
  model = r.value.model;
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-durable-'));
  calls = [];
  watched = '';
  const { syncFile, syncDir } = durable;
  const published = (): string[] => RUN_FILES.filter((f) => watched !== '' && existsSync(join(watched, f)));
  vi.spyOn(durable, 'syncFile').mockImplementation(async (path) => {
    calls.push({ kind: 'file', path, published: published() });
    return syncFile(path);
  });
  vi.spyOn(durable, 'syncDir').mockImplementation(async (path) => {
    calls.push({ kind: 'dir', path, published: published() });
    return syncDir(path);
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** The calls that concern the run files: each file in .partial, then the folder. */
const runFileSyncs = (outDir: string): SyncCall[] => calls.filter((c) => (c.kind === 'file' && (RUN_FILES as readonly string[]).includes(basename(c.path))) || (c.kind === 'dir' && c.path === outDir));

describe('a durable run (the server’s)', () => {
  it('fsyncs each of the four files in .partial while none is published, then the folder once all four are in it', async () => {
    const out = join(dir, 'out');
    watched = out;
    await startRating({ model, workbookHash: 'h', files: [{ path: SAMPLE, name: 'calls.csv' }], outDir: out, durable: true }).done;
    const syncs = runFileSyncs(out);
    const files = syncs.filter((c) => c.kind === 'file');
    expect(files.map((c) => c.path).sort()).toEqual(RUN_FILES.map((f) => join(out, '.partial', f)).sort());
    // Synced before any rename: nothing was in the run's folder yet.
    for (const c of files) expect(c.published, c.path).toEqual([]);
    // The folder after the renames, with every file in it.
    expect(syncs.at(-1)).toEqual({ kind: 'dir', path: out, published: [...RUN_FILES] });
    expect(syncs.filter((c) => c.kind === 'dir')).toHaveLength(1);
  });

  it('is what the run queue starts: a queued run’s kept files and its outputs are synced before they count', async () => {
    const store = await openStore(join(dir, 'data'));
    await importSample(store);
    const service = await RunService.open({ store, thread: 'here' });
    try {
      const content = await sampleSlice(0, 200);
      const input = join(dir, 'in.csv');
      await writeFile(input, content);
      const rec = await service.submit({ version: 1, format: null, files: [{ path: input, name: 'in.csv', sha256: createHash('sha256').update(content).digest('hex'), bytes: Buffer.byteLength(content), gzip: false }], createdBy: 'test', move: false });
      watched = service.runs.runDir(rec.id);
      await service.idle();
      expect(service.runs.get(rec.id)!.status).toBe('done');
      const syncs = runFileSyncs(watched);
      expect(syncs.filter((c) => c.kind === 'file').map((c) => basename(dirname(c.path)) + '/' + basename(c.path)).sort()).toEqual(RUN_FILES.map((f) => `.partial/${f}`).sort());
      for (const c of syncs.filter((s) => s.kind === 'file')) expect(c.published).toEqual([]);
      expect(syncs.at(-1)).toEqual({ kind: 'dir', path: watched, published: [...RUN_FILES] });
    } finally {
      await service.close();
    }
  });
});

describe('the command line’s `rate --out`', () => {
  it('fsyncs nothing: its speed is the OS’s write-back (the fsync rule is for the data directory)', async () => {
    const out = join(dir, 'cli-out');
    const r = await runCli(['rate', '--workbook', 'workbooks/sample-uk-reseller.xlsx', '--cdrs', SAMPLE, '--out', out]);
    expect(r.code, r.err).toBe(0);
    for (const f of RUN_FILES) expect(existsSync(join(out, f)), f).toBe(true);
    expect(calls).toEqual([]);
  });

  it('is what a run without `durable` does', async () => {
    const out = join(dir, 'plain');
    await startRating({ model, workbookHash: 'h', files: [{ path: SAMPLE, name: 'calls.csv' }], outDir: out }).done;
    for (const f of RUN_FILES) expect(existsSync(join(out, f)), f).toBe(true);
    expect(calls).toEqual([]);
  });
});
