// A version's model, loaded once and shared by every route that reads it (versions, search,
// runs, bills, what-if): its meta and report, its rows, the rating model (built on first use, and
// only for a version without errors) and the sql.js model (built on first use). The last few
// versions used are kept; a version never changes once imported, so there is nothing to refresh.
//
//   const vm = await versionModel(ctx, seq);        // 404 when there is no such version
//   const vm = await publishedModel(ctx);           // 409 when none is published
//   vm.rows, vm.meta, vm.rating()                   // rating() is null while the version has errors
//   await vm.withDb((mdb) => searchNumbers(mdb, q)) // the sql.js model, used synchronously
//   vm.memo('key', () => derived)                   // anything derived, kept as long as the version
//   warmVersion(ctx, seq)                           // build both models in the background (after publishing)
//
// A version with DB_IN_THREAD_ROWS rows or more has its sql.js model built on the model thread
// (model-thread.ts: seconds for 170,000 rows) and opened here from the database file's bytes.
//
// sql.js databases live in the wasm heap, which no garbage collector frees: a version pushed out of
// the cache closes its database. withDb hands the database to a synchronous function, so it is
// never closed while in use; a caller still holding a version pushed out gets a database built for
// that one call and closed after it.

import { ApiError, notFound } from '../http/errors.js';
import { buildRatingModel, type RatingModel } from '../../rules/rating/rating-model.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import type { Store, VersionMeta } from '../store/store.js';
import { buildModelDb, openModelDb, type ModelDb } from './model-db.js';
import { modelWorkerScript, onModelThread, rowsPathOf } from './model-thread.js';

/** What the cache needs of the server: its store (the cache is kept per server). */
type Server = { readonly store: Store };

export interface VersionModel {
  seq: number;
  /** The version as the index lists it, with its validation report. */
  meta: VersionMeta;
  rows: SheetRows;
  /** The rating model; null while the version has errors (it cannot be rated or published). */
  rating(): RatingModel | null;
  /** Runs `use` with the version's sql.js model (built on first use). `use` must not keep the database. */
  withDb<T>(use: (mdb: ModelDb) => T): Promise<T>;
  /** A value derived from the version, made once and kept as long as the version is cached. */
  memo<T>(key: string, make: () => T): T;
}

/** How many versions stay loaded: the published one, a draft being reviewed, one to diff against. */
export const VERSION_CACHE_SIZE = 3;

/** Versions with fewer rows build their sql.js model on the main thread (about 100 ms at most). */
export const DB_IN_THREAD_ROWS = 10_000;

const rowCount = (rows: SheetRows): number => Object.values(rows).reduce((n: number, v) => n + (Array.isArray(v) ? v.length : 0), 0);

class Entry implements VersionModel {
  private model: RatingModel | null | undefined;
  private db: Promise<ModelDb> | null = null;
  private readonly memos = new Map<string, unknown>();
  evicted = false;

  constructor(
    readonly seq: number,
    readonly meta: VersionMeta,
    readonly rows: SheetRows,
    /** The rows.json the model thread reads. */
    private readonly rowsPath: string,
  ) {}

  rating(): RatingModel | null {
    if (this.model === undefined) this.model = this.meta.counts.error > 0 ? null : buildRatingModel(this.rows);
    return this.model;
  }

  async withDb<T>(use: (mdb: ModelDb) => T): Promise<T> {
    if (this.evicted) {
      const once = await this.buildDb();
      try {
        return use(once);
      } finally {
        once.close();
      }
    }
    this.db ??= this.buildDb();
    const mdb = await this.db;
    // Pushed out of the cache while it was being built: closed already, so build one for this call.
    if (this.evicted) return this.withDb(use);
    return use(mdb);
  }

  private async buildDb(): Promise<ModelDb> {
    const script = modelWorkerScript();
    if (script === null || rowCount(this.rows) < DB_IN_THREAD_ROWS) return buildModelDb(this.rows);
    const { bytes } = await onModelThread(script, { kind: 'db', rowsPath: this.rowsPath });
    return openModelDb(bytes, this.rows);
  }

  memo<T>(key: string, make: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, make());
    return this.memos.get(key) as T;
  }

  evict(): void {
    this.evicted = true;
    this.memos.clear();
    const db = this.db;
    this.db = null;
    if (db) void db.then((d) => d.close(), () => undefined);
  }
}

/** Per server context (tests run several side by side): seq -> the entry being loaded or loaded, least recently used first. */
const caches = new WeakMap<Server, Map<number, Promise<Entry>>>();

/** A version's model; 404 when the data directory has no such version. */
export async function versionModel(ctx: Server, seq: number): Promise<VersionModel> {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  let entry = cache.get(seq);
  if (entry) {
    cache.delete(seq); // most recently used last
    cache.set(seq, entry);
    return entry;
  }
  entry = load(ctx, seq);
  cache.set(seq, entry);
  // A version that failed to load is not kept: the next request tries again.
  entry.catch(() => {
    if (cache.get(seq) === entry) cache.delete(seq);
  });
  while (cache.size > VERSION_CACHE_SIZE) {
    const [oldest, p] = cache.entries().next().value as [number, Promise<Entry>];
    cache.delete(oldest);
    void p.then((e) => e.evict(), () => undefined);
  }
  return entry;
}

async function load(ctx: Server, seq: number): Promise<Entry> {
  const meta = await ctx.store.getVersion(seq);
  if (!meta) throw notFound(`there is no version ${seq}`);
  return new Entry(seq, meta, await ctx.store.loadRows(seq), rowsPathOf(ctx.store, seq));
}

/** The published version's model; 409 when no version is published yet. */
export async function publishedModel(ctx: Server): Promise<VersionModel> {
  const v = await ctx.store.published();
  if (!v) throw new ApiError(409, 'no version is published yet: import a workbook and publish it');
  return versionModel(ctx, v.seq);
}

/**
 * Builds a version's rating and sql.js models in the background (after it is published), so the
 * first search does not wait for them (seconds for 100,000 numbers). A failure is left for the
 * request that needs the model to report.
 */
export function warmVersion(ctx: Server, seq: number): void {
  setImmediate(() => {
    void versionModel(ctx, seq)
      .then(async (vm) => {
        vm.rating();
        await vm.withDb(() => undefined);
      })
      .catch(() => undefined);
  });
}
