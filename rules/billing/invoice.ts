// What a billing run makes: invoices of lines, the calls they itemise, and what a final run adds
// to the billing history so later runs never bill a call or a charge-day twice.

import type { RatedCall } from '../cdr/cdr.js';
import type { Day } from '../day.js';
import type { Micro, MicroPct } from '../money.js';
import type { CallClass, Customer } from '../workbook/rows.js';

export type LineKind = 'usage' | 'recurring' | 'oneoff' | 'adjustment' | 'discount';

export interface InvoiceLine {
  kind: LineKind;
  site: string;
  /** '' for account-level lines. */
  number: string;
  description: string;
  /** A usage line's call class (the invoice documents put it in words). */
  callClass?: CallClass;
  /** Calls for usage, units for charges, 1 for discounts and adjustments. */
  quantity: number;
  /** null where a unit price means nothing (usage, discounts). */
  unitPrice: Micro | null;
  /** Rounded to 2 decimals; negative for discounts and refunds. */
  amount: Micro;
}

export interface ItemisedCall {
  call: RatedCall;
  /** Positive; in the call's ChargeDecimals. */
  discount: Micro;
  /** The call started before the period (a late call joining this invoice). */
  late: boolean;
}

export interface Invoice {
  /** InvoicePrefix + six digits. */
  invoice: string;
  sequence: number;
  account: string;
  customer: Customer;
  periodStart: Day;
  periodEnd: Day;
  invoiceDate: Day;
  dueDate: Day;
  currency: string;
  taxRate: MicroPct;
  lines: InvoiceLine[];
  usage: Micro;
  recurring: Micro;
  oneoff: Micro;
  adjustments: Micro;
  /** Positive: the sum of the discount lines' magnitudes. */
  discounts: Micro;
  net: Micro;
  tax: Micro;
  total: Micro;
  creditNote: boolean;
  draft: boolean;
  calls: ItemisedCall[];
}

/** Recurring and one-off amounts billed so far per feature and period, adjustments included. */
export type FeatureLedger = Map<string, Map<string, Micro>>;

/** What earlier final runs billed (SPEC §3 history). */
export interface BillingHistory {
  nextSequence: number;
  /** `YYYY-MM` of every final period, ascending. */
  finalPeriods: string[];
  /** Keys of every call on a final invoice (see callKey). */
  billedCalls: Set<string>;
  features: FeatureLedger;
}

export const emptyHistory = (): BillingHistory => ({ nextSequence: 1, finalPeriods: [], billedCalls: new Set(), features: new Map() });

/** What a final run adds to the history. */
export interface HistoryAdditions {
  period: string;
  nextSequence: number;
  billedCalls: string[];
  /** featureKey -> period -> amount added by this run. */
  features: [string, string, Micro][];
}

export interface Deferral {
  account: string;
  number: string;
  what: string;
  reason: string;
}

export interface BillingRun {
  period: string;
  periodStart: Day;
  periodEnd: Day;
  invoices: Invoice[];
  /** Calls held back (NonBillable numbers) and charges deferred, for the housekeeping report. */
  deferred: Deferral[];
  waitingCalls: number;
  additions: HistoryAdditions;
}

/** A call's identity across runs and files: its id, else what dedupe compares. */
export const callKey = (c: RatedCall): string =>
  c.id !== '' ? `i:${c.id}` : `t:${c.number}|${c.called}|${c.startMs}|${c.duration}`;

/** A feature's identity across workbook versions: the diff key of Features. */
export const featureKey = (account: string, number: string, feature: string, startDate: Day): string =>
  `${account}|${number}|${feature}|${startDate}`;

/** The history after a final run: what the shell stores, and what tests chain runs with. */
export function applyAdditions(h: BillingHistory, a: HistoryAdditions): BillingHistory {
  const features: FeatureLedger = new Map([...h.features].map(([k, v]) => [k, new Map(v)]));
  for (const [fkey, period, amount] of a.features) {
    const m = features.get(fkey) ?? new Map<string, Micro>();
    m.set(period, (m.get(period) ?? 0) + amount);
    features.set(fkey, m);
  }
  return {
    nextSequence: a.nextSequence,
    finalPeriods: [...h.finalPeriods, a.period].sort(),
    billedCalls: new Set([...h.billedCalls, ...a.billedCalls]),
    features,
  };
}
