// runBilling: a period, the workbook and the rated calls into invoices (SPEC §3). Steps in order:
// who is due -> usage -> recurring and one-off charges -> adjustments for closed periods ->
// discounts -> tax -> numbering. Pure: the shell loads history and writes what this returns.

import type { RatedCall } from '../cdr/cdr.js';
import { compilePlans, applyDiscounts, type DiscountedCall } from './discount.js';
import { chargeForMonth, chargeSpan, monthKey, monthOf, type Month } from './feature-charge.js';
import { parsePeriod, type Day } from '../day.js';
import {
  callKey,
  featureKey,
  type BillingHistory,
  type BillingRun,
  type Deferral,
  type HistoryAdditions,
  type Invoice,
  type InvoiceLine,
  type ItemisedCall,
} from './invoice.js';
import { formatMicro, mulDivRound, percentOf, type Micro, type Rounding } from '../money.js';
import { err, issue, ok, type Issue, type Result } from '../result.js';
import type { CallClass, Customer, FeatureRow, NumberRow, SheetRows } from '../workbook/rows.js';
import { localToUtc, utcToLocalMs } from '../zone.js';

export interface BillingRequest {
  rows: SheetRows;
  /** Every rated call at hand; those outside the period or already billed are left out here. */
  calls: Iterable<RatedCall>;
  period: string;
  /** null: a bare run — only the period's own calls and charges, no adjustments. */
  history: BillingHistory | null;
  final: boolean;
}

const CENT = 10_000;
const round2 = (m: Micro): Micro => mulDivRound(m, 1, CENT, 'HalfUp') * CENT;

/** The Numbers row a call or a feature belongs to, for its Status and dates. */
class NumberIndex {
  private readonly byAccount = new Map<string, NumberRow[]>();
  constructor(numbers: readonly NumberRow[]) {
    for (const n of numbers) {
      const list = this.byAccount.get(n.account) ?? [];
      list.push(n);
      this.byAccount.set(n.account, list);
    }
  }
  find(account: string, number: string, extension = '', day: Day | null = null): NumberRow | null {
    const list = this.byAccount.get(account);
    if (!list || number === '') return null;
    let best: NumberRow | null = null;
    let bestScore = -1;
    for (const r of list) {
      const holds =
        r.number === number ||
        r.altCdrNumbers.includes(number) ||
        (r.rangeEnd !== '' && number.length === r.number.length && number >= r.number && number <= r.rangeEnd);
      if (!holds) continue;
      const inWindow = day === null || ((r.callsStartDate ?? r.dateSold) <= day && (r.droppedDate === null || day <= r.droppedDate));
      const score = (inWindow ? 4 : 0) + (r.extension === extension ? 2 : 0) + (r.extension === '' ? 1 : 0);
      if (score > bestScore) {
        best = r;
        bestScore = score;
      }
    }
    return best;
  }
}

/** A customer is billed while Active, and once more for the period it left in (its final invoice). */
function isDue(c: Customer, month: Month): boolean {
  if (c.status === 'Active') return true;
  return c.archivedDate !== null && c.archivedDate >= month.first;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function runBilling(req: BillingRequest): Result<BillingRun, Issue[]> {
  const p = parsePeriod(req.period);
  if (!p) return err([issue('error', 'BAD_PERIOD', `period must be YYYY-MM (got "${req.period}")`)]);
  const month = monthOf(p.y, p.m);
  const period = monthKey(month);
  const { rows, history } = req;
  const s = rows.settings;
  if (req.final) {
    if (!history) return err([issue('error', 'FINAL_NEEDS_HISTORY', 'finalising needs a data directory (--data) to keep the billing history')]);
    const last = history.finalPeriods[history.finalPeriods.length - 1];
    if (last !== undefined && period <= last) {
      return err([
        issue('error', 'PERIOD_CLOSED', period === last || history.finalPeriods.includes(period)
          ? `${period} is already final; a final invoice never changes`
          : `${period} is before the last final period ${last}; closed periods are corrected by adjustments on the next invoice`),
      ]);
    }
  }

  const zone = s.timezone;
  const startMs = localToUtc(zone, Date.UTC(p.y, p.m - 1, 1)).utcMs;
  const endMs = localToUtc(zone, Date.UTC(p.y, p.m, 1)).utcMs;
  const numbers = new NumberIndex(rows.numbers);
  const plans = compilePlans(rows.discounts);
  const roundingOf = new Map<string, Rounding>(rows.tariffs.map((t) => [t.tariff, t.rounding ?? s.rounding]));
  const due = rows.customers.filter((c) => isDue(c, month)).sort((a, b) => byCodeUnits(a.account, b.account));
  const dueAccounts = new Set(due.map((c) => c.account));
  const featuresBy = new Map<string, FeatureRow[]>();
  for (const f of rows.features) {
    const list = featuresBy.get(f.account);
    if (list) list.push(f);
    else featuresBy.set(f.account, [f]);
  }

  // Usage: gather each due customer's billable calls.
  const callsBy = new Map<string, { call: RatedCall; row: NumberRow | null }[]>();
  const deferred: Deferral[] = [];
  let waitingCalls = 0;
  for (const call of req.calls) {
    if (call.startMs >= endMs) continue;
    if (!dueAccounts.has(call.account)) continue;
    if (history ? history.billedCalls.has(callKey(call)) : call.startMs < startMs) continue;
    const day = Math.floor(utcToLocalMs(zone, call.startMs) / 86_400_000);
    const row = numbers.find(call.account, call.number, call.extension, day);
    if (row?.status === 'NonBillable') {
      waitingCalls++;
      continue;
    }
    const list = callsBy.get(call.account) ?? [];
    list.push({ call, row });
    callsBy.set(call.account, list);
  }

  const invoices: Invoice[] = [];
  const additions: HistoryAdditions = { period, nextSequence: history?.nextSequence ?? 1, billedCalls: [], features: [] };
  let sequence = history?.nextSequence ?? 1;

  for (const customer of due) {
    const lines: InvoiceLine[] = [];
    const calls = (callsBy.get(customer.account) ?? []).sort(
      (a, b) => a.call.startMs - b.call.startMs || byCodeUnits(a.call.file, b.call.file) || a.call.line - b.call.line,
    );

    // One usage line per site, number and call class.
    const usage = new Map<string, { site: string; number: string; cls: CallClass; count: number; sum: Micro }>();
    for (const { call } of calls) {
      const key = `${call.site}\u0000${call.number}\u0000${call.callClass}`;
      const u = usage.get(key) ?? { site: call.site, number: call.number, cls: call.callClass, count: 0, sum: 0 };
      u.count++;
      u.sum += call.charge;
      usage.set(key, u);
    }
    for (const u of usage.values()) {
      lines.push({ kind: 'usage', site: u.site, number: u.number, description: `${u.cls} calls`, callClass: u.cls, quantity: u.count, unitPrice: null, amount: round2(u.sum) });
    }

    // Recurring and one-off charges of this period.
    const features = featuresBy.get(customer.account) ?? [];
    for (const f of features) {
      const row = f.number === '' ? null : numbers.find(f.account, f.number);
      const charge = chargeForMonth(f, customer, row, month);
      const fkey = featureKey(f.account, f.number, f.feature, f.startDate);
      switch (charge.kind) {
        case 'deferred':
          deferred.push({ account: f.account, number: f.number, what: f.feature, reason: charge.reason });
          break;
        case 'none':
          break;
        case 'charge': {
          const kind = f.kind === 'OneOff' ? 'oneoff' : 'recurring';
          const amount = charge.amount;
          lines.push({
            kind,
            site: row?.site ?? '',
            number: f.number,
            description: kind === 'oneoff' ? f.feature : `${f.feature}, ${chargeSpan(charge.from, charge.to)}`,
            quantity: charge.quantity,
            unitPrice: charge.unitPrice,
            amount,
          });
          additions.features.push([fkey, period, amount]);
          break;
        }
      }
    }

    // Adjustments: what closed periods should have carried under today's workbook.
    if (history) {
      for (const closed of history.finalPeriods) {
        if (closed >= period) continue;
        const [cy, cm] = closed.split('-').map(Number);
        const cmonth = monthOf(cy, cm);
        for (const f of features) {
          const row = f.number === '' ? null : numbers.find(f.account, f.number);
          const charge = chargeForMonth(f, customer, row, cmonth);
          if (charge.kind === 'deferred') continue;
          const fkey = featureKey(f.account, f.number, f.feature, f.startDate);
          const billed = history.features.get(fkey)?.get(closed) ?? 0;
          const should = charge.kind === 'charge' ? charge.amount : 0;
          const diff = should - billed;
          if (diff === 0) continue;
          lines.push({
            kind: 'adjustment',
            site: row?.site ?? '',
            number: f.number,
            description: `${f.feature}, ${closed}: ${diff > 0 ? 'charge not billed before' : 'refund of days billed after it ended'}`,
            quantity: 1,
            unitPrice: null,
            amount: diff,
          });
          additions.features.push([fkey, closed, diff]);
        }
      }
    }

    // Discounts, per call in its own decimals and rounding.
    const discounted: DiscountedCall[] = calls.map(({ call, row }) => ({
      call,
      plan: row?.discountPlan || customer.discountPlan,
      rounding: roundingOf.get(call.tariff) ?? s.rounding,
    }));
    const d = applyDiscounts(discounted, plans, zone);
    for (const { rule, amount } of d.lines) {
      const rounded = round2(amount);
      if (rounded === 0) continue;
      const what = rule.row.kind === 'InclusiveMinutes'
        ? `${formatMicro(rule.row.value, 6).replace(/\.?0+$/, '')} inclusive minutes${rule.row.scope === 'Account' ? ' (shared)' : ' per number'}`
        : `${formatMicro(rule.row.value, 6).replace(/\.?0+$/, '')}% discount`;
      lines.push({ kind: 'discount', site: '', number: '', description: `${rule.row.plan}: ${what}${rule.row.applies ? ` on ${rule.row.applies}` : ''}`, quantity: 1, unitPrice: null, amount: -rounded });
    }

    if (lines.length === 0 && !customer.zeroInvoice) continue;

    const sum = (k: InvoiceLine['kind']): Micro => lines.reduce((acc, l) => (l.kind === k ? acc + l.amount : acc), 0);
    const usageTotal = sum('usage');
    const recurring = sum('recurring');
    const oneoff = sum('oneoff');
    const adjustments = sum('adjustment');
    const discounts = -sum('discount');
    const net = usageTotal + recurring + oneoff + adjustments - discounts;
    const taxRate = customer.taxRate ?? s.taxRate;
    const tax = percentOf(net, taxRate, 2, 'HalfUp');
    const invoiceDate = month.last + 1;
    const itemised: ItemisedCall[] = calls.map(({ call }, i) => ({ call, discount: d.perCall[i], late: call.startMs < startMs }));
    invoices.push({
      invoice: `${s.invoicePrefix}${String(sequence).padStart(6, '0')}`,
      sequence,
      account: customer.account,
      customer,
      periodStart: month.first,
      periodEnd: month.last,
      invoiceDate,
      dueDate: invoiceDate + (customer.paymentTermsDays ?? 30),
      currency: s.currency,
      taxRate,
      lines: sortLines(lines),
      usage: usageTotal,
      recurring,
      oneoff,
      adjustments,
      discounts,
      net,
      tax,
      total: net + tax,
      creditNote: net + tax < 0,
      draft: !req.final,
      calls: itemised,
    });
    sequence++;
    for (const { call } of calls) additions.billedCalls.push(callKey(call));
  }
  additions.nextSequence = sequence;
  // Features of customers with nothing to bill stay unrecorded: nothing was billed for them.
  const invoiced = new Set(invoices.map((i) => i.account));
  additions.features = additions.features.filter(([fkey]) => invoiced.has(fkey.slice(0, fkey.indexOf('|'))));
  return ok({ period, periodStart: month.first, periodEnd: month.last, invoices, deferred, waitingCalls, additions });
}

const KIND_ORDER: Record<InvoiceLine['kind'], number> = { recurring: 0, oneoff: 1, usage: 2, adjustment: 3, discount: 4 };

/** Grouped by site then number, account-level lines and discounts last. */
function sortLines(lines: InvoiceLine[]): InvoiceLine[] {
  return lines
    .map((l, i) => ({ l, i }))
    .sort((a, b) => {
      const aSite = a.l.kind === 'discount' ? '\uffff' : a.l.site;
      const bSite = b.l.kind === 'discount' ? '\uffff' : b.l.site;
      return byCodeUnits(aSite, bSite) || byCodeUnits(a.l.number, b.l.number) || KIND_ORDER[a.l.kind] - KIND_ORDER[b.l.kind] || a.i - b.i;
    })
    .map((x) => x.l);
}
