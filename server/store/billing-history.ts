// The billing history in the data directory: what final runs billed (SPEC §3), so later runs bill
// late calls and adjustments and never bill a call or a charge-day twice. One JSON ledger,
// replaced atomically, plus the final invoices of each period kept as they were issued.

import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { applyAdditions, emptyHistory, type BillingHistory, type HistoryAdditions } from '../../rules/billing/invoice.js';
import { syncDir, syncTree } from './durable-files.js';
import { writeFileAtomic } from './store.js';

interface LedgerFile {
  nextSequence: number;
  finalPeriods: string[];
  billedCalls: string[];
  features: [string, [string, number][]][];
}

const ledgerPath = (dataDir: string): string => join(dataDir, 'history', 'ledger.json');

export async function loadHistory(dataDir: string): Promise<BillingHistory> {
  let text: string;
  try {
    text = await readFile(ledgerPath(dataDir), 'utf8');
  } catch {
    return emptyHistory();
  }
  const f = JSON.parse(text) as LedgerFile;
  return {
    nextSequence: f.nextSequence,
    finalPeriods: f.finalPeriods,
    billedCalls: new Set(f.billedCalls),
    features: new Map(f.features.map(([k, v]) => [k, new Map(v)])),
  };
}

/** Records a final run: its invoices' files are copied by the caller first, the ledger last. */
export async function saveFinalRun(dataDir: string, history: BillingHistory, additions: HistoryAdditions): Promise<BillingHistory> {
  const next = applyAdditions(history, additions);
  await mkdir(join(dataDir, 'history'), { recursive: true });
  const file: LedgerFile = {
    nextSequence: next.nextSequence,
    finalPeriods: next.finalPeriods,
    billedCalls: [...next.billedCalls],
    features: [...next.features].map(([k, v]) => [k, [...v]]),
  };
  await writeFileAtomic(ledgerPath(dataDir), JSON.stringify(file));
  return next;
}

export const finalRunDir = (dataDir: string, period: string): string => join(dataDir, 'history', period);

/**
 * Makes a period final in the history, the one way both the server and `ratebook bill --data
 * --final` do it: the final bill's files (`names`, relative to `from`; a folder is copied whole)
 * are copied into a `.keep-` folder and fsynced, the folder renamed to DIR/history/<period>/, and
 * only then the ledger records the period. A crash before the ledger leaves the period not final
 * (a `.keep-` folder is cleared by the server's next start; billing the period final again
 * replaces the kept files).
 */
export async function keepFinalRun(dataDir: string, period: string, from: string, names: readonly string[], additions: HistoryAdditions): Promise<BillingHistory> {
  const historyDir = join(dataDir, 'history');
  const keep = join(historyDir, `.keep-${randomBytes(6).toString('hex')}`);
  await mkdir(keep, { recursive: true });
  for (const f of names) {
    if (f.includes('/')) await mkdir(join(keep, dirname(f)), { recursive: true });
    await cp(join(from, f), join(keep, f), { recursive: true });
  }
  await syncTree(keep);
  const target = finalRunDir(dataDir, period);
  await rm(target, { recursive: true, force: true });
  await rename(keep, target);
  await syncDir(historyDir);
  return saveFinalRun(dataDir, await loadHistory(dataDir), additions);
}
