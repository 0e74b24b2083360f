// What-if (SPEC §7 POST /api/runs/:id/whatif): two sets of rated calls — the run as it stands and
// the same calls rated with another version — totalled by customer, call class and destination,
// and compared. Sums are exact integer micro-units; they become decimal strings only at the end.

import type { RatedCall } from '../cdr/cdr.js';
import { formatMicro, type Micro } from '../money.js';

/** Calls, charge and carrier cost of a group of rated calls. */
export interface RatedFigures {
  calls: number;
  charge: Micro;
  cost: Micro;
}

const zero = (): RatedFigures => ({ calls: 0, charge: 0, cost: 0 });

/** What a comparison needs of a rated call. */
export type RatedPart = Pick<RatedCall, 'account' | 'callClass' | 'destination' | 'charge' | 'cost'>;

/** One set of rated calls, totalled as a whole and by account, class and destination. */
export class RatedTotals {
  readonly all: RatedFigures = zero();
  readonly byAccount = new Map<string, RatedFigures>();
  readonly byClass = new Map<string, RatedFigures>();
  readonly byDestination = new Map<string, RatedFigures>();

  add(call: RatedPart): void {
    const cost = call.cost ?? 0;
    for (const f of [this.all, group(this.byAccount, call.account), group(this.byClass, call.callClass), group(this.byDestination, call.destination)]) {
      f.calls++;
      f.charge += call.charge;
      f.cost += cost;
    }
  }
}

function group(m: Map<string, RatedFigures>, key: string): RatedFigures {
  let f = m.get(key);
  if (!f) m.set(key, (f = zero()));
  return f;
}

/** One group in both sets: charges as decimal strings, change = after − before. */
export interface GroupChange {
  key: string;
  before: string;
  after: string;
  change: string;
  callsBefore: number;
  callsAfter: number;
}

/**
 * Every group of either set, the biggest change (either way) first, then by key: what a reviewer
 * reads first. Groups that did not change are kept (their change is 0.00), so nothing is hidden.
 */
export function compareGroups(before: Map<string, RatedFigures>, after: Map<string, RatedFigures>): GroupChange[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const rows = [...keys].map((key) => {
    const b = before.get(key) ?? zero();
    const a = after.get(key) ?? zero();
    return { key, b, a, delta: a.charge - b.charge };
  });
  rows.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return rows.map(({ key, b, a, delta }) => ({ key, before: moneyText(b.charge), after: moneyText(a.charge), change: moneyText(delta), callsBefore: b.calls, callsAfter: a.calls }));
}

/** An amount as summary.json writes it: at least two decimals, no trailing zeros past them (`348.9474`, `12.50`, `-0.0012`). */
export function moneyText(m: Micro): string {
  const s = formatMicro(m, 6);
  let end = s.length;
  const point = s.indexOf('.');
  while (end > point + 3 && s.charCodeAt(end - 1) === 48) end--;
  return s.slice(0, end);
}
