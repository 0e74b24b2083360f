// SPEC §2 steps 6–10: destination, tariff and markups, the price (rate, markup or fallback), the
// slot walk with increments, fee, minimum and cap, BandSplit, and the one rounding. Sums stay in
// sixtieths of a micro-unit (PerMinute micro × seconds) until that rounding.

import type { Cdr, RatedCall } from './cdr.js';
import { formatDay } from './day.js';
import { addPercent, roundSixtieths } from './money.js';
import type { Owner } from './owner.js';
import type { DestinationRow, RateRow, TariffRow } from './rows.js';
import { ratesFor, slotsOn, type Chain, type RateWindow, type RatingModel } from './rating-model.js';
import { CALL_CLASSES } from './rows.js';
import { BandIndex } from './timeband.js';

export type Priced = { kind: 'rated'; call: RatedCall } | { kind: 'unrated'; reason: 'UNKNOWN_DESTINATION' | 'NO_TARIFF' | 'NO_RATE'; detail: string };

function destinationOf(model: RatingModel, cdr: Cdr, owner: Owner): DestinationRow | undefined {
  if (cdr.direction === 'in') {
    const type = owner.row.numberType;
    if (type !== '' && type.toLowerCase() !== 'autodetect') {
      const d = model.destinationByName.get(type);
      return d ? { ...d, callClass: 'Inbound' } : { row: 0, prefix: '', destination: type, callClass: 'Inbound' };
    }
    const own = model.destinations.longest(owner.number);
    return own ? { ...own, callClass: 'Inbound' } : undefined;
  }
  if (cdr.calledN === null) return undefined;
  return cdr.calledShort ? model.serviceDestinations.longest(cdr.calledN) : model.destinations.longest(cdr.calledN);
}

/** Tariff, markup and fallback markup of SPEC §2 step 7, walked once per Numbers row and class. */
export function chainOf(model: RatingModel, owner: Owner, callClass: string): Chain {
  const key = owner.rowIndex * 16 + CALL_CLASSES.indexOf(callClass as (typeof CALL_CLASSES)[number]);
  const hit = model.chainCache.get(key);
  if (hit) return hit;
  const row = owner.row;
  const list = model.assignments.get(row.account) ?? [];
  const holds = (n: string): boolean =>
    n === row.number || n === owner.number || (row.rangeEnd !== '' && n.length === row.number.length && n >= row.number && n <= row.rangeEnd);
  // The four assignment levels of the chain, most specific first.
  const levels = [
    list.filter((a) => a.number !== '' && holds(a.number) && a.callClass === callClass),
    list.filter((a) => a.number !== '' && holds(a.number) && a.callClass === ''),
    list.filter((a) => a.number === '' && a.callClass === callClass),
    list.filter((a) => a.number === '' && a.callClass === ''),
  ];
  let tariffName = '';
  let markup: number | null = null;
  for (const level of levels) {
    for (const a of level) {
      if (tariffName === '' && a.tariff !== '') tariffName = a.tariff;
      if (markup === null && a.markup !== null) markup = a.markup;
    }
  }
  if (tariffName === '') tariffName = owner.customer.tariff;
  if (markup === null) markup = owner.customer.markup;
  const tariff = tariffName === '' ? null : model.tariffs.get(tariffName) ?? null;
  const fallback = tariff?.fallbackMarkup ?? row.fallbackMarkup ?? owner.customer.fallbackMarkup;
  const chain: Chain = { tariff, tariffName, markup, fallback };
  model.chainCache.set(key, chain);
  return chain;
}

interface Walk {
  billed: number;
  /** Sixtieths of a micro-unit. */
  sum: number;
}

/** The slot walk of SPEC §2 step 9; `priceOf` gives the PerMinute of each run of billed seconds. */
function walk(slots: RateRow[], d: number, split: SplitPricer | null): Walk {
  let t = 0;
  let sum = 0;
  for (let k = 0; k < slots.length; k++) {
    if (t >= d) break;
    const next = k + 1 < slots.length ? slots[k + 1].fromSecond : Infinity;
    if (t >= next) continue;
    const slot = slots[k];
    const span = Math.min(d, next) - t;
    const j = slot.incrementSeconds ?? 1;
    let billed: number;
    if (k === 0) {
      const i = slot.initialSeconds ?? j;
      billed = span <= i ? i : i + Math.ceil((span - i) / j) * j;
    } else billed = Math.ceil(span / j) * j;
    sum += split ? split.price(k, t, billed) : slot.perMinute * billed;
    t += billed;
  }
  const first = slots[0];
  sum += (first.connectionFee ?? 0) * 60;
  if (first.minimumCharge !== null && sum < first.minimumCharge * 60) sum = first.minimumCharge * 60;
  if (first.maximumCharge !== null && sum > first.maximumCharge * 60) sum = first.maximumCharge * 60;
  return { billed: t, sum };
}

/** BandSplit Split: each billed second at the PerMinute of its own band's rate (SPEC §2 step 9). */
class SplitPricer {
  constructor(
    private readonly model: RatingModel,
    private readonly byBand: Map<string, RateWindow[]> | undefined,
    private readonly startBandSlots: RateRow[],
    private readonly startLocalMs: number,
    private readonly day: number,
  ) {}

  private slotsFor(band: string): RateRow[] {
    return slotsOn(this.byBand, band, this.day) ?? slotsOn(this.byBand, '', this.day) ?? this.startBandSlots;
  }

  /** Sixtieths for billed seconds [from, from + count) billed by slot position k. */
  price(k: number, from: number, count: number): number {
    let sum = 0;
    let e = from;
    const end = from + count;
    while (e < end) {
      const local = this.startLocalMs + e * 1000;
      const band = this.model.bands.bandAt(local);
      const runEnd = Math.min(end, e + Math.ceil(BandIndex.toNextMinute(local) / 1000));
      const slots = this.slotsFor(band);
      sum += slots[Math.min(k, slots.length - 1)].perMinute * (runEnd - e);
      e = runEnd;
    }
    return sum;
  }
}

export function priceCall(model: RatingModel, cdr: Cdr, owner: Owner): Priced {
  const dest = destinationOf(model, cdr, owner);
  if (!dest) {
    return {
      kind: 'unrated',
      reason: 'UNKNOWN_DESTINATION',
      detail: cdr.direction === 'in'
        ? `no Destinations prefix matches the number ${owner.number}; set its NumberType or add the prefix`
        : cdr.calledShort
          ? `short code ${cdr.calledN} matches no ServiceNumbers prefix; add it to Destinations with CallClass ServiceNumbers`
          : `no Destinations prefix matches ${cdr.calledN}; add the prefix to Destinations`,
    };
  }
  const chain = chainOf(model, owner, dest.callClass);
  const s = model.settings;
  const tariff: TariffRow | null = chain.tariff;
  const decimals = tariff?.chargeDecimals ?? s.chargeDecimals;
  const rounding = tariff?.rounding ?? s.rounding;
  const band = model.bands.bandAt(owner.localMs);
  const d = cdr.answered ? cdr.duration : 0;
  let billedSeconds = -1;
  let charge = 0;
  let method: RatedCall['method'] = 'rate';
  if (chain.tariffName !== '') {
    const byBand = ratesFor(model, chain.tariffName, dest.destination);
    const slots = slotsOn(byBand, band, owner.day) ?? slotsOn(byBand, '', owner.day);
    if (slots) {
      if (d === 0) billedSeconds = 0;
      else {
        const split = s.bandSplit === 'Split' ? new SplitPricer(model, byBand, slots, owner.localMs, owner.day) : null;
        const w = walk(slots, d, split);
        billedSeconds = w.billed;
        charge = roundSixtieths(w.sum, decimals, rounding);
      }
    }
  }
  if (billedSeconds < 0 && cdr.cost !== null) {
    const pct = chain.markup ?? chain.fallback;
    if (pct !== null) {
      method = chain.markup !== null ? 'markup' : 'fallback';
      billedSeconds = d;
      charge = d === 0 ? 0 : addPercent(cdr.cost, pct, decimals, rounding);
    }
  }
  if (billedSeconds >= 0) {
    const call: RatedCall = {
      file: cdr.file,
      line: cdr.line,
      id: cdr.id,
      startMs: cdr.startMs,
      direction: cdr.direction,
      caller: cdr.callerN ?? cdr.caller,
      called: cdr.calledN ?? cdr.called,
      extension: cdr.extension,
      account: owner.row.account,
      number: owner.number,
      site: owner.row.site,
      destination: dest.destination,
      callClass: dest.callClass,
      band,
      tariff: chain.tariffName,
      duration: cdr.duration,
      billedSeconds,
      charge,
      chargeDecimals: decimals,
      cost: cdr.cost,
      method,
    };
    return { kind: 'rated', call };
  }
  if (chain.tariffName === '' && chain.markup === null && chain.fallback === null) {
    return { kind: 'unrated', reason: 'NO_TARIFF', detail: `${owner.row.account} has no Tariff or Markup for ${dest.callClass} calls; set one in Customers or TariffAssignments` };
  }
  const noCost = (chain.markup !== null || chain.fallback !== null) && cdr.cost === null ? '; the call has no cost for the markup' : '';
  const what = chain.tariffName === ''
    ? `no tariff for ${dest.callClass} calls of ${owner.row.account}`
    : `Rates: no row for Tariff ${chain.tariffName}, Destination ${dest.destination}, band ${band || '(blank)'} on ${formatDay(owner.day)}`;
  return { kind: 'unrated', reason: 'NO_RATE', detail: what + noCost };
}
