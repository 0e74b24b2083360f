// The run store's writes survive a power cut (SPEC §7 Durability): a new run's kept CDR files are
// fsynced before the run is recorded and their folders after the renames; a replacement's staged
// files (re-rate, release) are on disk before its redo note commits it, and the run's folder is
// synced once they are renamed into place. fsync cannot be seen from a test: the calls to the one
// fsync module are watched, with what the disk held at each.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { releaseCalls } from '../../../server/runs/release.js';
import * as durable from '../../../server/store/durable-files.js';
import { REPLACEABLE_FILES, RunStore, type NewRunFile } from '../../../server/store/runs.js';
import { loopEnv, type LoopEnv } from '../runs/closed-loop-env.js';

interface SyncCall {
  kind: 'file' | 'dir' | 'write';
  path: string;
  /** What the test's probe saw on disk when the call was made. */
  seen: string[];
  /** writeSynced: the text written. */
  text?: string;
}

let calls: SyncCall[];
let probe: () => string[];

beforeEach(() => {
  calls = [];
  probe = () => [];
  const { syncFile, syncDir, writeSynced } = durable;
  vi.spyOn(durable, 'syncFile').mockImplementation(async (path) => {
    calls.push({ kind: 'file', path, seen: probe() });
    return syncFile(path);
  });
  vi.spyOn(durable, 'syncDir').mockImplementation(async (path) => {
    calls.push({ kind: 'dir', path, seen: probe() });
    return syncDir(path);
  });
  vi.spyOn(durable, 'writeSynced').mockImplementation(async (path, data, flag) => {
    calls.push({ kind: 'write', path, seen: probe(), text: String(data) });
    return writeSynced(path, data, flag);
  });
});
afterEach(() => vi.restoreAllMocks());

describe('a new run', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ratebook-durable-runs-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function file(at: string, content: string): Promise<NewRunFile> {
    await writeFile(at, content);
    return { path: at, name: basename(at), sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length, gzip: false };
  }

  for (const move of [true, false]) {
    it(`${move ? 'moved in from the uploads' : 'copied in (the sample on first start)'}: each kept file is fsynced in the run's cdrs/, then cdrs/, and the runs folder once the run is renamed into it`, async () => {
      const runsDir = join(dir, 'runs');
      const uploads = join(dir, 'uploads');
      await mkdir(uploads);
      const store = await RunStore.open(runsDir);
      const files = [await file(join(uploads, 'a.part'), 'id,start\n1,2\n'), await file(join(uploads, 'b.part'), 'id,start\n3,4\n')];
      // The run's folder, under its temp name or its own: which kept files are in it.
      probe = () =>
        readdirSync(runsDir).flatMap((e) => (existsSync(join(runsDir, e, 'cdrs')) ? readdirSync(join(runsDir, e, 'cdrs')).map((f) => `${e.startsWith('.new-') ? '.new' : e}/${f}`) : []));
      const rec = await store.create({ version: 1, format: null, files, createdBy: 'test', move });
      const syncs = calls.filter((c) => c.kind !== 'write');
      const kept = syncs.filter((c) => c.kind === 'file');
      expect(kept.map((c) => c.path.slice(runsDir.length).replace(/\.new-[0-9a-f]{12}/, '.new'))).toEqual(['/.new/cdrs/f1.csv', '/.new/cdrs/f2.csv']);
      // Each synced where it is kept, once it is there.
      kept.forEach((c, i) => expect(c.seen).toContain(`.new/f${i + 1}.csv`));
      const cdrsSync = syncs.findIndex((c) => c.kind === 'dir' && basename(c.path) === 'cdrs');
      expect(cdrsSync).toBeGreaterThan(syncs.indexOf(kept[1]));
      // The last: the runs folder, with the run in it under its own name.
      expect(syncs.at(-1)).toEqual({ kind: 'dir', path: runsDir, seen: [`${rec.id}/f1.csv`, `${rec.id}/f2.csv`] });
      expect((await readdir(uploads)).length).toBe(move ? 0 : 2);
    });
  }
});

describe('replacing a done run’s outputs (a release)', () => {
  let env: LoopEnv;
  beforeEach(async () => {
    env = await loopEnv();
  });
  afterEach(() => env.close());

  it('syncs every staged file and the stage before the redo note commits, and the run’s folder after the renames', async () => {
    // IVY09 has no tariff; the last two of its twelve calls in a minute are held as fraud.
    const calls12 = Array.from({ length: 12 }, (_, i) => `v${i},2026-10-09 09:00:${String(i * 4).padStart(2, '0')},30,0113 496 0090,0161 496 1111,,out,0.0100`);
    const run = await env.run(['id,start,duration,caller,called,extension,direction,cost', ...calls12].join('\n') + '\n');
    const runDir = env.service.runs.runDir(run.id);
    const stageOf = (): string | undefined => readdirSync(runDir).find((e) => e.startsWith('.stage-'));
    // What the stage holds of the files it replaces.
    probe = () => {
      const s = stageOf();
      return s ? REPLACEABLE_FILES.filter((f) => existsSync(join(runDir, s, f))) : [];
    };
    calls = [];
    await releaseCalls(env, run.id, { all: true });
    expect(env.service.runs.get(run.id)!.revision).toBe(1);

    const commit = calls.findIndex((c) => c.kind === 'write' && dirname(c.path) === runDir && basename(c.path).startsWith('run.json') && c.text!.includes('"replacing"'));
    expect(commit).toBeGreaterThan(-1);
    const before = calls.slice(0, commit);
    const stage = calls[commit].text!.match(/"stage": "(\.stage-[0-9a-f]+)"/)![1];
    const inStage = (c: SyncCall): boolean => dirname(c.path) === join(runDir, stage);
    // Every file the note names was written synced or synced in the stage before the note.
    const named = (JSON.parse(calls[commit].text!) as { replacing: { files: string[] } }).replacing.files;
    expect(named.sort()).toEqual([...REPLACEABLE_FILES].sort());
    for (const f of named) expect(before.some((c) => inStage(c) && (c.kind === 'file' ? basename(c.path) === f : c.kind === 'write' && basename(c.path).startsWith(`${f}.`))), f).toBe(true);
    expect(before.at(-1)).toMatchObject({ kind: 'dir', path: join(runDir, stage) });
    // After the note: the run's folder synced once the files have left the stage for it.
    // (The note's own write synced the folder too, before the renames: the last sync before the
    // record that drops the note is the one that counts.)
    const after = calls.slice(commit + 1);
    const done = after.findIndex((c) => c.kind === 'write' && basename(c.path).startsWith('run.json') && !c.text!.includes('"replacing"'));
    expect(done).toBeGreaterThan(-1);
    const dirSync = after.slice(0, done).filter((c) => c.kind === 'dir' && c.path === runDir).at(-1);
    expect(dirSync?.seen).toEqual([]);
  });
});
