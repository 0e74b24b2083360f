// A run's figures as the server gives them: exceptions arrive as a count or as counts by reason;
// the UI shows their number (a count of calls, not money).

import type { RateSummary, RunSummaryRow } from './api-types.js';

export function exceptionCount(e: RateSummary['exceptions'] | RunSummaryRow['exceptions']): number | null {
  if (e === null || e === undefined) return null;
  if (typeof e === 'number') return e;
  return Object.values(e).reduce((n, c) => n + (Number.isFinite(c) ? c : 0), 0);
}

/** File names from the list's `files` (names or {name}). */
export const fileNames = (files: RunSummaryRow['files'] | undefined): string[] => (files ?? []).map((f) => (typeof f === 'string' ? f : f.name));
