// One zod schema per tab, built from the column contract (rules/columns.ts) so the two cannot
// drift: each takes a row of raw cells keyed by field and gives the typed row of rows.ts, with a
// zod issue per bad cell (its path is the field, which parse.ts turns into `Tab!Cell`).

import { z } from 'zod';
import { TAB_COLUMNS, type ColumnSpec, type TabKey } from './columns.js';
import {
  isEmpty,
  parseScaled,
  toAmount,
  toBool,
  toDate,
  toDays,
  toDigits,
  toEnum,
  toInt,
  toPercent,
  toPhone,
  toPhones,
  toText,
  toTime,
  type Cell,
  type CellContext,
  type CellNote,
} from './cells.js';
import { rawText, type RawValue } from './raw.js';
import type {
  CdrFormatRow,
  Customer,
  DestinationRow,
  DiscountRow,
  FeatureRow,
  HolidayRow,
  NumberRow,
  RateRow,
  TariffAssignmentRow,
  TariffRow,
  TimeBandRow,
} from './rows.js';

/** Values of empty optional cells (SPEC §1 defaults). */
const DEFAULTS: Partial<Record<TabKey, Record<string, unknown>>> = {
  customers: { accountType: 'Postpaid', status: 'Active', zeroInvoice: false },
  numbers: { status: 'Active', direction: 'Outbound' },
  rates: { fromSecond: 0 },
  features: { quantity: 1, interval: 'Monthly', prorate: true },
  discounts: { scope: 'Number' },
};

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

/** Where warnings and notices found while converting go (zod issues are for errors only). */
export type NoteSink = (field: string, note: CellNote) => void;

function convert(col: ColumnSpec, v: RawValue, ctx: CellContext): Cell<unknown> {
  switch (col.type) {
    case 'text':
    case 'expr':
      return toText(v);
    case 'phone':
      return toPhone(v, ctx, col.header);
    case 'phones':
      return toPhones(v, ctx, col.header);
    case 'digits':
      return toDigits(v);
    case 'date':
      return toDate(v, ctx);
    case 'bool':
      return toBool(v);
    case 'percent':
      return toPercent(v, col.header);
    case 'amount':
      return toAmount(v);
    case 'decimal':
      // A percent-formatted cell (a Percentage discount typed as 10%) counts in percent.
      if (v.kind === 'number' && v.percent) {
        const r = parseScaled(v.text, 8);
        return typeof r === 'number' ? { ok: true, value: r } : { ok: false, message: `must be a number (got "${rawText(v)}")` };
      }
      return toAmount(v);
    case 'int':
      return toInt(v);
    case 'enum': {
      const values = col.values ?? [];
      return toEnum(v, values);
    }
    case 'time':
      return toTime(v);
    case 'days':
      return toDays(v);
  }
}

function emptyValue(col: ColumnSpec, tab: TabKey): unknown {
  const d = DEFAULTS[tab]?.[col.field];
  if (d !== undefined) return d;
  switch (col.type) {
    case 'text':
    case 'expr':
    case 'phone':
    case 'digits':
      return '';
    case 'phones':
      return [];
    case 'enum':
      return col.field === 'callClass' && tab === 'tariffAssignments' ? '' : null;
    default:
      return null;
  }
}

/** One cell of a column: its typed value (or default), or what is wrong. Shared by the zod schema and the fast path. */
export function convertField(tab: TabKey, col: ColumnSpec, v: RawValue | undefined, ctx: CellContext): Cell<unknown> {
  if (v === undefined || isEmpty(v)) {
    return col.required ? { ok: false, message: `${col.header} is required` } : { ok: true, value: emptyValue(col, tab) };
  }
  const r = convert(col, v, ctx);
  if (!r.ok) return { ok: false, message: `${col.header} ${r.message}` };
  // TariffAssignments.CallClass `All` means every class, like a blank.
  if (col.field === 'callClass' && tab === 'tariffAssignments' && r.value === 'All') return { ok: true, value: '', note: r.note };
  return r;
}

/** Row-level shaping after the cells: Days fill two fields; CdrFormats fields are lower case. */
export function finishRow(tab: TabKey, r: Record<string, unknown>): Record<string, unknown> {
  if (tab === 'timeBands') {
    const d = r.days as { days: number[]; holiday: boolean };
    return { ...r, days: d.days, holiday: d.holiday };
  }
  if (tab === 'cdrFormats') return { ...r, field: String(r.field).toLowerCase() };
  return r;
}

function fieldSchema(tab: TabKey, col: ColumnSpec, ctx: CellContext, sink: NoteSink) {
  return z.custom<RawValue | undefined>().transform((v, zctx) => {
    const r = convertField(tab, col, v, ctx);
    if (!r.ok) {
      zctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    if (r.note) sink(col.field, r.note);
    return r.value;
  });
}

/** The zod schema of one data tab for one workbook (the context carries its number plan and date system). */
export function tabSchema<K extends DataTab>(tab: K, ctx: CellContext, sink: NoteSink): z.ZodType<Omit<RowOf[K], 'row' | 'extra'>> {
  const shape: Record<string, z.ZodType> = {};
  for (const col of TAB_COLUMNS[tab]) shape[col.field] = fieldSchema(tab, col, ctx, sink);
  return z.object(shape).transform((r) => finishRow(tab, r)) as unknown as z.ZodType<Omit<RowOf[K], 'row' | 'extra'>>;
}
