// Rating runs in the data directory (SPEC §7 runs, Durability). One folder a run:
//
//   DIR/runs/<id>/
//     run.json                 RunRecord (below) — the commit point: a run exists once this is in place
//     cdrs/f1.csv, f2.csv.gz   the uploaded CDR files, under names of ours (record.files[i].stored);
//                              the client's name is only a label (record.files[i].name)
//     rated.csv exceptions.csv exceptions.xlsx summary.json
//                              the outputs, once the run is done: written by the rating run in
//                              <id>/.partial and renamed into place (server/runs/run-outputs.ts)
//     exception-summary.json   { reasons: [{ reason, count, seconds, cost, fix }] }: the Summary tab
//                              of exceptions.xlsx as JSON, written by the run service after the run
//     .stage-<hex>/            outputs being replaced (replaceOutputs: re-rate, release), see below
//
// A run's workbook version is record.version (a version seq of DIR/versions); its input files are
// record.files, each at cdrsDir(id)/stored. The outputs are trusted only when status is `done`:
// a run that failed or was interrupted may have left some of them behind, and a retry writes them
// again. record.summary is summary.json's content (kept here so a list of runs reads no files).
//
// Writes: a new run is assembled in runs/.new-<hex>/ (files moved in and fsynced, run.json
// written) and renamed to runs/<id>/ whole, so a crash — a power cut too — leaves either no run
// or a whole queued one. run.json is replaced atomically (writeJsonAtomic) on every change, one
// change at a time per run. Leftover .new-* folders are removed when the store opens. Only the
// server writes runs (one process). A rating run's outputs are fsynced before their renames
// (RunOutputs with `durable`), a replacement's before its commit point (output-revision.ts).
//
// Replacing outputs (re-rate, release) is atomic as a group through a redo note: the new files
// are staged in <id>/.stage-<hex>/, run.json is rewritten with `replacing` naming that folder (the
// commit point), the files are renamed into place, and run.json is rewritten with the new summary
// and without `replacing`. A crash after the commit point is rolled forward when the store opens.

import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RateSummary } from '../runs/rate-options.js';
import { syncDir, syncFile } from './durable-files.js';
import { writeJsonAtomic } from './store.js';

export const RUN_STATUSES = ['queued', 'rating', 'done', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The files a done run offers for download, looked up by name (never joined from a request). */
export const RUN_OUTPUT_FILES = ['rated.csv', 'exceptions.csv', 'exceptions.xlsx', 'summary.json'] as const;
export type RunOutputFile = (typeof RUN_OUTPUT_FILES)[number];
/** Every file replaceOutputs may put in place. */
export const REPLACEABLE_FILES = [...RUN_OUTPUT_FILES, 'exception-summary.json'] as const;
export type ReplaceableFile = (typeof REPLACEABLE_FILES)[number];

export interface RunFile {
  /** The client's file name: a label only, unique in the run (a second `calls.csv` is `calls.csv#2`). */
  name: string;
  /** Its name in cdrs/: f1.csv, f2.csv.gz … */
  stored: string;
  sha256: string;
  bytes: number;
}

export interface RunRecord {
  id: number;
  status: RunStatus;
  /** The workbook version (seq) the run rates with. */
  version: number;
  /** The CDR format named at upload; null: recognised from each file. */
  format: string | null;
  files: RunFile[];
  /** Token name of whoever started it. */
  createdBy: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why a failed run failed (`interrupted` when the server stopped during it). */
  error?: string;
  /** summary.json's content, once done. */
  summary?: RateSummary;
  /** How many times the outputs were replaced after the run (0 for a fresh run). */
  revision: number;
  /** Set only between the commit point and the end of replaceOutputs: the staged folder's name. */
  replacing?: { stage: string; files: ReplaceableFile[]; summary: RateSummary };
}

export interface NewRunFile {
  /** Where the file is now: moved (or copied) into the run. */
  path: string;
  name: string;
  sha256: string;
  bytes: number;
  gzip: boolean;
}

export interface NewRun {
  version: number;
  format: string | null;
  files: NewRunFile[];
  createdBy: string;
  /** false: the files are copied (the sample on first start); default true: moved (uploads in the data directory). */
  move?: boolean;
}

/** A run that already holds one of the files (SPEC §7: 409 naming that run). */
export class DuplicateFileError extends Error {
  constructor(
    readonly file: string,
    readonly runId: number | null,
  ) {
    super(runId === null ? `${file} was sent twice in this upload` : `${file} has already been rated: run ${runId} holds the same file`);
  }
}

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export class RunStore {
  /** Every run's record, kept current by this store (the only writer). */
  private readonly records = new Map<number, RunRecord>();
  private chains = new Map<number, Promise<unknown>>();
  /** New runs are numbered and checked for duplicates one at a time. */
  private creating: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string) {}

  /** Reads every run (finishing any interrupted replacement); removes what a crash left of a new run. */
  static async open(runsDir: string): Promise<RunStore> {
    const s = new RunStore(runsDir);
    await mkdir(runsDir, { recursive: true });
    for (const e of await readdir(runsDir)) {
      if (e.startsWith('.new-')) {
        await rm(join(runsDir, e), { recursive: true, force: true });
        continue;
      }
      if (!/^[1-9]\d*$/.test(e)) continue;
      let rec: RunRecord;
      try {
        rec = JSON.parse(await readFile(join(runsDir, e, 'run.json'), 'utf8')) as RunRecord;
      } catch (err) {
        // A run folder is only ever renamed into place with its run.json: this one was damaged by hand.
        throw new Error(`${join(runsDir, e, 'run.json')} cannot be read (${(err as Error).message}); restore it from a backup or move the folder away`);
      }
      rec.revision ??= 0;
      s.records.set(rec.id, rec);
      if (rec.replacing) await s.finishReplacing(rec);
      await s.dropStages(rec);
    }
    return s;
  }

  // --- reads -----------------------------------------------------------------------------------

  get(id: number): RunRecord | undefined {
    return this.records.get(id);
  }

  /** Newest first. */
  list(): RunRecord[] {
    return [...this.records.values()].sort((a, b) => b.id - a.id);
  }

  runDir(id: number): string {
    if (!Number.isSafeInteger(id) || id < 1) throw new Error(`not a run id: ${id}`);
    return join(this.dir, String(id));
  }

  cdrsDir(id: number): string {
    return join(this.runDir(id), 'cdrs');
  }

  /** The run's input files as the rating reads them: path on disk and the label rows carry. */
  inputs(rec: RunRecord): { path: string; name: string }[] {
    return rec.files.map((f) => ({ path: join(this.cdrsDir(rec.id), f.stored), name: f.name }));
  }

  /** Path of one of a run's outputs; `name` must come from RUN_OUTPUT_FILES / REPLACEABLE_FILES. */
  outputPath(id: number, name: ReplaceableFile): string {
    if (!(REPLACEABLE_FILES as readonly string[]).includes(name)) throw new Error(`not a run output: ${name}`);
    return join(this.runDir(id), name);
  }

  /** The run (other than `except`) that did not fail and holds a file with this sha256. */
  holderOf(sha256: string, except?: number): RunRecord | undefined {
    for (const r of this.list()) {
      if (r.id !== except && r.status !== 'failed' && r.files.some((f) => f.sha256 === sha256)) return r;
    }
    return undefined;
  }

  // --- writes ----------------------------------------------------------------------------------

  /**
   * Records a queued run holding the files (moved or copied into its cdrs/), refusing with
   * DuplicateFileError a file that a run that did not fail already holds (or that comes twice).
   * Resolves once the run is durable.
   */
  create(req: NewRun): Promise<RunRecord> {
    const next = this.creating.then(async () => {
      const seen = new Set<string>();
      for (const f of req.files) {
        if (seen.has(f.sha256)) throw new DuplicateFileError(f.name, null);
        seen.add(f.sha256);
        const holder = this.holderOf(f.sha256);
        if (holder) throw new DuplicateFileError(f.name, holder.id);
      }
      const id = Math.max(0, ...this.records.keys()) + 1;
      const tmp = join(this.dir, `.new-${randomBytes(6).toString('hex')}`);
      await mkdir(join(tmp, 'cdrs'), { recursive: true });
      try {
        const files: RunFile[] = [];
        const labels = new Set<string>();
        for (let i = 0; i < req.files.length; i++) {
          const f = req.files[i];
          // Rows name their file by label: two files of one run never share one (as the command line does it).
          let name = f.name;
          for (let k = 2; labels.has(name); k++) name = `${f.name}#${k}`;
          labels.add(name);
          const stored = `f${i + 1}.csv${f.gzip ? '.gz' : ''}`;
          const to = join(tmp, 'cdrs', stored);
          if (req.move === false) await copyFile(f.path, to);
          else await rename(f.path, to);
          // An upload's bytes went to disk through the page cache: on disk before the run is answered.
          await syncFile(to);
          files.push({ name, stored, sha256: f.sha256, bytes: f.bytes });
        }
        await syncDir(join(tmp, 'cdrs'));
        const rec: RunRecord = { id, status: 'queued', version: req.version, format: req.format, files, createdBy: req.createdBy, createdAt: new Date().toISOString(), revision: 0 };
        await writeJsonAtomic(join(tmp, 'run.json'), rec);
        await rename(tmp, this.runDir(id));
        await syncDir(this.dir);
        this.records.set(id, rec);
        return rec;
      } catch (e) {
        // Moved files go back where they came from, so the caller can discard them as it would have.
        if (req.move !== false) {
          for (let i = 0; i < req.files.length; i++) {
            const stored = join(tmp, 'cdrs', `f${i + 1}.csv${req.files[i].gzip ? '.gz' : ''}`);
            if (await exists(stored)) await rename(stored, req.files[i].path).catch(() => undefined);
          }
        }
        await rm(tmp, { recursive: true, force: true });
        throw e;
      }
    });
    this.creating = next.catch(() => undefined);
    return next;
  }

  /** Changes a run's record (durably, one change at a time per run) and returns the new record. */
  update(id: number, change: (r: RunRecord) => RunRecord): Promise<RunRecord> {
    return this.serial(id, async () => {
      const cur = this.records.get(id);
      if (!cur) throw new Error(`there is no run ${id}`);
      const next = change(structuredClone(cur));
      await writeJsonAtomic(join(this.runDir(id), 'run.json'), next);
      this.records.set(id, next);
      return next;
    });
  }

  /** A fresh folder inside the run for replaceOutputs to stage files in (same file system: renames are atomic). */
  async stageDir(id: number): Promise<string> {
    const dir = join(this.runDir(id), `.stage-${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    return dir;
  }

  /**
   * Puts staged outputs (files named as in REPLACEABLE_FILES, in a folder from stageDir) in place
   * of the run's together, with the new summary; a crash part-way is finished when the store opens.
   */
  replaceOutputs(id: number, stage: string, summary: RateSummary): Promise<RunRecord> {
    return this.serial(id, async () => {
      const cur = this.records.get(id);
      if (!cur) throw new Error(`there is no run ${id}`);
      if (cur.status !== 'done') throw new Error(`run ${id} is ${cur.status}: only a done run's outputs can be replaced`);
      const stageName = stage.slice(this.runDir(id).length + 1);
      if (!/^\.stage-[0-9a-f]{12}$/.test(stageName) || join(this.runDir(id), stageName) !== stage) throw new Error(`${stage} is not a stage folder of run ${id}`);
      const files: ReplaceableFile[] = [];
      for (const f of REPLACEABLE_FILES) if (await exists(join(stage, f))) files.push(f);
      await syncDir(stage);
      const committed: RunRecord = { ...cur, replacing: { stage: stageName, files, summary } };
      await writeJsonAtomic(join(this.runDir(id), 'run.json'), committed);
      this.records.set(id, committed);
      return this.finishReplacing(committed);
    });
  }

  // --- internals -------------------------------------------------------------------------------

  /** Rolls a committed replacement forward: the staged files that are still there go into place. */
  private async finishReplacing(rec: RunRecord): Promise<RunRecord> {
    const r = rec.replacing!;
    const dir = this.runDir(rec.id);
    for (const f of r.files) {
      const from = join(dir, r.stage, f);
      if (await exists(from)) await rename(from, join(dir, f));
    }
    await syncDir(dir);
    const done: RunRecord = { ...rec, summary: r.summary, revision: rec.revision + 1 };
    delete done.replacing;
    await writeJsonAtomic(join(dir, 'run.json'), done);
    this.records.set(rec.id, done);
    await rm(join(dir, r.stage), { recursive: true, force: true });
    return done;
  }

  /** Stage folders no committed replacement names: abandoned before their commit point. */
  private async dropStages(rec: RunRecord): Promise<void> {
    const dir = this.runDir(rec.id);
    for (const e of await readdir(dir).catch((err: unknown) => (errCode(err) === 'ENOENT' ? [] : Promise.reject(err)))) {
      if (e.startsWith('.stage-') && e !== rec.replacing?.stage) await rm(join(dir, e), { recursive: true, force: true });
    }
  }

  private serial<T>(id: number, f: () => Promise<T>): Promise<T> {
    const next = (this.chains.get(id) ?? Promise.resolve()).then(f);
    this.chains.set(id, next.catch(() => undefined));
    return next;
  }
}
