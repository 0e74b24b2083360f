// A run's four files (SPEC §6 `rate`): written into DIR/.partial while the run goes, renamed into
// DIR together at the end, so a run that fails or is cancelled leaves DIR as it found it.
//
// `durable` (the server's runs, in its data directory: SPEC §7 Durability): each file is fsynced
// before its rename and DIR after the renames, so a power cut leaves the old files or the new ones.
// Without it (`ratebook rate --out`) the renames alone keep a killed run from showing half-written
// files; the bytes reach the disk when the OS writes them back.

import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CallException } from '../../rules/cdr/cdr.js';
import { EXCEPTION_HEADER, RATED_HEADER } from '../../rules/rating/call-rows.js';
import { CsvWriter } from '../../workbooks/csv-writer.js';
import { writeTablesXlsx } from '../../workbooks/table-xlsx.js';
import { syncDir, syncFile } from '../store/durable-files.js';
import { ExceptionSink } from './exception-sink.js';
import type { RateSummary } from './rate-options.js';
import { throwIfCancelled } from './run-errors.js';

export const RUN_FILES = ['rated.csv', 'exceptions.csv', 'exceptions.xlsx', 'summary.json'] as const;

export interface OutputOptions {
  /** Rows per reason in exceptions.xlsx. */
  maxTabRows: number;
  onException?: (e: CallException) => void;
  /** fsync each file before its rename and the directory after (see the header). */
  durable?: boolean;
}

export class RunOutputs {
  private constructor(
    readonly outDir: string,
    readonly partial: string,
    /** The first directory `open` had to make (outDir itself, or one above it), if it made more than .partial. */
    private readonly made: string | undefined,
    readonly rated: CsvWriter,
    readonly exceptions: CsvWriter,
    readonly sink: ExceptionSink,
    private readonly durable: boolean,
  ) {}

  /** Starts .partial afresh (an earlier failed run's leftovers go) with rated.csv and exceptions.csv open in it. */
  static async open(outDir: string, zone: string, opts: OutputOptions): Promise<RunOutputs> {
    const partial = join(outDir, '.partial');
    await rm(partial, { recursive: true, force: true });
    const made = await mkdir(partial, { recursive: true });
    const rated = new CsvWriter(join(partial, 'rated.csv'), RATED_HEADER);
    const exceptions = new CsvWriter(join(partial, 'exceptions.csv'), EXCEPTION_HEADER);
    const sink = new ExceptionSink(exceptions, zone, opts.maxTabRows, opts.onException);
    return new RunOutputs(outDir, partial, made === partial ? undefined : made, rated, exceptions, sink, opts.durable === true);
  }

  /** Resolves when both files can take more: awaited between batches, so memory stays bounded when the disk is slower than rating. */
  async ready(): Promise<void> {
    await this.rated.ready();
    await this.exceptions.ready();
  }

  /** exceptions.csv complete, and exceptions.xlsx written beside it from the rows the sink kept. */
  async finishExceptions(): Promise<void> {
    await this.exceptions.close();
    await writeTablesXlsx(join(this.partial, 'exceptions.xlsx'), this.sink.tables());
  }

  /**
   * Writes summary.json and moves the four files into outDir (durable: each on disk first, and
   * outDir synced after). The last point a cancel is heeded: once the renames start the run completes.
   */
  async publish(summary: RateSummary, signal: AbortSignal): Promise<void> {
    await writeFile(join(this.partial, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    // All four at once: the kernel writes back each file's pages, and the waits overlap.
    if (this.durable) await Promise.all(RUN_FILES.map((f) => syncFile(join(this.partial, f))));
    throwIfCancelled(signal);
    for (const f of RUN_FILES) await rename(join(this.partial, f), join(this.outDir, f));
    if (this.durable) await syncDir(this.outDir);
    await rm(this.partial, { recursive: true, force: true });
  }

  /** After a failure or a cancel: files closed, .partial gone, and the directories `open` made removed while empty. */
  async discard(): Promise<void> {
    await this.rated.close().catch(() => undefined);
    await this.exceptions.close().catch(() => undefined);
    await rm(this.partial, { recursive: true, force: true });
    if (this.made === undefined) return;
    for (let dir = this.outDir; ; dir = dirname(dir)) {
      // rmdir refuses a directory that is not empty: anything someone else put there stays.
      if (!(await rmdir(dir).then(() => true, () => false)) || dir === this.made || dir === dirname(dir)) break;
    }
  }
}
