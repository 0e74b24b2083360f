// The reports a billing run writes beside its invoices: margins (charge − carrier cost) and the
// monthly housekeeping checks a billing team runs before sending invoices out.

import type { CallException, RatedCall } from '../cdr/cdr.js';
import { formatDay } from '../day.js';
import type { BillingRun } from './invoice.js';
import { formatMicro, mulDivRound, type Micro } from '../money.js';
import type { SheetRows } from '../workbook/rows.js';
import type { Table } from '../tables.js';
import { formatLocalIso } from '../zone.js';

interface Margin {
  calls: number;
  seconds: number;
  charge: Micro;
  cost: Micro;
  /** Calls with no carrier cost: their margin is unknown and left out of cost. */
  noCost: number;
}

const m4 = (v: Micro): string => formatMicro(v, 4);

function marginTable(name: string, keyHeader: string, groups: Map<string, Margin>): Table {
  const rows = [...groups]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([key, g]) => {
      const margin = g.charge - g.cost;
      // Percent with two decimals, on integers: margin × 100% / charge.
      const pct = g.charge === 0 ? '' : formatMicro(mulDivRound(margin, 10_000, g.charge, 'HalfUp') * 10_000, 2);
      return [key, g.calls, g.seconds, m4(g.charge), m4(g.cost), m4(margin), pct, g.noCost];
    });
  return {
    name,
    columns: [
      { header: keyHeader, kind: 'text', width: 26 },
      { header: 'calls', kind: 'int', width: 9 },
      { header: 'seconds', kind: 'int', width: 10 },
      { header: 'charge', kind: 'money', decimals: 4, width: 12 },
      { header: 'cost', kind: 'money', decimals: 4, width: 12 },
      { header: 'margin', kind: 'money', decimals: 4, width: 12 },
      { header: 'margin_percent', kind: 'text', width: 10 },
      { header: 'calls_without_cost', kind: 'int', width: 10 },
    ],
    rows,
  };
}

function addTo(groups: Map<string, Margin>, key: string, c: RatedCall): void {
  let g = groups.get(key);
  if (!g) {
    g = { calls: 0, seconds: 0, charge: 0, cost: 0, noCost: 0 };
    groups.set(key, g);
  }
  g.calls++;
  g.seconds += c.billedSeconds;
  g.charge += c.charge;
  if (c.cost === null) g.noCost++;
  else g.cost += c.cost;
}

/** Margins over the calls the run bills, by customer, destination and call class, and every loss-making call. */
export function marginReports(run: BillingRun, zone: string, maxLossRows = 100_000): Table[] {
  const byCustomer = new Map<string, Margin>();
  const byDestination = new Map<string, Margin>();
  const byClass = new Map<string, Margin>();
  const losses: (string | number)[][] = [];
  for (const inv of run.invoices) {
    for (const { call } of inv.calls) {
      addTo(byCustomer, call.account, call);
      addTo(byDestination, call.destination, call);
      addTo(byClass, call.callClass, call);
      if (call.cost !== null && call.charge < call.cost && losses.length < maxLossRows) {
        losses.push([
          inv.invoice, call.account, call.file, call.line, formatLocalIso(zone, call.startMs), call.number, call.called,
          call.destination, call.duration, m4(call.charge), m4(call.cost), m4(call.charge - call.cost),
        ]);
      }
    }
  }
  return [
    marginTable('margin_by_customer', 'account', byCustomer),
    marginTable('margin_by_destination', 'destination', byDestination),
    marginTable('margin_by_class', 'class', byClass),
    {
      name: 'loss_making_calls',
      columns: ['invoice', 'account', 'file', 'line', 'start', 'number', 'called', 'destination', 'duration', 'charge', 'cost', 'margin'].map((h) => ({
        header: h,
        kind: h === 'charge' || h === 'cost' || h === 'margin' ? ('money' as const) : h === 'line' || h === 'duration' ? ('int' as const) : ('text' as const),
        decimals: 4,
      })),
      rows: losses,
      note: losses.length >= maxLossRows ? `first ${maxLossRows} loss-making calls` : undefined,
    },
  ];
}

/** The monthly checks: one row per finding, with what to do about it. */
export function housekeepingReport(rows: SheetRows, run: BillingRun, unknownNumbers: readonly CallException[]): Table {
  const findings: string[][] = [];
  const add = (check: string, subject: string, detail: string): void => void findings.push([check, subject, detail]);
  const assigned = new Set(rows.tariffAssignments.filter((a) => a.tariff !== '' || a.markup !== null).map((a) => a.account));
  for (const c of rows.customers) {
    if (c.status !== 'Active') continue;
    if (c.tariff === '' && c.markup === null && !assigned.has(c.account)) add('Customer without a tariff', c.account, `${c.name}: calls will not rate (NO_TARIFF)`);
    if (c.email === '') add('Customer without an email', c.account, `${c.name}: invoices cannot be emailed`);
    if (c.address === '') add('Customer without an address', c.account, `${c.name}: a VAT invoice needs the customer's address`);
    if (c.paymentMethod === null) add('Customer without a payment method', c.account, `${c.name}: set PaymentMethod`);
  }
  const withCalls = new Set<string>();
  for (const inv of run.invoices) for (const { call } of inv.calls) withCalls.add(`${call.account}|${call.number}`);
  for (const n of rows.numbers) {
    const live = n.status === 'Active' && (n.droppedDate === null || n.droppedDate >= run.periodStart) && (n.callsStartDate ?? n.dateSold) <= run.periodEnd;
    if (live && n.rangeEnd === '' && !withCalls.has(`${n.account}|${n.number}`)) {
      add('Number with no calls this period', n.number, `${n.account}${n.extension ? ` extension ${n.extension}` : ''}: no rated calls in ${run.period}`);
    }
    if (n.status === 'Dropped') {
      for (const f of rows.features) {
        if (f.account !== n.account || f.number !== n.number || f.kind !== 'Recurring') continue;
        const stillRuns = n.droppedDate === null || f.endDate === null || f.endDate > n.droppedDate;
        if (stillRuns) add('Dropped number whose features still run', n.number, `${n.account}: ${f.feature} has no EndDate on or before the DroppedDate ${n.droppedDate === null ? '(none)' : formatDay(n.droppedDate)}`);
      }
    }
  }
  const unknown = new Map<string, number>();
  for (const e of unknownNumbers) {
    if (e.reason !== 'UNKNOWN_NUMBER') continue;
    unknown.set(e.caller, (unknown.get(e.caller) ?? 0) + 1);
  }
  for (const [num, count] of [...unknown].sort((a, b) => b[1] - a[1])) add('Number in CDRs that no customer owns', num, `${count} call(s): add it to Numbers`);
  const used = new Set<string>([...rows.customers.map((c) => c.tariff), ...rows.tariffAssignments.map((a) => a.tariff)]);
  for (const t of rows.tariffs) if (!used.has(t.tariff)) add('Tariff no one uses', t.tariff, 'no customer or assignment names it');
  return {
    name: 'housekeeping',
    columns: [
      { header: 'check', kind: 'text', width: 36 },
      { header: 'subject', kind: 'text', width: 18 },
      { header: 'detail', kind: 'text', width: 70 },
    ],
    rows: findings,
  };
}
