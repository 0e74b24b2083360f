// The column contract of every tab (SPEC §1) as data: the schema builds its zod objects from it,
// the template generator its header notes and drop-downs, the diff its keys. One place to change.

import { ROUNDINGS } from '../money.js';
import { CALL_CLASSES, TAB_NAMES, type SheetRows } from './rows.js';

export type ColumnType =
  | 'text'
  /** A phone number: normalised with N(); a numeric cell gets CountryCode back (SPEC §1). */
  | 'phone'
  /** Comma-separated phone numbers. */
  | 'phones'
  /** Digits only (Destinations.Prefix). */
  | 'digits'
  | 'date'
  | 'bool'
  /** 20, 20% or 0.2 in a percent-formatted cell all mean twenty percent. */
  | 'percent'
  /** Exact decimal money, at most 6 decimals. */
  | 'amount'
  /** A plain decimal (Discounts.Value: minutes or percent by Kind). */
  | 'decimal'
  | 'int'
  | 'enum'
  /** HH:MM, 24:00 allowed as an end. */
  | 'time'
  /** Weekdays: `Mon-Fri`, `Sat,Sun`, `Mon-Sun`, `Hol`. */
  | 'days'
  /** A mathjs expression (SPEC §4). */
  | 'expr';

export interface ColumnSpec {
  /** The header as the template writes it; matching ignores case, underscores and whitespace. */
  header: string;
  /** The SheetRows field it fills. */
  field: string;
  type: ColumnType;
  required?: boolean;
  /** Allowed values of an enum column, as written. */
  values?: readonly string[];
  /** What the column means, for the template's header notes. */
  note: string;
  width?: number;
}

export type TabKey = keyof SheetRows;

const yesNo = ['Yes', 'No'] as const;

export const TAB_COLUMNS: Record<TabKey, readonly ColumnSpec[]> = {
  settings: [
    { header: 'Key', field: 'key', type: 'text', required: true, note: 'Setting name (see the README for every key and its default).', width: 26 },
    { header: 'Value', field: 'value', type: 'text', note: 'Its value; empty takes the default.', width: 40 },
  ],
  customers: [
    { header: 'Account', field: 'account', type: 'text', required: true, note: 'Unique account code, e.g. ACME01.', width: 14 },
    { header: 'Name', field: 'name', type: 'text', required: true, note: 'Customer name as printed on invoices.', width: 28 },
    { header: 'Company', field: 'company', type: 'text', note: 'Registered company name.', width: 28 },
    { header: 'Email', field: 'email', type: 'text', note: 'Where invoices go; needed for Direct Debit.', width: 28 },
    { header: 'Address', field: 'address', type: 'text', note: 'Postal address printed on invoices.', width: 36 },
    { header: 'VatNumber', field: 'vatNumber', type: 'text', note: "Customer's VAT number, if any.", width: 14 },
    { header: 'TaxRate', field: 'taxRate', type: 'percent', note: 'VAT rate for this customer (20 or 20%); blank = Settings TaxRate.', width: 9 },
    { header: 'AccountType', field: 'accountType', type: 'enum', values: ['Postpaid', 'Prepaid'], note: 'Postpaid (default) or Prepaid.', width: 12 },
    { header: 'CreditLimit', field: 'creditLimit', type: 'amount', note: 'Credit limit in the currency.', width: 11 },
    { header: 'PaymentTermsDays', field: 'paymentTermsDays', type: 'int', note: 'Days from invoice date to due date; blank = 30.', width: 10 },
    { header: 'PaymentMethod', field: 'paymentMethod', type: 'enum', values: ['DirectDebit', 'Card', 'Manual'], note: 'DirectDebit, Card or Manual.', width: 13 },
    { header: 'Status', field: 'status', type: 'enum', values: ['Active', 'Archived'], note: 'Active (default) or Archived (no calls rated after ArchivedDate, no invoices).', width: 10 },
    { header: 'ArchivedDate', field: 'archivedDate', type: 'date', note: 'Date the customer left (YYYY-MM-DD).', width: 12 },
    { header: 'Tariff', field: 'tariff', type: 'text', note: 'Default tariff (a Tariffs row).', width: 14 },
    { header: 'Markup', field: 'markup', type: 'percent', note: 'Cost-plus markup percent on carrier cost, used when no tariff applies.', width: 9 },
    { header: 'FallbackMarkup', field: 'fallbackMarkup', type: 'percent', note: 'Markup percent on cost when the tariff has no rate for a call.', width: 10 },
    { header: 'DiscountPlan', field: 'discountPlan', type: 'text', note: 'A Plan in Discounts.', width: 14 },
    { header: 'InvoiceNote', field: 'invoiceNote', type: 'text', note: 'Printed on every invoice.', width: 24 },
    { header: 'ZeroInvoice', field: 'zeroInvoice', type: 'bool', values: yesNo, note: 'Yes: send an invoice even when nothing is due.', width: 8 },
  ],
  numbers: [
    { header: 'Account', field: 'account', type: 'text', required: true, note: 'Owning customer (Customers.Account).', width: 14 },
    { header: 'Number', field: 'number', type: 'phone', required: true, note: 'The number, or the first of a range; national (020 7946 0000) or international form.', width: 16 },
    { header: 'RangeEnd', field: 'rangeEnd', type: 'phone', note: 'Last number of a DDI range (same length as Number; at most 1,000,000 numbers).', width: 16 },
    { header: 'Extension', field: 'extension', type: 'text', note: 'PBX extension billed separately; blank = catch-all.', width: 10 },
    { header: 'NumberType', field: 'numberType', type: 'text', note: 'Destination inbound calls rate as; blank or AutoDetect = by the number itself.', width: 14 },
    { header: 'Description', field: 'description', type: 'text', note: 'Free text.', width: 22 },
    { header: 'Site', field: 'site', type: 'text', note: 'Site the number belongs to (invoices group by it).', width: 14 },
    { header: 'Status', field: 'status', type: 'enum', values: ['Active', 'Suspended', 'NonBillable', 'Dropped'], note: 'Active (default), Suspended, NonBillable or Dropped.', width: 12 },
    { header: 'DateSold', field: 'dateSold', type: 'date', required: true, note: 'Date the number was sold to the customer.', width: 12 },
    { header: 'CallsStartDate', field: 'callsStartDate', type: 'date', note: 'First day calls are billed; blank = DateSold.', width: 12 },
    { header: 'DroppedDate', field: 'droppedDate', type: 'date', note: 'Last day the customer had the number (charges end at 24:00).', width: 12 },
    { header: 'AltCdrNumbers', field: 'altCdrNumbers', type: 'phones', note: 'Other numbers this line appears as in CDRs, comma-separated.', width: 18 },
    { header: 'Direction', field: 'direction', type: 'enum', values: ['Outbound', 'Inbound', 'Both'], note: 'Calls it owns: Outbound (default), Inbound or Both.', width: 10 },
    { header: 'FallbackMarkup', field: 'fallbackMarkup', type: 'percent', note: 'Markup percent on cost when the tariff has no rate.', width: 10 },
    { header: 'DiscountPlan', field: 'discountPlan', type: 'text', note: "A Plan in Discounts; overrides the customer's.", width: 14 },
  ],
  destinations: [
    { header: 'Prefix', field: 'prefix', type: 'digits', required: true, note: 'Digits, country code first (4420, not 020); short codes as dialled (118).', width: 12 },
    { header: 'Destination', field: 'destination', type: 'text', required: true, note: 'Destination name, e.g. UK Mobile.', width: 26 },
    { header: 'CallClass', field: 'callClass', type: 'enum', required: true, values: CALL_CLASSES, note: `One of ${CALL_CLASSES.join(', ')}.`, width: 20 },
  ],
  tariffs: [
    { header: 'Tariff', field: 'tariff', type: 'text', required: true, note: 'Unique tariff name.', width: 14 },
    { header: 'Description', field: 'description', type: 'text', note: 'Free text.', width: 28 },
    { header: 'FallbackMarkup', field: 'fallbackMarkup', type: 'percent', note: 'Markup percent on cost for calls this tariff has no rate for.', width: 10 },
    { header: 'ChargeDecimals', field: 'chargeDecimals', type: 'int', note: 'Decimals a call charge is rounded to (0-6); blank = Settings.', width: 10 },
    { header: 'Rounding', field: 'rounding', type: 'enum', values: ROUNDINGS, note: 'HalfUp, HalfEven, Up or Down; blank = Settings.', width: 10 },
  ],
  rates: [
    { header: 'Tariff', field: 'tariff', type: 'text', required: true, note: 'A Tariffs row.', width: 14 },
    { header: 'Destination', field: 'destination', type: 'text', required: true, note: 'A Destination name (Destinations tab) or a NumberType.', width: 26 },
    { header: 'TimeBand', field: 'timeBand', type: 'text', note: 'A TimeBands name; blank = any time.', width: 10 },
    { header: 'FromSecond', field: 'fromSecond', type: 'int', note: 'This slot prices seconds from here on; blank = 0.', width: 10 },
    { header: 'PerMinute', field: 'perMinute', type: 'amount', required: true, note: 'Price per minute.', width: 10 },
    { header: 'ConnectionFee', field: 'connectionFee', type: 'amount', note: 'Added once per answered call.', width: 10 },
    { header: 'MinimumCharge', field: 'minimumCharge', type: 'amount', note: 'Least an answered call costs.', width: 10 },
    { header: 'MaximumCharge', field: 'maximumCharge', type: 'amount', note: 'Most a call costs.', width: 10 },
    { header: 'InitialSeconds', field: 'initialSeconds', type: 'int', note: 'First increment in seconds; blank = IncrementSeconds.', width: 9 },
    { header: 'IncrementSeconds', field: 'incrementSeconds', type: 'int', note: 'Billing increment in seconds; blank = 1.', width: 9 },
    { header: 'EffectiveFrom', field: 'effectiveFrom', type: 'date', note: 'First day the price applies (inclusive); blank = always.', width: 12 },
    { header: 'EffectiveTo', field: 'effectiveTo', type: 'date', note: 'Day the price stops applying (exclusive); blank = open.', width: 12 },
  ],
  tariffAssignments: [
    { header: 'Account', field: 'account', type: 'text', required: true, note: 'A Customers account.', width: 14 },
    { header: 'Number', field: 'number', type: 'phone', note: 'A number (or one in a range) of the account; blank = every number.', width: 16 },
    { header: 'CallClass', field: 'callClass', type: 'enum', values: ['All', ...CALL_CLASSES], note: 'Call class this applies to; blank or All = every class.', width: 20 },
    { header: 'Tariff', field: 'tariff', type: 'text', note: 'Tariff for these calls.', width: 14 },
    { header: 'Markup', field: 'markup', type: 'percent', note: 'Cost-plus markup percent for these calls.', width: 9 },
  ],
  timeBands: [
    { header: 'TimeBand', field: 'timeBand', type: 'text', required: true, note: 'Band name, e.g. Peak.', width: 12 },
    { header: 'Days', field: 'days', type: 'days', required: true, note: 'Mon-Fri, Sat,Sun, Mon-Sun; Hol = bank holidays.', width: 12 },
    { header: 'From', field: 'from', type: 'time', required: true, note: 'Start time HH:MM (inclusive).', width: 8 },
    { header: 'To', field: 'to', type: 'time', required: true, note: 'End time HH:MM (exclusive); 24:00 = end of day; before From wraps past midnight.', width: 8 },
  ],
  holidays: [
    { header: 'Date', field: 'date', type: 'date', required: true, note: 'A holiday date (YYYY-MM-DD).', width: 12 },
    { header: 'Name', field: 'name', type: 'text', note: 'Holiday name.', width: 26 },
  ],
  features: [
    { header: 'Account', field: 'account', type: 'text', required: true, note: 'A Customers account.', width: 14 },
    { header: 'Number', field: 'number', type: 'phone', note: 'The number the feature belongs to; blank = account-level.', width: 16 },
    { header: 'Feature', field: 'feature', type: 'text', required: true, note: 'Name printed on the invoice, e.g. Line rental.', width: 22 },
    { header: 'Kind', field: 'kind', type: 'enum', required: true, values: ['Recurring', 'OneOff'], note: 'Recurring or OneOff.', width: 10 },
    { header: 'Amount', field: 'amount', type: 'amount', required: true, note: 'Price per interval (or once), before tax.', width: 10 },
    { header: 'Quantity', field: 'quantity', type: 'int', note: 'How many; blank = 1.', width: 8 },
    { header: 'Interval', field: 'interval', type: 'enum', values: ['Monthly', 'Quarterly', 'Annually'], note: 'Monthly (default), Quarterly or Annually.', width: 10 },
    { header: 'StartDate', field: 'startDate', type: 'date', required: true, note: 'First day charged.', width: 12 },
    { header: 'EndDate', field: 'endDate', type: 'date', note: 'Last day charged; blank = open.', width: 12 },
    { header: 'Prorate', field: 'prorate', type: 'bool', values: yesNo, note: 'Yes (default): part months by the day.', width: 8 },
  ],
  discounts: [
    { header: 'Plan', field: 'plan', type: 'text', required: true, note: 'Plan name (Customers/Numbers DiscountPlan).', width: 14 },
    { header: 'Kind', field: 'kind', type: 'enum', required: true, values: ['InclusiveMinutes', 'Percentage'], note: 'InclusiveMinutes or Percentage.', width: 16 },
    { header: 'Applies', field: 'applies', type: 'expr', note: 'Which calls, e.g. class == "National" or class == "Mobile"; blank = all.', width: 36 },
    { header: 'Value', field: 'value', type: 'decimal', required: true, note: 'Minutes per invoice (InclusiveMinutes) or percent off (Percentage).', width: 9 },
    { header: 'Scope', field: 'scope', type: 'enum', values: ['Number', 'Account'], note: 'Minutes per Number (default) or pooled per Account.', width: 9 },
  ],
  cdrFormats: [
    { header: 'Format', field: 'format', type: 'text', required: true, note: 'Format name used with --format.', width: 14 },
    { header: 'Field', field: 'field', type: 'enum', required: true, values: ['id', 'start', 'duration', 'caller', 'called', 'extension', 'direction', 'cost', 'disposition', 'timezone'], note: 'CDR field this row maps.', width: 12 },
    { header: 'Column', field: 'column', type: 'text', required: true, note: 'Header name in the file, or a 1-based column number (for timezone: the zone, e.g. UTC).', width: 14 },
    { header: 'Transform', field: 'transform', type: 'expr', note: 'mathjs expression over value and the other columns.', width: 30 },
    { header: 'TimeFormat', field: 'timeFormat', type: 'text', note: 'iso, epoch, epochms or a pattern like dd/MM/yyyy HH:mm:ss.', width: 20 },
  ],
};

export const TAB_KEYS = Object.keys(TAB_NAMES) as TabKey[];

/** Header matching ignores case, underscores and all whitespace (SPEC §1). */
export const headerKey = (h: string): string => h.replace(/[\s_]+/g, '').toLowerCase();

/** Settings keys with their defaults (SPEC §1), in template order. */
export const SETTINGS_DEFAULTS: readonly { key: string; value: string; note: string }[] = [
  { key: 'Currency', value: 'GBP', note: 'ISO currency code printed on invoices.' },
  { key: 'CountryCode', value: '44', note: 'Country code numbers are normalised to (text).' },
  { key: 'NationalPrefix', value: '0', note: 'Trunk prefix replaced by CountryCode (text); empty turns the rule off.' },
  { key: 'InternationalPrefix', value: '00', note: 'International access prefix (text); empty turns the rule off.' },
  { key: 'Timezone', value: 'Europe/London', note: 'IANA zone of times without an offset, bands and billing periods.' },
  { key: 'ChargeDecimals', value: '4', note: 'Decimals a call charge is rounded to.' },
  { key: 'Rounding', value: 'HalfUp', note: 'HalfUp, HalfEven, Up or Down.' },
  { key: 'BandSplit', value: 'Start', note: 'Start: the start band prices the call; Split: each second at its own band.' },
  { key: 'TaxRate', value: '20', note: 'Default VAT percent.' },
  { key: 'InvoicePrefix', value: 'INV-', note: 'Invoice numbers are this plus six digits.' },
  { key: 'FraudMaxCallsPerMinute', value: '0', note: 'More outbound calls than this from one number within a minute are held as fraud; 0 = off.' },
  { key: 'FraudShortCallSeconds', value: '0', note: 'Calls this short or shorter count as short calls; 0 = off.' },
  { key: 'FraudShortCallsPerDay', value: '0', note: 'More short calls than this from one number in a day are held as fraud; 0 = off.' },
  { key: 'BillableDispositions', value: 'ANSWERED', note: 'Comma-separated dispositions that are billed.' },
  { key: 'ShortCodeDigits', value: '6', note: 'Called numbers this short are short codes; 0 = off.' },
  { key: 'SupplierName', value: '', note: 'Your company name, printed on invoices.' },
  { key: 'SupplierAddress', value: '', note: 'Your address, printed on invoices.' },
  { key: 'SupplierVatNumber', value: '', note: 'Your VAT number, printed on invoices.' },
  { key: 'SupplierCompanyNumber', value: '', note: 'Your company registration number.' },
];
