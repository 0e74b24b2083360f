// `ratebook rate`: CDR files through mediation, dedupe, owners, fraud and pricing into rated.csv,
// exceptions.csv, exceptions.xlsx and summary.json (SPEC §6). Every data line ends as exactly one
// rated call or one exception. Files are streamed; what the run remembers is what dedupe and the
// fraud windows need.

import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CallException, ExceptionReason, RatedCall } from '../../rules/cdr/cdr.js';
import { compileFormat, detectFormat, type FileFormat } from '../../rules/cdr/cdr-format.js';
import { EXCEPTION_HEADER, RATED_HEADER } from '../../rules/rating/call-rows.js';
import { ExceptionSink } from './exception-sink.js';
import { Deduper } from '../../rules/run/dedupe.js';
import { FraudWatch } from '../../rules/run/fraud.js';
import type { MediationContext } from '../../rules/cdr/mediate.js';
import { batchBuffers, emptyResult, exceptionOf, lineContext, lineText, rateBatch, rateLine, type BatchBuffers, type LineContext, type LineResult, type LineTexts, type PackedResults } from '../../rules/rating/rate-line.js';
import { RatePool } from './rate-pool.js';
import { Float64Column } from '../../rules/run/paged-column.js';
import { formatMicro, parseMicro, type Micro } from '../../rules/money.js';
import type { RatingModel } from '../../rules/rating/rating-model.js';
import { firstBatchLines, openCdrFile, splitCsvLine, TOO_LONG, type CdrFile } from '../../workbooks/cdr-lines.js';
import { CsvWriter } from '../../workbooks/csv-writer.js';
import { writeTablesXlsx } from '../../workbooks/table-xlsx.js';

export interface RateOptions {
  model: RatingModel;
  workbookHash: string;
  files: { path: string; name: string }[];
  format?: string;
  outDir: string;
  /** Rows per reason in exceptions.xlsx (exceptions.csv always has every row). */
  maxTabRows?: number;
  progress?: (line: string) => void;
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

/** A problem with an input file as a whole: the command exits 1 and writes nothing. */
export class InputError extends Error {}

const trimMoney = (m: Micro): string => {
  const s = formatMicro(m, 6).replace(/0+$/, '');
  return s.endsWith('.') ? s + '00' : s.split('.')[1].length < 2 ? s + '0' : s;
};

async function chooseFormat(file: CdrFile, opts: RateOptions): Promise<{ format: FileFormat; name: string; header: string[] | null }> {
  const { fields, texts } = await firstBatchLines(file, 5);
  const rows = opts.model.rows.cdrFormats;
  const name = opts.format ?? detectFormat(fields, texts, rows);
  if (!name) throw new InputError(`${file.name}: the CDR format is not one Ratebook recognises; name it with --format (generic, asterisk, freeswitch or a CdrFormats format)`);
  const compiled = compileFormat(name, fields[0] ?? null, rows, opts.model.zone);
  if (!compiled.ok) throw new InputError(`${file.name}: ${compiled.error}`);
  return { format: compiled.value, name, header: fields[0] ?? null };
}

export interface RateResult {
  summary: RateSummary;
  /** `file:line` of calls handed to onRated that the whole run then flagged as fraud. */
  withdrawn: Set<string>;
}

export async function rateFiles(opts: RateOptions): Promise<RateResult> {
  const { model } = opts;
  const zone = model.zone;
  const partial = join(opts.outDir, '.partial');
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const ratedCsv = new CsvWriter(join(partial, 'rated.csv'), RATED_HEADER);
  const excCsv = new CsvWriter(join(partial, 'exceptions.csv'), EXCEPTION_HEADER);
  const sink = new ExceptionSink(excCsv, zone, opts.maxTabRows ?? 2000, opts.onException);
  const dedupe = new Deduper();
  const s = model.settings;
  const fraud = new FraudWatch({ maxCallsPerMinute: s.fraudMaxCallsPerMinute, shortCallSeconds: s.fraudShortCallSeconds, shortCallsPerDay: s.fraudShortCallsPerDay });
  // The model's ids of single numbers, which the fast lane hands over (workers build the same model).
  if (fraud.active) fraud.seedNumbers(model.fraudNumberValues);
  /** Run index of each fraud-observed call -> file index and line, to find rated lines flagged late. */
  const observed = new Float64Column();
  let observedCount = 0;
  const billable = new Set(s.billableDispositions);
  const files: FileSummary[] = [];
  let rated = 0;
  let charge = 0;
  let cost = 0;
  let input = 0;
  const t0 = Date.now();
  let lastProgress = t0;
  /** Row, key and column buffers reused batch after batch where a batch is settled as soon as it is rated. */
  let buffers: BatchBuffers | null = null;
  /** With workers: buffers of this thread's settled batches, to rate into again. */
  const spare: BatchBuffers[] = [];
  // Workers send back rows, not call objects: a run that hands every call on rates on this thread.
  if (opts.onRated && opts.pool) await opts.pool.close();
  const pool = opts.onRated ? null : (opts.pool ?? ((opts.workers ?? 0) >= 1 ? new RatePool(opts.workers!, model.rows, model.positions) : null));

  /** Hashes of a batch's dedupe keys, by line (see Deduper.hashAscii). */
  let keyHashes = new Int32Array(0);

  /** A rated call that passed dedupe and fraud: counted (its row is written by the batch). */
  const accept = (c: number, k: number | null, call: RatedCall | null): void => {
    rated++;
    charge += c;
    if (k !== null) cost += k;
    if (call) opts.onRated?.(call);
  };

  /** Dedupe (step 2) for a line that passed mediation: true when it was a duplicate (and is now an exception). */
  const isDuplicate = (key: string, file: string, line: number, whole: () => LineResult): boolean => {
    const first = dedupe.checkKey(key, file, line);
    if (first) sink.add(exceptionOf(whole(), 'DUPLICATE', `same call as ${first.file}:${first.line}`));
    return first !== null;
  };

  /** Fraud (step 5) for an outbound call with an owner: true when flagged (and now an exception). */
  const isFraud = (num: string | null, startMs: number, duration: number, day: number, fi: number, line: number, whole: () => LineResult): boolean => {
    if (num === null || !fraud.active) return false;
    const why = fraud.observe(num, startMs, duration, day, observedCount++);
    observed.push(fi * 2 ** 32 + line);
    if (why) sink.add(exceptionOf(whole(), 'SUSPECTED_FRAUD', `${why}; release the call if it is genuine`));
    return why !== null;
  };

  /** A line that did not rate on its own: dedupe and fraud still see it, in line order (SPEC §2 steps 2 and 5). */
  const settleOther = (r: LineResult, fi: number): void => {
    if (r.kind === 'invalid') {
      sink.add(exceptionOf(r, r.reason, r.detail));
      return;
    }
    const whole = (): LineResult => r;
    if (isDuplicate(r.dedupeKey, r.file, r.line, whole)) return;
    if (r.kind === 'unowned') {
      sink.add(exceptionOf(r, r.reason, r.detail));
      return;
    }
    // Unpriced calls still count towards their number's fraud windows.
    if (isFraud(r.fraudNumber, r.startMs!, r.duration!, r.day, fi, r.line, whole)) return;
    sink.add(exceptionOf(r, r.reason, r.detail));
  };

  /**
   * A batch in line order: lines that did not rate settle as above; rated ones from their
   * columns, and their rows go to rated.csv in runs between the lines dedupe or fraud took out.
   */
  const settlePacked = (p: PackedResults, texts: LineTexts, ctx: LineContext, fi: number, name: string, lent = false): void => {
    const keys = typeof p.keys === 'string' ? p.keys.split('\n') : p.keys;
    const numbers = typeof p.fraudNumbers === 'string' ? p.fraudNumbers.split('\n') : p.fraudNumbers;
    let written = 0;
    let scratch: LineResult | null = null;
    const n = p.rated.length;
    if (keyHashes.length < n) keyHashes = new Int32Array(n);
    dedupe.hashAscii(p.keyBytes, p.keyEnd, n, keyHashes);
    for (let i = 0; i < p.rated.length; i++) {
      const other = p.others[i];
      if (other) {
        settleOther(other, fi);
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
        if (id >= 0) why = fraud.observeSeeded(id, p.startMs[i], p.duration[i], p.day[i], observedCount++);
        else if (v === v) why = fraud.observeValue(v, p.startMs[i], p.duration[i], p.day[i], observedCount++);
        else if (text !== '') why = fraud.observe(text, p.startMs[i], p.duration[i], p.day[i], observedCount++);
        if (id >= 0 || v === v || text !== '') observed.push(fi * 2 ** 32 + line);
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
      accept(p.charge[i], Number.isNaN(p.cost[i]) ? null : p.cost[i], p.calls?.[i] ?? null);
    }
    if (written < p.rows.length) ratedCsv.writeBytes(written === 0 ? p.rows : p.rows.subarray(written), lent);
  };

  try {
    for (let fi = 0; fi < opts.files.length; fi++) {
      const { path, name } = opts.files[fi];
      let file: CdrFile;
      try {
        file = await openCdrFile(path, { name });
      } catch {
        throw new InputError(`${name}: cannot read the file`);
      }
      let lines = 0;
      try {
        const chosen = await chooseFormat(file, opts);
        const format = chosen.format;
        const mediation: MediationContext = { file: name, plan: model.plan, billable, format };
        const ctx = lineContext(model, mediation, opts.onRated !== undefined, opts.fastLane !== false);
        pool?.startFile(name, chosen.name, chosen.header, opts.fastLane !== false);
        let skipHeader = format.header;
        // Batches in flight, settled strictly in the order they were read. A worker that has built
        // its model gets a batch while it has fewer than four waiting (answers are seen only when
        // the event loop turns, between reads); otherwise the main thread rates the batch itself
        // rather than wait, so every core rates from the start.
        const inFlight: { results: PackedResults | null; promise: Promise<PackedResults> | null; texts: LineTexts; own: BatchBuffers | null }[] = [];
        // Every batch's buffers are filled again once it is settled: the workers' go back to them,
        // this thread's to `spare` (fresh buffers every batch made V8 run a full collection every
        // half second for their external memory, its marking threads taking the cores' time).
        const settleBatch = async (): Promise<void> => {
          const b = inFlight.shift()!;
          const results = b.results ?? (await b.promise!);
          settlePacked(results, b.texts, ctx, fi, name, true);
          if (b.own) spare.push(b.own);
          else pool!.recycle(results);
        };
        // Lines are split where they are rated (the fast lane reads most of them unsplit).
        const reader = await openCdrFile(path, { name, split: false });
        // Room in the dedupe table for the lines the file likely holds (a CDR line is rarely under
        // 64 bytes; at most 2M, so a huge file does not claim memory it may never need).
        if (!reader.gzip) dedupe.reserve(Math.min(Math.floor(reader.totalBytes / 64), 2_000_000));
        for await (const batch of reader.batches()) {
          let from = 0;
          if (skipHeader && batch.lines.length > 0) {
            skipHeader = false;
            from = 1;
          }
          lines += batch.lines.length - from;
          const texts: LineTexts = { source: batch.source, from: from === 0 ? batch.from : batch.from.slice(from), to: from === 0 ? batch.to : batch.to.slice(from) };
          const numbers = from === 0 ? batch.lines : batch.lines.slice(from);
          const fields = from === 0 ? batch.fields : batch.fields.slice(from);
          if (numbers.length === 0) continue;
          if (!pool) {
            settlePacked(rateBatch(ctx, numbers, texts, fields, false, (buffers ??= batchBuffers())), texts, ctx, fi, name, true);
          } else {
            // Let the workers' answers in first: they are only seen when the event loop turns.
            let slot = pool.free(4);
            if (!slot && (opts.workersOnly || pool.busy())) {
              await new Promise<void>((resolve) => setImmediate(resolve));
              slot = pool.free(4);
              while (!slot && opts.workersOnly) {
                await pool.answer();
                slot = pool.free(4);
              }
            }
            if (slot) {
              const entry: (typeof inFlight)[number] = { results: null, promise: null, texts, own: null };
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
              inFlight.push(entry);
            } else {
              const own = spare.pop() ?? batchBuffers();
              inFlight.push({ results: rateBatch(ctx, numbers, texts, fields, false, own), promise: null, texts, own });
            }
            // Settle whatever is ready at the head; wait only when too much is held.
            while (inFlight.length > 0 && (inFlight[0].results !== null || inFlight.length > 4 * pool.size + 4)) await settleBatch();
          }
          await ratedCsv.ready();
          await excCsv.ready();
          const now = Date.now();
          if (opts.progress && now - lastProgress > 2000) {
            lastProgress = now;
            const done = input + lines;
            opts.progress(`${name}: ${done.toLocaleString('en-GB')} lines, ${Math.round((done * 1000) / (now - t0)).toLocaleString('en-GB')} lines/s, ${Math.round((100 * reader.bytesRead()) / Math.max(1, reader.totalBytes))}% of ${name}`);
          }
        }
        while (inFlight.length > 0) await settleBatch();
        file = reader;
        files.push({ name, sha256: file.sha256(), lines, format: format.name });
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError((e as Error).message);
      }
      input += lines;
    }
    await pool?.close();
    await ratedCsv.close();

    // Calls the whole run condemned after they were written as rated (a later short call, an
    // earlier call in another file) move from rated.csv to the exceptions.
    const late = new Map<number, string>();
    for (const [index, why] of fraud.verdicts()) late.set(observed.get(index), why);
    const moved = late.size > 0 ? await moveFlagged(partial, late, opts.files.map((f) => f.name), sink) : { charge: 0, cost: 0, count: 0, keys: new Set<string>() };
    rated -= moved.count;
    charge -= moved.charge;
    cost -= moved.cost;
    await excCsv.close();
    await writeTablesXlsx(join(partial, 'exceptions.xlsx'), sink.tables());
    const summary: RateSummary = {
      input,
      rated,
      exceptions: sink.summary.counts(),
      charge: trimMoney(charge),
      cost: trimMoney(cost),
      workbook: opts.workbookHash,
      files,
    };
    await writeFile(join(partial, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    for (const f of ['rated.csv', 'exceptions.csv', 'exceptions.xlsx', 'summary.json']) await rename(join(partial, f), join(opts.outDir, f));
    await rm(partial, { recursive: true, force: true });
    return { summary, withdrawn: moved.keys };
  } catch (e) {
    await pool?.close().catch(() => undefined);
    await ratedCsv.close().catch(() => undefined);
    await excCsv.close().catch(() => undefined);
    await rm(partial, { recursive: true, force: true });
    throw e;
  }
}

/** Rewrites rated.csv without the late-flagged lines and adds them as SUSPECTED_FRAUD. */
async function moveFlagged(
  partial: string,
  late: Map<number, string>,
  fileNames: string[],
  sink: ExceptionSink,
): Promise<{ charge: number; cost: number; count: number; keys: Set<string> }> {
  const src = join(partial, 'rated.csv');
  const tmp = join(partial, 'rated.csv.tmp');
  const out = new CsvWriter(tmp);
  const index = new Map(fileNames.map((n, i) => [n, i]));
  let charge = 0;
  let cost = 0;
  let count = 0;
  let header = true;
  const moved: CallException[] = [];
  for await (const text of createInterface({ input: createReadStream(src), crlfDelay: Infinity })) {
    if (header) {
      header = false;
      out.writeLine(text + '\n');
      continue;
    }
    const f = splitCsvLine(text) ?? [];
    const key = (index.get(f[0]) ?? -1) * 2 ** 32 + Number(f[1]);
    const why = late.get(key);
    if (why === undefined) {
      out.writeLine(text + '\n');
      continue;
    }
    count++;
    const c = parseMicro(f[17] ?? '');
    const k = f[18] ? parseMicro(f[18]) : null;
    if (c.ok) charge += c.value;
    if (k?.ok) cost += k.value;
    moved.push({
      file: f[0], line: Number(f[1]), id: f[2], startMs: Date.parse(f[3]), caller: f[5], called: f[6], duration: Number(f[15]),
      cost: k?.ok ? k.value : null, reason: 'SUSPECTED_FRAUD', detail: `${why}; release the call if it is genuine`,
    });
  }
  await out.close();
  await rename(tmp, src);
  for (const e of moved) sink.add(e);
  return { charge, cost, count, keys: new Set(moved.map((e) => `${e.file}:${e.line}`)) };
}
