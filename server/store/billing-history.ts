// The billing history in the data directory: what final runs billed (SPEC §3), so later runs bill
// late calls and adjustments and never bill a call or a charge-day twice. One JSON ledger,
// replaced atomically, plus the final invoices of each period kept as they were issued.

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyAdditions, emptyHistory, type BillingHistory, type HistoryAdditions } from '../../rules/billing/invoice.js';
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
