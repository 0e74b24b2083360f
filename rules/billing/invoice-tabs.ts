// The tabs a bill writes back to a Google Sheet (SPEC §7.1): `Invoices` and `Invoice lines`,
// invoices.csv and invoice_lines.csv under the names a manager reads.

import type { Invoice } from './invoice.js';
import type { Table } from '../tables.js';
import { invoiceLinesTable, invoicesTable } from './invoice-rows.js';

export const INVOICES_TAB = 'Invoices';
export const INVOICE_LINES_TAB = 'Invoice lines';

export function invoiceTabs(invoices: readonly Invoice[]): Table[] {
  return [
    { ...invoicesTable(invoices), name: INVOICES_TAB },
    { ...invoiceLinesTable(invoices), name: INVOICE_LINES_TAB },
  ];
}

/** The same from the CSV files' rows (as read back, unguarded): their columns, under the tabs' names. */
export function invoiceTabsOf(invoices: Table, lines: Table): Table[] {
  return [
    { ...invoices, name: INVOICES_TAB },
    { ...lines, name: INVOICE_LINES_TAB },
  ];
}
