// CSV out: RFC 4180 quoting, formula-injection safety (SPEC §6: a text cell starting with = + - @
// tab or CR that is not a number gets a leading ' so no spreadsheet runs it), and a buffered
// writer that hands the file system large chunks and honours backpressure.

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CellValue, Table } from '../rules/tables.js';
import { csvLine } from '../rules/csv.js';

export { csvField, csvLine, isRisky } from '../rules/csv.js';

/** Buffers lines into ~512 KB writes; `close()` flushes and resolves once the file is on disk. */
export class CsvWriter {
  private readonly stream: WriteStream;
  private buf = '';
  private pending: Promise<void> | null = null;

  constructor(path: string, header?: readonly string[]) {
    this.stream = createWriteStream(path);
    if (header) this.writeLine(csvLine(header));
  }

  write(values: readonly CellValue[]): void {
    this.writeLine(csvLine(values));
  }

  /** A line already formatted (ending in \n). */
  writeLine(line: string): void {
    this.buf += line;
    if (this.buf.length >= 512 * 1024) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const ok = this.stream.write(this.buf);
    this.buf = '';
    if (!ok && !this.pending) this.pending = once(this.stream, 'drain').then(() => void (this.pending = null));
  }

  /** Resolves when the stream can take more: call between batches. */
  async ready(): Promise<void> {
    if (this.pending) await this.pending;
  }

  async close(): Promise<void> {
    this.flush();
    await this.ready();
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}

export async function writeCsvTable(path: string, table: Table): Promise<void> {
  const w = new CsvWriter(path, table.columns.map((c) => c.header));
  for (const r of table.rows) w.write(r);
  await w.close();
}
