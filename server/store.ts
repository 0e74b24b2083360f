// The data directory (SPEC §1 Versions): every imported workbook kept content-addressed with its
// sequence, source, importer, time and validation report; one published. Every write is a temp
// file (or directory) renamed into place, and the index is written last, so a crash at any point
// leaves the previous state whole.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Issue } from '../rules/result.js';
import { hasErrors } from '../rules/result.js';
import type { SheetRows } from '../rules/rows.js';
import { countBySeverity } from './issue-report.js';

/** Writes a file so a reader sees the old content or the new, never half of it. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

export const writeJsonAtomic = (path: string, value: unknown): Promise<void> => writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');

export interface VersionMeta {
  seq: number;
  contentHash: string;
  fileSha256: string;
  fileName: string;
  source: string;
  importer: string;
  importedAt: string;
  counts: { error: number; warning: number; notice: number };
  issues: Issue[];
}

interface Index {
  versions: VersionMeta[];
  published: number | null;
}

export interface StoreFaults {
  /** Called after a version's directory is in place and before the index names it (tests crash here). */
  beforeIndex?: () => void | Promise<void>;
}

export interface ImportRequest {
  fileBytes: Uint8Array;
  fileName: string;
  fileSha256: string;
  rows: SheetRows;
  contentHash: string;
  issues: Issue[];
  importer: string;
  source: string;
}

export class Store {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly faults: StoreFaults = {},
  ) {}

  private get indexPath(): string {
    return join(this.dir, 'versions', 'index.json');
  }

  private async index(): Promise<Index> {
    try {
      return JSON.parse(await readFile(this.indexPath, 'utf8')) as Index;
    } catch {
      return { versions: [], published: null };
    }
  }

  /** Runs one write at a time, so two imports never take the same sequence number. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async init(): Promise<void> {
    for (const d of ['versions', 'runs', 'history']) await mkdir(join(this.dir, d), { recursive: true });
    // Leftovers of a crash: temp files and version directories the index never named.
    const idx = await this.index();
    const named = new Set(idx.versions.map((v) => String(v.seq)));
    for (const e of await readdir(join(this.dir, 'versions'))) {
      if (e.endsWith('.tmp') || e.startsWith('.tmp-') || (/^\d+$/.test(e) && !named.has(e))) await rm(join(this.dir, 'versions', e), { recursive: true, force: true });
    }
  }

  async listVersions(): Promise<VersionMeta[]> {
    return (await this.index()).versions;
  }

  async getVersion(seq: number): Promise<VersionMeta | undefined> {
    return (await this.index()).versions.find((v) => v.seq === seq);
  }

  async published(): Promise<VersionMeta | undefined> {
    const idx = await this.index();
    return idx.versions.find((v) => v.seq === idx.published);
  }

  async loadRows(seq: number): Promise<SheetRows> {
    return JSON.parse(await readFile(join(this.dir, 'versions', String(seq), 'rows.json'), 'utf8')) as SheetRows;
  }

  versionFile(v: VersionMeta): string {
    return join(this.dir, 'versions', String(v.seq), 'workbook.xlsx');
  }

  /** A new version, or the existing one when the same content was imported before. */
  importVersion(req: ImportRequest): Promise<{ version: VersionMeta; existing: boolean }> {
    return this.serial(async () => {
      const idx = await this.index();
      const same = idx.versions.find((v) => v.contentHash === req.contentHash);
      if (same) return { version: same, existing: true };
      const seq = idx.versions.reduce((m, v) => Math.max(m, v.seq), 0) + 1;
      const meta: VersionMeta = {
        seq,
        contentHash: req.contentHash,
        fileSha256: req.fileSha256,
        fileName: req.fileName,
        source: req.source,
        importer: req.importer,
        importedAt: new Date().toISOString(),
        counts: countBySeverity(req.issues),
        issues: req.issues,
      };
      const tmp = join(this.dir, 'versions', `.tmp-${seq}-${randomBytes(4).toString('hex')}`);
      await mkdir(tmp, { recursive: true });
      await writeFile(join(tmp, 'workbook.xlsx'), req.fileBytes);
      await writeFile(join(tmp, 'rows.json'), JSON.stringify(req.rows));
      await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta, null, 2));
      const final = join(this.dir, 'versions', String(seq));
      await rm(final, { recursive: true, force: true });
      await rename(tmp, final);
      await this.faults.beforeIndex?.();
      await writeJsonAtomic(this.indexPath, { ...idx, versions: [...idx.versions, meta] } satisfies Index);
      return { version: meta, existing: false };
    });
  }

  /** Publishes a version; one with errors is refused (the message says why). */
  publish(seq: number): Promise<{ ok: true; version: VersionMeta } | { ok: false; error: string }> {
    return this.serial(async () => {
      const idx = await this.index();
      const v = idx.versions.find((x) => x.seq === seq);
      if (!v) return { ok: false as const, error: `there is no version ${seq}` };
      if (hasErrors(v.issues)) return { ok: false as const, error: `version ${seq} has ${v.counts.error} error(s); fix them and import again` };
      await writeJsonAtomic(this.indexPath, { ...idx, published: seq } satisfies Index);
      return { ok: true as const, version: v };
    });
  }
}

export async function openStore(dir: string, faults: StoreFaults = {}): Promise<Store> {
  const s = new Store(dir, faults);
  await s.init();
  return s;
}
