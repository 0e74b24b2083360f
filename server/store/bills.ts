// Bills in the data directory (SPEC §3, §7 bills, Durability). One folder a period:
//
//   DIR/bills/<YYYY-MM>/
//     draft/            the latest draft: bill.json (BillRecord) and the bill's files — invoices.csv,
//     final/            invoice_lines.csv, the report CSVs, reports.xlsx, invoices/<INVOICE>.html|.xlsx;
//                       a final also keeps additions.json, what it adds to the billing history
//     attempt.json      BillAttempt: a bill being made (`billing`), or the last one that failed
//     .tmp-<hex>/       a bill being written (removed on start: a crash leaves it half-done)
//     .old-<hex>/       a draft being replaced (put back on start if the new one never got in)
//
// A bill is written whole into .tmp-<hex>/ (every file fsynced), then renamed into place: a crash
// leaves the old bill or the new one, never part of either. A draft replaces the last draft by two
// renames (draft -> .old, tmp -> draft). A final goes: tmp -> final/ (the commit point), its files
// copied to DIR/history/<period>/ as `ratebook bill --data --final` keeps them, then the billing
// history's ledger (server/store/billing-history.ts) records it; a start that finds a final/ the
// ledger does not know finishes those two steps from additions.json. On start an attempt still
// `billing` is marked failed with the reason `interrupted` (it can be billed again).
//
// Names: a period is checked against PERIOD before it becomes a path; a file is served only if the
// bill's own list (BillRecord.files) holds the name asked for.

import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryAdditions } from '../../rules/billing/invoice.js';
import { keepFinalRun, loadHistory } from './billing-history.js';
import { syncDir, syncTree } from './durable-files.js';
import { writeJsonAtomic } from './store.js';

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Money as decimal strings with 2 decimals (formatMicro). */
export interface BillInvoice {
  invoice: string;
  account: string;
  net: string;
  tax: string;
  total: string;
}

/** bill.json. */
export interface BillRecord {
  period: string;
  status: 'draft' | 'final';
  invoices: BillInvoice[];
  net: string;
  tax: string;
  total: string;
  currency: string;
  /** Token name of whoever billed it. */
  createdBy: string;
  /** ISO 8601, UTC: also tells this bill's attempt from another. */
  createdAt: string;
  /** The runs whose rated calls it read. */
  runs: number[];
  /** The workbook version (seq) it billed with: the published one. */
  version: number;
  /** Its files, relative to its folder: the names GET /api/bills/:period/files/:name serves. */
  files: string[];
  /** Calls of NonBillable numbers waiting for a later invoice. */
  waitingCalls: number;
  /** Rated rows left out because an earlier run (or row) holds the same call. */
  duplicates: number;
}

/** attempt.json: a bill in the making, or the last one that failed. */
export interface BillAttempt {
  period: string;
  status: 'billing' | 'failed';
  final: boolean;
  createdBy: string;
  createdAt: string;
  error?: string;
}

export interface PeriodBills {
  period: string;
  draft?: BillRecord;
  final?: BillRecord;
  attempt?: BillAttempt;
}

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;
const hex = (): string => randomBytes(6).toString('hex');

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if (errCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

export class BillStore {
  readonly dir: string;

  private constructor(readonly dataDir: string) {
    this.dir = join(dataDir, 'bills');
  }

  /** Opens DIR/bills, finishing or undoing what a crash left (see the header). */
  static async open(dataDir: string): Promise<BillStore> {
    const s = new BillStore(dataDir);
    await mkdir(s.dir, { recursive: true });
    const historyDir = join(dataDir, 'history');
    for (const e of await readdir(historyDir).catch(() => [] as string[])) if (e.startsWith('.keep-')) await rm(join(historyDir, e), { recursive: true, force: true });
    for (const period of (await s.periodNames()).sort()) await s.recover(period);
    return s;
  }

  // --- reads -----------------------------------------------------------------------------------

  /** Every period with a bill or an attempt, newest first. */
  async list(): Promise<PeriodBills[]> {
    const out: PeriodBills[] = [];
    for (const p of (await this.periodNames()).sort().reverse()) {
      const b = await this.period(p);
      if (b.draft || b.final || b.attempt) out.push(b);
    }
    return out;
  }

  async period(period: string): Promise<PeriodBills> {
    const dir = this.periodDir(period);
    const [draft, final, attempt] = await Promise.all([
      readJson<BillRecord>(join(dir, 'draft', 'bill.json')),
      readJson<BillRecord>(join(dir, 'final', 'bill.json')),
      readJson<BillAttempt>(join(dir, 'attempt.json')),
    ]);
    return { period, ...(draft && { draft }), ...(final && { final }), ...(attempt && { attempt }) };
  }

  /** The bill a period shows: the final if there is one, else the draft. */
  async latest(period: string): Promise<BillRecord | undefined> {
    const b = await this.period(period);
    return b.final ?? b.draft;
  }

  /** The path of one of the latest bill's files, when its list holds `name`; else null. */
  async filePath(period: string, name: string): Promise<string | null> {
    const b = await this.latest(period);
    if (!b) return null;
    const found = b.files.find((f) => f === name);
    return found === undefined ? null : join(this.periodDir(period), b.status, found);
  }

  // --- writes (one bill at a time: BillService queues them) ------------------------------------

  /** Records the attempt and gives the folder to write the bill into. */
  async begin(attempt: BillAttempt): Promise<string> {
    const dir = this.periodDir(attempt.period);
    await mkdir(dir, { recursive: true });
    await writeJsonAtomic(join(dir, 'attempt.json'), attempt);
    const tmp = join(dir, `.tmp-${hex()}`);
    await mkdir(tmp);
    return tmp;
  }

  /** A refused bill (a closed period, nothing published): as if never asked. */
  async abandon(period: string, tmp: string): Promise<void> {
    await rm(tmp, { recursive: true, force: true });
    await rm(join(this.periodDir(period), 'attempt.json'), { force: true });
  }

  /** A bill that failed: its files go, the attempt says why. */
  async fail(attempt: BillAttempt, tmp: string, error: string): Promise<void> {
    await rm(tmp, { recursive: true, force: true });
    await writeJsonAtomic(join(this.periodDir(attempt.period), 'attempt.json'), { ...attempt, status: 'failed', error } satisfies BillAttempt);
  }

  /** The bill written in tmp (bill.json last) replaces the period's draft. */
  async commitDraft(period: string, tmp: string): Promise<void> {
    const dir = this.periodDir(period);
    await syncTree(tmp);
    const draft = join(dir, 'draft');
    const old = join(dir, `.old-${hex()}`);
    const had = await exists(draft);
    if (had) await rename(draft, old);
    await rename(tmp, draft);
    await syncDir(dir);
    await rm(join(dir, 'attempt.json'), { force: true });
    if (had) await rm(old, { recursive: true, force: true });
  }

  /** The final bill written in tmp (bill.json and additions.json last) becomes the period's final, kept in the history. */
  async commitFinal(period: string, tmp: string): Promise<void> {
    const dir = this.periodDir(period);
    await syncTree(tmp);
    await rename(tmp, join(dir, 'final'));
    await syncDir(dir);
    await this.keepFinal(period);
    await rm(join(dir, 'attempt.json'), { force: true });
    await rm(join(dir, 'draft'), { recursive: true, force: true });
  }

  // --- internals -------------------------------------------------------------------------------

  private periodDir(period: string): string {
    if (!PERIOD.test(period)) throw new Error(`not a period: ${period}`);
    return join(this.dir, period);
  }

  private async periodNames(): Promise<string[]> {
    return (await readdir(this.dir).catch(() => [] as string[])).filter((e) => PERIOD.test(e));
  }

  /** After final/ is in place: its files into DIR/history/<period>/, then the ledger (the CLI's --final keeps the same). */
  private async keepFinal(period: string): Promise<void> {
    const final = join(this.periodDir(period), 'final');
    const bill = await readJson<BillRecord>(join(final, 'bill.json'));
    const additions = await readJson<HistoryAdditions>(join(final, 'additions.json'));
    if (!bill || !additions) throw new Error(`${final} lacks bill.json or additions.json`);
    await keepFinalRun(this.dataDir, period, final, bill.files, additions);
  }

  private async recover(period: string): Promise<void> {
    const dir = this.periodDir(period);
    const entries = await readdir(dir);
    const draft = join(dir, 'draft');
    const olds = entries.filter((e) => e.startsWith('.old-'));
    // A draft being replaced when the crash came: the old one goes back unless the new one got in.
    if (olds.length > 0 && !(await exists(draft))) await rename(join(dir, olds.pop()!), draft);
    for (const e of entries) if (e.startsWith('.tmp-') || olds.includes(e)) await rm(join(dir, e), { recursive: true, force: true });
    const state = await this.period(period);
    if (state.final) {
      const history = await loadHistory(this.dataDir);
      if (!history.finalPeriods.includes(period)) await this.keepFinal(period);
      if (state.draft) await rm(draft, { recursive: true, force: true });
    }
    const a = state.attempt;
    if (a?.status === 'billing') {
      const made = a.final ? state.final : state.draft;
      // The bill got in before the crash: only removing the attempt was left to do.
      if (made?.createdAt === a.createdAt && made.createdBy === a.createdBy) await rm(join(dir, 'attempt.json'), { force: true });
      else await writeJsonAtomic(join(dir, 'attempt.json'), { ...a, status: 'failed', error: 'interrupted' } satisfies BillAttempt);
    }
  }
}
