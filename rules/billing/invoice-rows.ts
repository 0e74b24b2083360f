// invoices.csv and invoice_lines.csv (SPEC §6) as tables: the same rows feed CSV, .xlsx and Sheets.

import { formatDay } from '../day.js';
import type { Invoice } from './invoice.js';
import { formatMicro } from '../money.js';
import type { Table } from '../tables.js';

const m2 = (v: number): string => formatMicro(v, 2);

export function invoicesTable(invoices: readonly Invoice[]): Table {
  return {
    name: 'invoices',
    columns: [
      { header: 'invoice', kind: 'text', width: 14 },
      { header: 'account', kind: 'text', width: 12 },
      { header: 'period_start', kind: 'date', width: 12 },
      { header: 'period_end', kind: 'date', width: 12 },
      ...['usage', 'recurring', 'oneoff', 'adjustments', 'discounts', 'net', 'tax', 'total'].map((h) => ({ header: h, kind: 'money' as const, decimals: 2, width: 11 })),
      { header: 'currency', kind: 'text', width: 8 },
    ],
    rows: invoices.map((i) => [
      i.invoice, i.account, formatDay(i.periodStart), formatDay(i.periodEnd),
      m2(i.usage), m2(i.recurring), m2(i.oneoff), m2(i.adjustments), m2(i.discounts), m2(i.net), m2(i.tax), m2(i.total),
      i.currency,
    ]),
  };
}

export function invoiceLinesTable(invoices: readonly Invoice[]): Table {
  return {
    name: 'invoice_lines',
    columns: [
      { header: 'invoice', kind: 'text', width: 14 },
      { header: 'account', kind: 'text', width: 12 },
      { header: 'site', kind: 'text', width: 16 },
      { header: 'number', kind: 'text', width: 16 },
      { header: 'kind', kind: 'text', width: 11 },
      { header: 'description', kind: 'text', width: 44 },
      { header: 'quantity', kind: 'int', width: 9 },
      { header: 'unit_price', kind: 'money', decimals: 4, width: 11 },
      { header: 'amount', kind: 'money', decimals: 2, width: 11 },
    ],
    rows: invoices.flatMap((i) =>
      i.lines.map((l) => [
        i.invoice, i.account, l.site, l.number, l.kind, l.description, l.quantity,
        l.unitPrice === null ? '' : formatMicro(l.unitPrice, 6).replace(/(\.\d\d\d*?)0+$/, '$1'), m2(l.amount),
      ]),
    ),
  };
}
