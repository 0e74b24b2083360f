// A run's or a bill's files read back as the tables SPEC §7.1 writes to a Google Sheet: for a run
// (DIR = the run's directory: rated.csv, exceptions.csv) `Exceptions`, `Exception summary` and
// `Rated by customer`; for a bill (its invoices.csv and invoice_lines.csv) `Invoices` and
// `Invoice lines`. The CSV files are streamed; text the CSV writer guarded against
// formulas is given back as it was (the Sheet gets it RAW, so it stays text).

import { join } from 'node:path';
import type { Micro } from '../../rules/money.js';
import type { CellValue, Column, Table } from '../../rules/tables.js';
import { unguard } from '../../rules/csv.js';
import { ExceptionTotals, exceptionCells, exceptionsTable } from '../../rules/rating/exception-tabs.js';
import { RatedByCustomer } from '../../rules/rating/rated-by-customer.js';
import { invoiceLinesTable, invoicesTable } from '../../rules/billing/invoice-rows.js';
import { invoiceTabsOf } from '../../rules/billing/invoice-tabs.js';
import { csvRecords } from './csv-records.js';

export interface RunTabOptions {
  /** Exact totals gathered while rating (exceptions.csv has no cost): used as they are. */
  totals?: ExceptionTotals;
  /** Else each reason's cost, when the run's summary knows it. */
  reasonCosts?: Partial<Record<string, Micro>>;
}

export async function runTabsFromFiles(dir: string, opts: RunTabOptions = {}): Promise<Table[]> {
  const rated = new RatedByCustomer();
  let first = true;
  for await (const f of csvRecords(join(dir, 'rated.csv'))) {
    if (first) first = false;
    else rated.addCsvFields(f);
  }
  const totals = opts.totals ?? new ExceptionTotals();
  const rows: CellValue[][] = [];
  first = true;
  for await (const f of csvRecords(join(dir, 'exceptions.csv'))) {
    if (first) {
      first = false;
      continue;
    }
    rows.push(exceptionCells(f));
    if (!opts.totals) totals.addCsvFields(f);
  }
  if (!opts.totals) for (const [reason, cost] of Object.entries(opts.reasonCosts ?? {})) if (cost !== undefined) totals.setCost(reason, cost);
  return [exceptionsTable(rows), totals.table(), rated.table()];
}

/** A CSV file as a table: its own header, each column's kind where the known table names it. */
async function csvTable(path: string, name: string, known: readonly Column[]): Promise<Table> {
  let columns: Column[] | null = null;
  const rows: CellValue[][] = [];
  for await (const f of csvRecords(path)) {
    if (columns === null) columns = f.map((h) => known.find((c) => c.header === h) ?? { header: h, kind: 'text' });
    else rows.push(f.map((v) => (v === '' ? null : unguard(v))));
  }
  return { name, columns: columns ?? [...known], rows };
}

/** A bill's invoices.csv and invoice_lines.csv (wherever its store keeps them). */
export async function billTabsFromFiles(invoicesCsv: string, linesCsv: string): Promise<Table[]> {
  return invoiceTabsOf(await csvTable(invoicesCsv, 'invoices', invoicesTable([]).columns), await csvTable(linesCsv, 'invoice_lines', invoiceLinesTable([]).columns));
}
