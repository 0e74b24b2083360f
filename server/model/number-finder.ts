// SmartSearch and a number's page (SPEC §7, §8) over one version: Numbers rows with their customer
// and the tariffs in force, filtered by what a billing team asks ("every Suspended number on
// tariff Business at sites in Leeds", "the numbers of customers in postcode LS1"). The rows are
// built once per version (VersionModel.memo) and filtered per request.

import { CALL_CLASSES, type CallClass, type Customer, type NumberRow, type TariffAssignmentRow } from '../../rules/workbook/rows.js';
import { TAB_COLUMNS } from '../../rules/workbook/columns.js';
import { microText } from '../../rules/workbook/diff.js';
import { CLASS_COUNT, type Chain, type RatingModel } from '../../rules/rating/rating-model.js';
import { normalisePhone } from '../../rules/phone.js';
import { ROW_COLUMN, textRow, type TextRow } from './tab-rows.js';
import type { VersionModel } from './version-cache.js';

/** SmartSearch columns: the Numbers tab's, then the customer's, then the tariffs the number's calls use. */
export const NUMBER_COLUMNS = [ROW_COLUMN, ...TAB_COLUMNS.numbers.map((c) => c.header), 'Name', 'Company', 'Address', 'CustomerStatus', 'Tariffs'] as const;
export const NUMBER_NUMERIC = new Set<string>([ROW_COLUMN]);

export interface NumberFilters {
  /** A tariff some call class of the number resolves to (SPEC §2 step 7), any case. */
  tariff?: string;
  status?: NumberRow['status'];
  /** A substring of Site, any case. */
  site?: string;
  /** NumberType, any case; `AutoDetect` also matches a blank one. */
  numberType?: string;
  /** A TariffAssignments row naming this CallClass applies to the number (its own, its range's, an alternate's, or its account's). */
  callClass?: CallClass;
  /** A substring of the customer's Address, ignoring case and spaces. */
  postcode?: string;
  customerStatus?: Customer['status'];
}

/** What SmartSearch filters on, per Numbers row (sheet order). */
interface Indexed {
  rows: TextRow[];
  /** Lower-cased tariff names of each row's chains. */
  tariffs: Set<string>[];
  /** Per row, the assignments that apply to it: its own (and its range's and alternates'), then its account's. */
  assignments: TariffAssignmentRow[][];
  /** Per row, its customer's Address lower-cased without spaces. */
  addresses: string[];
}

const squash = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

/** The chains of a chain set, one per call class in CALL_CLASSES order. */
const chainSet = (model: RatingModel, set: number): Chain[] => model.chains.slice(set * CLASS_COUNT, (set + 1) * CLASS_COUNT);

/** The assignments that apply to each Numbers row, found as rating finds them (rating-model.ts). */
function applyingAssignments(model: RatingModel): TariffAssignmentRow[][] {
  const out: TariffAssignmentRow[][] = model.owners.map(() => []);
  const wide = new Map<string, TariffAssignmentRow[]>();
  for (const a of model.rows.tariffAssignments) {
    if (a.number === '') {
      const l = wide.get(a.account);
      if (l) l.push(a);
      else wide.set(a.account, [a]);
      continue;
    }
    for (const claim of model.numbers.claims(a.number)) {
      const e = claim.entry;
      if (e.account === a.account && !out[e.index].includes(a)) out[e.index].push(a);
    }
  }
  model.owners.forEach((e, i) => out[i].push(...(wide.get(e.account) ?? [])));
  return out;
}

function indexed(vm: VersionModel, model: RatingModel): Indexed {
  return vm.memo('number-finder', () => {
    const numberCols = TAB_COLUMNS.numbers;
    const rows: TextRow[] = [];
    const tariffs: Set<string>[] = [];
    const addresses: string[] = [];
    for (const e of model.owners) {
      const c = e.customer;
      const names = [...new Set(chainSet(model, e.chainSet).map((ch) => ch.tariffName).filter((t) => t !== ''))];
      const r = textRow(numberCols, e.row as unknown as Record<string, unknown>);
      r.Name = c?.name ?? '';
      r.Company = c?.company ?? '';
      r.Address = c?.address ?? '';
      r.CustomerStatus = c?.status ?? '';
      r.Tariffs = names.join(', ');
      rows.push(r);
      tariffs.push(new Set(names.map((t) => t.toLowerCase())));
      addresses.push(squash(c?.address ?? ''));
    }
    return { rows, tariffs, assignments: applyingAssignments(model), addresses };
  });
}

/** SmartSearch: the Numbers rows (with their customer) that pass every filter given, in sheet order. */
export function findNumbers(vm: VersionModel, model: RatingModel, f: NumberFilters): TextRow[] {
  const ix = indexed(vm, model);
  const tariff = f.tariff?.trim().toLowerCase();
  const site = f.site?.trim().toLowerCase();
  const type = f.numberType?.trim().toLowerCase();
  const postcode = f.postcode === undefined ? undefined : squash(f.postcode);
  const out: TextRow[] = [];
  model.owners.forEach((e, i) => {
    const row = e.row;
    if (f.status !== undefined && row.status !== f.status) return;
    if (f.customerStatus !== undefined && e.customer?.status !== f.customerStatus) return;
    if (site && !row.site.toLowerCase().includes(site)) return;
    if (type !== undefined && type !== '') {
      const t = row.numberType.trim().toLowerCase();
      if (!(t === type || (type === 'autodetect' && t === ''))) return;
    }
    if (tariff && !ix.tariffs[i].has(tariff)) return;
    if (postcode && !ix.addresses[i].includes(postcode)) return;
    if (f.callClass !== undefined && !ix.assignments[i].some((a) => a.callClass === f.callClass)) return;
    out.push(ix.rows[i]);
  });
  return out;
}

export interface TariffInForce {
  callClass: CallClass;
  /** null: no tariff; the call is priced by markup on cost, or not at all. */
  tariff: string | null;
  /** `20%`, or null. */
  markup: string | null;
  fallbackMarkup: string | null;
  chargeDecimals: number;
  rounding: string;
}

export interface NumberPage {
  /** The number as Numbers holds it (normalised). */
  number: string;
  /** Every Numbers row that claims it (over time, or one outbound and one inbound). */
  rows: {
    /** How the row holds it: as its Number, as one of its AltCdrNumbers, or inside its range. */
    match: 'number' | 'alt' | 'range';
    number: TextRow;
    customer: TextRow | null;
    /** SPEC §2 step 7 resolved per call class, for this very number (a range member's own assignment first). */
    tariffs: TariffInForce[];
    /** The TariffAssignments rows that apply to it. */
    assignments: TextRow[];
  }[];
}

const pct = (v: number | null): string | null => (v === null ? null : microText(v) + '%');

/** A number as typed (national, international, or as Numbers holds it) the way Numbers holds it; null when it is not a phone number. */
export const numberAsHeld = (model: RatingModel, text: string): string | null => normalisePhone(text, model.plan)?.digits ?? null;

/** A number's page (`number` as Numbers holds it); null when no Numbers row holds it. */
export function numberPage(vm: VersionModel, model: RatingModel, number: string): NumberPage | null {
  const claims = model.numbers.claims(number);
  if (claims.length === 0) return null;
  const ix = indexed(vm, model);
  return {
    number,
    rows: claims.map(({ entry: e, alt }) => {
      const set = e.memberSets?.get(number) ?? e.chainSet;
      return {
        match: alt ? 'alt' : e.row.rangeEnd !== '' && e.row.number !== number ? 'range' : 'number',
        number: ix.rows[e.index],
        customer: e.customer ? textRow(TAB_COLUMNS.customers, e.customer as unknown as Record<string, unknown>) : null,
        tariffs: chainSet(model, set).map((ch, k) => ({
          callClass: CALL_CLASSES[k],
          tariff: ch.tariffName === '' ? null : ch.tariffName,
          markup: pct(ch.markup),
          fallbackMarkup: pct(ch.fallback),
          chargeDecimals: ch.decimals,
          rounding: ch.rounding,
        })),
        assignments: ix.assignments[e.index].map((a) => textRow(TAB_COLUMNS.tariffAssignments, a as unknown as Record<string, unknown>)),
      };
    }),
  };
}
