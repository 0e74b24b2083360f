// What a billing team reads first after a run: per exception reason, how many calls, seconds and
// carrier cost, what usually fixes it, and the numbers and destinations behind it.

import { EXCEPTION_REASONS, type CallException, type ExceptionReason } from '../cdr/cdr.js';
import { formatMicro, type Micro } from '../money.js';
import type { Table } from '../tables.js';
import { TopCounter } from './top-counter.js';

export const USUAL_FIX: Record<ExceptionReason, string> = {
  INVALID_RECORD: 'Fix the CDR export (the detail names the field), or correct the line and rate it again.',
  DUPLICATE: 'Usually nothing: the switch sent the record twice. Many of them point at the mediation feed.',
  UNKNOWN_NUMBER: 'Add the number, or a range holding it, to Numbers with its customer.',
  NUMBER_INACTIVE: "Check DateSold, CallsStartDate and DroppedDate in Numbers, and the customer's Status.",
  SUSPECTED_FRAUD: 'Check with the customer; release the calls if they are genuine.',
  UNKNOWN_DESTINATION: 'Add the prefix to Destinations.',
  NO_TARIFF: 'Give the customer a Tariff or Markup (Customers or TariffAssignments).',
  NO_RATE: 'Add a Rates row for the tariff, destination and band, or a FallbackMarkup.',
};

interface ReasonTotals {
  count: number;
  seconds: number;
  cost: Micro;
  numbers: TopCounter;
  destinations: TopCounter;
}

export class ExceptionSummary {
  private readonly totals = new Map<ExceptionReason, ReasonTotals>();

  add(e: CallException): void {
    let t = this.totals.get(e.reason);
    if (!t) {
      t = { count: 0, seconds: 0, cost: 0, numbers: new TopCounter(), destinations: new TopCounter() };
      this.totals.set(e.reason, t);
    }
    t.count++;
    t.seconds += e.duration ?? 0;
    t.cost += e.cost ?? 0;
    t.numbers.add(e.callerN ?? e.caller);
    t.destinations.add(e.calledN ?? e.called);
  }

  counts(): Partial<Record<ExceptionReason, number>> {
    const out: Partial<Record<ExceptionReason, number>> = {};
    for (const r of EXCEPTION_REASONS) {
      const t = this.totals.get(r);
      if (t) out[r] = t.count;
    }
    return out;
  }

  total(): number {
    let n = 0;
    for (const t of this.totals.values()) n += t.count;
    return n;
  }

  table(): Table {
    const rows = EXCEPTION_REASONS.filter((r) => this.totals.has(r)).map((r) => {
      const t = this.totals.get(r)!;
      return [r, t.count, t.seconds, formatMicro(t.cost, 4), USUAL_FIX[r], t.numbers.top(5), t.destinations.top(5)];
    });
    return {
      name: 'Summary',
      columns: [
        { header: 'Reason', kind: 'text', width: 22 },
        { header: 'Calls', kind: 'int', width: 9 },
        { header: 'Seconds', kind: 'int', width: 10 },
        { header: 'Cost', kind: 'money', decimals: 4, width: 10 },
        { header: 'Usual fix', kind: 'text', width: 60 },
        { header: 'Most frequent callers', kind: 'text', width: 48 },
        { header: 'Most frequent called numbers', kind: 'text', width: 48 },
      ],
      rows,
    };
  }
}
