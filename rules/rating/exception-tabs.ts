// The `Exceptions` and `Exception summary` tabs a run writes back to a Google Sheet (SPEC §7.1):
// exceptions.csv's rows as they are, and per reason the count, seconds, carrier cost (exact, in
// micro-units) and what usually fixes it.

import { EXCEPTION_REASONS, type CallException } from '../cdr/cdr.js';
import { unguard } from '../csv.js';
import { formatMicroShort, type Micro } from '../money.js';
import type { CellValue, Table } from '../tables.js';
import { EXCEPTION_COLUMNS, EXCEPTION_HEADER } from './call-rows.js';
import { USUAL_FIX } from './exception-summary.js';

export const EXCEPTIONS_TAB = 'Exceptions';
export const EXCEPTION_SUMMARY_TAB = 'Exception summary';

const REASON = EXCEPTION_HEADER.indexOf('reason');
const DURATION = EXCEPTION_HEADER.indexOf('duration');
const INT_COLUMNS = EXCEPTION_COLUMNS.map((c) => c.kind === 'int');

interface Totals {
  count: number;
  seconds: number;
  cost: Micro;
  /** Whether any of its calls had a known cost (none: the cell stays empty rather than 0). */
  costed: boolean;
}

export class ExceptionTotals {
  private readonly totals = new Map<string, Totals>();

  add(reason: string, duration: number | null, cost: Micro | null): void {
    let t = this.totals.get(reason);
    if (!t) this.totals.set(reason, (t = { count: 0, seconds: 0, cost: 0, costed: false }));
    t.count++;
    t.seconds += duration ?? 0;
    if (cost !== null) {
      t.cost += cost;
      t.costed = true;
    }
  }

  /** A reason's cost known from elsewhere (exceptions.csv has none), replacing what was summed. */
  setCost(reason: string, cost: Micro): void {
    const t = this.totals.get(reason);
    if (!t) return;
    t.cost = cost;
    t.costed = true;
  }

  addException(e: CallException): void {
    this.add(e.reason, e.duration, e.cost);
  }

  /** A row of exceptions.csv (which has no cost column: the reason's cost stays unknown unless setCost says it). */
  addCsvFields(f: readonly string[]): void {
    const d = Number(f[DURATION]);
    this.add(f[REASON] ?? '', f[DURATION] === '' || !Number.isSafeInteger(d) ? null : d, null);
  }

  /** Reasons in their usual order, then any other (a reason a later version adds), no total row. */
  table(): Table {
    const known = new Set<string>(EXCEPTION_REASONS);
    const reasons = [...EXCEPTION_REASONS.filter((r) => this.totals.has(r)), ...[...this.totals.keys()].filter((r) => !known.has(r)).sort()];
    return {
      name: EXCEPTION_SUMMARY_TAB,
      columns: [
        { header: 'reason', kind: 'text', width: 22 },
        { header: 'count', kind: 'int', width: 9 },
        { header: 'seconds', kind: 'int', width: 10 },
        { header: 'cost', kind: 'money', decimals: 4, width: 10 },
        { header: 'fix', kind: 'text', width: 60 },
      ],
      rows: reasons.map((r) => {
        const t = this.totals.get(r)!;
        return [r, t.count, t.seconds, t.costed ? formatMicroShort(t.cost) : null, (USUAL_FIX as Record<string, string>)[r] ?? ''];
      }),
    };
  }
}

/** exceptions.csv's fields as the tab's cells: counts as numbers, text unguarded. */
export function exceptionCells(f: readonly string[]): CellValue[] {
  return EXCEPTION_HEADER.map((_, i) => {
    const v = f[i] ?? '';
    if (INT_COLUMNS[i]) return v === '' ? null : /^-?\d{1,15}$/.test(v) ? Number(v) : v;
    return unguard(v);
  });
}

export function exceptionsTable(rows: CellValue[][]): Table {
  return { name: EXCEPTIONS_TAB, columns: EXCEPTION_COLUMNS, rows };
}
