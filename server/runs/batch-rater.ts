// Rating batches, here or on worker threads, and settling them strictly in the order they were
// read, so the output is the same line for line whoever rated them. A worker that has built its
// model gets a batch while it has fewer than four waiting (answers are seen only when the event
// loop turns, between reads); otherwise this thread rates the batch itself rather than wait, so
// every core rates from the start.
//
// Every batch's buffers are filled again once it is settled: a worker's go back to it, this
// thread's to `spare` (fresh buffers every batch made V8 run a full collection every half second
// for their external memory, its marking threads taking the cores' time).

import { batchBuffers, rateBatch, type BatchBuffers, type LineContext, type LineTexts, type PackedResults } from '../../rules/rating/rate-line.js';
import { TOO_LONG } from '../../workbooks/cdr-lines.js';
import type { BatchSettler } from './batch-settler.js';
import type { RatePool } from './rate-pool.js';

/** Batches a worker may have waiting before it counts as busy. */
const DEPTH = 4;

interface InFlight {
  /** Set when rated (at once when this thread rated it). */
  results: PackedResults | null;
  promise: Promise<PackedResults> | null;
  texts: LineTexts;
  /** This thread's buffers the batch was rated into; null for a worker's. */
  own: BatchBuffers | null;
}

export class BatchRater {
  /** Batches in flight, oldest first (workers only). */
  private readonly inFlight: InFlight[] = [];
  /** With workers: buffers of this thread's settled batches, to rate into again. */
  private readonly spare: BatchBuffers[] = [];
  /** Without workers: the one set of buffers every batch is rated into (it is settled before the next). */
  private buffers: BatchBuffers | null = null;
  private ctx: LineContext | null = null;
  private fileIndex = 0;
  private fileName = '';

  constructor(
    private readonly settler: BatchSettler,
    private readonly pool: RatePool | null,
    /** Tests: every batch goes to a worker. */
    private readonly workersOnly: boolean,
  ) {}

  /** The next batches are file `fileIndex`'s (the workers were told of it with pool.startFile). */
  startFile(ctx: LineContext, fileIndex: number, fileName: string): void {
    this.ctx = ctx;
    this.fileIndex = fileIndex;
    this.fileName = fileName;
  }

  /** Rates a batch, or hands it to a worker, and settles whatever is ready at the head. */
  async rate(numbers: Int32Array, texts: LineTexts, fields: (string[] | null)[]): Promise<void> {
    const ctx = this.ctx!;
    const pool = this.pool;
    if (!pool) {
      this.settler.settle(rateBatch(ctx, numbers, texts, fields, false, (this.buffers ??= batchBuffers())), texts, ctx, this.fileIndex, this.fileName, true);
      return;
    }
    // Let the workers' answers in first: they are only seen when the event loop turns.
    let slot = pool.free(DEPTH);
    if (!slot && (this.workersOnly || pool.busy())) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      slot = pool.free(DEPTH);
      while (!slot && this.workersOnly) {
        await pool.answer();
        slot = pool.free(DEPTH);
      }
    }
    if (slot) {
      const entry: InFlight = { results: null, promise: null, texts, own: null };
      // The lines' text goes as one string, cut from the chunk they are in; a line the reader
      // cut for its length travels as its line number negated (a worker splits the rest).
      const n = numbers.length;
      const base = texts.from[0];
      const spans = new Int32Array(3 * n);
      for (let i = 0; i < n; i++) {
        spans[i] = fields[i] === TOO_LONG ? -numbers[i] : numbers[i];
        spans[n + i] = texts.from[i] - base;
        spans[2 * n + i] = texts.to[i] - base;
      }
      entry.promise = pool.rate(slot, spans, texts.source.slice(base, texts.to[n - 1])).then((r) => (entry.results = r));
      this.inFlight.push(entry);
    } else {
      const own = this.spare.pop() ?? batchBuffers();
      this.inFlight.push({ results: rateBatch(ctx, numbers, texts, fields, false, own), promise: null, texts, own });
    }
    // Settle whatever is ready at the head; wait only when too much is held.
    const inFlight = this.inFlight;
    while (inFlight.length > 0 && (inFlight[0].results !== null || inFlight.length > DEPTH * pool.size + 4)) await this.settleHead();
  }

  /** Settles every batch still in flight (at the end of a file). */
  async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.settleHead();
  }

  private async settleHead(): Promise<void> {
    const b = this.inFlight.shift()!;
    const results = b.results ?? (await b.promise!);
    this.settler.settle(results, b.texts, this.ctx!, this.fileIndex, this.fileName, true);
    if (b.own) this.spare.push(b.own);
    else this.pool!.recycle(results);
  }
}
