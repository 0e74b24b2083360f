// RawWorkbook -> SheetRows and every cell-level problem, in one pass (SPEC §1). Settings first,
// since phone numbers need CountryCode and the prefixes. Never throws: a bad row is left out of
// the rows and its problems are in the issues.

import { TAB_COLUMNS, SETTINGS_DEFAULTS, headerKey, type TabKey } from './columns.js';
import { isEmpty, toInt, toPercent, toEnum, type CellContext } from './cells.js';
import { cellAddress, columnLetter, rawText, EMPTY, type RawSheet, type RawValue, type RawWorkbook } from './raw.js';
import { issue, type Issue } from './result.js';
import { ROUNDINGS, TAB_NAMES, type Settings, type SheetRows } from './rows.js';
import { convertField, finishRow, tabSchema, type DataTab, type RowOf } from './schema.js';
import { isValidZone } from './zone.js';

/** Where each field's column really is, per tab, so later checks name the right cell. */
export type ColumnPositions = Partial<Record<TabKey, Record<string, number>>>;

export interface ParsedWorkbook {
  rows: SheetRows;
  issues: Issue[];
  positions: ColumnPositions;
}

const TAB_BY_KEY = new Map<string, TabKey>((Object.entries(TAB_NAMES) as [TabKey, string][]).map(([k, name]) => [headerKey(name), k]));

export function parseWorkbook(wb: RawWorkbook): ParsedWorkbook {
  const issues: Issue[] = [];
  const sheets = new Map<TabKey, RawSheet>();
  for (const sheet of wb.sheets) {
    const key = TAB_BY_KEY.get(headerKey(sheet.name));
    if (!key) {
      issues.push(issue('notice', 'UNKNOWN_TAB', `tab "${sheet.name}"${sheet.hidden ? ' (hidden)' : ''} is not one Ratebook reads; it is ignored`, sheet.name));
      continue;
    }
    if (sheets.has(key)) {
      issues.push(issue('error', 'DUPLICATE_TAB', `two tabs are named like ${TAB_NAMES[key]}: "${sheets.get(key)!.name}" and "${sheet.name}"`, sheet.name));
      continue;
    }
    sheets.set(key, sheet);
  }
  for (const required of ['customers', 'numbers'] as const) {
    if (!sheets.has(required)) issues.push(issue('error', 'MISSING_TAB', `the workbook has no ${TAB_NAMES[required]} tab`, TAB_NAMES[required]));
  }
  const settings = parseSettings(sheets.get('settings'), issues);
  const ctx: CellContext = {
    plan: { countryCode: settings.countryCode, nationalPrefix: settings.nationalPrefix, internationalPrefix: settings.internationalPrefix, shortCodeDigits: settings.shortCodeDigits },
    date1904: wb.date1904,
  };
  const positions: ColumnPositions = {};
  const tab = <K extends DataTab>(key: K): RowOf[K][] => parseTab(key, sheets.get(key), ctx, issues, positions);
  const rows: SheetRows = {
    settings,
    customers: tab('customers'),
    numbers: tab('numbers'),
    destinations: tab('destinations'),
    tariffs: tab('tariffs'),
    rates: tab('rates'),
    tariffAssignments: tab('tariffAssignments'),
    timeBands: tab('timeBands'),
    holidays: tab('holidays'),
    features: tab('features'),
    discounts: tab('discounts'),
    cdrFormats: tab('cdrFormats'),
  };
  checkRows(rows, settings, issues, positions);
  return { rows, issues, positions };
}

// ---------------------------------------------------------------------------------------------
// Settings

const defaultsOf = (): Record<string, string> => Object.fromEntries(SETTINGS_DEFAULTS.map((s) => [s.key, s.value]));
const SETTING_KEYS = new Map(SETTINGS_DEFAULTS.map((s) => [headerKey(s.key), s.key]));

function parseSettings(sheet: RawSheet | undefined, issues: Issue[]): Settings {
  const values = new Map<string, { v: RawValue; at: string }>();
  if (sheet) {
    const header = sheet.rows.find((r) => r.row === 1);
    const cols = header ? header.cells.map((c) => headerKey(rawText(c))) : [];
    const keyCol = cols.indexOf('key') >= 0 ? cols.indexOf('key') : 0;
    const valueCol = cols.indexOf('value') >= 0 ? cols.indexOf('value') : 1;
    for (const r of sheet.rows) {
      if (r.row === 1) continue;
      const k = r.cells[keyCol] ?? EMPTY;
      const v = r.cells[valueCol] ?? EMPTY;
      if (isEmpty(k) && isEmpty(v)) continue;
      const at = cellAddress('Settings', valueCol, r.row);
      const name = SETTING_KEYS.get(headerKey(rawText(k)));
      if (!name) {
        issues.push(issue('warning', 'UNKNOWN_SETTING', `setting "${rawText(k)}" is not one Ratebook knows; it is ignored`, cellAddress('Settings', keyCol, r.row)));
        continue;
      }
      if (values.has(name)) {
        issues.push(issue('error', 'DUPLICATE_SETTING', `${name} is set twice (also at ${values.get(name)!.at})`, cellAddress('Settings', keyCol, r.row)));
        continue;
      }
      values.set(name, { v, at });
    }
  }
  const d = defaultsOf();
  const text = (key: string): string => {
    const e = values.get(key);
    if (!e || isEmpty(e.v)) return d[key];
    if (e.v.kind === 'error') {
      issues.push(issue('error', 'ERROR_CELL', `${key} is an error cell (${e.v.text})`, e.at));
      return d[key];
    }
    return rawText(e.v).trim();
  };
  /** CountryCode and the prefixes must be text: a number cell has lost its leading zeros. */
  const digitsSetting = (key: string, emptyTurnsOff: boolean): string => {
    const e = values.get(key);
    if (!e) return d[key];
    if (isEmpty(e.v)) return emptyTurnsOff ? '' : d[key];
    if (e.v.kind !== 'text') {
      issues.push(issue('error', 'SETTING_NOT_TEXT', `${key} must be text, not a number cell (a number loses leading zeros: "00" becomes 0); type it as '${rawText(e.v)} or format the cell as Text`, e.at));
      return d[key];
    }
    const t = e.v.text.trim();
    if (!/^\d+$/.test(t)) {
      issues.push(issue('error', 'SETTING_INVALID', `${key} must be digits (got "${t}")`, e.at));
      return d[key];
    }
    return t;
  };
  const int = (key: string, min: number, max: number): number => {
    const e = values.get(key);
    if (!e || isEmpty(e.v)) return Number(d[key]);
    const r = toInt(e.v);
    if (!r.ok || r.value < min || r.value > max) {
      issues.push(issue('error', 'SETTING_INVALID', `${key} must be a whole number from ${min} to ${max} (got "${rawText(e.v)}")`, e.at));
      return Number(d[key]);
    }
    return r.value;
  };
  const choice = <T extends string>(key: string, options: readonly T[]): T => {
    const e = values.get(key);
    if (!e || isEmpty(e.v)) return d[key] as T;
    const r = toEnum(e.v, options);
    if (!r.ok) {
      issues.push(issue('error', 'SETTING_INVALID', `${key} ${r.message}`, e.at));
      return d[key] as T;
    }
    return r.value;
  };
  const taxRate = ((): number => {
    const e = values.get('TaxRate');
    if (!e || isEmpty(e.v)) return 20_000_000;
    const r = toPercent(e.v, 'TaxRate');
    if (!r.ok) {
      issues.push(issue('error', 'SETTING_INVALID', `TaxRate ${r.message}`, e.at));
      return 20_000_000;
    }
    if (r.note) issues.push(issue(r.note.severity, r.note.code, r.note.message, e.at));
    return r.value;
  })();
  let timezone = text('Timezone');
  if (!isValidZone(timezone)) {
    issues.push(issue('error', 'SETTING_INVALID', `Timezone must be an IANA zone such as Europe/London (got "${timezone}")`, values.get('Timezone')?.at ?? 'Settings'));
    timezone = d.Timezone;
  }
  const settings: Settings = {
    currency: text('Currency'),
    countryCode: digitsSetting('CountryCode', false),
    nationalPrefix: digitsSetting('NationalPrefix', true),
    internationalPrefix: digitsSetting('InternationalPrefix', true),
    timezone,
    chargeDecimals: int('ChargeDecimals', 0, 6),
    rounding: choice('Rounding', ROUNDINGS),
    bandSplit: choice('BandSplit', ['Start', 'Split'] as const),
    taxRate,
    invoicePrefix: text('InvoicePrefix'),
    fraudMaxCallsPerMinute: int('FraudMaxCallsPerMinute', 0, 1_000_000),
    fraudShortCallSeconds: int('FraudShortCallSeconds', 0, 86_400),
    fraudShortCallsPerDay: int('FraudShortCallsPerDay', 0, 10_000_000),
    billableDispositions: text('BillableDispositions').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean),
    shortCodeDigits: int('ShortCodeDigits', 0, 15),
    supplierName: text('SupplierName'),
    supplierAddress: text('SupplierAddress'),
    supplierVatNumber: text('SupplierVatNumber'),
    supplierCompanyNumber: text('SupplierCompanyNumber'),
  };
  for (const key of ['SupplierName', 'SupplierAddress', 'SupplierVatNumber', 'SupplierCompanyNumber']) {
    if (text(key) === '') issues.push(issue('warning', 'SUPPLIER_BLANK', `${key} is blank: a UK VAT invoice needs it`, values.get(key)?.at ?? 'Settings'));
  }
  return settings;
}

// ---------------------------------------------------------------------------------------------
// Data tabs

function parseTab<K extends DataTab>(key: K, sheet: RawSheet | undefined, ctx: CellContext, issues: Issue[], positions: ColumnPositions): RowOf[K][] {
  const out: RowOf[K][] = [];
  if (!sheet) return out;
  const tabName = TAB_NAMES[key];
  const header = sheet.rows.find((r) => r.row === 1);
  if (!header) {
    if (sheet.rows.length > 0) issues.push(issue('error', 'MISSING_HEADER', `${tabName} has no header in row 1`, `${tabName}!A1`));
    return out;
  }
  const specs = TAB_COLUMNS[key];
  const fieldCol = new Map<string, number>();
  const extraCols: { col: number; header: string }[] = [];
  header.cells.forEach((c, col) => {
    if (isEmpty(c)) return;
    const h = rawText(c).trim();
    const spec = specs.find((s) => headerKey(s.header) === headerKey(h));
    if (!spec) {
      extraCols.push({ col, header: h });
      return;
    }
    if (fieldCol.has(spec.field)) {
      issues.push(issue('error', 'DUPLICATE_HEADER', `${spec.header} appears twice in the header (also column ${columnLetter(fieldCol.get(spec.field)!)})`, cellAddress(tabName, col, 1)));
      return;
    }
    fieldCol.set(spec.field, col);
  });
  positions[key] = Object.fromEntries(fieldCol);
  const missing = specs.filter((s) => s.required && !fieldCol.has(s.field));
  for (const s of missing) issues.push(issue('error', 'MISSING_COLUMN', `${tabName} has no ${s.header} column (required)`, `${tabName}!1:1`));
  if (extraCols.length > 0) {
    issues.push(issue('notice', 'UNKNOWN_COLUMN', `${tabName}: column${extraCols.length > 1 ? 's' : ''} ${extraCols.map((e) => `"${e.header}"`).join(', ')} kept as custom attributes`, cellAddress(tabName, extraCols[0].col, 1)));
  }
  if (missing.length > 0) return out;

  const fields = [...fieldCol.entries()];
  let notes: { field: string; severity: 'warning' | 'notice'; code: string; message: string }[] = [];
  const schema = tabSchema(key, ctx, (field, note) => notes.push({ field, ...note }));
  const addressOf = (row: number, field: string): string => cellAddress(tabName, fieldCol.get(field) ?? 0, row);
  for (const r of sheet.rows) {
    if (r.row === 1) continue;
    if (r.cells.every((c) => isEmpty(c))) continue;
    // Every field gets a cell, EMPTY for columns the tab leaves out.
    const input: Record<string, RawValue> = {};
    for (const spec of specs) input[spec.field] = EMPTY;
    for (const [field, col] of fields) input[field] = r.cells[col] ?? EMPTY;
    // Fast path: the schema's own field converters, cell by cell; a row with any problem goes
    // through the zod schema, which reports every problem of the row with its field.
    let data: Record<string, unknown> | null = {};
    notes = [];
    for (const spec of specs) {
      const c = convertField(key, spec, input[spec.field], ctx);
      if (!c.ok) {
        data = null;
        break;
      }
      if (c.note) notes.push({ field: spec.field, ...c.note });
      data[spec.field] = c.value;
    }
    if (data === null) {
      notes = [];
      const parsed = schema.safeParse(input);
      for (const n of notes) issues.push(issue(n.severity, n.code, n.message, addressOf(r.row, n.field)));
      if (!parsed.success) {
        for (const zi of parsed.error.issues) issues.push(issue('error', 'INVALID_CELL', zi.message, addressOf(r.row, String(zi.path[0] ?? ''))));
        continue;
      }
      data = parsed.data as Record<string, unknown>;
    } else {
      for (const n of notes) issues.push(issue(n.severity, n.code, n.message, addressOf(r.row, n.field)));
      data = finishRow(key, data);
    }
    const row = { ...data, row: r.row } as unknown as RowOf[K];
    if (extraCols.length > 0) {
      const extra: Record<string, string> = {};
      for (const e of extraCols) {
        const c = r.cells[e.col];
        if (c && !isEmpty(c)) extra[e.header] = rawText(c);
      }
      if (Object.keys(extra).length > 0) row.extra = extra;
    }
    out.push(row);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checks within one row (cross-tab checks are crosscheck.ts)

/** The address of a field's cell: its real column, else where the template puts it. */
export function fieldAddress(positions: ColumnPositions, tab: TabKey, field: string, row: number): string {
  const col = positions[tab]?.[field] ?? TAB_COLUMNS[tab].findIndex((c) => c.field === field);
  return cellAddress(TAB_NAMES[tab], Math.max(col, 0), row);
}

function checkRows(rows: SheetRows, settings: Settings, issues: Issue[], positions: ColumnPositions): void {
  const at = (tab: TabKey, field: string, row: number): string => fieldAddress(positions, tab, field, row);
  const err = (tab: TabKey, field: string, row: number, code: string, message: string): void => void issues.push(issue('error', code, message, at(tab, field, row)));
  const warn = (tab: TabKey, field: string, row: number, code: string, message: string): void => void issues.push(issue('warning', code, message, at(tab, field, row)));

  for (const c of rows.customers) {
    if (c.status === 'Archived' && c.archivedDate === null) warn('customers', 'archivedDate', c.row, 'ARCHIVED_NO_DATE', `${c.account} is Archived but has no ArchivedDate`);
    if (c.paymentMethod === 'DirectDebit' && c.email === '') warn('customers', 'email', c.row, 'DIRECT_DEBIT_NO_EMAIL', `${c.account} pays by Direct Debit but has no Email`);
    if (c.paymentTermsDays !== null && c.paymentTermsDays < 0) err('customers', 'paymentTermsDays', c.row, 'INVALID_CELL', `PaymentTermsDays must be 0 or more (got ${c.paymentTermsDays})`);
  }
  rows.numbers = rows.numbers.filter((n) => {
    if (n.status === 'Dropped' && n.droppedDate === null) warn('numbers', 'droppedDate', n.row, 'DROPPED_NO_DATE', `${n.number} is Dropped but has no DroppedDate`);
    if (n.rangeEnd === '') return true;
    if (n.rangeEnd.length !== n.number.length) {
      err('numbers', 'rangeEnd', n.row, 'RANGE_LENGTH', `RangeEnd ${n.rangeEnd} must have as many digits as Number ${n.number}`);
      return false;
    }
    if (n.rangeEnd < n.number) {
      err('numbers', 'rangeEnd', n.row, 'RANGE_ORDER', `RangeEnd ${n.rangeEnd} is before Number ${n.number}`);
      return false;
    }
    const size = Number(n.rangeEnd) - Number(n.number) + 1;
    if (n.number.length > 15 || size > 1_000_000) {
      err('numbers', 'rangeEnd', n.row, 'RANGE_TOO_LARGE', `the range ${n.number}–${n.rangeEnd} holds ${size.toLocaleString('en-GB')} numbers; at most 1,000,000`);
      return false;
    }
    return true;
  });
  for (const n of rows.numbers) {
    if (n.callsStartDate !== null && n.callsStartDate < n.dateSold) warn('numbers', 'callsStartDate', n.row, 'CALLS_BEFORE_SOLD', `CallsStartDate is before DateSold for ${n.number}`);
    if (n.droppedDate !== null && n.droppedDate < (n.callsStartDate ?? n.dateSold)) err('numbers', 'droppedDate', n.row, 'DROPPED_BEFORE_START', `DroppedDate is before the number's first day for ${n.number}`);
  }
  for (const d of rows.destinations) {
    if (settings.nationalPrefix !== '' && d.prefix.startsWith(settings.nationalPrefix)) {
      warn('destinations', 'prefix', d.row, 'PREFIX_NATIONAL_FORM', `Prefix ${d.prefix} starts with the NationalPrefix ${settings.nationalPrefix}; write it country code first (${settings.countryCode}${d.prefix.slice(settings.nationalPrefix.length)})`);
    }
  }
  for (const t of rows.tariffs) {
    if (t.chargeDecimals !== null && (t.chargeDecimals < 0 || t.chargeDecimals > 6)) err('tariffs', 'chargeDecimals', t.row, 'INVALID_CELL', `ChargeDecimals must be from 0 to 6 (got ${t.chargeDecimals})`);
  }
  rows.tariffs = rows.tariffs.filter((t) => t.chargeDecimals === null || (t.chargeDecimals >= 0 && t.chargeDecimals <= 6));
  rows.rates = rows.rates.filter((r) => {
    let good = true;
    const money: [keyof typeof r, string][] = [['perMinute', 'PerMinute'], ['connectionFee', 'ConnectionFee'], ['minimumCharge', 'MinimumCharge'], ['maximumCharge', 'MaximumCharge']];
    for (const [field, header] of money) {
      const v = r[field] as number | null;
      if (v !== null && v < 0) {
        err('rates', field, r.row, 'NEGATIVE_AMOUNT', `${header} must be a number >= 0 (got ${v / 1_000_000})`);
        good = false;
      }
    }
    if (r.incrementSeconds !== null && r.incrementSeconds < 1) (err('rates', 'incrementSeconds', r.row, 'INVALID_CELL', `IncrementSeconds must be 1 or more (got ${r.incrementSeconds})`), (good = false));
    if (r.initialSeconds !== null && r.initialSeconds < 1) (err('rates', 'initialSeconds', r.row, 'INVALID_CELL', `InitialSeconds must be 1 or more (got ${r.initialSeconds})`), (good = false));
    if (r.fromSecond < 0) (err('rates', 'fromSecond', r.row, 'INVALID_CELL', `FromSecond must be 0 or more (got ${r.fromSecond})`), (good = false));
    if (r.effectiveFrom !== null && r.effectiveTo !== null && r.effectiveTo <= r.effectiveFrom) {
      err('rates', 'effectiveTo', r.row, 'EFFECTIVE_ORDER', 'EffectiveTo must be after EffectiveFrom (EffectiveTo is the first day the price no longer applies)');
      good = false;
    }
    return good;
  });
  rows.features = rows.features.filter((f) => {
    if (f.quantity < 1) {
      err('features', 'quantity', f.row, 'INVALID_CELL', `Quantity must be 1 or more (got ${f.quantity})`);
      return false;
    }
    if (f.endDate !== null && f.endDate < f.startDate) {
      err('features', 'endDate', f.row, 'END_BEFORE_START', 'EndDate is before StartDate');
      return false;
    }
    return true;
  });
  rows.discounts = rows.discounts.filter((d) => {
    if (d.value < 0) {
      err('discounts', 'value', d.row, 'INVALID_CELL', `Value must be 0 or more (got ${d.value / 1_000_000})`);
      return false;
    }
    if (d.kind === 'Percentage' && d.value > 100_000_000) {
      err('discounts', 'value', d.row, 'INVALID_CELL', `a Percentage Value must be at most 100 (got ${d.value / 1_000_000})`);
      return false;
    }
    if (d.kind === 'Percentage' && d.value > 0 && d.value < 1_000_000) {
      warn('discounts', 'value', d.row, 'PERCENT_BELOW_ONE', `Value ${d.value / 1_000_000} means ${d.value / 1_000_000}%; if you meant ${d.value / 10_000}%, write ${d.value / 10_000}`);
    }
    return true;
  });
}
