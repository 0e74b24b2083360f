// The in-memory indexes the rating hot path needs (SPEC §2 steps 3–10), built once from a valid
// workbook and never changed afterwards (so worker threads can each hold one):
// - who owns a number: single numbers and AltCdrNumbers in a Map keyed by digits; ranges of up to
//   1,000,000 numbers never expanded — per digit length, the sorted elementary segments the ranges
//   cut the number line into, each with the rows claiming it (one binary search);
// - destinations: a digit trie in flat typed arrays for the longest prefix, and one of
//   ServiceNumbers prefixes alone for short codes;
// - time bands: minute-of-day tables per weekday, with holidays (timeband.ts);
// - rates: per tariff, destination id and band id, the effective windows, each with its slots
//   ordered by FromSecond;
// - the tariff / markup / fallback chain of step 7, resolved per Numbers row and call class at build
//   time (rows without assignments of their own share their account's), with the tariff's
//   ChargeDecimals and Rounding (else Settings') and the tariff's rates at hand.
// Building never throws: rows are already validated, and anything odd simply matches nothing.

import { TAB_COLUMNS, type TabKey } from './columns.js';
import type { Day } from './day.js';
import type { MicroPct } from './money.js';
import type { ColumnPositions } from './parse.js';
import type { NumberPlan } from './phone.js';
import { cellAddress } from './raw.js';
import {
  CALL_CLASSES,
  TAB_NAMES,
  type CallClass,
  type Customer,
  type DestinationRow,
  type NumberRow,
  type RateRow,
  type Rounding,
  type Settings,
  type SheetRows,
  type TariffAssignmentRow,
  type TariffRow,
} from './rows.js';
import { buildBandTable, type BandTable } from './timeband.js';

// ---------------------------------------------------------------------------------------------
// Destinations

/** A destination as rating sees it: its name (with an id rates are keyed by) and its call class. */
export interface DestInfo {
  /** Index into RatingModel.destinationNames; rates are keyed by it. */
  id: number;
  name: string;
  callClass: CallClass;
  /** Index of callClass in CALL_CLASSES: chains are kept per class. */
  classIdx: number;
  /** The Destinations row it came from; null for a NumberType that names no Destinations row. */
  row: DestinationRow | null;
}

/** Longest-prefix match as a digit trie in flat arrays: node × 10 + digit -> child (0 = none). */
export class PrefixTrie {
  private readonly child: Int32Array;
  /** node -> index of the value stored there, -1 for none. */
  private readonly value: Int32Array;

  constructor(prefixes: readonly string[]) {
    const child: number[] = new Array<number>(10).fill(0);
    const value: number[] = [-1];
    for (let p = 0; p < prefixes.length; p++) {
      const s = prefixes[p];
      let node = 0;
      let ok = s.length > 0;
      for (let i = 0; i < s.length; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) {
          ok = false;
          break;
        }
        let next = child[node * 10 + d];
        if (next === 0) {
          next = value.length;
          value.push(-1);
          for (let k = 0; k < 10; k++) child.push(0);
          child[node * 10 + d] = next;
        }
        node = next;
      }
      // Prefixes are unique after validation; the first row of a repeated prefix wins.
      if (ok && value[node] < 0) value[node] = p;
    }
    this.child = Int32Array.from(child);
    this.value = Int32Array.from(value);
  }

  /** The index of the longest stored prefix of `digits`, -1 when none. */
  longest(digits: string): number {
    const child = this.child;
    const value = this.value;
    let node = 0;
    let best = -1;
    for (let i = 0; i < digits.length; i++) {
      const d = digits.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      node = child[node * 10 + d];
      if (node === 0) break;
      const v = value[node];
      if (v >= 0) best = v;
    }
    return best;
  }
}

// ---------------------------------------------------------------------------------------------
// Rates

/** One slot of a rate: the seconds from `from` on, until the next slot's `from`. */
export interface Slot {
  from: number;
  perMinute: number;
  /** InitialSeconds, default IncrementSeconds (used on the first slot only). */
  initial: number;
  /** IncrementSeconds, default 1. */
  increment: number;
  row: RateRow;
}

/** The rows of one Tariff+Destination+TimeBand valid over one span of local days: a rate. */
export interface RateWindow {
  /** First day, inclusive; -Infinity when open. */
  from: number;
  /** Exclusive; +Infinity when open. */
  to: number;
  /** Ordered by FromSecond. */
  slots: Slot[];
  /** The first slot's ConnectionFee (0 when blank), MinimumCharge and MaximumCharge (null when blank). */
  fee: number;
  minimum: number | null;
  maximum: number | null;
}

/** A tariff's rates for one destination: windows by band id (index 0 = blank TimeBand); null = none. */
export type BandRates = (RateWindow[] | null)[];

/** The window of a band's rate that holds a local day, null when none. */
export function windowOn(windows: RateWindow[] | null | undefined, day: number): RateWindow | null {
  if (windows == null) return null;
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i];
    if (w.from <= day && day < w.to) return w;
  }
  return null;
}

function slotOf(r: RateRow): Slot {
  const increment = r.incrementSeconds !== null && r.incrementSeconds >= 1 ? r.incrementSeconds : 1;
  const initial = r.initialSeconds !== null && r.initialSeconds >= 0 ? r.initialSeconds : increment;
  return { from: r.fromSecond, perMinute: r.perMinute, initial, increment, row: r };
}

/** Splits the rows of one Tariff+Destination+TimeBand into windows of days over which the same rows hold. */
function windowsOf(rows: RateRow[]): RateWindow[] {
  const cuts = new Set<number>();
  for (const r of rows) {
    if (r.effectiveFrom !== null) cuts.add(r.effectiveFrom);
    if (r.effectiveTo !== null) cuts.add(r.effectiveTo);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: RateWindow[] = [];
  let from = -Infinity;
  for (let i = 0; i <= points.length; i++) {
    const to = i < points.length ? points[i] : Infinity;
    // Every row either holds the whole of [from, to) or none of it: test one day inside.
    const probe = from === -Infinity ? (to === Infinity ? 0 : to - 1) : from;
    const valid = rows
      .filter((r) => (r.effectiveFrom === null || r.effectiveFrom <= probe) && (r.effectiveTo === null || probe < r.effectiveTo))
      .sort((a, b) => a.fromSecond - b.fromSecond || a.row - b.row);
    if (valid.length > 0) {
      const slots = valid.map(slotOf);
      const first = valid[0];
      const last = out[out.length - 1];
      // Adjacent windows with the same rows (a cut made by another row's date) merge.
      if (last && last.to === from && last.slots.length === slots.length && last.slots.every((s, k) => s.row === slots[k].row)) last.to = to;
      else out.push({ from, to, slots, fee: first.connectionFee ?? 0, minimum: first.minimumCharge, maximum: first.maximumCharge });
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
  /** The Tariffs row; null when none resolved (or the name is in no row). */
  tariff: TariffRow | null;
  markup: MicroPct | null;
  fallback: MicroPct | null;
  /** Step 10: the tariff's ChargeDecimals and Rounding, else Settings'. */
  decimals: number;
  rounding: Rounding;
  /** The tariff's rates by destination id; null when it has none. */
  rates: Map<number, BandRates> | null;
}

// ---------------------------------------------------------------------------------------------
// Owners (steps 3–4)

/** What rating needs of one Numbers row, worked out once. */
export interface OwnerEntry {
  row: NumberRow;
  /** Index of the row in SheetRows.numbers. */
  index: number;
  /** The row's customer; null only if validation let a missing account through. */
  customer: Customer | null;
  /** 1 = owns outbound calls, 2 = inbound, 3 = both. */
  dirMask: number;
  /** Active from this local day (CallsStartDate, else DateSold) … */
  first: number;
  /** … to the end of this one (DroppedDate; +Infinity when open). */
  last: number;
  /** The customer is Archived for calls on local days after this (+Infinity when Active; -Infinity when Archived with no date). */
  archivedAfter: number;
  /** Step 7 per class index; shared with the other rows of the account when nothing is specific to this row. */
  chains: Chain[];
  /** Range members with assignments of their own: their chains (that member's assignment first). */
  memberChains: Map<string, Chain[]> | null;
  /** Inbound calls: the destination the NumberType names (class Inbound); null for blank/AutoDetect (the number's own prefix). */
  inbound: DestInfo | null;
}

/** A claim on a number: the row, and whether the number is one of its AltCdrNumbers. */
export interface Claim {
  entry: OwnerEntry;
  alt: boolean;
}

/** The ranges of one digit length as elementary segments: lists[i] claims [bounds[i], bounds[i + 1]). */
interface SegmentTable {
  bounds: Float64Array;
  lists: (Claim[] | null)[];
}

interface LongRange {
  start: string;
  end: string;
  claim: Claim;
}

/** Numbers up to this many digits are exact as doubles (< 2^53); longer ranges fall back to text. */
const NUMERIC_DIGITS = 15;

export class NumberIndex {
  /** Single numbers and AltCdrNumbers. */
  readonly exact = new Map<string, Claim[]>();
  /** By digit length; undefined when no range has that length. */
  readonly segments: (SegmentTable | undefined)[] = [];
  /** Ranges of numbers longer than 15 digits (not E.164; kept for completeness), scanned in turn. */
  readonly longRanges: LongRange[] = [];

  constructor(entries: readonly OwnerEntry[]) {
    const pending = new Map<number, { start: number; end: number; claim: Claim }[]>();
    for (const entry of entries) {
      const row = entry.row;
      const own: Claim = { entry, alt: false };
      if (row.rangeEnd !== '' && row.rangeEnd !== row.number && row.rangeEnd.length === row.number.length && row.number < row.rangeEnd) {
        if (row.number.length <= NUMERIC_DIGITS) {
          let list = pending.get(row.number.length);
          if (!list) pending.set(row.number.length, (list = []));
          list.push({ start: Number(row.number), end: Number(row.rangeEnd), claim: own });
        } else this.longRanges.push({ start: row.number, end: row.rangeEnd, claim: own });
      } else this.add(row.number, own);
      for (const alt of row.altCdrNumbers) if (alt !== '' && alt !== row.number) this.add(alt, { entry, alt: true });
    }
    for (const [len, ranges] of pending) this.segments[len] = segmentsOf(ranges);
  }

  private add(number: string, claim: Claim): void {
    const list = this.exact.get(number);
    if (!list) this.exact.set(number, [claim]);
    else if (!list.some((c) => c.entry === claim.entry)) list.push(claim);
  }

  /** The range claims on a number (rows whose [Number, RangeEnd] holds it); null when none. */
  rangeClaims(number: string): Claim[] | null {
    const len = number.length;
    if (len <= NUMERIC_DIGITS) {
      const t = this.segments[len];
      if (t === undefined) return null;
      const x = Number(number);
      const b = t.bounds;
      let lo = 0;
      let hi = b.length - 1;
      if (!(x >= b[0]) || x >= b[hi]) return null;
      // Largest i with b[i] <= x; b[0] <= x < b[last].
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (b[mid] <= x) lo = mid;
        else hi = mid;
      }
      return t.lists[lo];
    }
    let out: Claim[] | null = null;
    for (const r of this.longRanges) if (r.start.length === len && r.start <= number && number <= r.end) (out ??= []).push(r.claim);
    return out;
  }

  /** Every claim on a number (build time and messages; the hot path reads exact and rangeClaims itself). */
  claims(number: string): Claim[] {
    const exact = this.exact.get(number) ?? [];
    const ranged = this.rangeClaims(number) ?? [];
    return ranged.length === 0 ? exact : exact.concat(ranged);
  }
}

/** Cuts ranges into elementary segments, each with the claims covering all of it. */
function segmentsOf(ranges: { start: number; end: number; claim: Claim }[]): SegmentTable {
  const cuts = new Set<number>();
  for (const r of ranges) {
    cuts.add(r.start);
    cuts.add(r.end + 1);
  }
  const bounds = Float64Array.from([...cuts].sort((a, b) => a - b));
  const byStart = [...ranges].sort((a, b) => a.start - b.start || a.claim.entry.index - b.claim.entry.index);
  const lists: (Claim[] | null)[] = [];
  let active: { end: number; claim: Claim }[] = [];
  let next = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const at = bounds[i];
    active = active.filter((a) => a.end >= at);
    while (next < byStart.length && byStart[next].start === at) {
      active.push({ end: byStart[next].end, claim: byStart[next].claim });
      next++;
    }
    lists.push(active.length === 0 ? null : active.map((a) => a.claim).sort((a, b) => a.entry.index - b.entry.index));
  }
  return { bounds, lists };
}

// ---------------------------------------------------------------------------------------------
// The model

export interface RatingModel {
  rows: SheetRows;
  settings: Settings;
  plan: NumberPlan;
  zone: string;
  /** Where each field's column is, for `Tab!Cell` addresses in details (canonical order when unknown). */
  positions: ColumnPositions;
  numbers: NumberIndex;
  /** OwnerEntry per Numbers row, in sheet order. */
  owners: OwnerEntry[];
  /** Longest prefix over every Destinations row; values index `destinations`. */
  prefixes: PrefixTrie;
  /** Short codes match only ServiceNumbers prefixes (SPEC §2); values index `destinations`. */
  servicePrefixes: PrefixTrie;
  /** Per Destinations row, as an outbound call sees it. */
  destinations: DestInfo[];
  /** Per Destinations row, as an inbound call to a number with that prefix sees it (class Inbound). */
  inboundDestinations: DestInfo[];
  /** Destination names by id (Destinations, NumberTypes and Rates names alike). */
  destinationNames: string[];
  destinationIds: Map<string, number>;
  bands: BandTable;
  /** tariff -> destination id -> windows by band id. */
  rates: Map<string, Map<number, BandRates>>;
  tariffs: Map<string, TariffRow>;
  customers: Map<string, Customer>;
  /** Per account, the chain of every class for a row with nothing of its own (index = CALL_CLASSES). */
  accountChains: Map<string, Chain[]>;
}

export const INBOUND_CLASS_IDX = CALL_CLASSES.indexOf('Inbound');
const CLASS_COUNT = CALL_CLASSES.length;

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

export function buildRatingModel(rows: SheetRows, positions: ColumnPositions = {}): RatingModel {
  const s = rows.settings;

  // Destination names get ids: Destinations, then NumberTypes and Rates destinations.
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
  const destinations: DestInfo[] = rows.destinations.map((d) => ({ id: destId(d.destination), name: d.destination, callClass: d.callClass, classIdx: Math.max(0, CALL_CLASSES.indexOf(d.callClass)), row: d }));
  const inboundDestinations: DestInfo[] = destinations.map((d) => ({ ...d, callClass: 'Inbound', classIdx: INBOUND_CLASS_IDX }));
  const firstByName = new Map<string, DestinationRow>();
  for (const d of rows.destinations) if (!firstByName.has(d.destination)) firstByName.set(d.destination, d);

  const bands = buildBandTable(rows.timeBands, rows.holidays, rows.rates.map((r) => r.timeBand));

  // Rates: tariff -> destination id -> band id -> rows, then windows.
  const grouped = new Map<string, Map<number, RateRow[][]>>();
  for (const r of rows.rates) {
    let byDest = grouped.get(r.tariff);
    if (!byDest) grouped.set(r.tariff, (byDest = new Map()));
    const id = destId(r.destination);
    let byBand = byDest.get(id);
    if (!byBand) byDest.set(id, (byBand = []));
    const band = bands.ids.get(r.timeBand) ?? 0;
    (byBand[band] ??= []).push(r);
  }
  const rates = new Map<string, Map<number, BandRates>>();
  for (const [tariff, byDest] of grouped) {
    const out = new Map<number, BandRates>();
    for (const [id, byBand] of byDest) {
      const list: BandRates = new Array<RateWindow[] | null>(bands.names.length).fill(null);
      for (let b = 0; b < byBand.length; b++) if (byBand[b]) list[b] = windowsOf(byBand[b]);
      out.set(id, list);
    }
    rates.set(tariff, out);
  }

  const tariffs = new Map<string, TariffRow>();
  for (const t of rows.tariffs) if (!tariffs.has(t.tariff)) tariffs.set(t.tariff, t);
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

  const chainOf = (tariffName: string, markup: MicroPct | null, rowFallback: MicroPct | null, customer: Customer | null): Chain => {
    const tariff = tariffName === '' ? null : tariffs.get(tariffName) ?? null;
    return {
      tariffName,
      tariff,
      markup,
      fallback: tariff?.fallbackMarkup ?? rowFallback ?? customer?.fallbackMarkup ?? null,
      decimals: tariff?.chargeDecimals ?? s.chargeDecimals,
      rounding: tariff?.rounding ?? s.rounding,
      rates: tariffName === '' ? null : rates.get(tariffName) ?? null,
    };
  };
  /** SPEC §2 step 7 for every class: tariff and markup each take the first non-blank along the chain. */
  const chainsOf = (specific: readonly Ranked[], account: string, customer: Customer | null, rowFallback: MicroPct | null): Chain[] => {
    const wide = accountWide.get(account) ?? [];
    const out: Chain[] = [];
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
      out.push(chainOf(tariffName, markup, rowFallback, customer));
    }
    return out;
  };

  const accountChains = new Map<string, Chain[]>();
  const sharedChains = (account: string, customer: Customer | null): Chain[] => {
    let c = accountChains.get(account);
    if (!c) accountChains.set(account, (c = chainsOf([], account, customer, null)));
    return c;
  };

  const owners: OwnerEntry[] = rows.numbers.map((row, index) => {
    const customer = customers.get(row.account) ?? null;
    const type = row.numberType.trim();
    let inbound: DestInfo | null = null;
    if (type !== '' && type.toLowerCase() !== 'autodetect') {
      const d = firstByName.get(type);
      inbound = { id: destId(type), name: type, callClass: 'Inbound', classIdx: INBOUND_CLASS_IDX, row: d ?? null };
    }
    return {
      row,
      index,
      customer,
      dirMask: row.direction === 'Both' ? 3 : row.direction === 'Inbound' ? 2 : 1,
      first: row.callsStartDate ?? row.dateSold,
      last: row.droppedDate ?? Infinity,
      archivedAfter: customer === null || customer.status !== 'Archived' ? Infinity : customer.archivedDate ?? -Infinity,
      chains: [],
      memberChains: null,
      inbound,
    };
  });
  const numbers = new NumberIndex(owners);

  // Number-specific assignments: find the rows they apply to through the index itself (equal to the
  // row's Number, an AltCdrNumber of it, or inside its range), same account.
  const specific = new Map<OwnerEntry, Ranked[]>();
  for (const [number, list] of byNumber) {
    for (const claim of numbers.claims(number)) {
      const e = claim.entry;
      const rank = claim.alt ? 2 : number === e.row.number ? 1 : 3;
      for (const a of list) {
        if (a.account !== e.row.account) continue;
        let l = specific.get(e);
        if (!l) specific.set(e, (l = []));
        l.push({ a, rank });
      }
    }
  }
  for (const e of owners) {
    const mine = specific.get(e);
    if (!mine && e.row.fallbackMarkup === null) {
      e.chains = sharedChains(e.row.account, e.customer);
      continue;
    }
    const ranked = (mine ?? []).sort((x, y) => x.rank - y.rank || x.a.row - y.a.row);
    e.chains = chainsOf(ranked, e.row.account, e.customer, e.row.fallbackMarkup);
    // A member of a range with an assignment of its own: for its calls, that assignment comes first.
    for (const r of ranked) {
      if (r.rank !== 3) continue;
      const member = r.a.number;
      e.memberChains ??= new Map();
      if (e.memberChains.has(member)) continue;
      const first = ranked.map((x) => (x.rank === 3 && x.a.number === member ? { a: x.a, rank: 0 } : x)).sort((x, y) => x.rank - y.rank || x.a.row - y.a.row);
      e.memberChains.set(member, chainsOf(first, e.row.account, e.customer, e.row.fallbackMarkup));
    }
  }

  return {
    rows,
    settings: s,
    plan: { countryCode: s.countryCode, nationalPrefix: s.nationalPrefix, internationalPrefix: s.internationalPrefix, shortCodeDigits: s.shortCodeDigits },
    zone: s.timezone,
    positions,
    numbers,
    owners,
    prefixes: new PrefixTrie(rows.destinations.map((d) => d.prefix)),
    servicePrefixes: new PrefixTrie(rows.destinations.map((d) => (d.callClass === 'ServiceNumbers' ? d.prefix : ''))),
    destinations,
    inboundDestinations,
    destinationNames,
    destinationIds,
    bands,
    rates,
    tariffs,
    customers,
    accountChains,
  };
}
