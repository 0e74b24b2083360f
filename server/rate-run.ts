// `ratebook rate`: CDR files through mediation, dedupe, owners, fraud and pricing into rated.csv,
// exceptions.csv, exceptions.xlsx and summary.json (SPEC §6). Every data line ends as exactly one
// rated call or one exception. Files are streamed; what the run remembers is what dedupe and the
// fraud windows need.

import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CallException, Cdr, ExceptionReason, RatedCall } from '../rules/cdr.js';
import { EXCEPTION_REASONS } from '../rules/cdr.js';
import { compileFormat, detectFormat, type FileFormat, type RawCdr } from '../rules/cdr-format.js';
import { EXCEPTION_HEADER, RATED_HEADER, exceptionRow, ratedLine, EXCEPTION_COLUMNS } from '../rules/call-rows.js';
import { Deduper } from '../rules/dedupe.js';
import { ExceptionSummary } from '../rules/exception-summary.js';
import { FraudWatch } from '../rules/fraud.js';
import { mediate, type MediationContext } from '../rules/mediate.js';
import { formatMicro, parseMicro, type Micro } from '../rules/money.js';
import { findOwner } from '../rules/owner.js';
import { priceCall } from '../rules/price.js';
import type { RatingModel } from '../rules/rating-model.js';
import type { Table } from '../rules/tables.js';
import { utcToLocalMs } from '../rules/zone.js';
import { openCdrFile, splitCsvLine, type CdrFile } from '../workbooks/cdr-lines.js';
import { CsvWriter } from '../workbooks/csv-writer.js';
import { writeTablesXlsx } from '../workbooks/table-xlsx.js';

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

class ExceptionSink {
  readonly summary = new ExceptionSummary();
  private readonly firstRows = new Map<ExceptionReason, string[][]>();
  constructor(
    private readonly csv: CsvWriter,
    private readonly zone: string,
    private readonly maxTabRows: number,
    private readonly listener?: (e: CallException) => void,
  ) {}

  add(e: CallException): void {
    this.summary.add(e);
    this.listener?.(e);
    const row = exceptionRow(e, this.zone);
    this.csv.write(row);
    let rows = this.firstRows.get(e.reason);
    if (!rows) this.firstRows.set(e.reason, (rows = []));
    if (rows.length < this.maxTabRows) rows.push(row as string[]);
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

async function chooseFormat(file: CdrFile, opts: RateOptions): Promise<FileFormat> {
  const it = file.batches();
  let sample: { fields: (string[] | null)[]; texts: string[] } = { fields: [], texts: [] };
  try {
    const first = await it.next();
    if (!first.done) sample = first.value;
  } finally {
    await it.return(undefined);
  }
  const fields = sample.fields.slice(0, 5);
  const texts = sample.texts.slice(0, 5);
  const rows = opts.model.rows.cdrFormats;
  const name = opts.format ?? detectFormat(fields, texts, rows);
  if (!name) throw new InputError(`${file.name}: the CDR format is not one Ratebook recognises; name it with --format (generic, asterisk, freeswitch or a CdrFormats format)`);
  const compiled = compileFormat(name, fields[0] ?? null, rows, opts.model.zone);
  if (!compiled.ok) throw new InputError(`${file.name}: ${compiled.error}`);
  return compiled.value;
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
  /** Run index of each fraud-observed call -> file index and line, to find rated lines flagged late. */
  const observed: number[] = [];
  const billable = new Set(s.billableDispositions);
  const files: FileSummary[] = [];
  let rated = 0;
  let charge = 0;
  let cost = 0;
  let input = 0;
  const t0 = Date.now();
  let lastProgress = t0;

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
        const format = await chooseFormat(file, opts);
        const ctx: MediationContext = { file: name, plan: model.plan, billable, format };
        let skipHeader = format.header;
        for await (const batch of file.batches()) {
          for (let b = 0; b < batch.lines.length; b++) {
            const line = batch.lines[b];
            const fields = batch.fields[b];
            if (skipHeader) {
              skipHeader = false;
              continue;
            }
            lines++;
            if (fields === null) {
              sink.add(invalidException(name, line, 'a quote is not closed on this line', null));
              continue;
            }
            const ex = format.extract(fields);
            if (ex.kind === 'bad') {
              sink.add(invalidException(name, line, ex.detail, ex.raw));
              continue;
            }
            const cdr = mediate(ex.raw, line, ctx);
            if (cdr.kind === 'invalid') {
              sink.add({ file: name, line, id: cdr.id, startMs: cdr.startMs, caller: cdr.caller, called: cdr.called, duration: cdr.duration, cost: null, reason: 'INVALID_RECORD', detail: cdr.detail });
              continue;
            }
            const first = dedupe.check(cdr);
            if (first) {
              sink.add(callException(cdr, 'DUPLICATE', `same call as ${first.file}:${first.line}`));
              continue;
            }
            const owner = findOwner(model, cdr, utcToLocalMs(zone, cdr.startMs));
            if (owner.kind === 'unrated') {
              sink.add(callException(cdr, owner.reason, owner.detail));
              continue;
            }
            if (cdr.direction === 'out' && fraud.active) {
              const why = fraud.observe(owner.number, cdr.startMs, cdr.duration, owner.day, observed.length);
              observed.push(fi * 2 ** 32 + line);
              if (why) {
                sink.add(callException(cdr, 'SUSPECTED_FRAUD', `${why}; release the call if it is genuine`));
                continue;
              }
            }
            const priced = priceCall(model, cdr, owner);
            if (priced.kind === 'unrated') {
              sink.add(callException(cdr, priced.reason, priced.detail));
              continue;
            }
            rated++;
            charge += priced.call.charge;
            if (priced.call.cost !== null) cost += priced.call.cost;
            ratedCsv.writeLine(ratedLine(priced.call, zone));
            opts.onRated?.(priced.call);
          }
          await ratedCsv.ready();
          await excCsv.ready();
          const now = Date.now();
          if (opts.progress && now - lastProgress > 2000) {
            lastProgress = now;
            const done = input + lines;
            opts.progress(`${name}: ${done.toLocaleString('en-GB')} lines, ${Math.round((done * 1000) / (now - t0)).toLocaleString('en-GB')} lines/s, ${Math.round((100 * file.bytesRead()) / Math.max(1, file.totalBytes))}% of ${name}`);
          }
        }
        files.push({ name, sha256: file.sha256(), lines, format: format.name });
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError((e as Error).message);
      }
      input += lines;
    }
    await ratedCsv.close();

    // Calls the whole run condemned after they were written as rated (a later short call, an
    // earlier call in another file) move from rated.csv to the exceptions.
    const late = new Map<number, string>();
    for (const [index, why] of fraud.verdicts()) late.set(observed[index], why);
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
    await ratedCsv.close().catch(() => undefined);
    await excCsv.close().catch(() => undefined);
    await rm(partial, { recursive: true, force: true });
    throw e;
  }
}

function invalidException(file: string, line: number, detail: string, raw: Partial<RawCdr> | null): CallException {
  return { file, line, id: raw?.id ?? '', startMs: null, caller: (raw?.caller ?? '').trim(), called: (raw?.called ?? '').trim(), duration: null, cost: null, reason: 'INVALID_RECORD', detail };
}

function callException(cdr: Cdr, reason: ExceptionReason, detail: string): CallException {
  return { file: cdr.file, line: cdr.line, id: cdr.id, startMs: cdr.startMs, caller: cdr.caller, called: cdr.called, callerN: cdr.callerN, calledN: cdr.calledN, duration: cdr.duration, cost: cdr.cost, reason, detail };
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
