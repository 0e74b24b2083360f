// The data directory (SPEC §1 Versions): every imported workbook kept content-addressed with its
// sequence number, source, importer, time and validation report; one version published.
//
//   DIR/
//     .lock                    held while a write is in progress (pid + host inside)
//     versions/index.json      {format, versions: VersionInfo[], published, publishedAt} — the commit point
//     versions/<seq>/          meta.json (VersionInfo + report), rows.json (SheetRows), workbook.<ext>
//     runs/  history/          reserved for rate runs and billing history (other modules)
//
// Crash safety: every file is written to a temp file in its own directory, fsynced and renamed
// into place (then the directory is fsynced). A version directory is written under a temp name
// and renamed whole; the index — which alone says which versions exist and which is published —
// is rewritten last. So a crash at any point leaves the previous index, and every directory it
// names, whole. Leftovers (temp files and directories, a version directory the index never named)
// are removed under the lock when the store opens and before each write.
//
// Concurrency: writes in one process run one at a time per directory (a promise chain), and
// across processes (a CLI import while `serve` runs) under DIR/.lock, taken with O_EXCL; a lock
// whose process is gone (same host) is broken. Reads take no lock: they see an index that was
// renamed into place whole, and only directories it names.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { err, ok, type Issue, type Severity } from '../../rules/result.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import { syncDir, writeSynced } from './durable-files.js';

// ---------------------------------------------------------------------------------------------
// Atomic files

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

const TEMP_FILE = /\.[0-9a-f]{12}\.tmp$/;

/**
 * Writes a file so readers see the old content or the new, never part of either: a temp file
 * `NAME.<random>.tmp` in the same directory, fsync, rename, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeSynced(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  await syncDir(dir);
}

export const writeJsonAtomic = (path: string, value: unknown): Promise<void> => writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');

// ---------------------------------------------------------------------------------------------
// Serialising writers: in this process per directory, and across processes by a lock file

const chains = new Map<string, Promise<unknown>>();
/** Tells this process's locks from those of an earlier process that had the same pid (a restarted container). */
const PROCESS_TOKEN = randomBytes(8).toString('hex');

function serial<T>(key: string, f: () => Promise<T>): Promise<T> {
  const next = (chains.get(key) ?? Promise.resolve()).then(f);
  chains.set(key, next.catch(() => undefined));
  return next;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

async function acquireLock(path: string, timeoutMs: number): Promise<() => Promise<void>> {
  const host = hostname();
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    try {
      await writeSynced(path, JSON.stringify({ pid: process.pid, host, token: PROCESS_TOKEN, since: new Date().toISOString() }));
      return async () => {
        await rm(path, { force: true });
      };
    } catch (e) {
      if (errCode(e) !== 'EEXIST') throw e;
    }
    let text = '';
    let age = 0;
    try {
      text = await readFile(path, 'utf8');
      age = Date.now() - (await stat(path)).mtimeMs;
    } catch (e) {
      if (errCode(e) === 'ENOENT') continue; // released meanwhile
      throw e;
    }
    let holder: { pid?: unknown; host?: unknown; token?: unknown } | null = null;
    try {
      holder = JSON.parse(text) as { pid?: unknown; host?: unknown; token?: unknown };
    } catch {
      holder = null; // a crash between creating the lock and writing it
    }
    const pid = typeof holder?.pid === 'number' ? holder.pid : null;
    const stale =
      holder === null
        ? age > 2000
        : holder.host === host && pid !== null && (pid === process.pid ? holder.token !== PROCESS_TOKEN : !processAlive(pid));
    if (stale) {
      // Break it only if it is still the lock we judged.
      if ((await readFile(path, 'utf8').catch(() => null)) === text) await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder ? `process ${String(holder.pid)} on ${String(holder.host)}` : 'another process';
      throw new Error(`the data directory is busy: ${path} is held by ${who}; if no ratebook is running there, delete that file`);
    }
    await sleep(wait);
  }
}

// ---------------------------------------------------------------------------------------------
// Versions

/** A version as the index lists it. */
export interface VersionInfo {
  seq: number;
  /** sha256 of the parsed content (rules/content-hash.ts): the version's identity. */
  contentHash: string;
  /** sha256 of the imported file's bytes. */
  fileSha256: string;
  fileName: string;
  /** The original file's name inside versions/<seq>/. */
  storedFile: string;
  /** File name or spreadsheet id. */
  source: string;
  importer: string;
  /** ISO 8601, UTC. */
  importedAt: string;
  counts: Record<Severity, number>;
}

/** A version with its validation report: versions/<seq>/meta.json. */
export interface VersionMeta extends VersionInfo {
  report: Issue[];
}

export interface ImportRequest {
  fileBytes: Uint8Array;
  fileName: string;
  /** Optional: the store hashes the bytes itself; when given it must agree. */
  fileSha256?: string;
  rows: SheetRows;
  contentHash: string;
  issues: Issue[];
  importer: string;
  source: string;
}

/** Where a write can be interrupted; the `faults` hook runs just before each (tests crash there). */
export type StoreStep = 'rename-version-dir' | 'write-index' | 'write-published';

export interface StoreOptions {
  /** Called before each step of a write; throwing there leaves the directory as a crash would. */
  faults?: { before?: (step: StoreStep) => void | Promise<void> };
  /** How long a write waits for another process's lock (default 10 s). */
  lockTimeoutMs?: number;
}

interface Index {
  format: 1;
  versions: VersionInfo[];
  published: number | null;
  publishedAt: string | null;
}

const EMPTY_INDEX: Index = { format: 1, versions: [], published: null, publishedAt: null };

export type PublishResult = { ok: true; value: VersionInfo; /** = value */ version: VersionInfo } | { ok: false; error: string };

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function countIssues(issues: readonly Issue[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const i of issues) c[i.severity]++;
  return c;
}

/** `workbook.xlsx` for `Rates 2026.XLSX`; `workbook` when the name has no plain extension (a Google Sheet). */
function storedFileName(fileName: string): string {
  const ext = extname(fileName).toLowerCase();
  return /^\.[a-z0-9]{1,10}$/.test(ext) && ext !== '.json' && ext !== '.tmp' ? `workbook${ext}` : 'workbook';
}

export class Store {
  readonly dir: string;
  readonly versionsDir: string;
  /** Reserved for rate runs (written by other modules). */
  readonly runsDir: string;
  /** Reserved for billing history (written by other modules). */
  readonly historyDir: string;
  private readonly indexPath: string;
  private readonly lockPath: string;

  constructor(
    dir: string,
    private readonly options: StoreOptions = {},
  ) {
    this.dir = resolve(dir);
    this.versionsDir = join(this.dir, 'versions');
    this.runsDir = join(this.dir, 'runs');
    this.historyDir = join(this.dir, 'history');
    this.indexPath = join(this.versionsDir, 'index.json');
    this.lockPath = join(this.dir, '.lock');
  }

  /** Creates the layout and clears what a crash left. Use openStore(). */
  async init(): Promise<void> {
    for (const d of [this.versionsDir, this.runsDir, this.historyDir]) await mkdir(d, { recursive: true });
    await this.exclusive(async () => {
      if ((await this.readIndex()) === null) {
        const leftovers = (await readdir(this.versionsDir)).filter((e) => /^\d+$/.test(e));
        if (leftovers.length > 0) {
          throw new Error(`${this.indexPath} is missing but ${this.versionsDir} holds versions ${leftovers.join(', ')}; restore index.json from a backup`);
        }
        await writeJsonAtomic(this.indexPath, EMPTY_INDEX);
      }
      await this.recover();
    });
  }

  // --- reads ---------------------------------------------------------------------------------

  async listVersions(): Promise<VersionInfo[]> {
    return (await this.index()).versions;
  }

  /** A version with its validation report, or undefined. */
  async getVersion(seq: number): Promise<VersionMeta | undefined> {
    const v = (await this.index()).versions.find((x) => x.seq === seq);
    if (!v) return undefined;
    return JSON.parse(await readFile(join(this.versionDir(v.seq), 'meta.json'), 'utf8')) as VersionMeta;
  }

  async published(): Promise<VersionInfo | undefined> {
    const idx = await this.index();
    return idx.published === null ? undefined : idx.versions.find((v) => v.seq === idx.published);
  }

  /** The parsed rows of a version, without reading its workbook again. */
  async loadRows(seq: number): Promise<SheetRows> {
    return JSON.parse(await this.loadRowsText(seq)) as SheetRows;
  }

  /** A version's parsed content as its JSON text (rating workers parse it themselves). */
  async loadRowsText(seq: number): Promise<string> {
    const v = (await this.index()).versions.find((x) => x.seq === seq);
    if (!v) throw new Error(`there is no version ${seq}`);
    return readFile(join(this.versionDir(v.seq), 'rows.json'), 'utf8');
  }

  /** Path of the original file as imported. */
  versionFile(v: VersionInfo): string {
    return join(this.versionDir(v.seq), v.storedFile);
  }

  // --- writes --------------------------------------------------------------------------------

  /** A new version, or the existing one when the same content was imported before. */
  importVersion(req: ImportRequest): Promise<{ version: VersionInfo; existing: boolean }> {
    return this.exclusive(async () => {
      const idx = await this.recover();
      const same = idx.versions.find((v) => v.contentHash === req.contentHash);
      if (same) return { version: same, existing: true };
      const fileSha256 = sha256(req.fileBytes);
      if (req.fileSha256 !== undefined && req.fileSha256 !== fileSha256) throw new Error(`${req.fileName}: fileSha256 does not match the file's bytes`);
      const seq = idx.versions.reduce((m, v) => Math.max(m, v.seq), 0) + 1;
      const info: VersionInfo = {
        seq,
        contentHash: req.contentHash,
        fileSha256,
        fileName: req.fileName,
        storedFile: storedFileName(req.fileName),
        source: req.source,
        importer: req.importer,
        importedAt: new Date().toISOString(),
        counts: countIssues(req.issues),
      };
      const meta: VersionMeta = { ...info, report: req.issues };
      const tmp = join(this.versionsDir, `.tmp-${seq}-${randomBytes(6).toString('hex')}`);
      await mkdir(tmp);
      await writeSynced(join(tmp, info.storedFile), req.fileBytes);
      await writeSynced(join(tmp, 'rows.json'), JSON.stringify(req.rows));
      await writeSynced(join(tmp, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
      await syncDir(tmp);
      await this.fault('rename-version-dir');
      const final = this.versionDir(seq);
      await rm(final, { recursive: true, force: true }); // never named by the index: a leftover
      await rename(tmp, final);
      await syncDir(this.versionsDir);
      await this.fault('write-index');
      await writeJsonAtomic(this.indexPath, { ...idx, versions: [...idx.versions, info] } satisfies Index);
      return { version: info, existing: false };
    });
  }

  /** Publishes a version; one with errors is refused, with a message saying why. */
  publish(seq: number): Promise<PublishResult> {
    return this.exclusive(async (): Promise<PublishResult> => {
      const idx = await this.recover();
      const v = idx.versions.find((x) => x.seq === seq);
      if (!v) return err(`there is no version ${seq}`);
      if (v.counts.error > 0) {
        return err(`version ${seq} has ${v.counts.error} error(s) and cannot be published; fix the workbook and import it again`);
      }
      if (idx.published !== seq) {
        await this.fault('write-published');
        await writeJsonAtomic(this.indexPath, { ...idx, published: seq, publishedAt: new Date().toISOString() } satisfies Index);
      }
      return { ...ok(v), version: v };
    });
  }

  // --- internals -----------------------------------------------------------------------------

  private versionDir(seq: number): string {
    if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`not a version number: ${seq}`);
    return join(this.versionsDir, String(seq));
  }

  private async fault(step: StoreStep): Promise<void> {
    await this.options.faults?.before?.(step);
  }

  private exclusive<T>(f: () => Promise<T>): Promise<T> {
    return serial(this.dir, async () => {
      const release = await acquireLock(this.lockPath, this.options.lockTimeoutMs ?? 10_000);
      try {
        return await f();
      } finally {
        await release();
      }
    });
  }

  /** The index; null when there is none. A damaged index is an error, never an empty store. */
  private async readIndex(): Promise<Index | null> {
    let text: string;
    try {
      text = await readFile(this.indexPath, 'utf8');
    } catch (e) {
      if (errCode(e) === 'ENOENT') return null;
      throw e;
    }
    let idx: Index;
    try {
      idx = JSON.parse(text) as Index;
    } catch (e) {
      throw new Error(`${this.indexPath} is damaged (${(e as Error).message}); restore it from a backup`);
    }
    if (!idx || !Array.isArray(idx.versions)) throw new Error(`${this.indexPath} is not a version index`);
    return { ...EMPTY_INDEX, ...idx };
  }

  private async index(): Promise<Index> {
    return (await this.readIndex()) ?? EMPTY_INDEX;
  }

  /** Under the lock: removes temp files and directories and version directories the index does not name. */
  private async recover(): Promise<Index> {
    const idx = await this.readIndex();
    if (idx === null) throw new Error(`${this.indexPath} is missing; restore it from a backup`);
    const named = new Set(idx.versions.map((v) => String(v.seq)));
    for (const e of await readdir(this.versionsDir)) {
      if (e.startsWith('.tmp-') || TEMP_FILE.test(e) || (/^\d+$/.test(e) && !named.has(e))) {
        await rm(join(this.versionsDir, e), { recursive: true, force: true });
      }
    }
    return idx;
  }
}

/** Opens (creating if need be) the data directory, default ./data. */
export async function openStore(dir = 'data', options: StoreOptions = {}): Promise<Store> {
  // The real path: two stores on one directory (however it is spelt) share one queue and one lock.
  await mkdir(dir, { recursive: true });
  const s = new Store(await realpath(dir), options);
  await s.init();
  return s;
}
