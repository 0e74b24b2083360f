// The one table shape every writer takes (rated calls, exceptions, invoices, reports): the core
// builds tables, the shell writes them as CSV, .xlsx or a Google Sheets tab.

export type ColumnKind = 'text' | 'money' | 'int' | 'date' | 'datetime';

export interface Column {
  header: string;
  kind: ColumnKind;
  /** Decimals shown for money columns (values are exact decimal strings already). */
  decimals?: number;
  width?: number;
}

/** Money is an exact decimal string ("0.12"), never a float; ints may be numbers. */
export type CellValue = string | number | null;

export interface Table {
  name: string;
  columns: Column[];
  rows: CellValue[][];
  /** Shown above or below the rows, e.g. "first 2,000 of 13,502 rows; exceptions.csv has all". */
  note?: string;
}
