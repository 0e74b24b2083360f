// One bill made into a folder: the runs' rated calls (run-calls.ts), runBilling with the published
// version's rows and the data directory's billing history, and the same files `ratebook bill
// --data` writes (writeBillOutputs), then bill.json — and for a final, additions.json, what the
// history gains once the bill is committed (server/store/bills.ts). It runs on the main thread
// or, for a big bill, in a worker thread (bill-worker.ts): a job is plain data for that reason.

import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBilling } from '../../rules/billing/bill.js';
import { parsePeriod } from '../../rules/day.js';
import { formatMicro } from '../../rules/money.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import { localToUtc } from '../../rules/zone.js';
import { loadHistory } from '../store/billing-history.js';
import type { BillRecord } from '../store/bills.js';
import { writeBillOutputs } from './bill-output.js';
import { readRunCalls, readUnknownNumbers, RunDataError, type RunForBill } from './run-calls.js';

export interface BillJob {
  dataDir: string;
  period: string;
  final: boolean;
  /** The published version: its seq, content hash and rows as their JSON text (rows.json). */
  version: { seq: number; contentHash: string };
  rowsText: string;
  /** The done runs to read, ids ascending. */
  runs: RunForBill[];
  /** An empty folder to write the bill into. */
  dir: string;
  createdBy: string;
  createdAt: string;
}

/** `refused`: runBilling declined (a closed period) — nothing to record. `failed`: a run's files cannot be read. */
export type BillOutcome = { kind: 'made'; bill: BillRecord } | { kind: 'refused'; message: string } | { kind: 'failed'; message: string };

/** The files written, with invoices/ spelt out file by file. */
async function fileList(dir: string, written: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of written) {
    if (f !== 'invoices') out.push(f);
    else for (const doc of (await readdir(join(dir, 'invoices'))).sort()) out.push(`invoices/${doc}`);
  }
  return out;
}

export async function computeBill(job: BillJob): Promise<BillOutcome> {
  const rows = JSON.parse(job.rowsText) as SheetRows;
  const p = parsePeriod(job.period);
  if (!p) return { kind: 'refused', message: `period must be YYYY-MM (got "${job.period}")` };
  const zone = rows.settings.timezone;
  const startMs = localToUtc(zone, Date.UTC(p.y, p.m - 1, 1)).utcMs;
  const endMs = localToUtc(zone, Date.UTC(p.y, p.m, 1)).utcMs;
  const history = await loadHistory(job.dataDir);
  let read;
  let unknown;
  try {
    read = await readRunCalls(job.dataDir, job.runs, { endMs, billed: history.billedCalls });
    unknown = await readUnknownNumbers(job.dataDir, job.runs, startMs, endMs);
  } catch (e) {
    if (e instanceof RunDataError) return { kind: 'failed', message: e.message };
    throw e;
  }
  const result = runBilling({ rows, calls: read.calls, period: job.period, history, final: job.final });
  if (!result.ok) return { kind: 'refused', message: result.error.map((i) => i.message).join('; ') };
  const run = result.value;
  const written = await writeBillOutputs({
    dir: job.dir,
    run,
    rows,
    provenance: { workbookHash: job.version.contentHash, files: job.runs.flatMap((r) => r.files) },
    unknownNumbers: unknown,
  });
  let net = 0;
  let tax = 0;
  for (const i of run.invoices) {
    net += i.net;
    tax += i.tax;
  }
  const m2 = (v: number): string => formatMicro(v, 2);
  const bill: BillRecord = {
    period: run.period,
    status: job.final ? 'final' : 'draft',
    invoices: run.invoices.map((i) => ({ invoice: i.invoice, account: i.account, net: m2(i.net), tax: m2(i.tax), total: m2(i.total) })),
    net: m2(net),
    tax: m2(tax),
    total: m2(net + tax),
    currency: run.invoices[0]?.currency ?? rows.settings.currency,
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    runs: job.runs.map((r) => r.id),
    version: job.version.seq,
    files: await fileList(job.dir, written),
    waitingCalls: run.waitingCalls,
    duplicates: read.duplicates,
  };
  if (job.final) await writeFile(join(job.dir, 'additions.json'), JSON.stringify(run.additions));
  await writeFile(join(job.dir, 'bill.json'), JSON.stringify(bill, null, 2) + '\n');
  return { kind: 'made', bill };
}
