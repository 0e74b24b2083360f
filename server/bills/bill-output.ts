// Writes a billing run: invoices.csv, invoice_lines.csv, per invoice an .xlsx and a printable
// .html under invoices/, and the margin and housekeeping reports as CSV and one reports.xlsx.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallException } from '../../rules/cdr/cdr.js';
import type { BillingRun } from '../../rules/billing/invoice.js';
import { invoiceLinesTable, invoicesTable } from '../../rules/billing/invoice-rows.js';
import { housekeepingReport, marginReports } from '../../rules/billing/reports.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import type { Table } from '../../rules/tables.js';
import { writeCsvTable } from '../../workbooks/csv-writer.js';
import { renderInvoiceHtml, type InvoiceProvenance } from '../../workbooks/invoice-html.js';
import { writeInvoiceXlsx } from '../../workbooks/invoice-xlsx.js';
import { writeTablesXlsx } from '../../workbooks/table-xlsx.js';
import { writeFile } from 'node:fs/promises';

export interface BillOutputOptions {
  dir: string;
  run: BillingRun;
  rows: SheetRows;
  provenance: InvoiceProvenance;
  unknownNumbers: readonly CallException[];
  /** Write the per-invoice .xlsx and .html (the benchmark times them apart). */
  documents?: boolean;
}

function firstRows(t: Table, max: number): Table {
  if (t.rows.length <= max) return t;
  return { ...t, rows: t.rows.slice(0, max), note: `first ${max.toLocaleString('en-GB')} of ${t.rows.length.toLocaleString('en-GB')} rows; ${t.name}.csv has them all` };
}

/** The files written, relative to dir. */
export async function writeBillOutputs(o: BillOutputOptions): Promise<string[]> {
  const written: string[] = [];
  await writeCsvTable(join(o.dir, 'invoices.csv'), invoicesTable(o.run.invoices));
  await writeCsvTable(join(o.dir, 'invoice_lines.csv'), invoiceLinesTable(o.run.invoices));
  written.push('invoices.csv', 'invoice_lines.csv');
  const reports = [...marginReports(o.run, o.rows.settings.timezone), housekeepingReport(o.rows, o.run, o.unknownNumbers)];
  for (const t of reports) {
    await writeCsvTable(join(o.dir, `${t.name}.csv`), t);
    written.push(`${t.name}.csv`);
  }
  // exceljs writes about 10,000 rows a second: the workbook shows each report's first rows, the CSVs have them all.
  await writeTablesXlsx(join(o.dir, 'reports.xlsx'), reports.map((t) => firstRows(t, 2000)));
  written.push('reports.xlsx');
  if (o.documents !== false) written.push(...(await writeInvoiceDocuments(o)));
  return written;
}

/** An invoice number as a file name: InvoicePrefix comes from the workbook, so nothing but safe characters. */
export const invoiceFileName = (invoice: string): string => invoice.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');

export async function writeInvoiceDocuments(o: BillOutputOptions): Promise<string[]> {
  if (o.run.invoices.length === 0) return [];
  await mkdir(join(o.dir, 'invoices'), { recursive: true });
  for (const inv of o.run.invoices) {
    const base = join(o.dir, 'invoices', invoiceFileName(inv.invoice));
    await writeInvoiceXlsx(`${base}.xlsx`, inv, o.rows.settings, o.provenance);
    await writeFile(`${base}.html`, renderInvoiceHtml(inv, o.rows.settings, o.provenance));
  }
  return ['invoices'];
}
