// What a rating run is given and what it gives back (SPEC §6 `rate`): the command line, the billing
// command and the server's run queue all start the same run with these.

import type { CallException, ExceptionReason, RatedCall } from '../../rules/cdr/cdr.js';
import type { RatingModel } from '../../rules/rating/rating-model.js';
import type { RatePool } from './rate-pool.js';

/** Where a run has got to. A new object each time it is asked for. */
export interface RateProgress {
  /** Bytes of the files as stored (compressed bytes for gzip) read so far, across all files. */
  bytes: number;
  /** The files' sizes on disk, summed when the run starts. */
  totalBytes: number;
  /** Data lines read so far, across all files (header and blank lines not counted): `input` once all are read. */
  lines: number;
  /** The file being read; null before the first and after the last. */
  file: string | null;
}

export interface RateOptions {
  model: RatingModel;
  workbookHash: string;
  files: { path: string; name: string }[];
  format?: string;
  outDir: string;
  /**
   * true: every output file is fsynced before it is renamed into outDir, and outDir after (the
   * server's runs, in its data directory: SPEC §7 Durability). The command line leaves it off.
   */
  durable?: boolean;
  /** Rows per reason in exceptions.xlsx (exceptions.csv always has every row). */
  maxTabRows?: number;
  /** A line for people (the command line's stderr), every 2 s at most. */
  progress?: (line: string) => void;
  /**
   * Progress for programs: once at the start (bytes 0), every 250 ms at most while files are read
   * (between batches), and once when the last file has been read (bytes = totalBytes, lines =
   * input). Called on the rating thread: keep it cheap.
   */
  onProgress?: (p: RateProgress) => void;
  /** Cancels the run as RatingRun.cancel() does. */
  signal?: AbortSignal;
  /** Called with every rated call, in output order (the billing run collects them). */
  onRated?: (call: RatedCall) => void;
  /** Worker threads that rate lines (mediate, owner, price, the row); 0 (the default): the main thread rates. */
  workers?: number;
  /**
   * Workers already started on the same rows (they build their models while the caller builds its
   * own): used instead of starting `workers` here, and closed at the end.
   */
  pool?: RatePool;
  /** Tests: every batch goes to a worker (the main thread waits instead of rating). */
  workersOnly?: boolean;
  /** false: every line takes the full path, none the fast lane (tests hold the two to the same output). */
  fastLane?: boolean;
  /** Called with every exception (the housekeeping report reads the unknown numbers). */
  onException?: (e: CallException) => void;
}

export interface FileSummary {
  name: string;
  sha256: string;
  lines: number;
  format: string;
}

export interface RateSummary {
  input: number;
  rated: number;
  exceptions: Partial<Record<ExceptionReason, number>>;
  charge: string;
  cost: string;
  workbook: string;
  files: FileSummary[];
}

export interface RateResult {
  summary: RateSummary;
  /** `file:line` of calls handed to onRated that the whole run then flagged as fraud. */
  withdrawn: Set<string>;
}
