// What one Features row charges in one calendar month under the current workbook (SPEC §3):
// monthly by the day, quarterly and annually on anniversary months, one-offs in their month.
// The same function prices the period being billed and re-prices closed periods for adjustments.

import { daysInMonth, formatDay, ymdOfDay, type Day } from '../day.js';
import { mulDivRound, type Micro } from '../money.js';
import type { Customer, FeatureRow, NumberRow } from '../workbook/rows.js';

export interface Month {
  y: number;
  m: number;
  first: Day;
  last: Day;
}

export type FeatureCharge =
  | { kind: 'charge'; amount: Micro; quantity: number; unitPrice: Micro; from: Day; to: Day }
  | { kind: 'none' }
  /** Suspended or NonBillable number, or a customer archived with no date: not now, not adjusted. */
  | { kind: 'deferred'; reason: string };

const CENT = 10_000;

export const monthKey = (m: Month): string => `${m.y}-${String(m.m).padStart(2, '0')}`;

export function monthOf(y: number, m: number): Month {
  const first = Date.UTC(y, m - 1, 1) / 86_400_000;
  return { y, m, first, last: first + daysInMonth(y, m) - 1 };
}

/** The last day this feature may be charged for: EndDate, the number's DroppedDate, the customer's ArchivedDate. */
function lastChargeDay(f: FeatureRow, customer: Customer, numberRow: NumberRow | null): Day | null {
  let end = f.endDate;
  const cut = (d: Day | null): void => {
    if (d !== null && (end === null || d < end)) end = d;
  };
  if (numberRow) cut(numberRow.droppedDate);
  if (customer.status === 'Archived') cut(customer.archivedDate);
  return end;
}

export function deferralOf(customer: Customer, numberRow: NumberRow | null): string | null {
  if (customer.status === 'Archived' && customer.archivedDate === null) return 'customer archived';
  if (numberRow?.status === 'Suspended') return 'number suspended';
  if (numberRow?.status === 'NonBillable') return 'number not billable';
  return null;
}

export function chargeForMonth(f: FeatureRow, customer: Customer, numberRow: NumberRow | null, month: Month): FeatureCharge {
  const deferred = deferralOf(customer, numberRow);
  if (deferred) return { kind: 'deferred', reason: deferred };
  const end = lastChargeDay(f, customer, numberRow);
  const from = Math.max(month.first, f.startDate);
  const to = end === null ? month.last : Math.min(month.last, end);
  if (from > to) return { kind: 'none' };
  const unit = f.amount;
  const full = unit * f.quantity;
  switch (f.kind) {
    case 'OneOff':
      return f.startDate >= month.first && f.startDate <= month.last
        ? { kind: 'charge', amount: roundCents(full), quantity: f.quantity, unitPrice: unit, from: f.startDate, to: f.startDate }
        : { kind: 'none' };
    case 'Recurring':
      break;
  }
  switch (f.interval) {
    case 'Monthly': {
      const days = to - from + 1;
      const dim = month.last - month.first + 1;
      const amount = f.prorate ? mulDivRound(full, days, dim * CENT, 'HalfUp') * CENT : roundCents(full);
      return { kind: 'charge', amount, quantity: f.quantity, unitPrice: unit, from, to };
    }
    case 'Quarterly':
    case 'Annually': {
      const start = ymdOfDay(f.startDate);
      const months = month.y * 12 + month.m - (start.y * 12 + start.m);
      const every = f.interval === 'Quarterly' ? 3 : 12;
      if (months < 0 || months % every !== 0) return { kind: 'none' };
      return { kind: 'charge', amount: roundCents(full), quantity: f.quantity, unitPrice: unit, from, to };
    }
  }
}

const roundCents = (m: Micro): Micro => mulDivRound(m, 1, CENT, 'HalfUp') * CENT;

/** `Line rental, 15–31 Oct 2026` style period text for a charge. */
export function chargeSpan(from: Day, to: Day): string {
  return from === to ? formatDay(from) : `${formatDay(from)} to ${formatDay(to)}`;
}
