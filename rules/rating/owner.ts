// SPEC §2 steps 3–4: who owns a call. The candidates are the Numbers rows claiming the owner-side
// number (its Number, an AltCdrNumber, or inside its range) whose Direction fits; among those whose
// active window holds the call's local day, the row of the CDR's extension wins, else the blank
// catch-all; a customer Archived on that day owns nothing. A miss says what to change and where.
// Hot path: one hash probe, one binary search over range segments, typed-array records, no
// allocation but the answer.

import type { Cdr } from '../cdr/cdr.js';
import { formatDay, type Day } from '../day.js';
import type { Customer, NumberRow } from '../workbook/rows.js';
import {
  digitsValue,
  E_ARCHIVED,
  E_CHAIN,
  E_DIR,
  E_EXT,
  E_FIRST,
  E_FLAGS,
  E_LAST,
  E_SIZE,
  F_MEMBERS,
  F_NO_CUSTOMER,
  fieldCell,
  NO_CLAIM,
  REF_ACCOUNT,
  REF_NUMBER,
  REF_SITE,
  REF_SIZE,
  type Claim,
  type OwnerEntry,
  type RatingModel,
} from './rating-model.js';

/**
 * The owner of a call (steps 3–4). A class so the hot path fills in only what rating reads; the
 * row, the customer and the model's entry are looked up when asked for. (It holds the model for
 * that; JSON and console output show the owner alone.)
 */
export class Owner {
  readonly kind = 'owner' as const;

  constructor(
    private readonly model: RatingModel,
    /** Index of the owning row in SheetRows.numbers (a cheap identity, e.g. for counting per row). */
    readonly rowIndex: number,
    readonly account: string,
    /** The owning number: within a range the matched one; for an alternate CDR number the row's Number. */
    readonly number: string,
    readonly site: string,
    /** The call's local start day (Settings.Timezone). */
    readonly day: Day,
    /** The call's local start wall clock (ms whose UTC fields are local). */
    readonly localMs: number,
    /** The step-7 chain set for this call (RatingModel.chains[chainSet × CLASS_COUNT + class index]). */
    readonly chainSet: number,
  ) {}

  /** The owning Numbers row. */
  get row(): NumberRow {
    return this.model.rows.numbers[this.rowIndex];
  }

  get customer(): Customer {
    return this.model.owners[this.rowIndex].customer!;
  }

  /** The row as the model indexed it. */
  get entry(): OwnerEntry {
    return this.model.owners[this.rowIndex];
  }

  toJSON(): Record<string, unknown> {
    const { kind, rowIndex, account, number, site, day, localMs, chainSet } = this;
    return { kind, rowIndex, account, number, site, day, localMs, chainSet };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON();
  }
}

export interface OwnerMiss {
  kind: 'unrated';
  reason: 'UNKNOWN_NUMBER' | 'NUMBER_INACTIVE';
  detail: string;
}

const DAY_MS = 86_400_000;

/** The local wall clock of a call's start (ms whose UTC fields are local, Settings.Timezone). */
export const localStartMs = (model: RatingModel, cdr: Cdr): number => model.clock.local(cdr.startMs);

// The scan's answer, kept in module state so the hot loop allocates nothing (one per thread):
// claim codes (row index × 2, + 1 for an AltCdrNumber), NO_CLAIM when none.
let best = NO_CLAIM;
let catchAll = NO_CLAIM;

/** Looks at one claim: the extension's row ends the search; the first blank catch-all is kept. */
function consider(data: Int32Array, code: number, mask: number, day: number, ext: number): boolean {
  const o = (code >> 1) * E_SIZE;
  if ((data[o + E_DIR] & mask) === 0 || day < data[o + E_FIRST] || day > data[o + E_LAST]) return false;
  const x = data[o + E_EXT];
  if (x === ext) {
    best = code;
    return true;
  }
  if (x === 0 && catchAll === NO_CLAIM) catchAll = code;
  return false;
}

/** Looks through the claims a code stands for; true once the extension's row is found. */
function scan(model: RatingModel, code: number, mask: number, day: number, ext: number): boolean {
  if (code === NO_CLAIM) return false;
  const data = model.entryData;
  if (code >= 0) return consider(data, code, mask, day, ext);
  const list = model.numbers.lists[-code - 2];
  for (let i = 0; i < list.length; i++) if (consider(data, list[i], mask, day, ext)) return true;
  return false;
}

/**
 * Step 4's choice among the claims of the exact and range codes: the claim code of the row whose
 * Direction fits `mask` (1 out, 2 in), whose window holds `day` and whose extension id is `ext`,
 * else the first such catch-all (blank Extension); NO_CLAIM when none.
 */
export function pickClaim(model: RatingModel, exact: number, ranged: number, mask: number, day: number, ext: number): number {
  best = catchAll = NO_CLAIM;
  if (!scan(model, exact, mask, day, ext)) scan(model, ranged, mask, day, ext);
  return best !== NO_CLAIM ? best : catchAll;
}

/**
 * SPEC §2 steps 3–4 for one call. `localMs` is the call's local start wall clock; pass it when
 * already known, else it is worked out from cdr.startMs and Settings.Timezone.
 */
export function findOwner(model: RatingModel, cdr: Cdr, localMs: number = model.clock.local(cdr.startMs)): Owner | OwnerMiss {
  const out = cdr.direction !== 'in';
  const n = out ? cdr.callerN : cdr.calledN;
  if (n === null) {
    return { kind: 'unrated', reason: 'UNKNOWN_NUMBER', detail: `the ${out ? 'caller' : 'called number'} "${out ? cdr.caller : cdr.called}" is not a phone number` };
  }
  const day = Math.floor(localMs / DAY_MS);
  const mask = out ? 1 : 2;
  // An extension no Numbers row names (-1) can only fall to the catch-all.
  const ext = cdr.extension === '' ? 0 : model.extensionIds.get(cdr.extension) ?? -1;
  const x = digitsValue(n);
  const exact = model.numbers.exactCode(n, x);
  const ranged = model.numbers.rangeCode(n, x);
  const chosen = pickClaim(model, exact, ranged, mask, day, ext);
  if (chosen === NO_CLAIM) return miss(model, n, exact, ranged, out, day, cdr.extension);
  const index = chosen >> 1;
  const o = index * E_SIZE;
  const data = model.entryData;
  const flags = data[o + E_FLAGS];
  if (flags !== 0 && (flags & F_NO_CUSTOMER) !== 0) {
    const e = model.owners[index];
    return { kind: 'unrated', reason: 'UNKNOWN_NUMBER', detail: `${n} is in Numbers (${fieldCell(model, 'numbers', 'account', e.row.row)}) for account ${e.account}, which is not in Customers: add it to Customers` };
  }
  if (day > data[o + E_ARCHIVED]) return archived(model, n, model.owners[index].customer!, day);
  const refs = model.ownerRefs;
  const r = index * REF_SIZE;
  const number = (chosen & 1) === 1 ? refs[r + REF_NUMBER] : n;
  let chainSet = data[o + E_CHAIN];
  if ((flags & F_MEMBERS) !== 0) chainSet = model.owners[index].memberSets!.get(number) ?? chainSet;
  return new Owner(model, index, refs[r + REF_ACCOUNT], number, refs[r + REF_SITE], day, localMs, chainSet);
}

// ---------------------------------------------------------------------------------------------
// Misses: off the hot path, so clarity over speed.

function miss(model: RatingModel, n: string, exact: number, ranged: number, out: boolean, day: Day, ext: string): OwnerMiss {
  const all = [...model.numbers.claimsOf(exact), ...model.numbers.claimsOf(ranged)];
  if (all.length === 0) return { kind: 'unrated', reason: 'UNKNOWN_NUMBER', detail: `add ${n} to Numbers` };
  const mask = out ? 1 : 2;
  const dirOf = (c: Claim): number => model.entryData[c.entry.index * E_SIZE + E_DIR];
  const fitting = all.filter((c) => (dirOf(c) & mask) !== 0);
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
