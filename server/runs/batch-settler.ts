// Settling: what a line's rating cannot know alone (SPEC §2 steps 2 and 5) applied to each batch in
// line order, on one thread, however many threads rated it. A rated line may still turn out a
// duplicate or suspected fraud; the rest have their rows written to rated.csv and are counted.
// Dedupe and the fraud windows are the run's whole memory of the lines it has seen.
//
// This is the main thread's per-line work: the loop in settle() touches columns and buffers only,
// no object per rated line.

import type { RatedCall } from '../../rules/cdr/cdr.js';
import { emptyResult, exceptionOf, lineText, rateLine, type LineContext, type LineResult, type LineTexts, type PackedResults } from '../../rules/rating/rate-line.js';
import type { RatingModel } from '../../rules/rating/rating-model.js';
import { Deduper } from '../../rules/run/dedupe.js';
import { FraudWatch } from '../../rules/run/fraud.js';
import { Float64Column } from '../../rules/run/paged-column.js';
import type { Micro } from '../../rules/money.js';
import { splitCsvLine } from '../../workbooks/cdr-lines.js';
import type { CsvWriter } from '../../workbooks/csv-writer.js';
import type { ExceptionSink } from './exception-sink.js';
import { lineKey } from './late-fraud.js';

export class BatchSettler {
  /** Calls rated so far, and their charges and costs (exact micro-units). */
  rated = 0;
  charge: Micro = 0;
  cost: Micro = 0;
  private readonly dedupe = new Deduper();
  private readonly fraud: FraudWatch;
  /** Run index of each fraud-observed call -> its lineKey, to find rated lines flagged late. */
  private readonly observed = new Float64Column();
  private observedCount = 0;
  /** Hashes of a batch's dedupe keys, by line (see Deduper.hashAscii). */
  private keyHashes = new Int32Array(0);

  constructor(
    model: RatingModel,
    private readonly ratedCsv: CsvWriter,
    private readonly sink: ExceptionSink,
    private readonly onRated: ((call: RatedCall) => void) | undefined,
  ) {
    const s = model.settings;
    this.fraud = new FraudWatch({ maxCallsPerMinute: s.fraudMaxCallsPerMinute, shortCallSeconds: s.fraudShortCallSeconds, shortCallsPerDay: s.fraudShortCallsPerDay });
    // The model's ids of single numbers, which the fast lane hands over (workers build the same model).
    if (this.fraud.active) this.fraud.seedNumbers(model.fraudNumberValues);
  }

  /** Room in the dedupe table for about this many more lines. */
  reserve(lines: number): void {
    this.dedupe.reserve(lines);
  }

  /**
   * A batch in line order: lines that did not rate settle in settleOther; rated ones from their
   * columns, and their rows go to rated.csv in runs between the lines dedupe or fraud took out.
   * `lent`: the rows' buffer is filled again after this (the writer copies what it keeps).
   */
  settle(p: PackedResults, texts: LineTexts, ctx: LineContext, fi: number, name: string, lent: boolean): void {
    const { dedupe, fraud, ratedCsv, sink } = this;
    const keys = typeof p.keys === 'string' ? p.keys.split('\n') : p.keys;
    const numbers = typeof p.fraudNumbers === 'string' ? p.fraudNumbers.split('\n') : p.fraudNumbers;
    let written = 0;
    let scratch: LineResult | null = null;
    const n = p.rated.length;
    if (this.keyHashes.length < n) this.keyHashes = new Int32Array(n);
    const keyHashes = this.keyHashes;
    dedupe.hashAscii(p.keyBytes, p.keyEnd, n, keyHashes);
    for (let i = 0; i < n; i++) {
      const other = p.others[i];
      if (other) {
        this.settleOther(other, fi);
        continue;
      }
      const line = p.line[i];
      // Keys and numbers the fast lane gave as bytes and values; the rest as text.
      const key = keys[i];
      const first = key !== '' ? dedupe.checkKey(key, name, line) : dedupe.checkAscii(p.keyBytes, i === 0 ? 0 : p.keyEnd[i - 1], p.keyEnd[i], keyHashes[i], name, line);
      let why: string | null = null;
      if (first === null && fraud.active) {
        const id = p.fraudId[i];
        const v = p.fraudValue[i];
        const text = numbers[i];
        if (id >= 0) why = fraud.observeSeeded(id, p.startMs[i], p.duration[i], p.day[i], this.observedCount++);
        else if (v === v) why = fraud.observeValue(v, p.startMs[i], p.duration[i], p.day[i], this.observedCount++);
        else if (text !== '') why = fraud.observe(text, p.startMs[i], p.duration[i], p.day[i], this.observedCount++);
        if (id >= 0 || v === v || text !== '') this.observed.push(lineKey(fi, line));
      }
      if (first !== null || why !== null) {
        // Dedupe or fraud rarely turn a rated line into an exception: its row is rebuilt here then.
        const whole = rateLine(ctx, line, splitCsvLine(lineText(texts, i)), (scratch ??= emptyResult()));
        sink.add(first !== null ? exceptionOf(whole, 'DUPLICATE', `same call as ${first.file}:${first.line}`) : exceptionOf(whole, 'SUSPECTED_FRAUD', `${why}; release the call if it is genuine`));
        const from = i === 0 ? 0 : p.rowEnd[i - 1];
        if (from > written) ratedCsv.writeBytes(p.rows.subarray(written, from), lent);
        written = p.rowEnd[i];
        continue;
      }
      // Accepted: counted here, its row goes out with its run of rows.
      this.rated++;
      this.charge += p.charge[i];
      const c = p.cost[i];
      if (!Number.isNaN(c)) this.cost += c;
      if (this.onRated) {
        const call = p.calls?.[i] ?? null;
        if (call) this.onRated(call);
      }
    }
    if (written < p.rows.length) ratedCsv.writeBytes(written === 0 ? p.rows : p.rows.subarray(written), lent);
  }

  /** A line that did not rate on its own: dedupe and fraud still see it, in line order (SPEC §2 steps 2 and 5). */
  private settleOther(r: LineResult, fi: number): void {
    const sink = this.sink;
    if (r.kind === 'invalid') {
      sink.add(exceptionOf(r, r.reason, r.detail));
      return;
    }
    const first = this.dedupe.checkKey(r.dedupeKey, r.file, r.line);
    if (first) {
      sink.add(exceptionOf(r, 'DUPLICATE', `same call as ${first.file}:${first.line}`));
      return;
    }
    if (r.kind === 'unowned') {
      sink.add(exceptionOf(r, r.reason, r.detail));
      return;
    }
    // Unpriced calls still count towards their number's fraud windows (outbound calls with an owner).
    if (r.fraudNumber !== null && this.fraud.active) {
      const why = this.fraud.observe(r.fraudNumber, r.startMs!, r.duration!, r.day, this.observedCount++);
      this.observed.push(lineKey(fi, r.line));
      if (why) {
        sink.add(exceptionOf(r, 'SUSPECTED_FRAUD', `${why}; release the call if it is genuine`));
        return;
      }
    }
    sink.add(exceptionOf(r, r.reason, r.detail));
  }

  /**
   * Calls the whole run condemns that no line flagged as it was settled (a later short call, an
   * earlier call in another file): lineKey -> why. Asked once, after the last batch.
   */
  lateFraud(): Map<number, string> {
    const late = new Map<number, string>();
    for (const [index, why] of this.fraud.verdicts()) late.set(this.observed.get(index), why);
    return late;
  }

  /** Takes out of the counts the rated calls that late fraud moved to the exceptions. */
  withdraw(moved: { count: number; charge: Micro; cost: Micro }): void {
    this.rated -= moved.count;
    this.charge -= moved.charge;
    this.cost -= moved.cost;
  }
}
