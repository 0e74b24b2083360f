// SPEC §2 steps 3–4: who owns a call. The candidates are the Numbers rows claiming the owner-side
// number (its Number, an AltCdrNumber, or inside its range) whose Direction fits; among those whose
// active window holds the call's local day, the row of the CDR's extension wins, else the blank
// catch-all; a customer Archived on that day owns nothing. A miss says what to change and where.
// Hot path: one Map hit, one binary search over range segments, no allocation but the answer.

import type { Cdr } from './cdr.js';
import { formatDay, type Day } from './day.js';
import type { Customer, NumberRow } from './rows.js';
import { fieldCell, type Claim, type OwnerEntry, type RatingModel } from './rating-model.js';
import { utcToLocalMs } from './zone.js';

export interface Owner {
  kind: 'owner';
  /** The owning Numbers row. */
  row: NumberRow;
  /** Index of the row in SheetRows.numbers (a cheap identity). */
  rowIndex: number;
  customer: Customer;
  account: string;
  /** The owning number: within a range the matched one; for an alternate CDR number the row's Number. */
  number: string;
  site: string;
  /** The call's local start day (Settings.Timezone) and wall clock (ms whose UTC fields are local). */
  day: Day;
  localMs: number;
  /** The row as the model indexed it (chains for step 7). */
  entry: OwnerEntry;
}

export interface OwnerMiss {
  kind: 'unrated';
  reason: 'UNKNOWN_NUMBER' | 'NUMBER_INACTIVE';
  detail: string;
}

const DAY_MS = 86_400_000;

/** The local wall clock of a call's start (zone offsets are cached in zone.ts). */
export const localStartMs = (model: RatingModel, cdr: Cdr): number => utcToLocalMs(model.zone, cdr.startMs);

// The scan's answer, kept in module state so the hot loop allocates nothing (one per thread).
let best: Claim | null = null;
let catchAll: Claim | null = null;

/** Looks through claims for the extension's row (stops there) or the first blank catch-all. */
function scan(list: Claim[], mask: number, day: number, ext: string): void {
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    const e = c.entry;
    if ((e.dirMask & mask) === 0 || day < e.first || day > e.last) continue;
    const x = e.row.extension;
    if (x === ext) {
      best = c;
      return;
    }
    if (x === '' && catchAll === null) catchAll = c;
  }
}

/** The scan's answer, cleared for the next call. */
function taken(): Claim | null {
  const c = best ?? catchAll;
  best = catchAll = null;
  return c;
}

/**
 * Steps 3–4 for one call. `localMs` is the call's local start wall clock; pass it when already
 * known, else it is worked out from cdr.startMs and Settings.Timezone.
 */
export function findOwner(model: RatingModel, cdr: Cdr, localMs: number = localStartMs(model, cdr)): Owner | OwnerMiss {
  const out = cdr.direction !== 'in';
  const n = out ? cdr.callerN : cdr.calledN;
  if (n === null) {
    return { kind: 'unrated', reason: 'UNKNOWN_NUMBER', detail: `the ${out ? 'caller' : 'called number'} "${out ? cdr.caller : cdr.called}" is not a phone number` };
  }
  const day = Math.floor(localMs / DAY_MS);
  const mask = out ? 1 : 2;
  const ext = cdr.extension;
  const exact = model.numbers.exact.get(n);
  const ranged = model.numbers.rangeClaims(n);
  best = null;
  catchAll = null;
  if (exact !== undefined) scan(exact, mask, day, ext);
  if (best === null && ranged !== null) scan(ranged, mask, day, ext);
  const chosen = taken();
  if (chosen === null) return miss(model, n, exact, ranged, out, day, ext);
  const e = chosen.entry;
  const customer = e.customer;
  if (customer === null) {
    return { kind: 'unrated', reason: 'UNKNOWN_NUMBER', detail: `${n} is in Numbers (${fieldCell(model, 'numbers', 'account', e.row.row)}) for account ${e.row.account}, which is not in Customers: add it to Customers` };
  }
  if (day > e.archivedAfter) return archived(model, n, customer, day);
  return {
    kind: 'owner',
    row: e.row,
    rowIndex: e.index,
    customer,
    account: e.row.account,
    number: chosen.alt ? e.row.number : n,
    site: e.row.site,
    day,
    localMs,
    entry: e,
  };
}

// ---------------------------------------------------------------------------------------------
// Misses: off the hot path, so clarity over speed.

function miss(model: RatingModel, n: string, exact: Claim[] | undefined, ranged: Claim[] | null, out: boolean, day: Day, ext: string): OwnerMiss {
  const all = [...(exact ?? []), ...(ranged ?? [])];
  if (all.length === 0) return { kind: 'unrated', reason: 'UNKNOWN_NUMBER', detail: `add ${n} to Numbers` };
  const mask = out ? 1 : 2;
  const fitting = all.filter((c) => (c.entry.dirMask & mask) !== 0);
  if (fitting.length === 0) {
    const r = all[0].entry.row;
    return {
      kind: 'unrated',
      reason: 'UNKNOWN_NUMBER',
      detail:
        `${n} is in Numbers (${fieldCell(model, 'numbers', 'number', r.row)}, ${r.account}) for ${out ? 'inbound' : 'outbound'} calls only: ` +
        `set Direction (${fieldCell(model, 'numbers', 'direction', r.row)}) to Both to bill ${out ? 'outbound' : 'inbound'} calls`,
    };
  }
  // Rows that could own this call if their dates allowed: the extension's row or a catch-all.
  const relevant = fitting.filter((c) => c.entry.row.extension === ext || c.entry.row.extension === '');
  if (relevant.length === 0) {
    const r = fitting[0].entry.row;
    return {
      kind: 'unrated',
      reason: 'NUMBER_INACTIVE',
      detail:
        `${n} (${r.account}) has no row for extension ${ext === '' ? '(blank)' : ext} and no catch-all row with a blank Extension ` +
        `(${fieldCell(model, 'numbers', 'extension', r.row)}): add one to Numbers`,
    };
  }
  // The row whose window is nearest the call says best what to change.
  let near = relevant[0].entry;
  let gap = Infinity;
  for (const c of relevant) {
    const e = c.entry;
    const g = day < e.first ? e.first - day : day - e.last;
    if (g < gap) {
      gap = g;
      near = e;
    }
  }
  const r = near.row;
  const head = `${n} (${r.account}) is not active on ${formatDay(day)}: `;
  if (day < near.first) {
    const field = r.callsStartDate !== null ? 'callsStartDate' : 'dateSold';
    const label = r.callsStartDate !== null ? 'CallsStartDate' : 'DateSold';
    return { kind: 'unrated', reason: 'NUMBER_INACTIVE', detail: `${head}${label} ${formatDay(near.first)} (${fieldCell(model, 'numbers', field, r.row)})` };
  }
  return { kind: 'unrated', reason: 'NUMBER_INACTIVE', detail: `${head}DroppedDate ${formatDay(near.last)} (${fieldCell(model, 'numbers', 'droppedDate', r.row)})` };
}

function archived(model: RatingModel, n: string, c: Customer, day: Day): OwnerMiss {
  const since = c.archivedDate === null ? `Archived (${fieldCell(model, 'customers', 'status', c.row)})` : `Archived since ${formatDay(c.archivedDate)} (${fieldCell(model, 'customers', 'archivedDate', c.row)})`;
  return {
    kind: 'unrated',
    reason: 'NUMBER_INACTIVE',
    detail: `${n} (${c.account}) is not active on ${formatDay(day)}: the customer is ${since}; give the number a DroppedDate and a row for its new owner`,
  };
}
