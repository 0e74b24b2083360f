// What every route may reach: the data directory's stores and the services that work on them.
// Built once when the server starts (serve.ts) or a test makes an app (test/server/http/).

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, type Store } from '../store/store.js';
import { TokenStore } from '../store/tokens.js';
import { AuditLog } from '../store/audit.js';
import { BillService } from '../bills/bill-service.js';
import { RunService, type RunModel } from '../runs/run-service.js';
import { InputError } from '../runs/rate-run.js';
import { versionModel } from '../model/version-cache.js';
import type { Caller } from './roles.js';

export interface Limits {
  /** A CDR file's upload limit (RATEBOOK_UPLOAD_LIMIT_MB, default 2048). */
  cdrBytes: number;
  /** A workbook's limit: 50 MB, as for the command line. */
  workbookBytes: number;
}

export interface ServerContext {
  dataDir: string;
  store: Store;
  tokens: TokenStore;
  audit: AuditLog;
  limits: Limits;
  /** Temp files of uploads in progress (inside the data directory, so renames are atomic). */
  uploadsDir: string;
  /** Bills (SPEC §7 bills): made one at a time, kept in DIR/bills. */
  bills: BillService;
  /** Rating runs (SPEC §7 runs): the queue, rating in the background, kept in DIR/runs. */
  runs: RunService;
  /** Closes what the services hold (worker threads, timers); the stores need nothing. */
  close(): Promise<void>;
}

export interface ContextOptions {
  dataDir: string;
  limits?: Partial<Limits>;
}

/** MB here are 2^20 bytes, as the 413 messages and the command line's workbook limit count them. */
export const DEFAULT_LIMITS: Limits = { cdrBytes: 2048 * 1024 * 1024, workbookBytes: 50 * 1024 * 1024 };

export async function openContext(options: ContextOptions): Promise<ServerContext> {
  const store = await openStore(options.dataDir);
  const ctx: ServerContext = {
    dataDir: store.dir,
    store,
    tokens: await TokenStore.open(store.dir),
    audit: new AuditLog(store.dir),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    uploadsDir: await clearedUploads(join(store.dir, 'uploads')),
    bills: await BillService.open(store.dir, store),
    runs: await RunService.open({ store, model: (seq) => cachedRunModels(ctx)(seq) }),
    close: async () => {
      await ctx.runs.close();
      await ctx.bills.close();
    },
  };
  return ctx;
}

/** The audit log's `who` and `role` for a caller. */
export const actor = (caller: Caller | undefined): { who: string; role: Caller['role'] | 'system' } => (caller ? { who: caller.name, role: caller.role } : { who: 'system', role: 'system' });

/**
 * The uploads directory, emptied: what is there is an upload a crash cut off before it was
 * answered (one answered was moved into its run or version first), so no one is owed it.
 */
async function clearedUploads(dir: string): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A version's rating model from the server's shared version cache (server/model/version-cache.ts). */
function cachedRunModels(ctx: ServerContext): (seq: number) => Promise<RunModel> {
  return async (seq) => {
    let vm;
    try {
      vm = await versionModel(ctx, seq);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    const model = vm.rating();
    if (!model) throw new InputError(`version ${seq} has errors and cannot rate calls`);
    return { model, hash: vm.meta.contentHash };
  };
}
