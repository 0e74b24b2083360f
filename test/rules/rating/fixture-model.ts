// Typed workbook rows (SheetRows) for the rating tests, every field defaulted, and calls at local
// London times. Amounts are written as decimal text and parsed exactly; numbers as people type them
// and normalised with N(); rows get their sheet row numbers from their place in the tab.

import type { Cdr, RatedCall } from '../../../rules/cdr/cdr.js';
import { parseDayText, type Day } from '../../../rules/day.js';
import { formatMicro, parseMicro, type Micro, type MicroPct } from '../../../rules/money.js';
import { normaliseDigits, normalisePhone, type NumberPlan } from '../../../rules/phone.js';
import { rateCall } from '../../../rules/rating/rate.js';
import { buildRatingModel, type RatingModel } from '../../../rules/rating/rating-model.js';
import type {
  CallClass,
  Customer,
  DestinationRow,
  HolidayRow,
  NumberRow,
  RateRow,
  Settings,
  SheetRows,
  TariffAssignmentRow,
  TariffRow,
  TimeBandRow,
} from '../../../rules/workbook/rows.js';
import { WEEKDAYS } from '../../../rules/workbook/rows.js';
import { localToUtc } from '../../../rules/zone.js';

export const ZONE = 'Europe/London';
export const PLAN: NumberPlan = { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', shortCodeDigits: 6 };

/** A date `YYYY-MM-DD` as a day number. */
export function day(iso: string): Day {
  const d = parseDayText(iso);
  if (d === null) throw new Error(`bad test date ${iso}`);
  return d;
}

/** An amount written as decimal text ("1.15"), exactly, in micro-units. */
export function money(text: string): Micro {
  const r = parseMicro(text);
  if (!r.ok) throw new Error(`bad test amount ${text}`);
  return r.value;
}

/** A percentage written as decimal text ("20" = 20%), in micro-percent. */
export const pct = (text: string): MicroPct => money(text);

/** N() of a number as typed ("020 7946 0000" -> "442079460000"). */
export function n(typed: string): string {
  const d = normaliseDigits(typed, PLAN);
  if (d === null) throw new Error(`bad test number ${typed}`);
  return d;
}

export const settings = (over: Partial<Settings> = {}): Settings => ({
  currency: 'GBP',
  countryCode: '44',
  nationalPrefix: '0',
  internationalPrefix: '00',
  timezone: ZONE,
  chargeDecimals: 4,
  rounding: 'HalfUp',
  bandSplit: 'Start',
  taxRate: pct('20'),
  invoicePrefix: 'INV-',
  fraudMaxCallsPerMinute: 0,
  fraudShortCallSeconds: 0,
  fraudShortCallsPerDay: 0,
  billableDispositions: ['ANSWERED'],
  shortCodeDigits: 6,
  supplierName: 'Supplier Ltd',
  supplierAddress: '1 High Street',
  supplierVatNumber: 'GB123456789',
  supplierCompanyNumber: '01234567',
  ...over,
});

export const customer = (account: string, over: Partial<Customer> = {}): Customer => ({
  row: 0,
  account,
  name: `${account} Ltd`,
  company: '',
  email: `${account.toLowerCase()}@example.com`,
  address: '1 Road',
  vatNumber: '',
  taxRate: null,
  accountType: 'Postpaid',
  creditLimit: null,
  paymentTermsDays: null,
  paymentMethod: 'Manual',
  status: 'Active',
  archivedDate: null,
  tariff: 'Business',
  markup: null,
  fallbackMarkup: null,
  discountPlan: '',
  invoiceNote: '',
  zeroInvoice: false,
  ...over,
});

/** A Numbers row; `number` (and rangeEnd, altCdrNumbers) as typed, normalised here. */
export const numberRow = (
  account: string,
  number: string,
  over: Partial<Omit<NumberRow, 'dateSold' | 'callsStartDate' | 'droppedDate'>> & { dateSold?: string; callsStartDate?: string; droppedDate?: string } = {},
): NumberRow => {
  const { dateSold, callsStartDate, droppedDate, rangeEnd, altCdrNumbers, ...rest } = over;
  return {
    row: 0,
    account,
    number: n(number),
    rangeEnd: rangeEnd ? n(rangeEnd) : '',
    extension: '',
    numberType: '',
    description: '',
    site: 'HQ',
    status: 'Active',
    dateSold: day(dateSold ?? '2025-01-01'),
    callsStartDate: callsStartDate ? day(callsStartDate) : null,
    droppedDate: droppedDate ? day(droppedDate) : null,
    altCdrNumbers: (altCdrNumbers ?? []).map(n),
    direction: 'Outbound',
    fallbackMarkup: null,
    discountPlan: '',
    ...rest,
  };
};

export const dest = (prefix: string, destination: string, callClass: CallClass): DestinationRow => ({ row: 0, prefix, destination, callClass });

export const tariff = (name: string, over: Partial<TariffRow> = {}): TariffRow => ({
  row: 0,
  tariff: name,
  description: '',
  fallbackMarkup: null,
  chargeDecimals: null,
  rounding: null,
  ...over,
});

/** A Rates row: amounts as decimal text; dates as `YYYY-MM-DD`. */
export const rate = (
  tariffName: string,
  destination: string,
  perMinute: string,
  over: {
    band?: string;
    from?: number;
    fee?: string;
    min?: string;
    max?: string;
    initial?: number;
    increment?: number;
    effectiveFrom?: string;
    effectiveTo?: string;
  } = {},
): RateRow => ({
  row: 0,
  tariff: tariffName,
  destination,
  timeBand: over.band ?? '',
  fromSecond: over.from ?? 0,
  perMinute: money(perMinute),
  connectionFee: over.fee === undefined ? null : money(over.fee),
  minimumCharge: over.min === undefined ? null : money(over.min),
  maximumCharge: over.max === undefined ? null : money(over.max),
  initialSeconds: over.initial ?? null,
  incrementSeconds: over.increment ?? null,
  effectiveFrom: over.effectiveFrom ? day(over.effectiveFrom) : null,
  effectiveTo: over.effectiveTo ? day(over.effectiveTo) : null,
});

export const assignment = (
  account: string,
  over: { number?: string; callClass?: CallClass | ''; tariff?: string; markup?: string } = {},
): TariffAssignmentRow => ({
  row: 0,
  account,
  number: over.number ? n(over.number) : '',
  callClass: over.callClass ?? '',
  tariff: over.tariff ?? '',
  markup: over.markup === undefined ? null : pct(over.markup),
});

/** A TimeBands row: Days like `Mon-Fri`, `Sat,Sun`, `Sat,Sun,Hol`, `Hol`; times `HH:MM` (`24:00` ends the day). */
export function band(name: string, days: string, from: string, to: string): TimeBandRow {
  const list = new Set<number>();
  let holiday = false;
  for (const part of days.split(',').map((p) => p.trim())) {
    if (part === 'Hol') {
      holiday = true;
      continue;
    }
    const [a, b] = part.split('-').map((x) => WEEKDAYS.indexOf(x as (typeof WEEKDAYS)[number]));
    for (let d = a; d <= (b ?? a); d++) list.add(d);
  }
  const minutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return { row: 0, timeBand: name, days: [...list].sort(), holiday, from: minutes(from), to: minutes(to) };
}

export const holiday = (date: string, name = 'Holiday'): HolidayRow => ({ row: 0, date: day(date), name });

/** Peak Mon-Fri 08:00–18:00, OffPeak Mon-Fri 18:00–08:00 (wrapping), Weekend Sat, Sun and holidays. */
export const UK_BANDS: TimeBandRow[] = [band('Peak', 'Mon-Fri', '08:00', '18:00'), band('OffPeak', 'Mon-Fri', '18:00', '08:00'), band('Weekend', 'Sat,Sun,Hol', '00:00', '24:00')];

export const UK_DESTINATIONS: DestinationRow[] = [
  dest('441', 'UK Geographic', 'National'),
  dest('442', 'UK Geographic', 'National'),
  dest('447', 'UK Mobile', 'Mobile'),
  dest('44800', 'UK Freephone', 'NonGeographic'),
  dest('44845', 'UK Local Rate', 'NonGeographic'),
  dest('999', 'Emergency', 'ServiceNumbers'),
  dest('118', 'Directory Enquiries', 'ServiceNumbers'),
  dest('1', 'USA', 'International'),
  dest('33', 'France', 'International'),
];

/** A workbook: every tab defaulted to empty (Settings to the defaults); rows numbered as on the sheet. */
export function sheet(over: Partial<SheetRows> = {}): SheetRows {
  const rows: SheetRows = {
    settings: settings(),
    customers: [],
    numbers: [],
    destinations: [],
    tariffs: [],
    rates: [],
    tariffAssignments: [],
    timeBands: [],
    holidays: [],
    features: [],
    discounts: [],
    cdrFormats: [],
    ...over,
  };
  const numbered = <T extends { row: number }>(list: T[]): T[] => list.map((r, i) => (r.row === 0 ? { ...r, row: i + 2 } : r));
  return {
    ...rows,
    customers: numbered(rows.customers),
    numbers: numbered(rows.numbers),
    destinations: numbered(rows.destinations),
    tariffs: numbered(rows.tariffs),
    rates: numbered(rows.rates),
    tariffAssignments: numbered(rows.tariffAssignments),
    timeBands: numbered(rows.timeBands),
    holidays: numbered(rows.holidays),
    features: numbered(rows.features),
    discounts: numbered(rows.discounts),
    cdrFormats: numbered(rows.cdrFormats),
  };
}

export const model = (over: Partial<SheetRows> = {}): RatingModel => buildRatingModel(sheet(over));

/** The instant of a London wall-clock time `YYYY-MM-DD HH:MM:SS` (an ambiguous time is its first occurrence). */
export const londonMs = (local: string): number => localToUtc(ZONE, Date.parse(local.replace(' ', 'T') + 'Z')).utcMs;

/** A call as mediation makes it: numbers as typed, normalised here; start at a London local time (or `…Z` for UTC). */
export function cdr(caller: string, called: string, start: string, duration: number, over: Partial<Cdr> = {}): Cdr {
  const c = normalisePhone(caller, PLAN);
  const d = normalisePhone(called, PLAN);
  const startMs = start.endsWith('Z') ? Date.parse(start) : londonMs(start);
  return {
    kind: 'cdr',
    file: 'calls.csv',
    line: 2,
    id: '',
    startMs,
    duration,
    answered: duration > 0,
    caller,
    called,
    callerN: c?.digits ?? null,
    calledN: d?.digits ?? null,
    calledShort: d?.shortCode ?? false,
    extension: '',
    direction: 'out',
    cost: null,
    ...over,
  };
}

/** Rates a call that must rate. */
export function rated(m: RatingModel, call: Cdr): RatedCall {
  const r = rateCall(m, call);
  if (r.kind !== 'rated') throw new Error(`expected a rated call, got ${r.reason}: ${r.detail}`);
  return r.call;
}

/** `charge / billed s` with the charge at its ChargeDecimals, e.g. `0.12 / 6s`. */
export function priced(m: RatingModel, call: Cdr): string {
  const r = rated(m, call);
  return `${formatMicro(r.charge, r.chargeDecimals)} / ${r.billedSeconds}s`;
}

/** `REASON: detail`, or `rated`. */
export function outcome(m: RatingModel, call: Cdr): string {
  const r = rateCall(m, call);
  return r.kind === 'rated' ? 'rated' : `${r.reason}: ${r.detail}`;
}
