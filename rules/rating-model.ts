// The in-memory indexes the rating hot path needs, built once from a valid workbook: owners,
// destination prefixes, time bands, rates by tariff/destination/band with their windows and
// slots, tariff and markup assignments, customers and tariffs by name.

import type { Day } from './day.js';
import type { NumberPlan } from './phone.js';
import { OwnerIndex } from './owner-index.js';
import { PrefixIndex } from './prefix-index.js';
import type { Customer, DestinationRow, RateRow, Settings, SheetRows, TariffAssignmentRow, TariffRow } from './rows.js';
import { BandIndex } from './timeband.js';

/** The rows of one Tariff+Destination+TimeBand valid over one span of days: the rate's slots. */
export interface RateWindow {
  from: Day | null;
  /** Exclusive. */
  to: Day | null;
  /** Ordered by FromSecond; slots[0] starts at second 0. */
  slots: RateRow[];
}

export interface RatingModel {
  rows: SheetRows;
  settings: Settings;
  plan: NumberPlan;
  zone: string;
  owners: OwnerIndex;
  destinations: PrefixIndex;
  /** Short codes match only ServiceNumbers prefixes (SPEC §2). */
  serviceDestinations: PrefixIndex;
  bands: BandIndex;
  /** tariff -> destination -> band -> windows: three Map hits, no key strings built per call. */
  rates: Map<string, Map<string, Map<string, RateWindow[]>>>;
  tariffs: Map<string, TariffRow>;
  /** First Destinations row of each destination name (a NumberType names one). */
  destinationByName: Map<string, DestinationRow>;
  customers: Map<string, Customer>;
  assignments: Map<string, TariffAssignmentRow[]>;
  /** Resolved tariff and markups per (Numbers row, call class): the chain of SPEC §2 step 7, walked once. */
  chainCache: Map<number, Chain>;
}

export interface Chain {
  tariff: TariffRow | null;
  tariffName: string;
  markup: number | null;
  fallback: number | null;
}

/** Splits the rows of one key into windows of days over which the same set of rows is valid. */
function windowsOf(rows: RateRow[]): RateWindow[] {
  const cuts = new Set<number>();
  for (const r of rows) {
    if (r.effectiveFrom !== null) cuts.add(r.effectiveFrom);
    if (r.effectiveTo !== null) cuts.add(r.effectiveTo);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const bounds: [Day | null, Day | null][] = [];
  let prev: Day | null = null;
  for (const p of points) {
    bounds.push([prev, p]);
    prev = p;
  }
  bounds.push([prev, null]);
  const out: RateWindow[] = [];
  for (const [from, to] of bounds) {
    // A representative day inside [from, to): from itself, or the day before `to` when open below.
    const probe = from ?? (to === null ? 0 : to - 1);
    const slots = rows
      .filter((r) => (r.effectiveFrom === null || r.effectiveFrom <= probe) && (r.effectiveTo === null || probe < r.effectiveTo))
      .sort((a, b) => a.fromSecond - b.fromSecond);
    if (slots.length > 0) out.push({ from, to, slots });
  }
  return out;
}

export function buildRatingModel(rows: SheetRows): RatingModel {
  const s = rows.settings;
  const grouped = new Map<string, Map<string, Map<string, RateRow[]>>>();
  for (const r of rows.rates) {
    let byDest = grouped.get(r.tariff);
    if (!byDest) grouped.set(r.tariff, (byDest = new Map()));
    let byBand = byDest.get(r.destination);
    if (!byBand) byDest.set(r.destination, (byBand = new Map()));
    const list = byBand.get(r.timeBand);
    if (list) list.push(r);
    else byBand.set(r.timeBand, [r]);
  }
  const rates = new Map<string, Map<string, Map<string, RateWindow[]>>>();
  for (const [tariff, byDest] of grouped) {
    const d = new Map<string, Map<string, RateWindow[]>>();
    for (const [dest, byBand] of byDest) {
      const b = new Map<string, RateWindow[]>();
      for (const [band, list] of byBand) b.set(band, windowsOf(list));
      d.set(dest, b);
    }
    rates.set(tariff, d);
  }
  const assignments = new Map<string, TariffAssignmentRow[]>();
  for (const a of rows.tariffAssignments) {
    const list = assignments.get(a.account);
    if (list) list.push(a);
    else assignments.set(a.account, [a]);
  }
  return {
    rows,
    settings: s,
    plan: { countryCode: s.countryCode, nationalPrefix: s.nationalPrefix, internationalPrefix: s.internationalPrefix, shortCodeDigits: s.shortCodeDigits },
    zone: s.timezone,
    owners: new OwnerIndex(rows.numbers),
    destinations: new PrefixIndex(rows.destinations),
    serviceDestinations: new PrefixIndex(rows.destinations.filter((d: DestinationRow) => d.callClass === 'ServiceNumbers')),
    bands: new BandIndex(rows.timeBands, rows.holidays),
    rates,
    tariffs: new Map(rows.tariffs.map((t) => [t.tariff, t])),
    destinationByName: new Map([...rows.destinations].reverse().map((d) => [d.destination, d])),
    customers: new Map(rows.customers.map((c) => [c.account, c])),
    assignments,
    chainCache: new Map(),
  };
}

/** A tariff's rates for one destination, by band. */
export const ratesFor = (model: RatingModel, tariff: string, destination: string): Map<string, RateWindow[]> | undefined =>
  model.rates.get(tariff)?.get(destination);

/** The rate's slots for a band on a local date, if a window holds it. */
export function slotsOn(byBand: Map<string, RateWindow[]> | undefined, band: string, day: Day): RateRow[] | null {
  const windows = byBand?.get(band);
  if (!windows) return null;
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i];
    if ((w.from === null || w.from <= day) && (w.to === null || day < w.to)) return w.slots;
  }
  return null;
}
