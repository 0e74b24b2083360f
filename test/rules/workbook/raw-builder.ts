// RawWorkbooks for the core's tests, from plain arrays: strings are text cells, numbers number
// cells, Dates date cells; pct(0.2) is a percent-formatted cell, errorCell('#N/A') an error.

import { numberText, type RawSheet, type RawValue, type RawWorkbook } from '../../../rules/workbook/raw.js';
import { SETTINGS_DEFAULTS } from '../../../rules/workbook/columns.js';

export type Plain = string | number | boolean | Date | null | RawValue;

export const pct = (v: number): RawValue => ({ kind: 'number', value: v, text: numberText(v), percent: true });
export const errorCell = (text: string): RawValue => ({ kind: 'error', text });

function raw(v: Plain): RawValue {
  if (v === null || v === '') return { kind: 'empty' };
  if (typeof v === 'string') return { kind: 'text', text: v };
  if (typeof v === 'number') return { kind: 'number', value: v, text: numberText(v), percent: false };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (v instanceof Date) return { kind: 'date', y: v.getUTCFullYear(), m: v.getUTCMonth() + 1, d: v.getUTCDate(), hh: v.getUTCHours(), mi: v.getUTCMinutes(), ss: v.getUTCSeconds() };
  return v;
}

export function sheet(name: string, rows: Plain[][], hidden = false): RawSheet {
  return { name, hidden, rows: rows.map((r, i) => ({ row: i + 1, cells: r.map(raw) })) };
}

/** Settings with the supplier filled in (so tests see only the warnings they provoke). */
export const settingsSheet = (extra: [string, Plain][] = []): RawSheet =>
  sheet('Settings', [
    ['Key', 'Value'],
    ['SupplierName', 'S Ltd'],
    ['SupplierAddress', '1 Road'],
    ['SupplierVatNumber', 'GB123456789'],
    ['SupplierCompanyNumber', '1'],
    ...extra,
  ]);

export const customersSheet = (rows: Plain[][] = [['ACME', 'Acme', 'a@x.com', 'Business']]): RawSheet =>
  sheet('Customers', [['Account', 'Name', 'Email', 'Tariff'], ...rows]);

export const numbersSheet = (rows: Plain[][] = [['ACME', '020 7946 0000', '2025-01-01']]): RawSheet =>
  sheet('Numbers', [['Account', 'Number', 'DateSold'], ...rows]);

export const tariffsSheet = (): RawSheet => sheet('Tariffs', [['Tariff'], ['Business']]);

export function workbook(...sheets: RawSheet[]): RawWorkbook {
  const names = new Set(sheets.map((s) => s.name));
  const base = [settingsSheet(), customersSheet(), numbersSheet(), tariffsSheet()].filter((s) => !names.has(s.name));
  return { sheets: [...base, ...sheets], date1904: false };
}

export const defaultsCount = SETTINGS_DEFAULTS.length;
