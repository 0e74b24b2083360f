// The workbook's tabs as typed rows: what parse.ts produces from cells and everything after it
// (cross-tab checks, compile, rate, bill, diff) reads. Amounts and percentages are exact integers
// (money.ts), dates are civil day numbers (day.ts), phone numbers are normalised digits (phone.ts).

import type { Micro, MicroPct, Rounding } from '../money.js';
import type { Day } from '../day.js';

export const CALL_CLASSES = [
  'National',
  'Mobile',
  'NonGeographic',
  'ServiceNumbers',
  'International',
  'ExtendedInternational',
  'Surcharges',
  'Inbound',
  'Bespoke1',
  'Bespoke2',
  'Bespoke3',
] as const;
export type CallClass = (typeof CALL_CLASSES)[number];


export type BandSplit = 'Start' | 'Split';
export type Direction = 'Outbound' | 'Inbound' | 'Both';
export type NumberStatus = 'Active' | 'Suspended' | 'NonBillable' | 'Dropped';
export type CustomerStatus = 'Active' | 'Archived';
export type AccountType = 'Postpaid' | 'Prepaid';
export type PaymentMethod = 'DirectDebit' | 'Card' | 'Manual';
export type FeatureKind = 'Recurring' | 'OneOff';
export type FeatureInterval = 'Monthly' | 'Quarterly' | 'Annually';
export type DiscountKind = 'InclusiveMinutes' | 'Percentage';
export type DiscountScope = 'Number' | 'Account';

/** Every typed row remembers its sheet row (for `Tab!Cell` addresses) and its unknown columns. */
export interface RowMeta {
  row: number;
  /** Unknown columns kept as custom attributes: header as written -> cell text. */
  extra?: Record<string, string>;
}

export interface Settings {
  currency: string;
  countryCode: string;
  /** '' turns the rule off (SPEC §2). */
  nationalPrefix: string;
  internationalPrefix: string;
  timezone: string;
  chargeDecimals: number;
  rounding: Rounding;
  bandSplit: BandSplit;
  taxRate: MicroPct;
  invoicePrefix: string;
  fraudMaxCallsPerMinute: number;
  fraudShortCallSeconds: number;
  fraudShortCallsPerDay: number;
  /** Upper-cased, trimmed. */
  billableDispositions: string[];
  shortCodeDigits: number;
  supplierName: string;
  supplierAddress: string;
  supplierVatNumber: string;
  supplierCompanyNumber: string;
}

export interface Customer extends RowMeta {
  account: string;
  name: string;
  company: string;
  email: string;
  address: string;
  vatNumber: string;
  taxRate: MicroPct | null;
  accountType: AccountType;
  creditLimit: Micro | null;
  paymentTermsDays: number | null;
  paymentMethod: PaymentMethod | null;
  status: CustomerStatus;
  archivedDate: Day | null;
  tariff: string;
  markup: MicroPct | null;
  fallbackMarkup: MicroPct | null;
  discountPlan: string;
  invoiceNote: string;
  zeroInvoice: boolean;
}

export interface NumberRow extends RowMeta {
  account: string;
  /** N(Number). */
  number: string;
  /** N(RangeEnd), '' when not a range. */
  rangeEnd: string;
  extension: string;
  numberType: string;
  description: string;
  site: string;
  status: NumberStatus;
  dateSold: Day;
  callsStartDate: Day | null;
  droppedDate: Day | null;
  /** N() of each alternate CDR number. */
  altCdrNumbers: string[];
  direction: Direction;
  fallbackMarkup: MicroPct | null;
  discountPlan: string;
}

export interface DestinationRow extends RowMeta {
  prefix: string;
  destination: string;
  callClass: CallClass;
}

export interface TariffRow extends RowMeta {
  tariff: string;
  description: string;
  fallbackMarkup: MicroPct | null;
  chargeDecimals: number | null;
  rounding: Rounding | null;
}

export interface RateRow extends RowMeta {
  tariff: string;
  destination: string;
  timeBand: string;
  fromSecond: number;
  perMinute: Micro;
  connectionFee: Micro | null;
  minimumCharge: Micro | null;
  maximumCharge: Micro | null;
  initialSeconds: number | null;
  incrementSeconds: number | null;
  effectiveFrom: Day | null;
  /** Exclusive. */
  effectiveTo: Day | null;
}

export interface TariffAssignmentRow extends RowMeta {
  account: string;
  /** N(Number), '' for the account-wide row. */
  number: string;
  /** '' for blank or `All`. */
  callClass: CallClass | '';
  tariff: string;
  markup: MicroPct | null;
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeBandRow extends RowMeta {
  timeBand: string;
  /** Weekdays 0=Mon..6=Sun the row names. */
  days: number[];
  /** The row names `Hol`: it applies on Holidays dates (tried first). */
  holiday: boolean;
  /** Minutes since midnight, 0..1439. */
  from: number;
  /** Minutes since midnight, 1..1440 (24:00 = 1440); from > to wraps past midnight. */
  to: number;
}

export interface HolidayRow extends RowMeta {
  date: Day;
  name: string;
}

export interface FeatureRow extends RowMeta {
  account: string;
  /** N(Number), '' for an account-level feature. */
  number: string;
  feature: string;
  kind: FeatureKind;
  amount: Micro;
  quantity: number;
  interval: FeatureInterval;
  startDate: Day;
  endDate: Day | null;
  prorate: boolean;
}

export interface DiscountRow extends RowMeta {
  plan: string;
  kind: DiscountKind;
  /** mathjs expression text, '' matches every call. */
  applies: string;
  /** InclusiveMinutes: minutes as micro-units (Value 100 = 100_000_000); Percentage: micro-percent. */
  value: Micro;
  scope: DiscountScope;
}

export interface CdrFormatRow extends RowMeta {
  format: string;
  /** Lower-cased field name: id, start, duration, caller, called, extension, direction, cost, disposition, timezone, … */
  field: string;
  /** A header name, or a 1-based column index written as digits. */
  column: string;
  transform: string;
  timeFormat: string;
}

/** A workbook's content after cell-level validation: what cross-tab checks and compile take. */
export interface SheetRows {
  settings: Settings;
  customers: Customer[];
  numbers: NumberRow[];
  destinations: DestinationRow[];
  tariffs: TariffRow[];
  rates: RateRow[];
  tariffAssignments: TariffAssignmentRow[];
  timeBands: TimeBandRow[];
  holidays: HolidayRow[];
  features: FeatureRow[];
  discounts: DiscountRow[];
  cdrFormats: CdrFormatRow[];
}

/** Tab names as the workbook spells them, keyed by the SheetRows field. */
export const TAB_NAMES = {
  settings: 'Settings',
  customers: 'Customers',
  numbers: 'Numbers',
  destinations: 'Destinations',
  tariffs: 'Tariffs',
  rates: 'Rates',
  tariffAssignments: 'TariffAssignments',
  timeBands: 'TimeBands',
  holidays: 'Holidays',
  features: 'Features',
  discounts: 'Discounts',
  cdrFormats: 'CdrFormats',
} as const satisfies Record<keyof SheetRows, string>;
