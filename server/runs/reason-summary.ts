// exception-summary.json (beside a run's summary.json): the Summary tab of exceptions.xlsx as
// JSON — per reason the calls, seconds, carrier cost and the usual fix — for
// GET /api/runs/:id/exceptions/summary. Made from an ExceptionSummary fed every exception.

import type { ExceptionSummary } from '../../rules/rating/exception-summary.js';
import { writeJsonAtomic } from '../store/store.js';

export interface ReasonSummary {
  reason: string;
  count: number;
  seconds: number;
  /** Carrier cost as the Summary tab shows it (4 decimals), a decimal string. */
  cost: string;
  fix: string;
}

/** The Summary tab's rows (reason, calls, seconds, cost, usual fix). */
export function reasonRows(s: ExceptionSummary): ReasonSummary[] {
  return s.table().rows.map((row) => ({ reason: String(row[0]), count: Number(row[1]), seconds: Number(row[2]), cost: String(row[3]), fix: String(row[4]) }));
}

/** Writes exception-summary.json: `{ reasons }`. */
export function writeReasons(path: string, reasons: ReasonSummary[]): Promise<void> {
  return writeJsonAtomic(path, { reasons });
}

/** Writes exception-summary.json from the summary of every exception (a re-rate or release makes one). */
export function writeExceptionSummary(path: string, s: ExceptionSummary): Promise<void> {
  return writeReasons(path, reasonRows(s));
}
