// Discounts within one invoice (SPEC §3): inclusive minutes consumed in start order per number or
// per account pool, then percentages of what is left, each through its Applies expression; per
// call in the call's own decimals and rounding, summed into one line per Discounts row.

import type { RatedCall } from '../cdr/cdr.js';
import { compileExpression, truthy, APPLIES_VARIABLES, type CompiledExpr } from '../workbook/expr.js';
import { mulDivRound, percentOf, type Micro, type Rounding } from '../money.js';
import type { DiscountRow } from '../workbook/rows.js';
import { WEEKDAYS } from '../workbook/rows.js';
import { utcToLocalMs } from '../zone.js';

export interface PlanRule {
  /** Index in the Discounts tab: the identity of its invoice line and allowance. */
  index: number;
  row: DiscountRow;
  applies: CompiledExpr | null;
}

/** Discount rules by plan name, in tab order. Applies that does not compile was reported by validation. */
export function compilePlans(discounts: readonly DiscountRow[]): Map<string, PlanRule[]> {
  const plans = new Map<string, PlanRule[]>();
  discounts.forEach((row, index) => {
    let applies: CompiledExpr | null = null;
    if (row.applies.trim() !== '') {
      const c = compileExpression(row.applies, APPLIES_VARIABLES);
      if (!c.ok) return;
      applies = c.value;
    }
    const list = plans.get(row.plan) ?? [];
    list.push({ index, row, applies });
    plans.set(row.plan, list);
  });
  return plans;
}

export interface DiscountedCall {
  call: RatedCall;
  plan: string;
  rounding: Rounding;
}

export interface DiscountResult {
  /** Per call, positive, same order as the input. */
  perCall: Micro[];
  /** One per Discounts row that touched a call: the sum of its per-call discounts. */
  lines: { rule: PlanRule; amount: Micro }[];
}

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

function scopeOf(c: RatedCall, zone: string): Record<string, unknown> {
  const local = new Date(utcToLocalMs(zone, c.startMs));
  return {
    class: c.callClass,
    destination: c.destination,
    band: c.band,
    direction: c.direction,
    duration: c.duration,
    billed: c.billedSeconds,
    // A predicate input, never an amount: the discount itself is computed on exact integers.
    charge: c.charge / 1e6,
    cost: c.cost === null ? 0 : c.cost / 1e6,
    number: c.number,
    site: c.site,
    extension: c.extension,
    account: c.account,
    hour: local.getUTCHours(),
    weekday: WEEKDAYS[(local.getUTCDay() + 6) % 7],
  };
}

function matches(rule: PlanRule, scope: Record<string, unknown>): boolean {
  if (!rule.applies) return true;
  const r = rule.applies.evaluate(scope);
  return r.ok && truthy(r.value);
}

/** `calls` must be in start-then-line order: allowances are consumed in that order. */
export function applyDiscounts(calls: readonly DiscountedCall[], plans: Map<string, PlanRule[]>, zone: string): DiscountResult {
  const perCall = new Array<Micro>(calls.length).fill(0);
  const totals = new Map<number, { rule: PlanRule; amount: Micro }>();
  /** Remaining allowance in micro-seconds, per rule and number or account. */
  const allowance = new Map<string, number>();
  const add = (rule: PlanRule, amount: Micro): void => {
    const t = totals.get(rule.index) ?? { rule, amount: 0 };
    t.amount += amount;
    totals.set(rule.index, t);
  };

  calls.forEach((dc, i) => {
    const rules = plans.get(dc.plan);
    if (!rules || dc.call.charge <= 0) return;
    const c = dc.call;
    const unit = POW10[6 - c.chargeDecimals];
    const scope = scopeOf(c, zone);
    let discount = 0;
    let uncoveredUs = c.billedSeconds * 1_000_000;
    for (const rule of rules) {
      if (rule.row.kind !== 'InclusiveMinutes' || uncoveredUs <= 0 || c.billedSeconds === 0 || !matches(rule, scope)) continue;
      const key = `${rule.index}|${rule.row.scope === 'Account' ? c.account : c.number}`;
      // Value is minutes in micro-units: × 60 gives micro-seconds.
      const left = allowance.get(key) ?? rule.row.value * 60;
      const covered = Math.min(left, uncoveredUs);
      if (covered <= 0) continue;
      allowance.set(key, left - covered);
      uncoveredUs -= covered;
      const d = mulDivRound(c.charge, covered, c.billedSeconds * 1_000_000 * unit, dc.rounding) * unit;
      discount += d;
      add(rule, d);
    }
    for (const rule of rules) {
      if (rule.row.kind !== 'Percentage' || !matches(rule, scope)) continue;
      const remaining = c.charge - discount;
      if (remaining <= 0) break;
      const d = percentOf(remaining, rule.row.value, c.chargeDecimals, dc.rounding);
      discount += d;
      add(rule, d);
    }
    perCall[i] = discount;
  });
  return { perCall, lines: [...totals.values()].sort((a, b) => a.rule.index - b.rule.index) };
}
