// SPEC §2 steps 6–10: destination, tariff and markups, the price (rate, markup or fallback), the
// slot walk with increments, fee, minimum and cap, BandSplit, and the one rounding. A rate's sum
// stays exact in sixtieths of a micro-unit (PerMinute micro × seconds) until that rounding.
// Hot path: no closures, no regular expressions, no Intl (zone offsets are cached in zone.ts), no
// allocation but the answer; messages are built only for calls that do not rate.

import type { Cdr, PriceMethod, RatedCall } from './cdr.js';
import { formatDay } from './day.js';
import { addPercent, formatMicro, roundSixtieths, type MicroPct } from './money.js';
import type { Owner } from './owner.js';
import { fieldCell, windowOn, type BandRates, type Chain, type DestInfo, type RateWindow, type RatingModel, type Slot } from './rating-model.js';
import { bandIdAt, BLANK_BAND, msToBandChange } from './timeband.js';
import { zoneOffsetMs } from './zone.js';

export type PriceMiss = { kind: 'unrated'; reason: 'UNKNOWN_DESTINATION' | 'NO_TARIFF' | 'NO_RATE'; detail: string };
export type Priced = { kind: 'rated'; call: RatedCall } | PriceMiss;

/** Step 6: the call's destination and class; null when no prefix matches. */
export function destinationOf(model: RatingModel, cdr: Cdr, owner: Owner): DestInfo | null {
  if (cdr.direction === 'in') {
    const typed = owner.entry.inbound;
    if (typed !== null) return typed;
    const i = model.prefixes.longest(owner.number);
    return i < 0 ? null : model.inboundDestinations[i];
  }
  const n = cdr.calledN;
  if (n === null) return null;
  const i = cdr.calledShort ? model.servicePrefixes.longest(n) : model.prefixes.longest(n);
  return i < 0 ? null : model.destinations[i];
}

/** Step 7: the resolved tariff, markup and fallback markup for the owner and a class index. */
export function chainOf(owner: Owner, classIdx: number): Chain {
  const e = owner.entry;
  if (e.memberChains !== null) {
    const member = e.memberChains.get(owner.number);
    if (member !== undefined) return member[classIdx];
  }
  return e.chains[classIdx];
}

/** Step 8: the rate holding the call — its band's rows valid on its local start date, else the blank band's. */
export function rateWindowOf(byBand: BandRates | undefined, band: number, day: number): RateWindow | null {
  if (byBand === undefined) return null;
  const w = windowOn(byBand[band], day);
  return w !== null || band === BLANK_BAND ? w : windowOn(byBand[BLANK_BAND], day);
}

// The walk's billed seconds, beside the sum it returns (module state: one per thread, no allocation).
let walkBilled = 0;

/**
 * Step 9, the slot walk, for d > 0: returns the charge in sixtieths of a micro-unit (before the
 * fee, minimum and cap) and leaves the billed seconds in walkBilled. With `split`, each slot's
 * billed seconds are priced per band run (BandSplit Split).
 */
function walk(model: RatingModel, w: RateWindow, d: number, split: BandRates | null, startMs: number, day: number): number {
  const slots = w.slots;
  const n = slots.length;
  let t = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    if (t >= d) break;
    const next = k + 1 < n ? slots[k + 1].from : Infinity;
    if (t >= next) continue;
    const slot = slots[k];
    const span = (d < next ? d : next) - t;
    const j = slot.increment;
    let billed: number;
    if (k === 0) {
      const i = slot.initial;
      billed = span <= i ? i : i + Math.ceil((span - i) / j) * j;
    } else billed = Math.ceil(span / j) * j;
    sum += split === null ? slot.perMinute * billed : splitSum(model, split, w, k, t, billed, startMs, day);
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
function splitSum(model: RatingModel, byBand: BandRates, own: RateWindow, k: number, from: number, count: number, startMs: number, day: number): number {
  const zone = model.zone;
  const bands = model.bands;
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
    const band = bandIdAt(bands, local);
    const w = rateWindowOf(byBand, band, day) ?? own;
    const slots = w.slots;
    const slot: Slot = slots[k < slots.length ? k : slots.length - 1];
    sum += slot.perMinute * (stop - e);
    e = stop;
  }
  return sum;
}

export function priceCall(model: RatingModel, cdr: Cdr, owner: Owner): Priced {
  const dest = destinationOf(model, cdr, owner);
  if (dest === null) return unknownDestination(model, cdr, owner);
  const chain = chainOf(owner, dest.classIdx);
  const band = bandIdAt(model.bands, owner.localMs);
  const d = cdr.answered ? cdr.duration : 0;
  const decimals = chain.decimals;
  let method: PriceMethod;
  let billed: number;
  let charge: number;
  const byBand = chain.rates === null ? undefined : chain.rates.get(dest.id);
  const w = rateWindowOf(byBand, band, owner.day);
  if (w !== null) {
    method = 'rate';
    if (d <= 0) {
      billed = 0;
      charge = 0;
    } else {
      let sum = walk(model, w, d, model.settings.bandSplit === 'Split' ? byBand! : null, cdr.startMs, owner.day);
      billed = walkBilled;
      sum += w.fee * 60;
      if (w.minimum !== null && sum < w.minimum * 60) sum = w.minimum * 60;
      if (w.maximum !== null && sum > w.maximum * 60) sum = w.maximum * 60;
      charge = roundSixtieths(sum, decimals, chain.rounding);
    }
  } else {
    const cost = cdr.cost;
    const pct: MicroPct | null = chain.markup ?? chain.fallback;
    if (cost === null || pct === null) return noPrice(model, cdr, owner, dest, chain, band);
    method = chain.markup !== null ? 'markup' : 'fallback';
    billed = d;
    charge = d <= 0 ? 0 : addPercent(cost, pct, decimals, chain.rounding);
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
    destination: dest.name,
    callClass: dest.callClass,
    band: model.bands.names[band],
    tariff: chain.tariffName,
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

const pctText = (p: MicroPct): string => `${formatMicro(p, 6).replace(/\.?0+$/, '')}%`;

function noPrice(model: RatingModel, cdr: Cdr, owner: Owner, dest: DestInfo, chain: Chain, band: number): PriceMiss {
  const account = owner.account;
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
