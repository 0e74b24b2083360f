// Checks across tabs (SPEC §1): references, uniqueness, numbers owned twice at once, rate windows,
// time bands, rate slots, expressions; then the warnings. Pure and O(n log n): ranges of up to
// 1,000,000 numbers are compared as intervals, never expanded.

import { formatDay, type Day } from './day.js';
import { APPLIES_VARIABLES, compileExpression, identifierFor } from './expr.js';
import { fieldAddress, type ColumnPositions } from './parse.js';
import { issue, type Issue } from './result.js';
import { WEEKDAYS, type NumberRow, type RateRow, type SheetRows } from './rows.js';
import type { TabKey } from './columns.js';

export function checkWorkbook(rows: SheetRows, positions: ColumnPositions = {}): Issue[] {
  const issues: Issue[] = [];
  const at = (tab: TabKey, field: string, row: number): string => fieldAddress(positions, tab, field, row);
  const error = (tab: TabKey, field: string, row: number, code: string, message: string): void => void issues.push(issue('error', code, message, at(tab, field, row)));
  const warn = (tab: TabKey, field: string, row: number, code: string, message: string): void => void issues.push(issue('warning', code, message, at(tab, field, row)));

  // Uniqueness.
  const unique = <T extends { row: number }>(tab: TabKey, field: string, list: T[], keyOf: (r: T) => string, code: string, what: string): Map<string, T> => {
    const seen = new Map<string, T>();
    for (const r of list) {
      const k = keyOf(r);
      const first = seen.get(k);
      if (first) error(tab, field, r.row, code, `${what} ${k} is already on row ${first.row}`);
      else seen.set(k, r);
    }
    return seen;
  };
  const customers = unique('customers', 'account', rows.customers, (c) => c.account, 'DUPLICATE_ACCOUNT', 'Account');
  const tariffs = unique('tariffs', 'tariff', rows.tariffs, (t) => t.tariff, 'DUPLICATE_TARIFF', 'Tariff');
  unique('destinations', 'prefix', rows.destinations, (d) => d.prefix, 'DUPLICATE_PREFIX', 'Prefix');
  const destinations = new Set(rows.destinations.map((d) => d.destination));
  const bands = new Set(rows.timeBands.map((b) => b.timeBand));
  const plans = new Set(rows.discounts.map((d) => d.plan));

  // References.
  const needAccount = (tab: TabKey, list: { account: string; row: number }[]): void => {
    for (const r of list) if (!customers.has(r.account)) error(tab, 'account', r.row, 'UNKNOWN_ACCOUNT', `Account ${r.account} is not in Customers`);
  };
  needAccount('numbers', rows.numbers);
  needAccount('tariffAssignments', rows.tariffAssignments);
  needAccount('features', rows.features);
  const needTariff = (tab: TabKey, list: { tariff: string; row: number }[]): void => {
    for (const r of list) if (r.tariff !== '' && !tariffs.has(r.tariff)) error(tab, 'tariff', r.row, 'UNKNOWN_TARIFF', `Tariff ${r.tariff} is not in Tariffs`);
  };
  needTariff('customers', rows.customers);
  needTariff('rates', rows.rates);
  needTariff('tariffAssignments', rows.tariffAssignments);
  for (const r of rows.rates) {
    if (!destinations.has(r.destination)) error('rates', 'destination', r.row, 'UNKNOWN_DESTINATION', `Destination ${r.destination} is not in Destinations`);
    if (r.timeBand !== '' && !bands.has(r.timeBand)) error('rates', 'timeBand', r.row, 'UNKNOWN_TIMEBAND', `TimeBand ${r.timeBand} is not in TimeBands`);
  }
  for (const c of rows.customers) {
    if (c.discountPlan !== '' && !plans.has(c.discountPlan)) error('customers', 'discountPlan', c.row, 'UNKNOWN_PLAN', `DiscountPlan ${c.discountPlan} is not in Discounts`);
  }
  for (const n of rows.numbers) {
    if (n.discountPlan !== '' && !plans.has(n.discountPlan)) error('numbers', 'discountPlan', n.row, 'UNKNOWN_PLAN', `DiscountPlan ${n.discountPlan} is not in Discounts`);
    if (n.numberType !== '' && n.numberType.toLowerCase() !== 'autodetect' && !destinations.has(n.numberType)) {
      error('numbers', 'numberType', n.row, 'UNKNOWN_NUMBER_TYPE', `NumberType ${n.numberType} is not a Destination (or write AutoDetect)`);
    }
  }

  checkClaims(rows.numbers, (row, message) => error('numbers', 'number', row, 'NUMBER_CLAIMED_TWICE', message), at);
  checkRates(rows.rates, error, warn);
  checkTimeBands(rows, error, (message) => issues.push(issue('warning', 'TIMEBANDS_UNCOVERED', message, 'TimeBands')));

  // Expressions compile in the sandbox.
  for (const d of rows.discounts) {
    if (d.applies.trim() === '') continue;
    const c = compileExpression(d.applies, APPLIES_VARIABLES);
    if (!c.ok) error('discounts', 'applies', d.row, 'EXPR_INVALID', `Applies: ${c.error}`);
  }
  const formats = new Map<string, typeof rows.cdrFormats>();
  for (const f of rows.cdrFormats) push(formats, f.format, f);
  for (const [name, list] of formats) {
    const columns = list.filter((f) => f.field !== 'timezone' && !/^\d+$/.test(f.column.trim())).map((f) => identifierFor(f.column));
    for (const f of list) {
      if (f.transform.trim() === '') continue;
      const c = compileExpression(f.transform, ['value', ...columns]);
      if (!c.ok) error('cdrFormats', 'transform', f.row, 'EXPR_INVALID', `Transform: ${c.error}`);
    }
    const fields = new Set(list.map((f) => f.field));
    const lacking = ['start', 'duration', 'caller', 'called'].filter((f) => !fields.has(f));
    if (lacking.length > 0) error('cdrFormats', 'field', list[0].row, 'FORMAT_INCOMPLETE', `format ${name} has no row for ${lacking.join(', ')}`);
    const seen = new Set<string>();
    for (const f of list) {
      if (seen.has(f.field)) error('cdrFormats', 'field', f.row, 'FORMAT_DUPLICATE_FIELD', `format ${name} maps ${f.field} twice`);
      seen.add(f.field);
    }
  }

  // Warnings.
  const assigned = new Set(rows.tariffAssignments.filter((a) => a.tariff !== '' || a.markup !== null).map((a) => a.account));
  for (const c of rows.customers) {
    if (c.tariff === '' && c.markup === null && !assigned.has(c.account)) warn('customers', 'tariff', c.row, 'NO_TARIFF_OR_MARKUP', `${c.account} has no Tariff and no Markup: its calls will not rate (NO_TARIFF)`);
  }
  const used = new Set([...rows.customers.map((c) => c.tariff), ...rows.tariffAssignments.map((a) => a.tariff)]);
  for (const t of rows.tariffs) if (!used.has(t.tariff)) warn('tariffs', 'tariff', t.row, 'TARIFF_UNUSED', `no customer or assignment uses Tariff ${t.tariff}`);
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Numbers owned twice at once

interface ClaimSpan {
  start: number;
  end: number;
  row: NumberRow;
  from: Day;
  to: Day;
  text: string;
}

const directionsCollide = (a: NumberRow, b: NumberRow): boolean =>
  a.direction === 'Both' || b.direction === 'Both' || a.direction === b.direction;

const windowText = (r: NumberRow): string => `${formatDay(r.callsStartDate ?? r.dateSold)}..${r.droppedDate === null ? 'open' : formatDay(r.droppedDate)}`;

function checkClaims(numbers: NumberRow[], report: (row: number, message: string) => void, at: (tab: TabKey, field: string, row: number) => string): void {
  const groups = new Map<string, ClaimSpan[]>();
  const add = (digits: string, end: string, row: NumberRow): void => {
    if (digits.length > 15) return;
    const key = `${digits.length}|${row.extension}`;
    const from = row.callsStartDate ?? row.dateSold;
    const span: ClaimSpan = { start: Number(digits), end: Number(end), row, from, to: row.droppedDate ?? Number.MAX_SAFE_INTEGER, text: digits };
    const list = groups.get(key);
    if (list) list.push(span);
    else groups.set(key, [span]);
  };
  for (const n of numbers) {
    add(n.number, n.rangeEnd === '' ? n.number : n.rangeEnd, n);
    for (const alt of n.altCdrNumbers) add(alt, alt, n);
  }
  const reported = new Set<string>();
  for (const list of groups.values()) {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    let active: ClaimSpan[] = [];
    for (const c of list) {
      active = active.filter((a) => a.end >= c.start);
      for (const a of active) {
        if (a.row === c.row || !directionsCollide(a.row, c.row) || a.to < c.from || c.to < a.from) continue;
        const pair = a.row.row < c.row.row ? `${a.row.row}|${c.row.row}` : `${c.row.row}|${a.row.row}`;
        if (reported.has(pair)) continue;
        reported.add(pair);
        const [first, second] = a.row.row < c.row.row ? [a, c] : [c, a];
        const shared = String(Math.max(a.start, c.start)).padStart(c.text.length, '0');
        report(
          second.row.row,
          `${shared}${second.row.extension ? ` extension ${second.row.extension}` : ''} is also claimed by ${at('numbers', 'number', first.row.row)} (${first.row.account}, ${windowText(first.row)}) on overlapping days; a number may move between customers, never be owned twice at once`,
        );
      }
      active.push(c);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rates

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

type Report = (tab: TabKey, field: string, row: number, code: string, message: string) => void;

function checkRates(rates: RateRow[], error: Report, warn: Report): void {
  const byKey = new Map<string, RateRow[]>();
  const bySlot = new Map<string, RateRow[]>();
  for (const r of rates) {
    const k = `${r.tariff}\u0000${r.destination}\u0000${r.timeBand}`;
    push(byKey, k, r);
    push(bySlot, `${k}\u0000${r.fromSecond}`, r);
    if (r.fromSecond > 0) {
      for (const [field, header] of [['connectionFee', 'ConnectionFee'], ['minimumCharge', 'MinimumCharge'], ['maximumCharge', 'MaximumCharge']] as const) {
        if (r[field] !== null) warn('rates', field, r.row, 'FEE_ON_LATER_SLOT', `${header} on a slot from second ${r.fromSecond} is ignored: only the first slot's applies`);
      }
    }
  }
  const lo = (d: Day | null): number => (d === null ? -Infinity : d);
  const hi = (d: Day | null): number => (d === null ? Infinity : d);
  const name = (r: RateRow): string => `Tariff ${r.tariff}, Destination ${r.destination}, band ${r.timeBand || '(blank)'}`;
  for (const list of bySlot.values()) {
    const sorted = [...list].sort((a, b) => lo(a.effectiveFrom) - lo(b.effectiveFrom));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      if (lo(cur.effectiveFrom) < hi(prev.effectiveTo)) {
        error('rates', 'effectiveFrom', cur.row, 'RATE_WINDOWS_OVERLAP', `${name(cur)} from second ${cur.fromSecond}: its dates overlap row ${prev.row}`);
      } else if (prev.effectiveTo !== null && cur.effectiveFrom !== null && cur.effectiveFrom > prev.effectiveTo) {
        warn('rates', 'effectiveFrom', cur.row, 'RATE_WINDOW_GAP', `${name(cur)}: no price from ${formatDay(prev.effectiveTo)} to ${formatDay(cur.effectiveFrom - 1)} (between row ${prev.row} and this one)`);
      }
    }
  }
  // On every date some rows of a key are valid, one of them must start at second 0.
  for (const list of byKey.values()) {
    if (list.every((r) => r.fromSecond === 0)) continue;
    const cuts = [...new Set(list.flatMap((r) => [r.effectiveFrom, r.effectiveTo]).filter((d): d is Day => d !== null))].sort((a, b) => a - b);
    const probes = [cuts.length ? cuts[0] - 1 : 0, ...cuts];
    const reported = new Set<number>();
    for (const day of probes) {
      const valid = list.filter((r) => lo(r.effectiveFrom) <= day && day < hi(r.effectiveTo));
      if (valid.length === 0 || valid.some((r) => r.fromSecond === 0)) continue;
      const first = valid.reduce((a, b) => (a.fromSecond <= b.fromSecond ? a : b));
      if (reported.has(first.row)) continue;
      reported.add(first.row);
      error('rates', 'fromSecond', first.row, 'NO_FIRST_SLOT', `${name(first)} has no row from second 0 on ${formatDay(day)}: the first slot must start at 0`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Time bands

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function checkTimeBands(rows: SheetRows, error: Report, uncovered: (message: string) => void): void {
  if (rows.timeBands.length === 0) return;
  const week = Array.from({ length: 7 }, () => new Int32Array(1440).fill(-1));
  const hol = new Int32Array(1440).fill(-1);
  const reported = new Set<string>();
  rows.timeBands.forEach((r, idx) => {
    const spans: [number, number][] = r.from < r.to ? [[r.from, r.to]] : r.from === r.to ? [[0, 1440]] : [[r.from, 1440], [0, r.to]];
    const tables: [Int32Array, string][] = [...r.days.map((d): [Int32Array, string] => [week[d], WEEKDAYS[d]]), ...(r.holiday ? [[hol, 'Hol'] as [Int32Array, string]] : [])];
    for (const [t, dayName] of tables) {
      for (const [a, b] of spans) {
        for (let m = a; m < b; m++) {
          const other = t[m];
          if (other < 0) {
            t[m] = idx;
            continue;
          }
          const pair = `${other}|${idx}`;
          if (reported.has(pair)) continue;
          reported.add(pair);
          const o = rows.timeBands[other];
          error('timeBands', 'from', r.row, 'TIMEBANDS_OVERLAP', `${r.timeBand} ${r.days.length ? '' : 'Hol '}overlaps ${o.timeBand} (row ${o.row}) on ${dayName} at ${hhmm(m)}`);
        }
      }
    }
  });
  if (!rows.timeBands.some((r) => r.days.length > 0)) return;
  const gaps: string[] = [];
  week.forEach((t, d) => {
    let m = 0;
    while (m < 1440) {
      if (t[m] >= 0) {
        m++;
        continue;
      }
      const start = m;
      while (m < 1440 && t[m] < 0) m++;
      gaps.push(`${WEEKDAYS[d]} ${hhmm(start)}-${hhmm(m)}`);
    }
  });
  if (gaps.length > 0) uncovered(`TimeBands: ${gaps.slice(0, 10).join(', ')}${gaps.length > 10 ? ` and ${gaps.length - 10} more` : ''} ${gaps.length === 1 ? 'is' : 'are'} in no band (calls then match rates with a blank TimeBand only)`);
}
