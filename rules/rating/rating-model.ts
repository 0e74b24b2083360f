// The in-memory indexes the rating hot path needs (SPEC §2 steps 3–10), built once from a valid
// workbook. Rating reads them and never changes them (the one exception is a memo of zone offsets),
// so each worker thread can hold its own.
//
// The hot path is bound by memory, not arithmetic: a call touches a handful of places in a model of
// hundreds of thousands of rows, and every pointer chased is a likely cache and TLB miss. So the
// indexes are flat typed arrays read by arithmetic, with records laid out to share cache lines:
// - who owns a number: single numbers and AltCdrNumbers in an open-addressing hash of their
//   numeric value; ranges of up to 1,000,000 numbers never expanded — per digit length, the sorted
//   elementary segments the ranges cut the number line into, each with the rows claiming it (one
//   binary search); per Numbers row a record of direction, active window, archive date, extension
//   and chain set;
// - destinations: a digit trie (ten children and the value in one record), one over every prefix
//   and one over ServiceNumbers prefixes alone for short codes;
// - time bands: minute-of-day tables per weekday, with holidays (timeband.ts);
// - rates: (tariff, destination) -> group; (group, band) -> its effective windows, each a record
//   holding the first slot's fee, minimum and cap and every slot ordered by FromSecond;
// - the tariff / markup / fallback chain of step 7, resolved at build time per Numbers row and call
//   class (rows with no assignment or FallbackMarkup of their own share their account's set), with
//   the tariff's ChargeDecimals and Rounding, else Settings'.
// Building never throws: rows are already validated, and anything odd simply matches nothing.

import { TAB_COLUMNS, type TabKey } from '../workbook/columns.js';
import { ROUNDINGS, type MicroPct, type Rounding } from '../money.js';
import type { ColumnPositions } from '../workbook/parse.js';
import type { NumberPlan } from '../phone.js';
import { cellAddress } from '../workbook/raw.js';
import {
  CALL_CLASSES,
  TAB_NAMES,
  type CallClass,
  type Customer,
  type NumberRow,
  type RateRow,
  type Settings,
  type SheetRows,
  type TariffAssignmentRow,
  type TariffRow,
} from '../workbook/rows.js';
import { RowBytes } from './row-bytes.js';
import { buildBandTable, type BandTable } from './timeband.js';
import { zoneOffsetMs } from '../zone.js';

const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

export const CLASS_COUNT = CALL_CLASSES.length;
export const INBOUND_CLASS_IDX = CALL_CLASSES.indexOf('Inbound');

// ---------------------------------------------------------------------------------------------
// Destinations

/**
 * A destination as rating sees it, packed in one integer: destination-name id × 16 + call class
 * index (CALL_CLASSES). -1 = none.
 */
export type PackedDest = number;
export const packDest = (nameId: number, classIdx: number): PackedDest => nameId * 16 + classIdx;
export const destNameId = (p: PackedDest): number => (p - (p & 15)) / 16;
export const destClassIdx = (p: PackedDest): number => p & 15;

/** Longest-prefix match as a digit trie; a node is 11 ints: ten children (0 = none) and its value (-1 = none). */
const JUMP = 4;
const JUMP_SIZE = 10_000;

export class PrefixTrie {
  private readonly nodes: Int32Array;
  private readonly jumpNode: Int32Array;
  private readonly jumpBest: Int32Array;
  /** longest()'s digits, as longestDigits() reads them. */
  private scratch = new Uint8Array(32);

  constructor(entries: readonly { prefix: string; value: number }[]) {
    const nodes: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1];
    for (const { prefix, value } of entries) {
      if (prefix === '') continue;
      let node = 0;
      let ok = true;
      for (let i = 0; i < prefix.length; i++) {
        const d = prefix.charCodeAt(i) - 48;
        if (d < 0 || d > 9) {
          ok = false;
          break;
        }
        let next = nodes[node * 11 + d];
        if (next === 0) {
          next = nodes.length / 11;
          nodes.push(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1);
          nodes[node * 11 + d] = next;
        }
        node = next;
      }
      // Prefixes are unique after validation; the first row of a repeated prefix wins.
      if (ok && nodes[node * 11 + 10] < 0) nodes[node * 11 + 10] = value;
    }
    this.nodes = Int32Array.from(nodes);
    // The first JUMP digits in one step: the node they reach and the best value on the way.
    this.jumpNode = new Int32Array(JUMP_SIZE);
    this.jumpBest = new Int32Array(JUMP_SIZE).fill(-1);
    for (let k = 0; k < JUMP_SIZE; k++) {
      let node = 0;
      let best = -1;
      for (let i = 0, div = JUMP_SIZE / 10; i < JUMP && node >= 0; i++, div /= 10) {
        node = this.nodes[node * 11 + (Math.floor(k / div) % 10)];
        if (node === 0) node = -1;
        else if (this.nodes[node * 11 + 10] >= 0) best = this.nodes[node * 11 + 10];
      }
      this.jumpNode[k] = node;
      this.jumpBest[k] = best;
    }
  }

  /** longest() of the first `len` digits (values 0–9) in `d`. */
  longestDigits(d: Uint8Array, len: number): number {
    const nodes = this.nodes;
    let node = 0;
    let best = -1;
    let i = 0;
    if (len >= JUMP) {
      best = this.jumpBest[d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]];
      node = this.jumpNode[d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]];
      if (node < 0) return best;
      i = JUMP;
    }
    for (; i < len; i++) {
      node = nodes[node * 11 + d[i]];
      if (node === 0) break;
      const v = nodes[node * 11 + 10];
      if (v >= 0) best = v;
    }
    return best;
  }

  /** The value of the longest stored prefix of `digits`, -1 when none (digits up to the first that is not one). */
  longest(digits: string): number {
    let n = 0;
    if (this.scratch.length < digits.length) this.scratch = new Uint8Array(digits.length);
    for (; n < digits.length; n++) {
      const d = digits.charCodeAt(n) - 48;
      if (d < 0 || d > 9) break;
      this.scratch[n] = d;
    }
    return this.longestDigits(this.scratch, n);
  }
}

// ---------------------------------------------------------------------------------------------
// Rates

/**
 * The rates, flat, in one Float64Array. A (tariff, destination) group is a header of two numbers
 * per band [offset of its first window record, how many], followed by its window records: [from
 * day (incl., -Infinity open), to day (excl., +Infinity open), ConnectionFee of the first slot
 * (0 when blank), MinimumCharge (NaN when blank), MaximumCharge (NaN when blank), slot count n],
 * then n slots ordered by FromSecond, each [FromSecond, PerMinute, InitialSeconds (default
 * IncrementSeconds), IncrementSeconds (default 1)]. A group's header and windows share cache lines.
 */
export const W_FROM = 0;
export const W_TO = 1;
export const W_FEE = 2;
export const W_MIN = 3;
export const W_MAX = 4;
export const W_SLOTS = 5;
export const W_HEAD = 6;
export const S_FROM = 0;
export const S_PER_MINUTE = 1;
export const S_INITIAL = 2;
export const S_INCREMENT = 3;
export const S_SIZE = 4;

export class RateTable {
  /** [tariff index × destination names + destination id] -> group offset, -1 = none (null when that would be huge: then groupMap). */
  readonly groupOf: Int32Array | null;
  private readonly groupMap = new Map<number, number>();
  readonly data: Float64Array;
  /** Window offset -> its Rates rows (messages, tests). */
  readonly rowsAt = new Map<number, RateRow[]>();

  constructor(
    readonly tariffCount: number,
    readonly nameCount: number,
    readonly bandCount: number,
    groups: { tariff: number; dest: number; byBand: (RateRow[] | undefined)[] }[],
  ) {
    const size = tariffCount * nameCount;
    // Dense while it stays small (up to 128 MB); a workbook with very many tariffs and destinations falls back to a Map.
    this.groupOf = size <= 1 << 25 ? new Int32Array(size).fill(-1) : null;
    const w: number[] = [];
    for (const g of groups) {
      const at = w.length;
      if (this.groupOf !== null) this.groupOf[g.tariff * nameCount + g.dest] = at;
      else this.groupMap.set(g.tariff * nameCount + g.dest, at);
      for (let b = 0; b < bandCount; b++) w.push(0, 0);
      for (let b = 0; b < bandCount; b++) {
        const rows = g.byBand[b];
        if (!rows) continue;
        const list = windowsOf(rows);
        w[at + b * 2] = w.length;
        w[at + b * 2 + 1] = list.length;
        for (const win of list) {
          this.rowsAt.set(w.length, win.rows);
          const first = win.rows[0];
          w.push(win.from, win.to, first.connectionFee ?? 0, first.minimumCharge ?? NaN, first.maximumCharge ?? NaN, win.rows.length);
          for (const r of win.rows) {
            const increment = r.incrementSeconds !== null && r.incrementSeconds >= 1 ? r.incrementSeconds : 1;
            const initial = r.initialSeconds !== null && r.initialSeconds >= 0 ? r.initialSeconds : increment;
            w.push(r.fromSecond, r.perMinute, initial, increment);
          }
        }
      }
    }
    this.data = Float64Array.from(w);
  }

  /** The group of a tariff and destination, -1 when the tariff has no rates for it. */
  group(tariff: number, dest: number): number {
    if (tariff < 0 || dest < 0 || dest >= this.nameCount) return -1;
    const key = tariff * this.nameCount + dest;
    return this.groupOf !== null ? this.groupOf[key] : this.groupMap.get(key) ?? -1;
  }

  /** The window record of a group's band rate that holds a local day: its offset, -1 when none. */
  windowOn(group: number, band: number, day: number): number {
    const w = this.data;
    let o = w[group + band * 2];
    let count = w[group + band * 2 + 1];
    while (count-- > 0) {
      if (w[o + W_FROM] <= day && day < w[o + W_TO]) return o;
      o += W_HEAD + w[o + W_SLOTS] * S_SIZE;
    }
    return -1;
  }

  /** SPEC §2 step 8: the rate holding the call — its band's rows valid on the day, else the blank band's. */
  rateOn(group: number, band: number, day: number): number {
    if (group < 0) return -1;
    const o = this.windowOn(group, band, day);
    return o >= 0 || band === 0 ? o : this.windowOn(group, 0, day);
  }
}

/** Splits the rows of one Tariff+Destination+TimeBand into windows of days over which the same rows hold. */
function windowsOf(rows: RateRow[]): { from: number; to: number; rows: RateRow[] }[] {
  const cuts = new Set<number>();
  for (const r of rows) {
    if (r.effectiveFrom !== null) cuts.add(r.effectiveFrom);
    if (r.effectiveTo !== null) cuts.add(r.effectiveTo);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: { from: number; to: number; rows: RateRow[] }[] = [];
  let from = -Infinity;
  for (let i = 0; i <= points.length; i++) {
    const to = i < points.length ? points[i] : Infinity;
    // Every row holds either all of [from, to) or none of it: test one day inside.
    const probe = from === -Infinity ? (to === Infinity ? 0 : to - 1) : from;
    const valid = rows
      .filter((r) => (r.effectiveFrom === null || r.effectiveFrom <= probe) && (r.effectiveTo === null || probe < r.effectiveTo))
      .sort((a, b) => a.fromSecond - b.fromSecond || a.row - b.row);
    if (valid.length > 0) {
      const last = out[out.length - 1];
      // Adjacent windows with the same rows (cut by another row's date) merge.
      if (last && last.to === from && last.rows.length === valid.length && last.rows.every((r, k) => r === valid[k])) last.to = to;
      else out.push({ from, to, rows: valid });
    }
    from = to;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tariff chain (step 7)

/** The tariff, markup and fallback markup resolved for one Numbers row and call class. */
export interface Chain {
  /** '' when no tariff resolved. */
  tariffName: string;
  /** Index into RatingModel.tariffNames, -1 when no tariff resolved. */
  tariffIdx: number;
  /** The Tariffs row; null when none resolved (or the name is in no row). */
  tariff: TariffRow | null;
  markup: MicroPct | null;
  fallback: MicroPct | null;
  /** Step 10: the tariff's ChargeDecimals and Rounding, else Settings'. */
  decimals: number;
  rounding: Rounding;
}

/**
 * Chains flat: record (chain set × CLASS_COUNT + class index) × C_SIZE of `chainData` holds
 * [tariff index (-1 none), markup (NaN none), fallback markup (NaN none), decimals, rounding index
 * (ROUNDINGS)]; `chains` holds the same as objects, one per record.
 */
export const C_TARIFF = 0;
export const C_MARKUP = 1;
export const C_FALLBACK = 2;
export const C_DECIMALS = 3;
export const C_ROUNDING = 4;
export const C_SIZE = 5;

// ---------------------------------------------------------------------------------------------
// Owners (steps 3–4)

/** What rating knows of one Numbers row. */
export interface OwnerEntry {
  row: NumberRow;
  /** Index of the row in SheetRows.numbers (and in RatingModel.owners). */
  index: number;
  /** The row's customer; null only if validation let a missing account through. */
  customer: Customer | null;
  account: string;
  site: string;
  /** The row's Number (N()): what an alternate CDR number is billed as. */
  number: string;
  /** Active from this local day (CallsStartDate, else DateSold) to the end of `last` (DroppedDate; +Infinity open). */
  first: number;
  last: number;
  /** The step-7 chain set of the row's calls. */
  chainSet: number;
  /** Range members with TariffAssignments of their own: their chain set (that member's assignment first). */
  memberSets: Map<string, number> | null;
}

/**
 * Per Numbers row, E_SIZE ints of `entryData`: [direction mask (1 outbound, 2 inbound, 3 both),
 * first day, last day (INT_MAX open), archived after day (INT_MAX when Active, INT_MIN when
 * Archived with no date), extension id (0 = blank), chain set, flags (F_MEMBERS, F_NO_CUSTOMER), inbound
 * destination (PackedDest of NumberType; -1 = blank/AutoDetect, the number's own prefix)].
 */
export const E_DIR = 0;
export const E_FIRST = 1;
export const E_LAST = 2;
export const E_ARCHIVED = 3;
export const E_EXT = 4;
export const E_CHAIN = 5;
export const E_FLAGS = 6;
/** E_FLAGS bits: the row has member chain sets; the row's account is not in Customers. */
export const F_MEMBERS = 1;
export const F_NO_CUSTOMER = 2;
export const E_INBOUND = 7;
/**
 * What the fast lane writes and hands on for the row, in the same cache line as the rest: the
 * fraud rules' id of its Number (RatingModel.fraudNumberValues; -1 for a range or other text), and
 * where its account, site and Number are in `ownerBytes` as CSV fields: [E_BYTES, E_ACCOUNT_END),
 * [E_ACCOUNT_END, E_SITE_END), [E_SITE_END, E_NUMBER_END).
 */
export const E_FRAUD = 8;
export const E_BYTES = 9;
export const E_ACCOUNT_END = 10;
export const E_SITE_END = 11;
export const E_NUMBER_END = 12;
/** 16 ints: one 64-byte cache line a row. */
export const E_SIZE = 16;

export const REF_ACCOUNT = 0;
export const REF_SITE = 1;
export const REF_NUMBER = 2;
export const REF_SIZE = 3;

/** A claim on a number: the row, and whether the number is one of its AltCdrNumbers. */
export interface Claim {
  entry: OwnerEntry;
  alt: boolean;
}

// Claims are integers: a claim code is the row's index × 2 (+ 1 when the number is an AltCdrNumber
// of it). A lookup answers NO_CLAIM, one code (>= 0), or a list of codes (<= -2: lists[-code - 2]).
export const NO_CLAIM = -1;

/** Numbers up to this many digits are exact as doubles (< 2^53); longer ones are looked up as text. */
const NUMERIC_DIGITS = 15;

/** The value of a digit string of at most 15 digits; -1 when longer, empty or not all digits. */
export function digitsValue(n: string): number {
  const len = n.length;
  if (len === 0 || len > NUMERIC_DIGITS) return -1;
  let x = 0;
  for (let i = 0; i < len; i++) {
    const d = n.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    x = x * 10 + d;
  }
  return x;
}

/** Keeps claim codes (lists are negative) positive inside the hash table. */
const CODE_BIAS = 2 ** 30;

function hashSlot(x: number, mask: number): number {
  const lo = x % 4_294_967_296;
  const hi = (x - lo) / 4_294_967_296;
  let h = Math.imul(lo | 0, 0x9e3779b1) ^ Math.imul(hi | 0, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & mask;
}

export class NumberIndex {
  /** Open addressing, two doubles a slot: [numeric value (-1 empty), (claim code + CODE_BIAS) × 32 + digit count]. */
  private readonly table: Float64Array;
  private readonly mask: number;
  /** Numbers longer than 15 digits (not E.164; kept for completeness). */
  private readonly longExact = new Map<string, number>();
  /** Range segments by digit length: codes[i] claims [bounds[i], bounds[i + 1]). */
  private readonly segments: ({ bounds: Float64Array; codes: Int32Array } | undefined)[] = [];
  private readonly longRanges: { start: string; end: string; code: number }[] = [];
  private readonly longLists = new Map<string, number>();
  /** Claim lists shared by numbers and segments with more than one claim. */
  readonly lists: Int32Array[] = [];

  constructor(private readonly entries: readonly OwnerEntry[]) {
    const exact = new Map<string, number[]>();
    const addExact = (n: string, code: number): void => {
      const l = exact.get(n);
      if (!l) exact.set(n, [code]);
      else if (!l.some((c) => c >> 1 === code >> 1)) l.push(code);
    };
    const pending = new Map<number, { start: number; end: number; code: number }[]>();
    for (const e of entries) {
      const row = e.row;
      const code = e.index * 2;
      if (row.rangeEnd !== '' && row.rangeEnd !== row.number && row.rangeEnd.length === row.number.length && row.number < row.rangeEnd) {
        const start = digitsValue(row.number);
        const end = digitsValue(row.rangeEnd);
        if (start >= 0 && end >= 0) {
          let list = pending.get(row.number.length);
          if (!list) pending.set(row.number.length, (list = []));
          list.push({ start, end, code });
        } else this.longRanges.push({ start: row.number, end: row.rangeEnd, code });
      } else if (row.number !== '') addExact(row.number, code);
      for (const alt of row.altCdrNumbers) if (alt !== '' && alt !== row.number) addExact(alt, code + 1);
    }
    let size = 16;
    while (size < exact.size * 1.3) size *= 2; // load at most 0.77: a probe run stays within a cache line or two
    this.table = new Float64Array(size * 2).fill(-1);
    this.mask = size - 1;
    for (const [n, codes] of exact) {
      const v = this.codeOf(codes);
      const x = digitsValue(n);
      if (x < 0) {
        this.longExact.set(n, v);
        continue;
      }
      let i = hashSlot(x, this.mask);
      while (this.table[i * 2] !== -1) i = (i + 1) & this.mask;
      this.table[i * 2] = x;
      this.table[i * 2 + 1] = (v + CODE_BIAS) * 32 + n.length;
    }
    for (const [len, ranges] of pending) this.segments[len] = this.segmentsOf(ranges);
  }

  private codeOf(codes: number[]): number {
    if (codes.length === 1) return codes[0];
    this.lists.push(Int32Array.from(codes.sort((a, b) => a - b)));
    return -(this.lists.length - 1) - 2;
  }

  /** Cuts ranges into elementary segments, each with the claims covering all of it. */
  private segmentsOf(ranges: { start: number; end: number; code: number }[]): { bounds: Float64Array; codes: Int32Array } {
    const cuts = new Set<number>();
    for (const r of ranges) {
      cuts.add(r.start);
      cuts.add(r.end + 1);
    }
    const bounds = Float64Array.from([...cuts].sort((a, b) => a - b));
    const byStart = [...ranges].sort((a, b) => a.start - b.start || a.code - b.code);
    const codes = new Int32Array(Math.max(0, bounds.length - 1)).fill(NO_CLAIM);
    let active: { end: number; code: number }[] = [];
    let next = 0;
    for (let i = 0; i + 1 < bounds.length; i++) {
      const at = bounds[i];
      active = active.filter((a) => a.end >= at);
      while (next < byStart.length && byStart[next].start === at) {
        active.push({ end: byStart[next].end, code: byStart[next].code });
        next++;
      }
      if (active.length > 0) codes[i] = this.codeOf(active.map((a) => a.code));
    }
    return { bounds, codes };
  }

  /** The single numbers and AltCdrNumbers equal to n (x = digitsValue(n)): a claim code. */
  exactCode(n: string, x: number): number {
    if (x < 0) return this.longExact.get(n) ?? NO_CLAIM;
    return this.exactCodeOf(x, n.length);
  }

  /** exactCode of a number of `len` digits (at most 15) whose value is x. */
  exactCodeOf(x: number, len: number): number {
    const t = this.table;
    const mask = this.mask;
    let i = hashSlot(x, mask);
    for (;;) {
      const k = t[i * 2];
      if (k === -1) return NO_CLAIM;
      if (k === x) {
        const v = t[i * 2 + 1];
        if (v % 32 === len) return (v - len) / 32 - CODE_BIAS;
      }
      i = (i + 1) & mask;
    }
  }

  /** The ranges holding n (x = digitsValue(n)): a claim code. */
  rangeCode(n: string, x: number): number {
    if (x < 0) return this.longRangeCode(n);
    return this.rangeCodeOf(x, n.length);
  }

  /** rangeCode of a number of `len` digits (at most 15) whose value is x. */
  rangeCodeOf(x: number, len: number): number {
    const t = this.segments[len];
    if (t === undefined) return NO_CLAIM;
    const b = t.bounds;
    let hi = b.length - 1;
    if (!(x >= b[0]) || x >= b[hi]) return NO_CLAIM;
    let lo = 0;
    // The largest lo with b[lo] <= x, knowing b[0] <= x < b[hi].
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (b[mid] <= x) lo = mid;
      else hi = mid;
    }
    return t.codes[lo];
  }

  private longRangeCode(n: string): number {
    const codes: number[] = [];
    for (const r of this.longRanges) if (r.start.length === n.length && r.start <= n && n <= r.end) codes.push(r.code);
    if (codes.length <= 1) return codes.length === 0 ? NO_CLAIM : codes[0];
    // Rare (numbers over 15 digits): one list per distinct set of claims.
    const key = codes.join(',');
    let code = this.longLists.get(key);
    if (code === undefined) this.longLists.set(key, (code = this.codeOf(codes)));
    return code;
  }

  /** The claims a code stands for (build time and messages; the hot path reads codes itself). */
  claimsOf(code: number): Claim[] {
    if (code === NO_CLAIM) return [];
    const codes = code >= 0 ? [code] : [...this.lists[-code - 2]];
    return codes.map((c) => ({ entry: this.entries[c >> 1], alt: (c & 1) === 1 }));
  }

  /** Every claim on a number: its own rows and alternates first, then ranges. */
  claims(n: string): Claim[] {
    const x = digitsValue(n);
    return [...this.claimsOf(this.exactCode(n, x)), ...this.claimsOf(this.rangeCode(n, x))];
  }
}

/**
 * Local wall clocks of instants, by quarter hour: zone.ts caches offsets in a Map; this keeps the
 * quarter hours of about two years around the first call in a typed array (an index, not a hash).
 * The one thing in the model that changes after the build: a memo, invisible to callers.
 */
export class LocalClock {
  private base = NaN;
  private readonly offsets = new Float64Array(1 << 16).fill(NaN);

  constructor(readonly zone: string) {}

  /** The local wall clock (ms whose UTC fields are local) of an instant. */
  local(utcMs: number): number {
    const q = Math.floor(utcMs / 900_000);
    let i = q - this.base;
    if (!(i >= 0 && i < 65_536)) {
      if (this.base === this.base) return utcMs + zoneOffsetMs(this.zone, utcMs);
      this.base = q - 32_768;
      i = 32_768;
    }
    let off = this.offsets[i];
    if (off !== off) this.offsets[i] = off = zoneOffsetMs(this.zone, q * 900_000);
    return utcMs + off;
  }
}

// ---------------------------------------------------------------------------------------------
// The model

export interface RatingModel {
  rows: SheetRows;
  settings: Settings;
  plan: NumberPlan;
  zone: string;
  /** Where each field's column is, for `Tab!Cell` addresses in details (template order when unknown). */
  positions: ColumnPositions;
  numbers: NumberIndex;
  /** Per Numbers row, in sheet order. */
  owners: OwnerEntry[];
  /** Per Numbers row, E_SIZE ints (see E_DIR …). */
  entryData: Int32Array;
  /** Per Numbers row, REF_SIZE strings: [account, site, Number] (one cache line, no object to chase). */
  ownerRefs: string[];
  /**
   * The fraud rules' ids of owning numbers, fixed here so the rating lane hands over an id rather
   * than a number to look up again: per Numbers row (entryData's E_FRAUD), the id of its Number
   * when the row is a single number of 1–15 digits, else -1 (a range's members and other texts are
   * looked up by value or text). `fraudNumberValues[id]` is that number as NumberIds keeps it
   * (10^digits + the number): FraudWatch.seedNumbers takes them first, so its ids are these.
   */
  fraudNumberValues: Float64Array;
  /** Every Numbers row's account, site and Number as rated.csv fields, one after another (see E_BYTES). */
  ownerBytes: Uint8Array;
  /** CDR extensions that some Numbers row names -> id (0 = blank). */
  extensionIds: Map<string, number>;
  /** Longest prefix over every Destinations row -> PackedDest. */
  prefixes: PrefixTrie;
  /** Short codes match only ServiceNumbers prefixes (SPEC §2) -> PackedDest. */
  servicePrefixes: PrefixTrie;
  /** Destination names by id (Destinations, NumberTypes and Rates names alike). */
  destinationNames: string[];
  destinationIds: Map<string, number>;
  bands: BandTable;
  rates: RateTable;
  tariffNames: string[];
  tariffs: Map<string, TariffRow>;
  customers: Map<string, Customer>;
  /** Chain records (see C_TARIFF …) and the same as objects. */
  chainData: Float64Array;
  chains: Chain[];
  /** Local wall clocks of call starts in Settings.Timezone. */
  clock: LocalClock;
}

/**
 * [account, site, Number] per owner row, with one string object per distinct text: rows parsed
 * from JSON or cells each hold their own copy of "ACME" and "HQ", and the rating hot path writes
 * these on every row: a few thousand shared strings stay in cache where 100,000 copies may not
 * (0.4–0.8 µs a line in a micro-benchmark of the fast lane alone; within noise in a whole run).
 */
function ownerRefsOf(owners: readonly OwnerEntry[]): string[] {
  const shared = new Map<string, string>();
  const one = (s: string): string => {
    const known = shared.get(s);
    if (known !== undefined) return known;
    shared.set(s, s);
    return s;
  };
  return owners.flatMap((e) => [one(e.account), one(e.site), e.number]);
}

/** Dense ids of single numbers of 1–15 digits, by value (see RatingModel.fraudNumberValues). */
class FraudIds {
  readonly values: number[] = [];
  private readonly ids = new Map<number, number>();
  /** The id of a row's Number, or -1 when the row is a range or its Number is not 1–15 digits. */
  of(e: OwnerEntry): number {
    const n = e.number;
    if (e.row.rangeEnd !== '' || n.length === 0 || n.length > 15 || !/^[0-9]+$/.test(n)) return -1;
    const v = 10 ** n.length + Number(n);
    let id = this.ids.get(v);
    if (id === undefined) this.ids.set(v, (id = this.values.push(v) - 1));
    return id;
  }
}

/** A cell address for a detail: the field's real column when known, else its place in the template. */
export function fieldCell(model: RatingModel, tab: TabKey, field: string, row: number): string {
  const col = model.positions[tab]?.[field] ?? TAB_COLUMNS[tab].findIndex((c) => c.field === field);
  return cellAddress(TAB_NAMES[tab], Math.max(0, col), row);
}

interface Ranked {
  a: TariffAssignmentRow;
  /** 0 = the matched number itself (range members), 1 = the row's Number, 2 = an AltCdrNumber, 3 = another member of the range. */
  rank: number;
}

const byRank = (x: Ranked, y: Ranked): number => x.rank - y.rank || x.a.row - y.a.row;

export function buildRatingModel(rows: SheetRows, positions: ColumnPositions = {}): RatingModel {
  const s = rows.settings;

  // Destination names get ids: Destinations, Rates, NumberTypes.
  const destinationIds = new Map<string, number>();
  const destinationNames: string[] = [];
  const destId = (name: string): number => {
    let id = destinationIds.get(name);
    if (id === undefined) {
      id = destinationNames.push(name) - 1;
      destinationIds.set(name, id);
    }
    return id;
  };
  for (const d of rows.destinations) destId(d.destination);
  for (const r of rows.rates) destId(r.destination);
  const typeOf = (row: NumberRow): string => {
    const t = row.numberType.trim();
    return t.toLowerCase() === 'autodetect' ? '' : t;
  };
  for (const n of rows.numbers) if (typeOf(n) !== '') destId(typeOf(n));
  const packedOf = (d: { destination: string; callClass: CallClass }): PackedDest => packDest(destinationIds.get(d.destination)!, Math.max(0, CALL_CLASSES.indexOf(d.callClass)));
  const prefixes = new PrefixTrie(rows.destinations.map((d) => ({ prefix: d.prefix, value: packedOf(d) })));
  const servicePrefixes = new PrefixTrie(rows.destinations.filter((d) => d.callClass === 'ServiceNumbers').map((d) => ({ prefix: d.prefix, value: packedOf(d) })));

  const bands = buildBandTable(rows.timeBands, rows.holidays, rows.rates.map((r) => r.timeBand));

  // Tariffs by index: the Tariffs tab, then any other name a chain or a rate uses.
  const tariffs = new Map<string, TariffRow>();
  for (const t of rows.tariffs) if (!tariffs.has(t.tariff)) tariffs.set(t.tariff, t);
  const tariffIds = new Map<string, number>();
  const tariffNames: string[] = [];
  const tariffId = (name: string): number => {
    let id = tariffIds.get(name);
    if (id === undefined) {
      id = tariffNames.push(name) - 1;
      tariffIds.set(name, id);
    }
    return id;
  };
  for (const t of rows.tariffs) tariffId(t.tariff);
  for (const r of rows.rates) tariffId(r.tariff);
  for (const a of rows.tariffAssignments) if (a.tariff !== '') tariffId(a.tariff);
  for (const c of rows.customers) if (c.tariff !== '') tariffId(c.tariff);

  // Rates: (tariff, destination) groups, rows by band.
  const groupIds = new Map<number, number>();
  const groups: { tariff: number; dest: number; byBand: RateRow[][] }[] = [];
  for (const r of rows.rates) {
    const t = tariffIds.get(r.tariff)!;
    const d = destinationIds.get(r.destination)!;
    const key = t * destinationNames.length + d;
    let g = groupIds.get(key);
    if (g === undefined) {
      g = groups.push({ tariff: t, dest: d, byBand: [] }) - 1;
      groupIds.set(key, g);
    }
    (groups[g].byBand[bands.ids.get(r.timeBand) ?? 0] ??= []).push(r);
  }
  const rates = new RateTable(tariffNames.length, destinationNames.length, bands.names.length, groups);

  const customers = new Map<string, Customer>();
  for (const c of rows.customers) if (!customers.has(c.account)) customers.set(c.account, c);

  // Assignments: account-wide per account; number-specific by number.
  const accountWide = new Map<string, TariffAssignmentRow[]>();
  const byNumber = new Map<string, TariffAssignmentRow[]>();
  for (const a of rows.tariffAssignments) {
    const map = a.number === '' ? accountWide : byNumber;
    const key = a.number === '' ? a.account : a.number;
    const list = map.get(key);
    if (list) list.push(a);
    else map.set(key, [a]);
  }

  // Chain sets: CLASS_COUNT chains each.
  const chains: Chain[] = [];
  /** SPEC §2 step 7 for every class: tariff and markup each take the first non-blank along the chain. */
  // Identical sets are shared: most accounts resolve to the same few, so the records stay in cache.
  const setIds = new Map<string, number>();
  const addChainSet = (specific: readonly Ranked[], account: string, customer: Customer | null, rowFallback: MicroPct | null): number => {
    const wide = accountWide.get(account) ?? [];
    const set: Chain[] = [];
    for (let k = 0; k < CLASS_COUNT; k++) {
      const cls = CALL_CLASSES[k];
      const levels: TariffAssignmentRow[][] = [
        specific.filter((r) => r.a.callClass === cls).map((r) => r.a),
        specific.filter((r) => r.a.callClass === '').map((r) => r.a),
        wide.filter((a) => a.callClass === cls),
        wide.filter((a) => a.callClass === ''),
      ];
      let tariffName = '';
      let markup: MicroPct | null = null;
      for (const level of levels) {
        for (const a of level) {
          if (tariffName === '' && a.tariff !== '') tariffName = a.tariff;
          if (markup === null && a.markup !== null) markup = a.markup;
        }
      }
      if (tariffName === '') tariffName = customer?.tariff ?? '';
      if (markup === null) markup = customer?.markup ?? null;
      const tariff = tariffName === '' ? null : tariffs.get(tariffName) ?? null;
      set.push({
        tariffName,
        tariffIdx: tariffName === '' ? -1 : tariffId(tariffName),
        tariff,
        markup,
        fallback: tariff?.fallbackMarkup ?? rowFallback ?? customer?.fallbackMarkup ?? null,
        decimals: tariff?.chargeDecimals ?? s.chargeDecimals,
        rounding: tariff?.rounding ?? s.rounding,
      });
    }
    const key = set.map((c) => `${c.tariffName}\u0000${c.markup}\u0000${c.fallback}\u0000${c.decimals}\u0000${c.rounding}`).join('\u0001');
    let id = setIds.get(key);
    if (id === undefined) {
      id = chains.length / CLASS_COUNT;
      setIds.set(key, id);
      chains.push(...set);
    }
    return id;
  };
  const accountSets = new Map<string, number>();

  const owners: OwnerEntry[] = rows.numbers.map((row, index) => ({
    row,
    index,
    customer: customers.get(row.account) ?? null,
    account: row.account,
    site: row.site,
    number: row.number,
    first: row.callsStartDate ?? row.dateSold,
    last: row.droppedDate ?? Infinity,
    chainSet: -1,
    memberSets: null,
  }));
  const numbers = new NumberIndex(owners);

  // Number-specific assignments: the rows they apply to, found through the index itself (equal to
  // the row's Number, one of its AltCdrNumbers, or inside its range), of the same account.
  const specific = new Map<OwnerEntry, Ranked[]>();
  for (const [number, list] of byNumber) {
    for (const claim of numbers.claims(number)) {
      const e = claim.entry;
      const rank = claim.alt ? 2 : number === e.row.number ? 1 : 3;
      for (const a of list) {
        if (a.account !== e.row.account) continue;
        let l = specific.get(e);
        if (!l) specific.set(e, (l = []));
        if (!l.some((x) => x.a === a)) l.push({ a, rank });
      }
    }
  }

  const extensionIds = new Map<string, number>([['', 0]]);
  const entryData = new Int32Array(owners.length * E_SIZE);
  const fraudIds = new FraudIds();
  const ownerBytes = new RowBytes(1 << 16);
  const clampDay = (d: number): number => (d === Infinity ? INT_MAX : d === -Infinity ? INT_MIN : Math.max(INT_MIN + 1, Math.min(INT_MAX - 1, d)));
  for (const e of owners) {
    const row = e.row;
    const mine = specific.get(e);
    if (!mine && row.fallbackMarkup === null) {
      let set = accountSets.get(row.account);
      if (set === undefined) accountSets.set(row.account, (set = addChainSet([], row.account, e.customer, null)));
      e.chainSet = set;
    } else {
      const ranked = (mine ?? []).sort(byRank);
      e.chainSet = addChainSet(ranked, row.account, e.customer, row.fallbackMarkup);
      // A member of a range with an assignment of its own: for its calls, that assignment comes first.
      for (const r of ranked) {
        if (r.rank !== 3) continue;
        const member = r.a.number;
        e.memberSets ??= new Map();
        if (e.memberSets.has(member)) continue;
        const first = ranked.map((x) => (x.rank === 3 && x.a.number === member ? { a: x.a, rank: 0 } : x)).sort(byRank);
        e.memberSets.set(member, addChainSet(first, row.account, e.customer, row.fallbackMarkup));
      }
    }
    let ext = extensionIds.get(row.extension);
    if (ext === undefined) extensionIds.set(row.extension, (ext = extensionIds.size));
    const c = e.customer;
    const archivedAfter = c === null || c.status !== 'Archived' ? INT_MAX : c.archivedDate === null ? INT_MIN : clampDay(c.archivedDate);
    const type = typeOf(row);
    const o = e.index * E_SIZE;
    entryData[o + E_DIR] = row.direction === 'Both' ? 3 : row.direction === 'Inbound' ? 2 : 1;
    entryData[o + E_FIRST] = clampDay(e.first);
    entryData[o + E_LAST] = clampDay(e.last);
    entryData[o + E_ARCHIVED] = archivedAfter;
    entryData[o + E_EXT] = ext;
    entryData[o + E_CHAIN] = e.chainSet;
    entryData[o + E_FLAGS] = (e.memberSets === null ? 0 : F_MEMBERS) | (e.customer === null ? F_NO_CUSTOMER : 0);
    entryData[o + E_INBOUND] = type === '' ? -1 : packDest(destinationIds.get(type)!, INBOUND_CLASS_IDX);
    entryData[o + E_FRAUD] = fraudIds.of(e);
    entryData[o + E_BYTES] = ownerBytes.pos;
    ownerBytes.field(e.account);
    entryData[o + E_ACCOUNT_END] = ownerBytes.pos;
    ownerBytes.field(e.site);
    entryData[o + E_SITE_END] = ownerBytes.pos;
    ownerBytes.field(e.number);
    entryData[o + E_NUMBER_END] = ownerBytes.pos;
  }
  const fraudNumberValues = Float64Array.from(fraudIds.values);

  const chainData = new Float64Array(chains.length * C_SIZE);
  chains.forEach((c, i) => {
    chainData[i * C_SIZE + C_TARIFF] = c.tariffIdx;
    chainData[i * C_SIZE + C_MARKUP] = c.markup ?? NaN;
    chainData[i * C_SIZE + C_FALLBACK] = c.fallback ?? NaN;
    chainData[i * C_SIZE + C_DECIMALS] = c.decimals;
    chainData[i * C_SIZE + C_ROUNDING] = Math.max(0, ROUNDINGS.indexOf(c.rounding));
  });

  return {
    rows,
    settings: s,
    plan: { countryCode: s.countryCode, nationalPrefix: s.nationalPrefix, internationalPrefix: s.internationalPrefix, shortCodeDigits: s.shortCodeDigits },
    zone: s.timezone,
    positions,
    numbers,
    owners,
    entryData,
    ownerRefs: ownerRefsOf(owners),
    fraudNumberValues,
    ownerBytes: ownerBytes.bytes().slice(),
    extensionIds,
    prefixes,
    servicePrefixes,
    destinationNames,
    destinationIds,
    bands,
    rates,
    tariffNames,
    tariffs,
    customers,
    chainData,
    chains,
    clock: new LocalClock(s.timezone),
  };
}
