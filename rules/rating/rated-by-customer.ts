// The `Rated by customer` tab a run writes back to a Google Sheet (SPEC §7.1): per account and call
// class, the calls, their billed seconds, the charge at the tariff's ChargeDecimals and the cost —
// summed exactly in micro-units, no total row. Fed call by call (a run's rated.csv can hold
// millions), so only one entry per account and class is kept.

import { CALL_CLASSES } from '../workbook/rows.js';
import { formatMicro, formatMicroShort, parseMicro, type Micro } from '../money.js';
import type { Table } from '../tables.js';
import { RATED_HEADER } from './call-rows.js';

export const RATED_BY_CUSTOMER_TAB = 'Rated by customer';

interface Group {
  account: string;
  callClass: string;
  calls: number;
  seconds: number;
  charge: Micro;
  /** The most decimals any of its charges had (a tariff's ChargeDecimals). */
  decimals: number;
  cost: Micro;
  /** Whether any of its calls had a cost (none: the cell stays empty rather than 0). */
  costed: boolean;
}

const col = (name: (typeof RATED_HEADER)[number]): number => RATED_HEADER.indexOf(name);
const ACCOUNT = col('account');
const CLASS = col('class');
const BILLED = col('billed_seconds');
const CHARGE = col('charge');
const COST = col('cost');

const classOrder = new Map<string, number>(CALL_CLASSES.map((c, i) => [c, i]));

/** Decimals written in a decimal text ("1.2500" -> 4). */
const decimalsOf = (text: string): number => {
  const p = text.indexOf('.');
  return p < 0 ? 0 : text.length - p - 1;
};

export class RatedByCustomer {
  private readonly groups = new Map<string, Group>();

  add(account: string, callClass: string, billedSeconds: number, charge: Micro, chargeDecimals: number, cost: Micro | null): void {
    const key = `${account}\u0000${callClass}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { account, callClass, calls: 0, seconds: 0, charge: 0, decimals: 0, cost: 0, costed: false }));
    g.calls++;
    g.seconds += billedSeconds;
    g.charge += charge;
    if (chargeDecimals > g.decimals) g.decimals = chargeDecimals;
    if (cost !== null) {
      g.cost += cost;
      g.costed = true;
    }
  }

  /** A row of rated.csv as its fields; false (and nothing added) when its numbers cannot be read. */
  addCsvFields(f: readonly string[]): boolean {
    if (f.length < RATED_HEADER.length) return false;
    const billed = Number(f[BILLED]);
    const charge = parseMicro(f[CHARGE]);
    const cost = f[COST] === '' ? null : parseMicro(f[COST]);
    if (!Number.isSafeInteger(billed) || !charge.ok || (cost !== null && !cost.ok)) return false;
    this.add(f[ACCOUNT], f[CLASS], billed, charge.value, Math.min(6, decimalsOf(f[CHARGE])), cost === null ? null : cost.value);
    return true;
  }

  table(): Table {
    const groups = [...this.groups.values()].sort(
      (a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : (classOrder.get(a.callClass) ?? 99) - (classOrder.get(b.callClass) ?? 99) || (a.callClass < b.callClass ? -1 : a.callClass > b.callClass ? 1 : 0)),
    );
    const decimals = groups.reduce((m, g) => Math.max(m, g.decimals), 2);
    return {
      name: RATED_BY_CUSTOMER_TAB,
      columns: [
        { header: 'account', kind: 'text', width: 12 },
        { header: 'class', kind: 'text', width: 16 },
        { header: 'calls', kind: 'int', width: 9 },
        { header: 'seconds', kind: 'int', width: 10 },
        { header: 'charge', kind: 'money', decimals, width: 11 },
        { header: 'cost', kind: 'money', decimals: 4, width: 11 },
      ],
      rows: groups.map((g) => [g.account, g.callClass, g.calls, g.seconds, formatMicro(g.charge, g.decimals), g.costed ? formatMicroShort(g.cost) : null]),
    };
  }
}
