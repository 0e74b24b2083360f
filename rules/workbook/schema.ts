// One zod schema per tab, built from the column contract (rules/columns.ts) so the two cannot
// drift: each takes a row of raw cells keyed by field ({perMinute: RawValue, …}) and gives the
// typed row of rows.ts, or a zod issue per problem whose path is the field (parse.ts turns it into
// `Tab!Cell`) and whose params.code is the Issue code. Warnings and notices (a number cell read as
// a phone number, 0.25 in a Markup) are not zod issues: they go to a NoteSink.
//
// zod per row costs ~7 µs, too slow for 170,000 rows, so each tab is first compiled into field
// readers and row rules (compileTab); the schema is made of exactly those, and parse.ts calls them
// directly for a row and asks the schema only for a row that has problems.

import { z } from 'zod';
import { TAB_COLUMNS, SETTINGS_DEFAULTS, type ColumnSpec, type TabKey } from './columns.js';
import {
  enumReader,
  formatScaled,
  isEmpty,
  percentBelowOne,
  toAmount,
  toBool,
  toDate,
  toDays,
  toDecimal,
  toDigits,
  toInt,
  toPercent,
  toPhone,
  toPhones,
  toText,
  toTime,
  type Cell,
  type CellContext,
  type DaysValue,
} from './cells.js';
import { formatDay } from '../day.js';
import { rawText, type RawValue } from './raw.js';
import { ROUNDINGS, type Rounding } from '../money.js';
import {
  type BandSplit,
  type CdrFormatRow,
  type Customer,
  type DestinationRow,
  type DiscountRow,
  type FeatureRow,
  type HolidayRow,
  type NumberRow,
  type RateRow,
  type Settings,
  type TariffAssignmentRow,
  type TariffRow,
  type TimeBandRow,
} from './rows.js';
import { isValidZone } from '../zone.js';
import { emailProblem, ukVatProblem } from './contact-checks.js';

export interface RowOf {
  customers: Customer;
  numbers: NumberRow;
  destinations: DestinationRow;
  tariffs: TariffRow;
  rates: RateRow;
  tariffAssignments: TariffAssignmentRow;
  timeBands: TimeBandRow;
  holidays: HolidayRow;
  features: FeatureRow;
  discounts: DiscountRow;
  cdrFormats: CdrFormatRow;
}
export type DataTab = keyof RowOf;
/** A typed row before parse.ts adds its sheet row and custom attributes. */
export type TypedRow<K extends DataTab> = Omit<RowOf[K], 'row' | 'extra'>;
/** A row as the schema takes it: one raw cell per field (absent = empty). */
export type RawRowInput = Record<string, RawValue | undefined>;

/** A warning or notice about one field of a row (or one Settings key). */
export interface FieldNote {
  field: string;
  severity: 'warning' | 'notice';
  code: string;
  message: string;
}
export type NoteSink = (note: FieldNote) => void;

// ---------------------------------------------------------------------------------------------
// The contract beyond a column's type: defaults of empty cells and the range of a value

/** Values of empty optional cells (SPEC §1 defaults). */
const DEFAULTS: Partial<Record<TabKey, Record<string, unknown>>> = {
  customers: { accountType: 'Postpaid', status: 'Active', zeroInvoice: false },
  numbers: { status: 'Active', direction: 'Outbound' },
  rates: { fromSecond: 0 },
  features: { quantity: 1, interval: 'Monthly', prorate: true },
  discounts: { scope: 'Number' },
};

const PCT = 1_000_000;
/** Least and greatest values: micro-units for amounts and decimals, micro-percent for percentages, plain for ints. */
const LIMITS: Partial<Record<TabKey, Record<string, { min?: number; max?: number }>>> = {
  customers: {
    taxRate: { min: 0, max: 100 * PCT },
    creditLimit: { min: 0 },
    paymentTermsDays: { min: 0 },
    markup: { min: -100 * PCT },
    fallbackMarkup: { min: -100 * PCT },
  },
  numbers: { fallbackMarkup: { min: -100 * PCT } },
  tariffs: { fallbackMarkup: { min: -100 * PCT }, chargeDecimals: { min: 0, max: 6 } },
  rates: {
    fromSecond: { min: 0 },
    perMinute: { min: 0 },
    connectionFee: { min: 0 },
    minimumCharge: { min: 0 },
    maximumCharge: { min: 0 },
    initialSeconds: { min: 1 },
    incrementSeconds: { min: 1 },
  },
  tariffAssignments: { markup: { min: -100 * PCT } },
  features: { quantity: { min: 1 } },
  discounts: { value: { min: 0 } },
};

function converter(tab: TabKey, col: ColumnSpec, ctx: CellContext): (v: RawValue) => Cell<unknown> {
  const lim = LIMITS[tab]?.[col.field] ?? {};
  switch (col.type) {
    case 'text':
    case 'expr':
      return toText;
    case 'phone':
      return (v) => toPhone(v, ctx);
    case 'phones':
      return (v) => toPhones(v, ctx);
    case 'digits':
      return toDigits;
    case 'date':
      return (v) => toDate(v, ctx);
    case 'bool':
      return toBool;
    case 'percent':
      return (v) => toPercent(v, lim);
    case 'amount':
      return (v) => toAmount(v, lim.min);
    case 'decimal':
      return (v) => toDecimal(v, lim.min);
    case 'int':
      return (v) => toInt(v, lim.min, lim.max);
    case 'enum':
      return enumReader(col.values ?? []);
    case 'time':
      return (v) => toTime(v, ctx);
    case 'days':
      return toDays;
  }
}

function emptyValue(tab: TabKey, col: ColumnSpec): () => unknown {
  const d = DEFAULTS[tab]?.[col.field];
  if (d !== undefined) return () => d;
  switch (col.type) {
    case 'text':
    case 'expr':
    case 'phone':
    case 'digits':
      return () => '';
    case 'phones':
      return () => [];
    case 'enum':
      return tab === 'tariffAssignments' && col.field === 'callClass' ? () => '' : () => null;
    default:
      return () => null;
  }
}

/** One column's reader: an empty cell gives the default (or `X is required`), others the converter; messages start with the header. */
export interface FieldReader {
  field: string;
  header: string;
  spec: ColumnSpec;
  read(v: RawValue | undefined): Cell<unknown>;
  /** The value of an empty optional cell (a fresh one each time where it could be changed). */
  empty(): unknown;
}

export function fieldReader(tab: TabKey, spec: ColumnSpec, ctx: CellContext): FieldReader {
  const convert = converter(tab, spec, ctx);
  const empty = emptyValue(tab, spec);
  const header = spec.header;
  const required = spec.required === true;
  // Most optional cells are empty: a default that cannot be changed is answered with one shared result.
  const fixed = empty();
  const emptyResult: Cell<unknown> | null = typeof fixed === 'object' && fixed !== null ? null : { ok: true, value: fixed };
  return {
    field: spec.field,
    header,
    spec,
    empty,
    read(v) {
      if (isEmpty(v)) return required ? { ok: false, code: 'MISSING_VALUE', message: `${header} is required` } : (emptyResult ?? { ok: true, value: empty() });
      const r = convert(v!);
      if (!r.ok) return { ok: false, code: r.code, message: `${header} ${r.message}` };
      return r.note ? { ok: true, value: r.value, note: { ...r.note, message: `${header} ${r.note.message}` } } : r;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Rules within one row, once every cell is good (cross-tab rules are crosscheck.ts)

export interface RowEnv {
  error(field: string, code: string, message: string): void;
  note(field: string, severity: 'warning' | 'notice', code: string, message: string): void;
  /** The first of these fields whose column the sheet has (else the last): where a clerk fixes it. */
  pick(...fields: string[]): string;
  ctx: CellContext;
}

/** The row as its field readers give it, before finishRow (Days and Discounts.Value are still pairs). */
type Cells = Record<string, unknown>;
type RowRule = (r: Cells, env: RowEnv) => void;

const MAX_RANGE = 1_000_000;

const ROW_RULES: Partial<Record<DataTab, RowRule>> = {
  customers(r, env) {
    if (r.status === 'Archived' && r.archivedDate === null) {
      env.note(env.pick('archivedDate', 'status'), 'warning', 'ARCHIVED_NO_DATE', `${r.account} is Archived but has no ArchivedDate`);
    }
    if (r.paymentMethod === 'DirectDebit' && r.email === '') {
      env.note(env.pick('email', 'paymentMethod'), 'warning', 'DIRECT_DEBIT_NO_EMAIL', `${r.account} pays by Direct Debit but has no Email`);
    }
    const email = r.email as string;
    const badEmail = email === '' ? null : emailProblem('Email', email);
    if (badEmail) env.note('email', 'warning', 'EMAIL_INVALID', badEmail);
    const vat = r.vatNumber as string;
    const badVat = vat === '' ? null : ukVatProblem('VatNumber', vat);
    if (badVat) env.note('vatNumber', 'warning', 'VAT_NUMBER_INVALID', badVat);
  },
  numbers(r, env) {
    const number = r.number as string;
    const end = r.rangeEnd as string;
    if (end !== '') {
      if (end.length !== number.length) env.error('rangeEnd', 'RANGE_LENGTH', `RangeEnd ${end} must have as many digits as Number ${number}`);
      else if (end < number) env.error('rangeEnd', 'RANGE_ORDER', `RangeEnd ${end} is before Number ${number}`);
      else {
        const size = BigInt(end) - BigInt(number) + 1n;
        if (size > BigInt(MAX_RANGE)) {
          env.error('rangeEnd', 'RANGE_TOO_LARGE', `the range ${number}-${end} holds ${size.toLocaleString('en-GB')} numbers; at most 1,000,000`);
        }
      }
    }
    if (r.status === 'Dropped' && r.droppedDate === null) {
      env.note(env.pick('droppedDate', 'status'), 'warning', 'DROPPED_NO_DATE', `${number} is Dropped but has no DroppedDate`);
    }
    const sold = r.dateSold as number;
    if (r.droppedDate !== null && (r.droppedDate as number) < sold) {
      env.error('droppedDate', 'DROPPED_BEFORE_SOLD', `DroppedDate ${formatDay(r.droppedDate as number)} is before DateSold ${formatDay(sold)}`);
    }
    if (r.callsStartDate !== null && (r.callsStartDate as number) < sold) {
      env.note('callsStartDate', 'warning', 'CALLS_BEFORE_SOLD', `CallsStartDate ${formatDay(r.callsStartDate as number)} is before DateSold ${formatDay(sold)}`);
    }
  },
  destinations(r, env) {
    const { nationalPrefix, countryCode } = env.ctx.plan;
    const prefix = r.prefix as string;
    if (nationalPrefix !== '' && prefix.startsWith(nationalPrefix)) {
      env.note(
        'prefix',
        'warning',
        'PREFIX_NATIONAL_FORM',
        `Prefix ${prefix} starts with the NationalPrefix ${nationalPrefix}; write it country code first (${countryCode}${prefix.slice(nationalPrefix.length)})`,
      );
    }
  },
  rates(r, env) {
    if (r.effectiveFrom !== null && r.effectiveTo !== null && (r.effectiveTo as number) <= (r.effectiveFrom as number)) {
      env.error(
        'effectiveTo',
        'EFFECTIVE_ORDER',
        `EffectiveTo ${formatDay(r.effectiveTo as number)} must be after EffectiveFrom ${formatDay(r.effectiveFrom as number)} (EffectiveTo is the first day the price no longer applies)`,
      );
    }
    if (r.minimumCharge !== null && r.maximumCharge !== null && (r.maximumCharge as number) < (r.minimumCharge as number)) {
      env.error('maximumCharge', 'MAX_BELOW_MIN', `MaximumCharge ${formatScaled(r.maximumCharge as number)} is less than MinimumCharge ${formatScaled(r.minimumCharge as number)}`);
    }
  },
  timeBands(r, env) {
    // To 00:00 is the end of the day (see FINISH), so 00:00 to 00:00 is the whole day.
    if (r.from === 1440) env.error('from', 'OUT_OF_RANGE', 'From must be a time from 00:00 to 23:59 (got "24:00")');
    else if (r.from === (r.to === 0 ? 1440 : r.to)) {
      env.error('to', 'EMPTY_TIMEBAND', 'From and To are the same time; for the whole day write From 00:00 and To 24:00');
    }
  },
  features(r, env) {
    if (r.endDate !== null && (r.endDate as number) < (r.startDate as number)) {
      env.error('endDate', 'END_BEFORE_START', `EndDate ${formatDay(r.endDate as number)} is before StartDate ${formatDay(r.startDate as number)}`);
    }
  },
  discounts(r, env) {
    const v = r.value as { value: number; percent: boolean };
    if (r.kind === 'Percentage') {
      if (v.value > 100 * PCT) env.error('value', 'OUT_OF_RANGE', `Value of a Percentage discount must be from 0 to 100 (got "${formatScaled(v.value)}")`);
      else if (!v.percent && v.value > 0 && v.value < PCT) {
        const note = percentBelowOne(formatScaled(v.value), v.value);
        env.note('value', note.severity, note.code, `Value ${note.message}`);
      }
    } else if (v.percent) {
      env.error('value', 'INVALID_CELL', `Value of an InclusiveMinutes discount is minutes, not a percentage (got "${formatScaled(v.value)}%")`);
    }
  },
};

/** Row-level shaping after the rules: Days fill two fields, To 00:00 is the end of the day, `All` classes are ''. */
const FINISH: Partial<Record<DataTab, (r: Cells) => Cells>> = {
  timeBands(r) {
    const d = r.days as DaysValue;
    r.days = d.days;
    r.holiday = d.holiday;
    // From > To wraps past midnight, so To 00:00 ends the day: the 1..1440 of TimeBandRow.to.
    if (r.to === 0) r.to = 1440;
    return r;
  },
  discounts(r) {
    r.value = (r.value as { value: number }).value;
    return r;
  },
  tariffAssignments(r) {
    if (r.callClass === 'All') r.callClass = '';
    return r;
  },
};

/** One tab compiled for one workbook: its field readers, its row rules and the finishing step. */
export interface CompiledTab<K extends DataTab> {
  tab: K;
  fields: FieldReader[];
  /** Runs the row rules on good cells; errors and notes go to env. */
  check(cells: Cells, env: RowEnv): void;
  /** The typed row (mutates and returns `cells`). */
  finish(cells: Cells): TypedRow<K>;
}

export function compileTab<K extends DataTab>(tab: K, ctx: CellContext): CompiledTab<K> {
  const rule = ROW_RULES[tab];
  const finish = FINISH[tab];
  return {
    tab,
    fields: TAB_COLUMNS[tab].map((spec) => fieldReader(tab, spec, ctx)),
    check: rule ?? (() => {}),
    finish: (finish ?? ((r: Cells) => r)) as (r: Cells) => TypedRow<K>,
  };
}

const allPresent = (): boolean => true;

/**
 * The zod schema of one data tab for one workbook (the context carries its number plan and date
 * system): raw row in, typed row out. `present` says which columns the sheet has, so a row rule
 * names a cell that exists (an Archived customer with no ArchivedDate column: the Status cell).
 */
export function tabSchema<K extends DataTab>(
  tab: K,
  ctx: CellContext,
  sink: NoteSink = () => {},
  present: (field: string) => boolean = allPresent,
  compiled: CompiledTab<K> = compileTab(tab, ctx),
): z.ZodType<TypedRow<K>, RawRowInput> {
  const shape: Record<string, z.ZodType<unknown, RawValue | undefined>> = {};
  for (const f of compiled.fields) {
    shape[f.field] = z.custom<RawValue>().optional().transform((v, zctx) => {
      const r = f.read(v);
      if (!r.ok) {
        zctx.addIssue({ code: 'custom', message: r.message, params: { code: r.code } });
        return z.NEVER;
      }
      if (r.note) sink({ field: f.field, ...r.note });
      return r.value;
    });
  }
  return z.object(shape).transform((cells, zctx) => {
    let failed = false;
    compiled.check(cells, {
      ctx,
      error(field, code, message) {
        failed = true;
        zctx.addIssue({ code: 'custom', path: [field], message, params: { code } });
      },
      note: (field, severity, code, message) => sink({ field, severity, code, message }),
      pick: (...fields) => fields.find(present) ?? fields[fields.length - 1],
    });
    return failed ? z.NEVER : compiled.finish(cells);
  }) as unknown as z.ZodType<TypedRow<K>, RawRowInput>;
}

/** Every data tab's schema for one workbook. */
export function tabSchemas(ctx: CellContext, sink: NoteSink = () => {}): { [K in DataTab]: z.ZodType<TypedRow<K>, RawRowInput> } {
  return {
    customers: tabSchema('customers', ctx, sink),
    numbers: tabSchema('numbers', ctx, sink),
    destinations: tabSchema('destinations', ctx, sink),
    tariffs: tabSchema('tariffs', ctx, sink),
    rates: tabSchema('rates', ctx, sink),
    tariffAssignments: tabSchema('tariffAssignments', ctx, sink),
    timeBands: tabSchema('timeBands', ctx, sink),
    holidays: tabSchema('holidays', ctx, sink),
    features: tabSchema('features', ctx, sink),
    discounts: tabSchema('discounts', ctx, sink),
    cdrFormats: tabSchema('cdrFormats', ctx, sink),
  };
}

// ---------------------------------------------------------------------------------------------
// Settings: one field per key, its Value cell in; the Settings object out

export type SettingKey = (typeof SETTINGS_DEFAULTS)[number]['key'];
/** Each key's Value cell; absent = the key is not in the tab, EMPTY = its Value is empty. */
export type SettingsInput = Partial<Record<string, RawValue>>;

const SETTING_DEFAULT = new Map(SETTINGS_DEFAULTS.map((s) => [s.key, s.value]));
const settingDefault = (key: string): string => SETTING_DEFAULT.get(key) ?? '';

type SettingRead = (v: RawValue | undefined) => Cell<unknown>;
const settingOk = <T>(value: T): Cell<T> => ({ ok: true, value });
const settingBad = (code: string, message: string): Cell<never> => ({ ok: false, code: code as 'INVALID_CELL', message });

/** A converter's problem as a Settings problem (`ChargeDecimals must be a whole number from 0 to 6 (got "7")`). */
function settingFrom<T>(key: string, r: Cell<T>): Cell<T> {
  if (r.ok) return r.note ? { ok: true, value: r.value, note: { ...r.note, message: `${key} ${r.note.message}` } } : r;
  return settingBad(r.code === 'ERROR_CELL' ? 'ERROR_CELL' : 'SETTING_INVALID', `${key} ${r.message}`);
}

function textSetting(key: string): SettingRead {
  return (v) => (isEmpty(v) ? settingOk(settingDefault(key)) : settingFrom(key, toText(v!)));
}

/** CountryCode and the prefixes: digits in a text cell; a number cell has lost its leading zeros. */
function digitsSetting(key: string, emptyTurnsOff: boolean): SettingRead {
  return (v) => {
    if (v === undefined) return settingOk(settingDefault(key));
    if (isEmpty(v)) return settingOk(emptyTurnsOff ? '' : settingDefault(key));
    if (v.kind === 'error') return settingBad('ERROR_CELL', `${key} is an error cell (${v.text})`);
    if (v.kind !== 'text') {
      return settingBad(
        'SETTING_NOT_TEXT',
        `${key} must be a text cell, not a number (a number drops leading zeros: 00 becomes 0); type it as '${rawText(v)} or format the cell as Text`,
      );
    }
    const t = v.text.trim();
    if (!/^\d+$/.test(t)) return settingBad('SETTING_INVALID', `${key} must be digits only (got "${t}")`);
    return settingOk(t);
  };
}

function intSetting(key: string, min: number, max?: number): SettingRead {
  return (v) => (isEmpty(v) ? settingOk(Number(settingDefault(key))) : settingFrom(key, toInt(v!, min, max)));
}

function enumSetting<T extends string>(key: string, values: readonly T[]): SettingRead {
  const read = enumReader(values);
  return (v) => (isEmpty(v) ? settingOk(settingDefault(key) as T) : settingFrom(key, read(v!)));
}

const SETTING_READERS: Record<SettingKey, SettingRead> = {
  Currency: textSetting('Currency'),
  CountryCode: digitsSetting('CountryCode', false),
  NationalPrefix: digitsSetting('NationalPrefix', true),
  InternationalPrefix: digitsSetting('InternationalPrefix', true),
  Timezone: (v) => {
    if (isEmpty(v)) return settingOk(settingDefault('Timezone'));
    const t = settingFrom('Timezone', toText(v!));
    if (!t.ok) return t;
    return isValidZone(t.value) ? t : settingBad('SETTING_INVALID', `Timezone must be an IANA zone such as Europe/London (got "${t.value}")`);
  },
  ChargeDecimals: intSetting('ChargeDecimals', 0, 6),
  Rounding: enumSetting('Rounding', ROUNDINGS),
  BandSplit: enumSetting('BandSplit', ['Start', 'Split'] as const),
  TaxRate: (v) => (isEmpty(v) ? settingOk(Number(settingDefault('TaxRate')) * PCT) : settingFrom('TaxRate', toPercent(v!, { min: 0, max: 100 * PCT }))),
  InvoicePrefix: textSetting('InvoicePrefix'),
  FraudMaxCallsPerMinute: intSetting('FraudMaxCallsPerMinute', 0),
  FraudShortCallSeconds: intSetting('FraudShortCallSeconds', 0),
  FraudShortCallsPerDay: intSetting('FraudShortCallsPerDay', 0),
  BillableDispositions: (v) => {
    const t = isEmpty(v) ? settingOk(settingDefault('BillableDispositions')) : settingFrom('BillableDispositions', toText(v!));
    if (!t.ok) return t;
    const list = t.value
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter((s) => s !== '');
    return settingOk(list);
  },
  ShortCodeDigits: intSetting('ShortCodeDigits', 0),
  SupplierName: textSetting('SupplierName'),
  SupplierAddress: textSetting('SupplierAddress'),
  SupplierVatNumber: textSetting('SupplierVatNumber'),
  SupplierCompanyNumber: textSetting('SupplierCompanyNumber'),
};

const SUPPLIER_KEYS = ['SupplierName', 'SupplierAddress', 'SupplierVatNumber', 'SupplierCompanyNumber'] as const;

/** Reads one setting's Value cell (undefined when the key is absent): its value or what is wrong. */
export const readSetting = (key: SettingKey, v: RawValue | undefined): Cell<unknown> => SETTING_READERS[key](v);

/**
 * The Settings schema: each key's Value cell in (absent keys and empty values take the defaults),
 * the Settings object out. Issue paths are keys; blank Supplier* details are warnings in the sink.
 */
export function settingsSchema(sink: NoteSink = () => {}): z.ZodType<Settings, SettingsInput> {
  const shape: Record<string, z.ZodType<unknown, RawValue | undefined>> = {};
  for (const { key } of SETTINGS_DEFAULTS) {
    const read = SETTING_READERS[key as SettingKey];
    shape[key] = z.custom<RawValue>().optional().transform((v, zctx) => {
      const r = read(v);
      if (!r.ok) {
        zctx.addIssue({ code: 'custom', message: r.message, params: { code: r.code } });
        return z.NEVER;
      }
      if (r.note) sink({ field: key, ...r.note });
      return r.value;
    });
  }
  return z.object(shape).transform((s): Settings => {
    for (const key of SUPPLIER_KEYS) {
      if (s[key] === '') sink({ field: key, severity: 'warning', code: 'SUPPLIER_BLANK', message: `${key} is blank: a UK VAT invoice needs it` });
    }
    const badVat = s.SupplierVatNumber === '' ? null : ukVatProblem('SupplierVatNumber', s.SupplierVatNumber as string);
    if (badVat) sink({ field: 'SupplierVatNumber', severity: 'warning', code: 'VAT_NUMBER_INVALID', message: badVat });
    return {
      currency: s.Currency as string,
      countryCode: s.CountryCode as string,
      nationalPrefix: s.NationalPrefix as string,
      internationalPrefix: s.InternationalPrefix as string,
      timezone: s.Timezone as string,
      chargeDecimals: s.ChargeDecimals as number,
      rounding: s.Rounding as Rounding,
      bandSplit: s.BandSplit as BandSplit,
      taxRate: s.TaxRate as number,
      invoicePrefix: s.InvoicePrefix as string,
      fraudMaxCallsPerMinute: s.FraudMaxCallsPerMinute as number,
      fraudShortCallSeconds: s.FraudShortCallSeconds as number,
      fraudShortCallsPerDay: s.FraudShortCallsPerDay as number,
      billableDispositions: s.BillableDispositions as string[],
      shortCodeDigits: s.ShortCodeDigits as number,
      supplierName: s.SupplierName as string,
      supplierAddress: s.SupplierAddress as string,
      supplierVatNumber: s.SupplierVatNumber as string,
      supplierCompanyNumber: s.SupplierCompanyNumber as string,
    };
  }) as unknown as z.ZodType<Settings, SettingsInput>;
}

/** Settings with every default: what a workbook without a Settings tab uses. */
export function defaultSettings(): Settings {
  const r = settingsSchema().safeParse({});
  if (!r.success) throw new Error('the Settings defaults do not parse'); // impossible: a test proves they do
  return r.data;
}
