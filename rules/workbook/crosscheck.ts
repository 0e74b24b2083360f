// Checks across tabs (SPEC §1 "Cross-tab checks"): references, uniqueness, numbers owned twice at
// once, rate windows and slots, time bands, the sandbox expressions and CdrFormats formats; then
// the warnings. Pure, never throws, collects every problem, each addressed to its cell.
//
// Cost: O(n log n) in the rows. Number ranges (up to 1,000,000 numbers each) are never expanded:
// the duplicate check sweeps claims as intervals of (length, numeric value) and keeps the claims
// open at the sweep point in a segment tree over their active windows, so each collision found
// costs O(log n) and a workbook without collisions costs one sort.

import { TimeReader } from '../cdr/cdr-format.js';
import { TAB_COLUMNS, type TabKey } from './columns.js';
import { formatDay } from '../day.js';
import { APPLIES_VARIABLES, compileExpression, identifierFor } from './expr.js';
import { cellAddress } from './raw.js';
import { issue, type Issue, type Severity } from '../result.js';
import { TAB_NAMES, WEEKDAYS, type CdrFormatRow, type Direction, type NumberRow, type RateRow, type SheetRows, type TimeBandRow } from './rows.js';
import { isValidZone } from '../zone.js';

/**
 * Where each field's column really is in each tab (0-based), when the sheet orders its columns
 * differently from TAB_COLUMNS. A tab or field left out is addressed in TAB_COLUMNS order.
 * parse.ts's `positions` has this shape.
 */
export type ColumnIndex = Partial<Record<TabKey, Readonly<Record<string, number>>>>;

/** Every code checkWorkbook reports, with its severity. */
export const CROSSCHECK_CODES = {
  DUPLICATE_ACCOUNT: 'error',
  DUPLICATE_TARIFF: 'error',
  DUPLICATE_PREFIX: 'error',
  UNKNOWN_ACCOUNT: 'error',
  UNKNOWN_TARIFF: 'error',
  UNKNOWN_DESTINATION: 'error',
  UNKNOWN_TIMEBAND: 'error',
  UNKNOWN_PLAN: 'error',
  UNKNOWN_NUMBER_TYPE: 'error',
  NUMBER_CLAIMED_TWICE: 'error',
  RATE_WINDOWS_OVERLAP: 'error',
  NO_FIRST_SLOT: 'error',
  TIMEBANDS_OVERLAP: 'error',
  EXPR_INVALID: 'error',
  FORMAT_INCOMPLETE: 'error',
  FORMAT_DUPLICATE_FIELD: 'error',
  FORMAT_BAD_COLUMN: 'error',
  FORMAT_BAD_TIMEZONE: 'error',
  FORMAT_BAD_TIMEFORMAT: 'error',
  NO_TARIFF_OR_MARKUP: 'warning',
  FEE_ON_LATER_SLOT: 'warning',
  TARIFF_UNUSED: 'warning',
  TIMEBANDS_UNCOVERED: 'warning',
  RATE_WINDOW_GAP: 'warning',
  FORMAT_SHADOWED: 'warning',
  TOO_MANY_ISSUES: 'notice',
  /** A check hit a bug or a row no parse could produce; the rest of the report still stands. */
  CHECK_FAILED: 'error',
} as const satisfies Record<string, Severity>;

export type CrosscheckCode = keyof typeof CROSSCHECK_CODES;

/** Numbers claimed twice are listed up to this many; a workbook pasted twice over would list millions. */
export const MAX_CLAIM_ISSUES = 1000;

type Emit = (code: CrosscheckCode, tab: TabKey, field: string, row: number, message: string) => void;
type Address = (tab: TabKey, field: string, row: number) => string;

export function checkWorkbook(rows: SheetRows, columnIndex: ColumnIndex = {}): Issue[] {
  const issues: Issue[] = [];
  const at = addresser(columnIndex);
  const emit: Emit = (code, tab, field, row, message) => void issues.push(issue(CROSSCHECK_CODES[code], code, message, at(tab, field, row)));
  const guarded = (what: string, check: () => void): void => {
    try {
      check();
    } catch (e) {
      // A bug here must not hide the rest of the report, nor pass a workbook unchecked.
      issues.push(issue('error', 'CHECK_FAILED', `the ${what} check failed: ${e instanceof Error ? e.message : String(e)}`));
    }
  };
  guarded('reference', () => checkReferences(rows, emit, at));
  guarded('duplicate number', () => checkClaims(rows.numbers, at, issues));
  guarded('rate', () => checkRates(rows.rates, emit, at));
  guarded('time band', () => checkTimeBands(rows.timeBands, emit, at, issues));
  guarded('expression', () => checkExpressions(rows, emit));
  guarded('assignment', () => checkAssignments(rows, emit));
  return issues;
}

function addresser(columnIndex: ColumnIndex): Address {
  const prefix = new Map<string, string>();
  return (tab, field, row) => {
    const key = `${tab}.${field}`;
    let p = prefix.get(key);
    if (p === undefined) {
      const given = columnIndex[tab]?.[field];
      const col = given !== undefined && Number.isInteger(given) && given >= 0 ? given : Math.max(0, TAB_COLUMNS[tab].findIndex((c) => c.field === field));
      p = cellAddress(TAB_NAMES[tab], col, 0).slice(0, -1);
      prefix.set(key, p);
    }
    return `${p}${row}`;
  };
}

function push<K, T>(m: Map<K, T[]>, k: K, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

// ---------------------------------------------------------------------------------------------
// Uniqueness and references

/** A set of names that can also say which name differs only in case or spaces. */
class Names {
  private readonly exact = new Set<string>();
  /** Made at the first hint: most workbooks never need one, and tens of thousands of names are added. */
  private loose: Map<string, string> | null = null;
  add(name: string): void {
    this.exact.add(name);
    this.loose = null;
  }
  has(name: string): boolean {
    return this.exact.has(name);
  }
  /** ` (did you mean "Acme01"?)` when only case or spacing differs, else ''. */
  hint(name: string): string {
    if (this.loose === null) {
      this.loose = new Map();
      // In the order added, so the first of several look-alikes is the one named.
      for (const n of this.exact) {
        const k = looseKey(n);
        if (!this.loose.has(k)) this.loose.set(k, n);
      }
    }
    const near = this.loose.get(looseKey(name));
    return near === undefined ? '' : ` (did you mean "${near}"? names must match exactly)`;
  }
}

const looseKey = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

function checkReferences(rows: SheetRows, emit: Emit, at: Address): void {
  const unique = <T extends { row: number }>(tab: TabKey, field: string, list: readonly T[], keyOf: (r: T) => string, code: CrosscheckCode, what: string): Names => {
    const names = new Names();
    const first = new Map<string, number>();
    for (const r of list) {
      const k = keyOf(r);
      const row = first.get(k);
      if (row !== undefined) emit(code, tab, field, r.row, `${what} ${k} appears twice: also at ${at(tab, field, row)}; each ${what} must be on one row only`);
      else {
        first.set(k, r.row);
        names.add(k);
      }
    }
    return names;
  };
  const accounts = unique('customers', 'account', rows.customers, (c) => c.account, 'DUPLICATE_ACCOUNT', 'Account');
  const tariffs = unique('tariffs', 'tariff', rows.tariffs, (t) => t.tariff, 'DUPLICATE_TARIFF', 'Tariff');
  unique('destinations', 'prefix', rows.destinations, (d) => d.prefix, 'DUPLICATE_PREFIX', 'Prefix');
  const destinations = new Names();
  for (const d of rows.destinations) destinations.add(d.destination);
  const bands = new Names();
  for (const b of rows.timeBands) bands.add(b.timeBand);
  const plans = new Names();
  for (const d of rows.discounts) plans.add(d.plan);

  const needAccount = (tab: TabKey, list: readonly { account: string; row: number }[]): void => {
    for (const r of list) if (!accounts.has(r.account)) emit('UNKNOWN_ACCOUNT', tab, 'account', r.row, `Account ${r.account} is not in Customers${accounts.hint(r.account)}`);
  };
  needAccount('numbers', rows.numbers);
  needAccount('tariffAssignments', rows.tariffAssignments);
  needAccount('features', rows.features);

  const needTariff = (tab: TabKey, list: readonly { tariff: string; row: number }[]): void => {
    for (const r of list) if (r.tariff !== '' && !tariffs.has(r.tariff)) emit('UNKNOWN_TARIFF', tab, 'tariff', r.row, `Tariff ${r.tariff} is not in Tariffs${tariffs.hint(r.tariff)}`);
  };
  needTariff('customers', rows.customers);
  needTariff('rates', rows.rates);
  needTariff('tariffAssignments', rows.tariffAssignments);

  for (const r of rows.rates) {
    if (!destinations.has(r.destination)) emit('UNKNOWN_DESTINATION', 'rates', 'destination', r.row, `Destination ${r.destination} is not in Destinations${destinations.hint(r.destination)}`);
    if (r.timeBand !== '' && !bands.has(r.timeBand)) emit('UNKNOWN_TIMEBAND', 'rates', 'timeBand', r.row, `TimeBand ${r.timeBand} is not in TimeBands${bands.hint(r.timeBand)} (leave it blank for any time)`);
  }
  for (const c of rows.customers) {
    if (c.discountPlan !== '' && !plans.has(c.discountPlan)) emit('UNKNOWN_PLAN', 'customers', 'discountPlan', c.row, `DiscountPlan ${c.discountPlan} is not a Plan in Discounts${plans.hint(c.discountPlan)}`);
  }
  for (const n of rows.numbers) {
    if (n.discountPlan !== '' && !plans.has(n.discountPlan)) emit('UNKNOWN_PLAN', 'numbers', 'discountPlan', n.row, `DiscountPlan ${n.discountPlan} is not a Plan in Discounts${plans.hint(n.discountPlan)}`);
    if (n.numberType !== '' && n.numberType.trim().toLowerCase() !== 'autodetect' && !destinations.has(n.numberType)) {
      emit('UNKNOWN_NUMBER_TYPE', 'numbers', 'numberType', n.row, `NumberType ${n.numberType} is not a Destination${destinations.hint(n.numberType)}; name a Destination, or write AutoDetect or leave it blank to go by the number's own prefix`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers owned twice at once (SPEC §1, §2 steps 3-4)

/** One claim of a Numbers row: its number range (or single number, or one AltCdrNumber). */
interface Claim {
  /** Numeric value (<= 15 digits, exact in a double) or, for longer numbers, the rank of the text. */
  lo: number;
  hi: number;
  loText: string;
  hiText: string;
  /** Whole days, inclusive; `to` is Infinity when open. */
  from: number;
  to: number;
  /** 1 = Outbound, 2 = Inbound, 3 = Both: two claims collide when their masks share a bit. */
  mask: number;
  /** Index into the Numbers rows. */
  idx: number;
  field: 'number' | 'altCdrNumbers';
  /** Leaf in its mask's window tree. */
  leaf: number;
}

const MASK: Record<Direction, number> = { Outbound: 1, Inbound: 2, Both: 3 };

const isDigits = (s: string): boolean => {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

function checkClaims(numbers: readonly NumberRow[], at: Address, issues: Issue[]): void {
  // Claims grouped by digit count and extension: only those can hold the same number.
  const groups = new Map<string, Claim[]>();
  const add = (loText: string, hiText: string, n: NumberRow, idx: number, field: Claim['field'], from: number, to: number): void => {
    if (!isDigits(loText)) return;
    if (hiText.length !== loText.length || !isDigits(hiText) || hiText < loText) hiText = loText; // parse.ts reports such a RangeEnd
    const long = loText.length > 15;
    push(groups, `${loText.length}\u0000${n.extension}`, {
      lo: long ? NaN : Number(loText),
      hi: long ? NaN : Number(hiText),
      loText,
      hiText,
      from,
      to,
      mask: MASK[n.direction] ?? 1,
      idx,
      field,
      leaf: -1,
    });
  };
  numbers.forEach((n, idx) => {
    const from = n.callsStartDate ?? n.dateSold;
    const to = n.droppedDate ?? Infinity;
    if (!(from <= to)) return; // an empty window owns nothing (parse.ts reports DroppedDate before the first day)
    add(n.number, n.rangeEnd === '' ? n.number : n.rangeEnd, n, idx, 'number', from, to);
    for (const alt of n.altCdrNumbers) add(alt, alt, n, idx, 'altCdrNumbers', from, to);
  });

  const found: { later: number; earlier: number; issue: Issue }[] = [];
  const reported = new Set<number>();
  let truncated = false;
  const onPair = (a: Claim, c: Claim): boolean => {
    if (a.idx === c.idx) return true;
    const lowIdx = Math.min(a.idx, c.idx);
    const highIdx = Math.max(a.idx, c.idx);
    const pair = lowIdx * numbers.length + highIdx;
    if (reported.has(pair)) return true; // another claim of the same two rows (an AltCdrNumber and the range)
    if (found.length >= MAX_CLAIM_ISSUES) {
      truncated = true;
      return false;
    }
    reported.add(pair);
    const ra = numbers[a.idx];
    const rc = numbers[c.idx];
    const [first, second] = ra.row < rc.row || (ra.row === rc.row && a.idx < c.idx) ? [a, c] : [c, a];
    const fr = numbers[first.idx];
    const sr = numbers[second.idx];
    // lo and hi are values (or, past 15 digits, ranks of equal-length texts): they order both alike.
    const loText = a.lo >= c.lo ? a.loText : c.loText;
    const hiText = a.hi <= c.hi ? a.hiText : c.hiText;
    const count = a.loText.length > 15 ? '' : ` (${(Math.min(a.hi, c.hi) - Math.max(a.lo, c.lo) + 1).toLocaleString('en-GB')} numbers)`;
    const shared = loText === hiText ? loText : `${loText}-${hiText}${count}`;
    const ext = sr.extension === '' ? '' : ` extension ${sr.extension}`;
    const both = a.mask & c.mask;
    const calls = both === 1 ? '' : both === 2 ? ' for inbound calls' : ' for outbound and inbound calls';
    const overlapFrom = Math.max(a.from, c.from);
    const overlapTo = Math.min(a.to, c.to);
    const message =
      `${shared}${ext} is also claimed by ${at('numbers', first.field, fr.row)} (${fr.account}, ${windowText(first.from, first.to)}) ` +
      `on overlapping days (${windowText(overlapFrom, overlapTo)})${calls}; a number may move between customers, never be owned twice at once: ` +
      `end one row's DroppedDate the day before the other's DateSold`;
    found.push({ later: sr.row, earlier: fr.row, issue: issue('error', 'NUMBER_CLAIMED_TWICE', message, at('numbers', second.field, sr.row)) });
    return true;
  };
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    if (Number.isNaN(list[0].lo)) rankLongNumbers(list);
    if (!sweepClaims(list, onPair)) break;
  }
  found.sort((x, y) => x.later - y.later || x.earlier - y.earlier);
  for (const f of found) issues.push(f.issue);
  if (truncated) {
    issues.push(issue('notice', 'TOO_MANY_ISSUES', `only the first ${MAX_CLAIM_ISSUES.toLocaleString('en-GB')} numbers claimed twice are listed; fix those and validate again`, TAB_NAMES.numbers));
  }
}

const windowText = (from: number, to: number): string => `${formatDay(from)}..${to === Infinity ? 'open' : formatDay(to)}`;

/** Numbers over 15 digits do not fit a double exactly: order them by text (equal lengths) and use ranks. */
function rankLongNumbers(list: Claim[]): void {
  const texts = [...new Set(list.flatMap((c) => [c.loText, c.hiText]))].sort();
  const rank = new Map(texts.map((t, i) => [t, i]));
  for (const c of list) {
    c.lo = rank.get(c.loText)!;
    c.hi = rank.get(c.hiText)!;
  }
}

/**
 * Every pair of claims of one group whose number intervals and day windows overlap and whose
 * directions collide, each pair once: sweep by the first number; the claims still open at it sit
 * in one window tree per direction mask. `onPair` returns false to stop; so does sweepClaims.
 */
function sweepClaims(list: Claim[], onPair: (earlier: Claim, current: Claim) => boolean): boolean {
  list.sort((x, y) => x.lo - y.lo || x.hi - y.hi);
  let reach = -Infinity;
  let touching = false;
  for (const c of list) {
    if (c.lo <= reach) {
      touching = true;
      break;
    }
    reach = c.hi;
  }
  if (!touching) return true; // no two claims share a number: the common case, one pass
  const trees: (WindowTree | null)[] = [null, null, null, null];
  for (let m = 1; m <= 3; m++) {
    const of = list.filter((c) => c.mask === m);
    if (of.length > 0) trees[m] = new WindowTree(of);
  }
  const byEnd = [...list].sort((x, y) => x.hi - y.hi);
  let e = 0;
  for (const c of list) {
    while (e < byEnd.length && byEnd[e].hi < c.lo) {
      trees[byEnd[e].mask]!.set(byEnd[e], -Infinity);
      e++;
    }
    for (let m = 1; m <= 3; m++) {
      const t = trees[m];
      if (t !== null && (m & c.mask) !== 0 && !t.visitOverlapping(c.from, c.to, (a) => onPair(a, c))) return false;
    }
    trees[c.mask]!.set(c, c.to);
  }
  return true;
}

/**
 * The open claims of one direction mask, as a max segment tree over leaves in `from` order: a leaf
 * holds its claim's `to` while open, -Infinity otherwise. Finding the open claims whose window
 * meets [from, to] costs O(log n) per claim found.
 */
class WindowTree {
  private readonly size: number;
  private readonly max: Float64Array;
  private readonly froms: Float64Array;
  private readonly items: Claim[];

  constructor(items: Claim[]) {
    this.items = [...items].sort((x, y) => x.from - y.from);
    let size = 1;
    while (size < this.items.length) size *= 2;
    this.size = size;
    this.max = new Float64Array(2 * size).fill(-Infinity);
    this.froms = new Float64Array(this.items.length);
    this.items.forEach((c, i) => {
      c.leaf = i;
      this.froms[i] = c.from;
    });
  }

  set(c: Claim, value: number): void {
    let i = this.size + c.leaf;
    this.max[i] = value;
    for (i >>= 1; i >= 1; i >>= 1) {
      const v = Math.max(this.max[2 * i], this.max[2 * i + 1]);
      if (this.max[i] === v) break;
      this.max[i] = v;
    }
  }

  /** Visits the open claims with from <= `to` and to >= `from`; false when `visit` stopped it. */
  visitOverlapping(from: number, to: number, visit: (c: Claim) => boolean): boolean {
    let lo = 0;
    let hi = this.froms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.froms[mid] <= to) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 || this.walk(1, 0, this.size, lo, from, visit);
  }

  private walk(node: number, lo: number, hi: number, limit: number, minTo: number, visit: (c: Claim) => boolean): boolean {
    if (lo >= limit || this.max[node] < minTo) return true;
    if (hi - lo === 1) return visit(this.items[lo]);
    const mid = (lo + hi) >>> 1;
    return this.walk(2 * node, lo, mid, limit, minTo, visit) && this.walk(2 * node + 1, mid, hi, limit, minTo, visit);
  }
}

// ---------------------------------------------------------------------------------------------
// Rates: effective windows, gaps, slots from second 0, fees on later slots

const lo = (r: RateRow): number => r.effectiveFrom ?? -Infinity;
const hi = (r: RateRow): number => r.effectiveTo ?? Infinity;

/** Dates [from, to) as a clerk reads them (to is exclusive, like EffectiveTo). */
function datesText(from: number, to: number): string {
  if (from === -Infinity && to === Infinity) return 'on every date';
  if (from === -Infinity) return `up to ${formatDay(to - 1)}`;
  if (to === Infinity) return `from ${formatDay(from)} on`;
  if (to - 1 === from) return `on ${formatDay(from)}`;
  return `from ${formatDay(from)} to ${formatDay(to - 1)}`;
}

const rateName = (r: RateRow): string => `Tariff ${r.tariff}, Destination ${r.destination}, band ${r.timeBand === '' ? '(blank)' : r.timeBand}`;

function checkRates(rates: readonly RateRow[], emit: Emit, at: Address): void {
  const byKey = new Map<string, RateRow[]>();
  for (const r of rates) {
    push(byKey, `${r.tariff}\u0000${r.destination}\u0000${r.timeBand}`, r);
    if (r.fromSecond > 0) {
      for (const [field, header] of [['connectionFee', 'ConnectionFee'], ['minimumCharge', 'MinimumCharge'], ['maximumCharge', 'MaximumCharge']] as const) {
        if (r[field] !== null) {
          emit('FEE_ON_LATER_SLOT', 'rates', field, r.row, `${header} on the slot from second ${r.fromSecond} is never charged: only the first slot's (FromSecond 0) ConnectionFee, MinimumCharge and MaximumCharge apply`);
        }
      }
    }
  }
  for (const list of byKey.values()) {
    // One row from second 0 can neither overlap, leave a gap nor lack a first slot.
    if (list.length === 1 && list[0].fromSecond === 0) continue;
    list.sort((a, b) => lo(a) - lo(b) || hi(a) - hi(b) || a.row - b.row);
    checkSlotOverlaps(list, emit, at);
    const covered = checkGaps(list, emit, at);
    checkFirstSlot(list, covered, emit);
  }
}

/** Rows of one slot (same FromSecond) whose windows overlap: a call would have two prices. */
function checkSlotOverlaps(sorted: readonly RateRow[], emit: Emit, at: Address): void {
  const bySlot = new Map<number, RateRow[]>();
  for (const r of sorted) push(bySlot, r.fromSecond, r);
  for (const list of bySlot.values()) {
    let holder = list[0];
    for (let i = 1; i < list.length; i++) {
      const cur = list[i];
      if (lo(cur) < hi(holder)) {
        emit(
          'RATE_WINDOWS_OVERLAP',
          'rates',
          'effectiveFrom',
          cur.row,
          `${rateName(cur)}, FromSecond ${cur.fromSecond}: this row and ${at('rates', 'effectiveFrom', holder.row)} both apply ${datesText(lo(cur), Math.min(hi(cur), hi(holder)))}; ` +
            `a call can have one price only: end the earlier row's EffectiveTo on the day the later one starts`,
        );
      }
      if (hi(cur) > hi(holder)) holder = cur;
    }
  }
}

/** Warns about dates between a key's windows where none of its rows applies; returns the covered spans. */
function checkGaps(sorted: readonly RateRow[], emit: Emit, at: Address): [number, number][] {
  const covered: [number, number][] = [];
  let holder = sorted[0];
  let start = lo(holder);
  for (let i = 1; i < sorted.length; i++) {
    const cur = sorted[i];
    if (lo(cur) > hi(holder)) {
      emit(
        'RATE_WINDOW_GAP',
        'rates',
        'effectiveFrom',
        cur.row,
        `${rateName(cur)} has no rate ${datesText(hi(holder), lo(cur))}: ${at('rates', 'effectiveTo', holder.row)} ends it (EffectiveTo ${formatDay(hi(holder))}, the first day without it) ` +
          `and this row starts ${formatDay(lo(cur))}; calls on those dates get no price from this tariff`,
      );
      covered.push([start, hi(holder)]);
      start = lo(cur);
      holder = cur;
    } else if (hi(cur) > hi(holder)) holder = cur;
  }
  covered.push([start, hi(holder)]);
  return covered;
}

/** On every date where some rows of the key apply, one of them must be the slot from second 0. */
function checkFirstSlot(sorted: readonly RateRow[], covered: readonly [number, number][], emit: Emit): void {
  if (sorted.every((r) => r.fromSecond === 0)) return;
  // Union of the windows of the rows from second 0, in order.
  const zero: [number, number][] = [];
  for (const r of sorted) {
    if (r.fromSecond !== 0) continue;
    const last = zero[zero.length - 1];
    if (last && lo(r) <= last[1]) last[1] = Math.max(last[1], hi(r));
    else zero.push([lo(r), hi(r)]);
  }
  let z = 0;
  for (const [cs, ce] of covered) {
    let s = cs;
    while (s < ce) {
      while (z < zero.length && zero[z][1] <= s) z++;
      const e = z < zero.length ? Math.min(ce, zero[z][0]) : ce;
      if (e > s) reportNoFirstSlot(sorted, s, e, emit);
      if (z >= zero.length) break;
      s = Math.max(e, zero[z][1]);
    }
  }
}

/**
 * Dates [s, e) where rows of a key apply but none from second 0: one issue per run of dates with
 * the same first slot (each distinct set of windows), at that slot's FromSecond cell.
 */
function reportNoFirstSlot(sorted: readonly RateRow[], s: number, e: number, emit: Emit): void {
  const cuts = new Set<number>([s, e]);
  for (const r of sorted) {
    if (lo(r) > s && lo(r) < e) cuts.add(lo(r));
    if (hi(r) > s && hi(r) < e) cuts.add(hi(r));
  }
  const points = [...cuts].sort((a, b) => a - b);
  let runStart = s;
  let runFirst: RateRow | null = null;
  const flush = (end: number): void => {
    if (runFirst === null) return;
    emit(
      'NO_FIRST_SLOT',
      'rates',
      'fromSecond',
      runFirst.row,
      `${rateName(runFirst)} has no row from second 0 ${datesText(runStart, end)}: its first slot there starts at second ${runFirst.fromSecond}; ` +
        `add a row with FromSecond 0 (or blank) for those dates`,
    );
  };
  for (let i = 0; i + 1 < points.length; i++) {
    const at = points[i];
    let first: RateRow | null = null;
    for (const r of sorted) if (lo(r) <= at && at < hi(r) && (first === null || r.fromSecond < first.fromSecond)) first = r;
    if (first === runFirst) continue;
    flush(at);
    runStart = at;
    runFirst = first;
  }
  flush(e);
}

// ---------------------------------------------------------------------------------------------
// Time bands

const DAY_MINUTES = 1440;
const HOL = 7;

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Spans of minutes a row covers on each of its days (timeband.ts): From > To wraps within the same weekday, From = To is the whole day. */
function spansOf(r: TimeBandRow): [number, number][] {
  if (r.from < r.to) return [[r.from, r.to]];
  if (r.from === r.to) return [[0, DAY_MINUTES]];
  return [
    [0, r.to],
    [r.from, DAY_MINUTES],
  ];
}

/** Day sets as Days cells write them: `Mon-Fri`, `Sat,Sun`, `Mon,Wed`, `Hol`. */
function daysText(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1 && sorted[j + 1] !== HOL) j++;
    const name = (d: number): string => (d === HOL ? 'Hol' : WEEKDAYS[d]);
    if (j - i >= 2) parts.push(`${name(sorted[i])}-${name(sorted[j])}`);
    else for (let k = i; k <= j; k++) parts.push(name(sorted[k]));
    i = j + 1;
  }
  return parts.join(',');
}

/** Spans on days, grouped by identical times: `Mon-Fri 00:00-08:00, Sat,Sun 00:00-24:00`. */
function spansText(spans: readonly { day: number; from: number; to: number }[]): string[] {
  const byTime = new Map<string, { from: number; to: number; days: number[] }>();
  for (const s of spans) {
    const k = `${s.from}-${s.to}`;
    const g = byTime.get(k);
    if (g) g.days.push(s.day);
    else byTime.set(k, { from: s.from, to: s.to, days: [s.day] });
  }
  return [...byTime.values()]
    .sort((a, b) => Math.min(...a.days) - Math.min(...b.days) || a.from - b.from)
    .map((g) => `${daysText(g.days)} ${hhmm(g.from)}-${hhmm(g.to)}`);
}

function checkTimeBands(bands: readonly TimeBandRow[], emit: Emit, at: Address, issues: Issue[]): void {
  if (bands.length === 0) return;
  // Segments per table: 0..6 the weekdays, 7 the holidays. A row's Hol part meets only Hol parts.
  const tables: { idx: number; from: number; to: number }[][] = Array.from({ length: 8 }, () => []);
  bands.forEach((r, idx) => {
    const days = new Set(r.days.filter((d) => d >= 0 && d <= 6));
    if (r.holiday) days.add(HOL);
    for (const d of days) for (const [from, to] of spansOf(r)) tables[d].push({ idx, from, to });
  });

  const overlaps = new Map<number, { day: number; from: number; to: number }[]>();
  tables.forEach((segments, day) => {
    segments.sort((a, b) => a.from - b.from || a.to - b.to);
    let open: { idx: number; from: number; to: number }[] = [];
    for (const s of segments) {
      if (open.length > 0) open = open.filter((o) => o.to > s.from);
      for (const o of open) {
        if (o.idx === s.idx) continue;
        const [a, b] = o.idx < s.idx ? [o.idx, s.idx] : [s.idx, o.idx];
        push(overlaps, a * bands.length + b, { day, from: s.from, to: Math.min(o.to, s.to) });
      }
      open.push(s);
    }
  });
  // In sheet order of the later row, then the earlier one.
  const pairs = [...overlaps.entries()].sort((x, y) => (x[0] % bands.length) - (y[0] % bands.length) || x[0] - y[0]);
  for (const [pair, spans] of pairs) {
    const earlier = bands[Math.floor(pair / bands.length)];
    const later = bands[pair % bands.length];
    emit(
      'TIMEBANDS_OVERLAP',
      'timeBands',
      'from',
      later.row,
      `${later.timeBand} overlaps ${earlier.timeBand} (${at('timeBands', 'from', earlier.row)}) on ${spansText(spans).join(', ')}; a time must be in one band only`,
    );
  }

  // Minutes of the week no row's weekday part covers.
  const gaps: { day: number; from: number; to: number }[] = [];
  for (let day = 0; day < 7; day++) {
    const segments = tables[day];
    let reach = 0;
    for (const s of segments) {
      if (s.from > reach) gaps.push({ day, from: reach, to: s.from });
      reach = Math.max(reach, s.to);
    }
    if (reach < DAY_MINUTES) gaps.push({ day, from: reach, to: DAY_MINUTES });
  }
  if (gaps.length > 0) {
    const texts = spansText(gaps);
    const shown = texts.length > 12 ? [...texts.slice(0, 12), `${texts.length - 12} more spans`] : texts;
    issues.push(
      issue(
        CROSSCHECK_CODES.TIMEBANDS_UNCOVERED,
        'TIMEBANDS_UNCOVERED',
        `TimeBands: ${shown.join(', ')} ${texts.length === 1 ? 'is' : 'are'} in no band; calls then take the Rates rows with a blank TimeBand`,
        TAB_NAMES.timeBands,
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions (SPEC §4) and CdrFormats formats (SPEC §5)

/** The fields every CdrFormats format maps; cdr-format.ts refuses to load a format without them (README). */
const FORMAT_REQUIRED = ['start', 'duration', 'caller', 'called'] as const;
const BUILT_IN = new Set(['generic', 'asterisk', 'freeswitch']);

function compiles(source: string, variables: readonly string[]): string | null {
  try {
    const c = compileExpression(source, variables);
    return c.ok ? null : c.error;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function checkExpressions(rows: SheetRows, emit: Emit): void {
  for (const d of rows.discounts) {
    if (d.applies.trim() === '') continue;
    const error = compiles(d.applies, APPLIES_VARIABLES);
    if (error !== null) emit('EXPR_INVALID', 'discounts', 'applies', d.row, `Applies of plan ${d.plan}: ${error}`);
  }

  const formats = new Map<string, CdrFormatRow[]>();
  for (const f of rows.cdrFormats) push(formats, f.format.trim(), f);
  for (const [name, list] of formats) {
    const field = (f: CdrFormatRow): string => f.field.trim().toLowerCase();
    if (BUILT_IN.has(name)) {
      emit('FORMAT_SHADOWED', 'cdrFormats', 'format', list[0].row, `format ${name} has the name of a built-in format, which is used instead; give it another name`);
    }
    const seen = new Map<string, number>();
    for (const f of list) {
      const k = field(f);
      const first = seen.get(k);
      if (first !== undefined) emit('FORMAT_DUPLICATE_FIELD', 'cdrFormats', 'field', f.row, `format ${name} maps ${k} twice (also on row ${first}); keep one row`);
      else seen.set(k, f.row);
    }
    const lacking = FORMAT_REQUIRED.filter((f) => !seen.has(f));
    if (lacking.length > 0) {
      emit('FORMAT_INCOMPLETE', 'cdrFormats', 'field', list[0].row, `format ${name} has no row for ${lacking.join(', ')}; every format maps ${FORMAT_REQUIRED.join(', ')}`);
    }

    const zoneRow = list.find((f) => field(f) === 'timezone');
    let zone = 'UTC';
    if (zoneRow) {
      if (isValidZone(zoneRow.column.trim())) zone = zoneRow.column.trim();
      else emit('FORMAT_BAD_TIMEZONE', 'cdrFormats', 'column', zoneRow.row, `format ${name}: timezone "${zoneRow.column.trim()}" is not an IANA time zone (e.g. UTC, Europe/London)`);
    }
    const startRow = list.find((f) => field(f) === 'start');
    if (startRow) {
      const reader = TimeReader.compile(startRow.timeFormat, zone);
      if (!reader.ok) emit('FORMAT_BAD_TIMEFORMAT', 'cdrFormats', 'timeFormat', startRow.row, `format ${name}: ${reader.error}`);
    }

    // Transform sees `value` and the format's other columns by identifierFor(name); a column
    // given by number N is `_N`, as cdr-format.ts names it.
    const variables = new Set<string>(['value']);
    for (const f of list) {
      if (field(f) === 'timezone') continue;
      const col = f.column.trim();
      if (/^\d+$/.test(col) && Number(col) < 1) emit('FORMAT_BAD_COLUMN', 'cdrFormats', 'column', f.row, `format ${name}: column ${col} for ${field(f)}; columns count from 1`);
      if (col !== '') variables.add(identifierFor(col));
    }
    const allowed = [...variables];
    for (const f of list) {
      if (f.transform.trim() === '') continue;
      const error = compiles(f.transform, allowed);
      if (error !== null) emit('EXPR_INVALID', 'cdrFormats', 'transform', f.row, `Transform of format ${name}, field ${field(f)}: ${error}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Assignments: customers with nothing to price their calls, tariffs nobody uses

function checkAssignments(rows: SheetRows, emit: Emit): void {
  const priced = new Set<string>();
  for (const a of rows.tariffAssignments) if (a.tariff !== '' || a.markup !== null) priced.add(a.account);
  for (const c of rows.customers) {
    if (c.tariff === '' && c.markup === null && !priced.has(c.account)) {
      emit('NO_TARIFF_OR_MARKUP', 'customers', 'tariff', c.row, `${c.account} has no Tariff and no Markup: its calls will not rate (NO_TARIFF)`);
    }
  }
  const used = new Set<string>();
  for (const c of rows.customers) used.add(c.tariff);
  for (const a of rows.tariffAssignments) used.add(a.tariff);
  for (const t of rows.tariffs) {
    if (!used.has(t.tariff)) emit('TARIFF_UNUSED', 'tariffs', 'tariff', t.row, `no customer or TariffAssignments row uses Tariff ${t.tariff}`);
  }
}
