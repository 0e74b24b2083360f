// SPEC §2 steps 3–4: who owns a call. Candidates by number (ranges, alternates), direction,
// the active window on the call's local day, the extension or the blank catch-all, and the
// customer's status. A miss says what to change and where.

import type { Cdr } from './cdr.js';
import { formatDay, type Day } from './day.js';
import type { Claim } from './owner-index.js';
import { TAB_COLUMNS } from './columns.js';
import { cellAddress } from './raw.js';
import type { Customer, NumberRow } from './rows.js';
import type { RatingModel } from './rating-model.js';

export interface Owner {
  kind: 'owner';
  row: NumberRow;
  /** Index of the row in SheetRows.numbers. */
  rowIndex: number;
  customer: Customer;
  /** Within a range the matched number; for an alternate CDR number the row's Number. */
  number: string;
  /** The call's local start day and wall clock (ms whose UTC fields are local). */
  day: Day;
  localMs: number;
}

export interface OwnerMiss {
  kind: 'unrated';
  reason: 'UNKNOWN_NUMBER' | 'NUMBER_INACTIVE';
  detail: string;
}

const numbersCell = (field: string, row: number): string =>
  cellAddress('Numbers', TAB_COLUMNS.numbers.findIndex((c) => c.field === field), row);

const fitsDirection = (row: NumberRow, out: boolean): boolean =>
  row.direction === 'Both' || (out ? row.direction === 'Outbound' : row.direction === 'Inbound');

const firstDay = (row: NumberRow): Day => row.callsStartDate ?? row.dateSold;
const inWindow = (row: NumberRow, day: Day): boolean => firstDay(row) <= day && (row.droppedDate === null || day <= row.droppedDate);

export function findOwner(model: RatingModel, cdr: Cdr, localMs: number): Owner | OwnerMiss {
  const out = cdr.direction === 'out';
  const n = out ? cdr.callerN : cdr.calledN;
  if (n === null) return { kind: 'unrated', reason: 'UNKNOWN_NUMBER', detail: `${out ? 'caller' : 'called'} is not a phone number` };
  const all = model.owners.claims(n);
  const day = Math.floor(localMs / 86_400_000);
  let best: Claim | null = null;
  let catchAll: Claim | null = null;
  let fitting = 0;
  for (let i = 0; i < all.length; i++) {
    const c = all[i];
    if (!fitsDirection(c.row, out)) continue;
    fitting++;
    if (!inWindow(c.row, day)) continue;
    if (cdr.extension !== '' && c.row.extension === cdr.extension) {
      best = c;
      break;
    }
    if (c.row.extension === '' && !catchAll) catchAll = c;
  }
  if (fitting === 0) {
    if (all.length > 0) {
      const r = all[0].row;
      return {
        kind: 'unrated',
        reason: 'UNKNOWN_NUMBER',
        detail: `${n} is in Numbers (${numbersCell('number', r.row)}, ${r.account}) for ${r.direction.toLowerCase()} calls only; set Direction to Both to bill ${out ? 'outbound' : 'inbound'} calls`,
      };
    }
    return { kind: 'unrated', reason: 'UNKNOWN_NUMBER', detail: `add ${n} to Numbers` };
  }
  const chosen = best ?? catchAll;
  if (!chosen) return { kind: 'unrated', reason: 'NUMBER_INACTIVE', detail: inactiveDetail(n, all.filter((c) => fitsDirection(c.row, out)), day, cdr.extension) };
  const customer = model.customers.get(chosen.row.account);
  if (!customer) return { kind: 'unrated', reason: 'UNKNOWN_NUMBER', detail: `${n} belongs to account ${chosen.row.account}, which is not in Customers` };
  if (customer.status === 'Archived' && (customer.archivedDate === null || day > customer.archivedDate)) {
    return {
      kind: 'unrated',
      reason: 'NUMBER_INACTIVE',
      detail: `${n} belongs to ${customer.account}, Archived${customer.archivedDate === null ? '' : ` since ${formatDay(customer.archivedDate)}`}; move the number to its new owner in Numbers`,
    };
  }
  return { kind: 'owner', row: chosen.row, rowIndex: chosen.index, customer, number: chosen.alt ? chosen.row.number : n, day, localMs };
}

function inactiveDetail(n: string, candidates: Claim[], day: Day, extension: string): string {
  const dated = candidates.filter((c) => inWindow(c.row, day));
  if (dated.length > 0) {
    const r = dated[0].row;
    return `extension ${extension || '(blank)'} of ${n} has no Numbers row and there is no catch-all row with a blank Extension (${r.account}, ${numbersCell('extension', r.row)})`;
  }
  // The row whose window is nearest the call says best what to change.
  let near = candidates[0].row;
  let gap = Infinity;
  for (const c of candidates) {
    const r = c.row;
    const g = day < firstDay(r) ? firstDay(r) - day : r.droppedDate === null ? 0 : day - r.droppedDate;
    if (g < gap) {
      gap = g;
      near = r;
    }
  }
  if (day < firstDay(near)) {
    const field = near.callsStartDate !== null ? 'callsStartDate' : 'dateSold';
    return `${n} (${near.account}) is not active on ${formatDay(day)}: it starts ${formatDay(firstDay(near))} (${numbersCell(field, near.row)})`;
  }
  return `${n} (${near.account}) is not active on ${formatDay(day)}: DroppedDate ${formatDay(near.droppedDate!)} (${numbersCell('droppedDate', near.row)})`;
}
