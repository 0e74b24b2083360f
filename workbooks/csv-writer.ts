// CSV out: RFC 4180 quoting, formula-injection safety (SPEC §6: a text cell starting with = + - @
// tab or CR that is not a number gets a leading ' so no spreadsheet runs it), and a buffered
// writer that hands the file system large chunks and honours backpressure.

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CellValue, Table } from '../rules/tables.js';
import { csvLine } from '../rules/csv.js';
import { RowBytes } from '../rules/rating/row-bytes.js';

const CHUNK = 1 << 20;
/** Written chunks kept to fill again: as many as the stream holds in flight, and one more. */
const SPARE_CHUNKS = 5;

export { csvField, csvLine, isRisky } from '../rules/csv.js';

/**
 * Encodes lines straight into 1 MiB buffers handed to the file stream whole: appending to one
 * string and encoding it at flush time cost three times as much (a rope of a thousand lines is
 * flattened, then copied again). `close()` flushes and resolves once the file is on disk.
 */
export class CsvWriter {
  private readonly stream: WriteStream;
  private buf: Buffer = Buffer.allocUnsafe(CHUNK);
  /** Chunks the stream has written, to fill again. */
  private readonly spare: Buffer[] = [];
  private pos = 0;
  private pending: Promise<void> | null = null;
  private rows: RowBytes | null = null;

  constructor(path: string, header?: readonly string[]) {
    // Room for a few chunks in flight, so rating goes on while the disk catches up (the default
    // 16 KiB made every 1 MiB chunk wait for the one before it).
    this.stream = createWriteStream(path, { highWaterMark: 4 * CHUNK });
    if (header) this.writeLine(csvLine(header));
  }

  write(values: readonly CellValue[]): void {
    this.writeLine(csvLine(values));
  }

  /**
   * Where a caller encodes rows (ending in \n) with no copy or call per row. The writer takes
   * them before any other write and on close, so lines keep their order; call takeRows() when it
   * holds a few KiB, so it stays small.
   */
  rowBytes(): RowBytes {
    return (this.rows ??= new RowBytes(1 << 16));
  }

  /** Moves the rows encoded into rowBytes() on towards the file. */
  takeRows(): void {
    const rows = this.rows;
    if (rows === null || rows.pos === 0) return;
    // writeBytes may keep large arrays as they are, and this one is written again.
    if (rows.pos >= CHUNK / 4) this.putBytes(rows.take());
    else {
      this.putBytes(rows.bytes());
      rows.pos = 0;
    }
  }

  /** A line already formatted (ending in \n). */
  writeLine(line: string): void {
    this.takeRows();
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.pos + line.length * 3 > CHUNK) {
      this.flush();
      if (line.length * 3 > CHUNK) {
        this.send(Buffer.from(line, 'utf8'));
        return;
      }
    }
    this.pos += this.buf.write(line, this.pos, 'utf8');
  }

  /**
   * Rows already encoded as UTF-8 (ending in \n); the writer may keep the bytes until they are
   * written, unless `lent` (the caller writes into them again): then it copies them.
   */
  writeBytes(bytes: Uint8Array, lent = false): void {
    this.takeRows();
    this.putBytes(bytes, lent);
  }

  private putBytes(bytes: Uint8Array, lent = false): void {
    if (bytes.length >= CHUNK / 4) {
      if (lent) bytes = bytes.slice();
      this.flush();
      this.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return;
    }
    if (this.pos + bytes.length > CHUNK) this.flush();
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private flush(): void {
    if (this.pos === 0) return;
    const full = this.buf;
    this.send(full.subarray(0, this.pos), full);
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
  }

  /** Hands a chunk to the stream; `own`, the writer's buffer under it, is filled again once written. */
  private send(chunk: Buffer, own: Buffer | null = null): void {
    // A new 1 MiB buffer per chunk made V8 run full collections for their external memory.
    const ok = own === null ? this.stream.write(chunk) : this.stream.write(chunk, () => void (this.spare.length < SPARE_CHUNKS && this.spare.push(own)));
    if (!ok && !this.pending) this.pending = once(this.stream, 'drain').then(() => void (this.pending = null));
  }

  /** Resolves when the stream can take more: call between batches. */
  async ready(): Promise<void> {
    if (this.pending) await this.pending;
  }

  async close(): Promise<void> {
    this.takeRows();
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
