// Where a run's exceptions go: every row to exceptions.csv, the first rows of each reason kept for
// its tab in exceptions.xlsx, and the Summary tab's counts.

import type { CallException, ExceptionReason } from '../../rules/cdr/cdr.js';
import { EXCEPTION_REASONS } from '../../rules/cdr/cdr.js';
import { exceptionRow, EXCEPTION_COLUMNS } from '../../rules/rating/call-rows.js';
import { writeExceptionRow } from '../../rules/rating/exception-bytes.js';
import { ExceptionSummary } from '../../rules/rating/exception-summary.js';
import type { RowBytes } from '../../rules/rating/row-bytes.js';
import type { CellValue, Table } from '../../rules/tables.js';
import type { CsvWriter } from '../../workbooks/csv-writer.js';

/** Rows are handed on in pieces about this size: big enough that the hand-over costs nothing per row. */
const TAKE_AT = 1 << 15;

export class ExceptionSink {
  readonly summary = new ExceptionSummary();
  private readonly firstRows = new Map<ExceptionReason, CellValue[][]>();
  private readonly out: RowBytes;
  constructor(
    private readonly csv: CsvWriter,
    private readonly zone: string,
    private readonly maxTabRows: number,
    private readonly listener?: (e: CallException) => void,
  ) {
    this.out = csv.rowBytes();
  }

  add(e: CallException): void {
    this.summary.add(e);
    this.listener?.(e);
    // The CSV row is encoded as bytes; the cells are built only for rows the reason's tab keeps.
    writeExceptionRow(e, this.zone, this.out);
    if (this.out.pos >= TAKE_AT) this.csv.takeRows();
    let rows = this.firstRows.get(e.reason);
    if (!rows) this.firstRows.set(e.reason, (rows = []));
    if (rows.length < this.maxTabRows) rows.push(exceptionRow(e, this.zone));
  }

  tables(): Table[] {
    const counts = this.summary.counts();
    const tabs: Table[] = [this.summary.table()];
    for (const reason of EXCEPTION_REASONS) {
      const rows = this.firstRows.get(reason);
      if (!rows) continue;
      const total = counts[reason] ?? rows.length;
      tabs.push({
        name: reason,
        columns: EXCEPTION_COLUMNS,
        rows,
        note: total > rows.length ? `first ${rows.length.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows; exceptions.csv has them all` : undefined,
      });
    }
    return tabs;
  }
}
