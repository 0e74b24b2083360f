// How far a run has got, in bytes and lines, from counts it keeps anyway: the reader's byte count
// and the lines of each batch. Touched once per batch (2,048 lines), never per line, so watching a
// run costs the rating nothing measurable. Programs read `snapshot()` (or get it through
// onProgress every 250 ms); people get the command line's line every 2 s, worded as it always was.

import type { CdrFile } from '../../workbooks/cdr-lines.js';
import type { RateProgress } from './rate-options.js';

/** onProgress at most this often. */
const REPORT_MS = 250;
/** The line for people at most this often. */
const LINE_MS = 2000;

export class ProgressMeter {
  readonly totalBytes: number;
  /** Bytes and lines of the files already read. */
  private doneBytes = 0;
  private doneLines = 0;
  private fileIndex = -1;
  private reader: CdrFile | null = null;
  private fileName: string | null = null;
  private fileLines = 0;
  private readonly t0 = Date.now();
  private lastReport = this.t0;
  private lastLine = this.t0;

  constructor(
    /** Each file's size on disk, in run order. */
    private readonly sizes: readonly number[],
    private readonly onProgress?: (p: RateProgress) => void,
    private readonly progressLine?: (line: string) => void,
  ) {
    this.totalBytes = sizes.reduce((a, b) => a + b, 0);
  }

  snapshot(): RateProgress {
    const reader = this.reader;
    // Capped at the size known at the start, so bytes never pass totalBytes.
    const current = reader === null ? 0 : Math.min(reader.compressedBytesRead(), this.sizes[this.fileIndex]);
    return { bytes: this.doneBytes + current, totalBytes: this.totalBytes, lines: this.doneLines + this.fileLines, file: this.fileName };
  }

  /** The first report: nothing read yet, the total known. */
  start(): void {
    this.onProgress?.(this.snapshot());
  }

  /** Reading file `index` (its rating pass) begins. */
  startFile(index: number, reader: CdrFile): void {
    this.fileIndex = index;
    this.reader = reader;
    this.fileName = reader.name;
    this.fileLines = 0;
  }

  /** A batch of `lines` data lines has been handed to the rating: reports if it is time. */
  batch(lines: number): void {
    this.fileLines += lines;
    const now = Date.now();
    if (this.onProgress && now - this.lastReport >= REPORT_MS) {
      this.lastReport = now;
      this.onProgress(this.snapshot());
    }
    if (this.progressLine && now - this.lastLine > LINE_MS) {
      this.lastLine = now;
      const reader = this.reader!;
      const name = this.fileName!;
      const done = this.doneLines + this.fileLines;
      this.progressLine(`${name}: ${done.toLocaleString('en-GB')} lines, ${Math.round((done * 1000) / (now - this.t0)).toLocaleString('en-GB')} lines/s, ${Math.round((100 * reader.bytesRead()) / Math.max(1, reader.totalBytes))}% of ${name}`);
    }
  }

  /** The file has been read to its end. */
  endFile(): void {
    this.doneBytes += this.sizes[this.fileIndex];
    this.doneLines += this.fileLines;
    this.fileLines = 0;
    this.reader = null;
    this.fileName = null;
  }

  /** Every file has been read: the last report, with bytes = totalBytes and lines = input. */
  finish(): void {
    this.onProgress?.(this.snapshot());
  }
}
