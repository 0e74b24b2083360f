// SPEC §2 steps 6–10: destination, tariff and markups, the price (rate, markup or fallback), the
// slot walk with increments, fee, minimum and cap, BandSplit, and the one rounding. A rate's sum
// stays exact in sixtieths of a micro-unit (PerMinute micro × seconds) until that rounding.
// Hot path: no closures, no regular expressions, no Intl (zone offsets are cached in zone.ts), no
// allocation but the answer; messages are built only for calls that do not rate.

import type { Cdr, PriceMethod, RatedCall } from '../cdr/cdr.js';
import { formatDay } from '../day.js';
import { addPercent, divRoundBig, formatMicro, roundSixtieths, ROUNDINGS, type MicroPct, type Rounding } from '../money.js';
import type { Owner } from './owner.js';
import {
  C_DECIMALS,
  C_FALLBACK,
  C_MARKUP,
  C_ROUNDING,
  C_SIZE,
  C_TARIFF,
  CLASS_COUNT,
  destClassIdx,
  destNameId,
  E_INBOUND,
  E_SIZE,
  fieldCell,
  INBOUND_CLASS_IDX,
  packDest,
  S_FROM,
  S_INCREMENT,
  S_INITIAL,
  S_PER_MINUTE,
  S_SIZE,
  W_FEE,
  W_HEAD,
  W_MAX,
  W_MIN,
  W_SLOTS,
  type Chain,
  type PackedDest,
  type RatingModel,
} from './rating-model.js';
import { CALL_CLASSES } from '../workbook/rows.js';
import { bandIdAt, msToBandChange } from './timeband.js';
import { zoneOffsetMs } from '../zone.js';

export type PriceMiss = { kind: 'unrated'; reason: 'UNKNOWN_DESTINATION' | 'NO_TARIFF' | 'NO_RATE'; detail: string };
export type Priced = { kind: 'rated'; call: RatedCall } | PriceMiss;

/**
 * Step 6: the call's destination and class as a PackedDest (rating-model.ts), -1 when no prefix
 * matches. Outbound: the longest prefix of the called number (a short code: ServiceNumbers
 * prefixes only). Inbound: class Inbound; the number's NumberType, else its own longest prefix.
 */
export function destinationOf(model: RatingModel, cdr: Cdr, owner: Owner): PackedDest {
  if (cdr.direction === 'in') {
    const typed = model.entryData[owner.rowIndex * E_SIZE + E_INBOUND];
    if (typed >= 0) return typed;
    const p = model.prefixes.longest(owner.number);
    return p < 0 ? -1 : packDest(destNameId(p), INBOUND_CLASS_IDX);
  }
  const n = cdr.calledN;
  if (n === null) return -1;
  return cdr.calledShort ? model.servicePrefixes.longest(n) : model.prefixes.longest(n);
}

/** Step 7: the tariff, markup and fallback markup resolved for the call's owner and class index. */
export const chainOf = (model: RatingModel, owner: Owner, classIdx: number): Chain => model.chains[owner.chainSet * CLASS_COUNT + classIdx];

// The walk's billed seconds, beside the sum it returns (module state: one per thread, no allocation).
let walkBilled = 0;
// A sum past 2^53 is no longer exact in a double: the walk then runs again adding BigInts here.
// Partial sums of non-negative integers are exact while the total is, so one check at the end does.
let exact = false;
let exactSum = 0n;

/**
 * Step 9, the slot walk of the window record at `o`, for d > 0: returns the charge in sixtieths of
 * a micro-unit (before the fee, minimum and cap) and leaves the billed seconds in walkBilled. With
 * a split group (BandSplit Split), each slot's billed seconds are priced per band run.
 */
function walk(model: RatingModel, o: number, d: number, splitGroup: number, startMs: number, day: number): number {
  const w = model.rates.data;
  const n = w[o + W_SLOTS];
  let t = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    if (t >= d) break;
    const so = o + W_HEAD + k * S_SIZE;
    const next = k + 1 < n ? w[so + S_SIZE + S_FROM] : Infinity;
    if (t >= next) continue;
    const span = (d < next ? d : next) - t;
    const j = w[so + S_INCREMENT];
    let billed: number;
    if (k === 0) {
      const i = w[so + S_INITIAL];
      billed = span <= i ? i : i + Math.ceil((span - i) / j) * j;
    } else billed = Math.ceil(span / j) * j;
    if (splitGroup >= 0) sum += splitSum(model, splitGroup, o, k, t, billed, startMs, day);
    else if (exact) exactSum += BigInt(w[so + S_PER_MINUTE]) * BigInt(billed);
    else sum += w[so + S_PER_MINUTE] * billed;
    t += billed;
  }
  walkBilled = t;
  return sum;
}

/**
 * BandSplit Split: billed seconds [from, from + count) that slot position k billed, each priced at
 * the PerMinute of slot k (or the last) of the rate of the band holding start + e — else the
 * blank-band rate, else the start band's (`own`) — all chosen by the call's local start date
 * `day`; the band of start + e is that of its own local time and date (holidays, midnight, clock
 * changes). Runs of seconds in one band are priced together.
 */
function splitSum(model: RatingModel, group: number, own: number, k: number, from: number, count: number, startMs: number, day: number): number {
  const zone = model.zone;
  const bands = model.bands;
  const rates = model.rates;
  const w = rates.data;
  const end = from + count;
  let sum = 0;
  let e = from;
  while (e < end) {
    const at = startMs + e * 1000;
    const off = zoneOffsetMs(zone, at);
    const local = at + off;
    let stop = e + Math.ceil(msToBandChange(bands, local) / 1000);
    if (stop > end) stop = end;
    // A clock change inside the run: cut it where the offset changes (offsets hold for a quarter hour at least).
    if (stop - e > 1 && zoneOffsetMs(zone, startMs + (stop - 1) * 1000) !== off) {
      const q = (Math.floor(at / 900_000) + 1) * 900_000;
      const cut = e + Math.max(1, Math.ceil((q - at) / 1000));
      if (cut < stop) stop = cut;
    }
    const found = rates.rateOn(group, bandIdAt(bands, local), day);
    const wo = found >= 0 ? found : own;
    const n = w[wo + W_SLOTS];
    const perMinute = w[wo + W_HEAD + (k < n ? k : n - 1) * S_SIZE + S_PER_MINUTE];
    if (exact) exactSum += BigInt(perMinute) * BigInt(stop - e);
    else sum += perMinute * (stop - e);
    e = stop;
  }
  return sum;
}

/** The walk again in BigInt, for a charge past 2^53 sixtieths of a micro-unit (some 150 million a call). */
function exactCharge(model: RatingModel, o: number, d: number, splitGroup: number, startMs: number, day: number, decimals: number, rounding: Rounding): number {
  exact = true;
  exactSum = 0n;
  try {
    walk(model, o, d, splitGroup, startMs, day);
  } finally {
    exact = false;
  }
  const w = model.rates.data;
  let sum = exactSum + BigInt(w[o + W_FEE]) * 60n;
  if (w[o + W_MIN] === w[o + W_MIN] && sum < BigInt(w[o + W_MIN]) * 60n) sum = BigInt(w[o + W_MIN]) * 60n;
  if (w[o + W_MAX] === w[o + W_MAX] && sum > BigInt(w[o + W_MAX]) * 60n) sum = BigInt(w[o + W_MAX]) * 60n;
  const unit = 10n ** BigInt(6 - decimals);
  return Number(divRoundBig(sum, 60n * unit, rounding) * unit);
}

/**
 * Steps 9–10 for d > 0 seconds on the window record at `o` of rate group `group`: the slot walk,
 * fee, minimum and cap, rounded once. The billed seconds are left in billedByRate().
 */
export function rateCharge(model: RatingModel, o: number, d: number, group: number, startMs: number, day: number, decimals: number, rounding: Rounding): number {
  const splitGroup = model.settings.bandSplit === 'Split' ? group : -1;
  let sum = walk(model, o, d, splitGroup, startMs, day);
  const w = model.rates.data;
  sum += w[o + W_FEE] * 60;
  const min = w[o + W_MIN] * 60;
  const max = w[o + W_MAX] * 60;
  // NaN (blank) compares false: no minimum, no cap.
  if (sum < min) sum = min;
  if (sum > max) sum = max;
  if (sum <= Number.MAX_SAFE_INTEGER) return roundSixtieths(sum, decimals, rounding);
  const billed = walkBilled;
  const charge = exactCharge(model, o, d, splitGroup, startMs, day, decimals, rounding);
  walkBilled = billed;
  return charge;
}

/** The billed seconds of the last rateCharge(). */
export const billedByRate = (): number => walkBilled;

/** SPEC §2 steps 6–10 for a call whose owner is known. */
export function priceCall(model: RatingModel, cdr: Cdr, owner: Owner): Priced {
  const dest = destinationOf(model, cdr, owner);
  if (dest < 0) return unknownDestination(model, cdr, owner);
  const nameId = destNameId(dest);
  const classIdx = destClassIdx(dest);
  const cd = model.chainData;
  const c = (owner.chainSet * CLASS_COUNT + classIdx) * C_SIZE;
  const tariffIdx = cd[c + C_TARIFF];
  const decimals = cd[c + C_DECIMALS];
  const rounding = ROUNDINGS[cd[c + C_ROUNDING]];
  const band = bandIdAt(model.bands, owner.localMs);
  const d = cdr.answered ? cdr.duration : 0;
  const rates = model.rates;
  const group = rates.group(tariffIdx, nameId);
  const o = rates.rateOn(group, band, owner.day);
  let method: PriceMethod;
  let billed: number;
  let charge: number;
  if (o >= 0) {
    method = 'rate';
    if (d <= 0) {
      billed = 0;
      charge = 0;
    } else {
      charge = rateCharge(model, o, d, group, cdr.startMs, owner.day, decimals, rounding);
      billed = walkBilled;
    }
  } else {
    const cost = cdr.cost;
    const markup = cd[c + C_MARKUP];
    const pct = markup === markup ? markup : cd[c + C_FALLBACK];
    if (cost === null || pct !== pct) return noPrice(model, owner, dest, band);
    method = markup === markup ? 'markup' : 'fallback';
    billed = d;
    charge = d <= 0 ? 0 : addPercent(cost, pct, decimals, rounding);
  }
  const call: RatedCall = {
    file: cdr.file,
    line: cdr.line,
    id: cdr.id,
    startMs: cdr.startMs,
    direction: cdr.direction,
    caller: cdr.callerN ?? cdr.caller,
    called: cdr.calledN ?? cdr.called,
    extension: cdr.extension,
    account: owner.account,
    number: owner.number,
    site: owner.site,
    destination: model.destinationNames[nameId],
    callClass: CALL_CLASSES[classIdx],
    band: model.bands.names[band],
    tariff: tariffIdx < 0 ? '' : model.tariffNames[tariffIdx],
    duration: cdr.duration,
    billedSeconds: billed,
    charge,
    chargeDecimals: decimals,
    cost: cdr.cost,
    method,
  };
  return { kind: 'rated', call };
}

// ---------------------------------------------------------------------------------------------
// Misses: off the hot path.

function unknownDestination(model: RatingModel, cdr: Cdr, owner: Owner): PriceMiss {
  let detail: string;
  if (cdr.direction === 'in') {
    detail =
      `no Destinations prefix matches ${owner.number}, the number called: set its NumberType ` +
      `(${fieldCell(model, 'numbers', 'numberType', owner.row.row)}) or add its prefix to Destinations`;
  } else if (cdr.calledN === null) detail = `the called number "${cdr.called}" is not a phone number`;
  else if (cdr.calledShort) detail = `short code ${cdr.calledN} matches no ServiceNumbers prefix: add it to Destinations with CallClass ServiceNumbers`;
  else detail = `no Destinations prefix matches ${cdr.calledN}: add its prefix to Destinations`;
  return { kind: 'unrated', reason: 'UNKNOWN_DESTINATION', detail };
}

/** 20_000_000 -> "20%", 12_500_000 -> "12.5%" (no regular expression: misses are per call too). */
function pctText(p: MicroPct): string {
  const s = formatMicro(p, 6);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end) + '%';
}

function noPrice(model: RatingModel, owner: Owner, packed: PackedDest, band: number): PriceMiss {
  const account = owner.account;
  const chain = chainOf(model, owner, destClassIdx(packed));
  const dest = { name: model.destinationNames[destNameId(packed)], callClass: CALL_CLASSES[destClassIdx(packed)] };
  if (chain.tariffName === '' && chain.markup === null && chain.fallback === null) {
    return {
      kind: 'unrated',
      reason: 'NO_TARIFF',
      detail: `${account} has no Tariff, Markup or FallbackMarkup for ${dest.callClass} calls: set one in Customers (${fieldCell(model, 'customers', 'tariff', owner.customer.row)}) or TariffAssignments`,
    };
  }
  const pct = chain.markup ?? chain.fallback;
  const noCost = pct === null ? '' : `; the ${chain.markup !== null ? 'Markup' : 'FallbackMarkup'} of ${pctText(pct)} needs a cost and the call has none`;
  const bandName = model.bands.names[band];
  const what =
    chain.tariffName === ''
      ? `${account} has no Tariff for ${dest.callClass} calls to ${dest.name}`
      : `Rates: no row for Tariff ${chain.tariffName}, Destination ${dest.name}, band ${bandName === '' ? '(blank)' : bandName} on ${formatDay(owner.day)}`;
  return { kind: 'unrated', reason: 'NO_RATE', detail: what + noCost };
}
