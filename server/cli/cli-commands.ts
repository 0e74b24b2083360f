// The verbs of `ratebook`, one function each, over the shell's loaders and the pure core.

import { basename, join } from 'node:path';
import { mkdir, rename, rm, readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { keepVersion, loadWorkbookFile } from '../model/workbook-file.js';
import { formatIssues, summariseIssues } from './issue-report.js';
import { hasErrors } from '../../rules/result.js';
import { diffWorkbooks, formatDiff } from '../../rules/workbook/diff.js';
import { openStore } from '../store/store.js';
import { buildRatingModel, type RatingModel } from '../../rules/rating/rating-model.js';
import { contentHash } from '../../rules/workbook/content-hash.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import { rateFiles, InputError, type RateSummary } from '../runs/rate-run.js';
import { RatePool } from '../runs/rate-pool.js';
import type { ColumnPositions } from '../../rules/workbook/parse.js';
import type { CallException, RatedCall } from '../../rules/cdr/cdr.js';
import { runBilling } from '../../rules/billing/bill.js';
import { keepFinalRun, loadHistory } from '../store/billing-history.js';
import { writeBillOutputs } from '../bills/bill-output.js';
import { formatMicro } from '../../rules/money.js';
import { UsageError, type Command } from './command.js';
import { serve } from './serve-command.js';
import { checkSheetsSetUp, GOOGLE_HELP, importGoogle, sheetIdOption, SHEET_HELP, writeBillSheet, writeRunSheet } from './sheets-cli.js';
import { ExceptionTotals } from '../../rules/rating/exception-tabs.js';

export { UsageError, type Command, type CommandHelp } from './command.js';

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const fail = (s: string): number => {
  process.stderr.write(s.endsWith('\n') ? s : s + '\n');
  return 1;
};

function onePositional(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ${what}`);
  return positionals[0];
}

function need(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

const validate: Command = {
  help: { usage: 'validate WORKBOOK.xlsx', summary: 'check a workbook and list every problem at its cell; exit 1 if it has errors' },
  options: {},
  async run(_values, positionals) {
    const path = onePositional(positionals, 'WORKBOOK.xlsx');
    const loaded = await loadWorkbookFile(path);
    if (!loaded.ok) return fail(loaded.error);
    const wb = loaded.value;
    if (wb.issues.length > 0) out(formatIssues(wb.issues));
    out(`${wb.fileName}: ${summariseIssues(wb.issues)}${hasErrors(wb.issues) ? ' — fix the errors before publishing' : ' — valid'}`);
    return hasErrors(wb.issues) ? 1 : 0;
  },
};

const diff: Command = {
  help: { usage: 'diff OLD.xlsx NEW.xlsx', summary: 'list the rows added, removed and changed in each tab between two workbooks' },
  options: {},
  async run(_values, positionals) {
    if (positionals.length !== 2) throw new UsageError('expected OLD.xlsx NEW.xlsx');
    const [a, b] = await Promise.all(positionals.map((p) => loadWorkbookFile(p)));
    if (!a.ok) return fail(a.error);
    if (!b.ok) return fail(b.error);
    out(formatDiff(diffWorkbooks(a.value.rows, b.value.rows)));
    return 0;
  },
};

const DATA_DIR = 'the data directory: versions, runs and the billing history';

const importCmd: Command = {
  help: {
    usage: 'import WORKBOOK.xlsx --data DIR [--publish]',
    summary: 'keep a workbook as a new version in the data directory (or name the version with the same content)',
    options: [
      ['--data DIR', DATA_DIR],
      ['--publish', 'publish the version too (refused when it has errors)'],
      ['--importer NAME', 'who imported it, as the version records (default: $USER)'],
      GOOGLE_HELP,
    ],
  },
  options: { data: { type: 'string' }, publish: { type: 'boolean' }, importer: { type: 'string' }, google: { type: 'string' } },
  async run(values, positionals) {
    if (values.google !== undefined) return importGoogle(values, positionals);
    const path = onePositional(positionals, 'WORKBOOK.xlsx');
    const data = need(values, 'data');
    const loaded = await loadWorkbookFile(path);
    if (!loaded.ok) return fail(loaded.error);
    const wb = loaded.value;
    const store = await openStore(data);
    const { version, existing } = await keepVersion(store, wb, typeof values.importer === 'string' ? values.importer : process.env.USER ?? 'cli', wb.fileName);
    if (wb.issues.length > 0) out(formatIssues(wb.issues));
    out(`${existing ? 'already imported as' : 'imported as'} version ${version.seq} (${summariseIssues(wb.issues)}; content ${version.contentHash.slice(0, 12)})`);
    if (values.publish) {
      const p = await store.publish(version.seq);
      if (!p.ok) return fail(`not published: ${p.error}`);
      out(`published version ${version.seq}`);
    }
    return hasErrors(wb.issues) && values.publish ? 1 : 0;
  },
};

const publish: Command = {
  help: {
    usage: 'publish SEQ --data DIR',
    summary: 'make version SEQ the one rating and billing use (refused when it has errors)',
    options: [['--data DIR', DATA_DIR]],
  },
  options: { data: { type: 'string' } },
  async run(values, positionals) {
    const seqText = onePositional(positionals, 'SEQ');
    if (!/^\d+$/.test(seqText)) throw new UsageError(`SEQ must be a version number (got "${seqText}")`);
    const store = await openStore(need(values, 'data'));
    const p = await store.publish(Number(seqText));
    if (!p.ok) return fail(p.error);
    out(`published version ${p.version.seq} (${p.version.fileName}, imported ${p.version.importedAt} by ${p.version.importer})`);
    return 0;
  },
};

interface Workbook {
  rows: SheetRows;
  model: RatingModel;
  hash: string;
}

/**
 * --workbook, else the published version of --data. `early` is told the rows (a version's as its JSON text) as soon as they are
 * known (before the model is built from a version), so rating workers can build theirs meanwhile.
 */
async function workbookFor(values: Record<string, unknown>, early?: (rows: SheetRows | string, positions: ColumnPositions) => void): Promise<Workbook> {
  if (typeof values.workbook === 'string') {
    const loaded = await loadWorkbookFile(values.workbook);
    if (!loaded.ok) throw new InputError(loaded.error);
    const wb = loaded.value;
    if (!wb.model) throw new InputError(`${formatIssues(wb.issues.filter((i) => i.severity === 'error'))}\n${wb.fileName}: ${summariseIssues(wb.issues)} — fix the errors first`);
    early?.(wb.rows, wb.model.positions);
    return { rows: wb.rows, model: wb.model, hash: wb.hash };
  }
  if (typeof values.data === 'string') {
    const store = await openStore(values.data);
    const v = await store.published();
    if (!v) throw new InputError(`${values.data} has no published version; import one with --publish`);
    const text = await store.loadRowsText(v.seq);
    // A version's model has no column positions of its own either (details name template columns).
    early?.(text, {});
    const rows = JSON.parse(text) as SheetRows;
    return { rows, model: buildRatingModel(rows), hash: contentHash(rows) };
  }
  throw new UsageError('--workbook is required (or --data with a published version)');
}

const cdrList = (values: Record<string, unknown>): { path: string; name: string }[] => {
  const list = values.cdrs;
  if (!Array.isArray(list) || list.length === 0) throw new UsageError('--cdrs is required');
  const names = new Set<string>();
  return (list as string[]).map((path) => {
    let name = basename(path);
    for (let i = 2; names.has(name); i++) name = `${basename(path)}#${i}`;
    names.add(name);
    return { path, name };
  });
};

const progress = (line: string): void => void process.stderr.write(line + '\n');

function printRateSummary(s: RateSummary): void {
  const exc = Object.values(s.exceptions).reduce((a, b) => a + (b ?? 0), 0);
  out(`rated ${s.rated.toLocaleString('en-GB')} of ${s.input.toLocaleString('en-GB')} calls, ${exc.toLocaleString('en-GB')} exceptions; charge ${s.charge}, cost ${s.cost}`);
  for (const [reason, n] of Object.entries(s.exceptions)) out(`  ${reason.padEnd(20)} ${String(n).padStart(8)}`);
  out(`  ${'input'.padEnd(20)} ${String(s.input).padStart(8)} = ${s.rated} rated + ${exc} exceptions`);
}

const rateOptions = {
  workbook: { type: 'string' },
  cdrs: { type: 'string', multiple: true },
  format: { type: 'string' },
  out: { type: 'string' },
  data: { type: 'string' },
  workers: { type: 'string' },
  'tab-rows': { type: 'string' },
  sheet: { type: 'string' },
} as const;

/** --tab-rows N: rows each reason's tab of exceptions.xlsx keeps (exceptions.csv has them all); 2,000 unless given. */
function tabRows(values: Record<string, unknown>): number {
  const v = values['tab-rows'];
  if (v === undefined) return 2000;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) > 1_000_000) throw new UsageError(`--tab-rows must be a number from 0 to 1000000 (got "${String(v)}")`);
  return Number(v);
}

/** Input at which a run is worth a worker thread: below it, starting one costs more than it saves. */
const WORKER_THRESHOLD_BYTES = 64 * 1024 * 1024;

/**
 * --workers N: worker threads that rate while the main thread reads, dedupes, counts fraud windows
 * and writes (0: the main thread does it all). Default: one fewer than the machine's cores when the
 * CDR files add up to 64 MiB or more, else 0.
 */
async function workerCount(values: Record<string, unknown>, files: { path: string }[]): Promise<number> {
  if (typeof values.workers === 'string') {
    if (!/^\d+$/.test(values.workers) || Number(values.workers) > 16) throw new UsageError(`--workers must be a number from 0 to 16 (got "${values.workers}")`);
    return Number(values.workers);
  }
  let bytes = 0;
  for (const f of files) bytes += await stat(f.path).then((st) => st.size, () => 0);
  return bytes >= WORKER_THRESHOLD_BYTES ? Math.min(16, Math.max(1, availableParallelism() - 1)) : 0;
}

/** Options rate and bill share, as the help explains them. */
const RATE_HELP: Record<string, [string, string]> = {
  workbook: ['--workbook W.xlsx', 'the workbook to rate with (or leave it out and give --data)'],
  cdrs: ['--cdrs FILE', 'a CDR file (may be gzipped); repeat it for several'],
  format: ['--format NAME', 'the files\' format: generic, asterisk, freeswitch or a CdrFormats format (default: recognised from the file)'],
  out: ['--out DIR', 'where the files are written'],
  data: ['--data DIR', 'the data directory: its published version is used when --workbook is left out'],
  tabRows: ['--tab-rows N', 'rows each reason\'s tab of exceptions.xlsx keeps (default 2000; exceptions.csv has them all)'],
};

const rate: Command = {
  help: {
    usage: 'rate --workbook W.xlsx --cdrs FILE [--cdrs FILE...] [--format NAME] --out DIR [--data DIR] [--workers N] [--tab-rows N]',
    summary: 'rate CDR files: rated.csv, exceptions.csv, exceptions.xlsx and summary.json in DIR',
    options: [
      RATE_HELP.workbook,
      RATE_HELP.cdrs,
      RATE_HELP.format,
      RATE_HELP.out,
      RATE_HELP.data,
      ['--workers N', 'worker threads that rate, 0 to 16 (default: one fewer than the cores for 64 MiB of CDRs or more, else 0)'],
      RATE_HELP.tabRows,
      SHEET_HELP,
    ],
  },
  options: rateOptions,
  async run(values) {
    const outDir = need(values, 'out');
    const files = cdrList(values);
    const maxTabRows = tabRows(values);
    const workers = await workerCount(values, files);
    const sheet = sheetIdOption(values, 'sheet');
    if (sheet) await checkSheetsSetUp();
    const totals = sheet ? new ExceptionTotals() : undefined;
    // The workers build their models while this thread builds its own.
    let pool: RatePool | undefined;
    let wb: Workbook;
    try {
      wb = await workbookFor(values, (rows, positions) => void (pool = workers > 0 ? new RatePool(workers, rows, positions) : undefined));
    } catch (e) {
      await pool?.close();
      throw e;
    }
    await mkdir(outDir, { recursive: true });
    const { summary } = await rateFiles({ model: wb.model, workbookHash: wb.hash, files, format: values.format as string | undefined, outDir, progress, workers, pool, maxTabRows, onException: totals && ((e) => totals.addException(e)) });
    printRateSummary(summary);
    out(`wrote ${join(outDir, 'rated.csv')}, exceptions.csv, exceptions.xlsx, summary.json`);
    if (sheet && totals) await writeRunSheet(sheet, outDir, totals);
    return 0;
  },
};

const bill: Command = {
  help: {
    usage: 'bill --workbook W.xlsx --cdrs FILE [...] --period YYYY-MM --out DIR [--data DIR] [--final] [--tab-rows N]',
    summary: 'rate CDR files and bill a month: invoices.csv, invoice_lines.csv and invoices/ in DIR (a draft unless --final)',
    options: [
      RATE_HELP.workbook,
      RATE_HELP.cdrs,
      RATE_HELP.format,
      ['--period YYYY-MM', 'the month to bill'],
      ['--out DIR', 'where the files are written (the rating files in DIR/rating)'],
      ['--data DIR', 'the data directory: its published version when --workbook is left out, and the billing history'],
      ['--final', 'make the period final: kept in the history of --data, never changed again'],
      RATE_HELP.tabRows,
      SHEET_HELP,
    ],
  },
  options: { ...rateOptions, period: { type: 'string' }, final: { type: 'boolean' } },
  async run(values) {
    const outDir = need(values, 'out');
    const period = need(values, 'period');
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new UsageError(`--period must be YYYY-MM (got "${period}")`);
    if (values.final && typeof values.data !== 'string') throw new UsageError('--final needs --data: the billing history is kept there');
    const files = cdrList(values);
    const maxTabRows = tabRows(values);
    const sheet = sheetIdOption(values, 'sheet');
    if (sheet) await checkSheetsSetUp();
    const wb = await workbookFor(values);
    const history = typeof values.data === 'string' ? await loadHistory(values.data) : null;
    await mkdir(outDir, { recursive: true });
    const calls: RatedCall[] = [];
    const unknown: CallException[] = [];
    const { summary, withdrawn } = await rateFiles({
      model: wb.model,
      workbookHash: wb.hash,
      files,
      format: values.format as string | undefined,
      outDir: join(outDir, 'rating'),
      progress,
      maxTabRows,
      onRated: (c) => calls.push(c),
      onException: (e) => {
        if (e.reason === 'UNKNOWN_NUMBER') unknown.push(e);
      },
    });
    printRateSummary(summary);
    const billable = withdrawn.size === 0 ? calls : calls.filter((c) => !withdrawn.has(`${c.file}:${c.line}`));
    const result = runBilling({ rows: wb.rows, calls: billable, period, history, final: values.final === true });
    if (!result.ok) return fail(result.error.map((e) => e.message).join('\n'));
    const run = result.value;
    const partial = join(outDir, '.partial');
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    const written = await writeBillOutputs({
      dir: partial,
      run,
      rows: wb.rows,
      provenance: { workbookHash: wb.hash, files: summary.files.map((f) => ({ name: f.name, sha256: f.sha256 })) },
      unknownNumbers: unknown,
    });
    await rm(join(outDir, 'invoices'), { recursive: true, force: true });
    for (const f of written) await rename(join(partial, f), join(outDir, f));
    await rm(partial, { recursive: true, force: true });
    if (values.final && history && typeof values.data === 'string') {
      const names = (await readdir(outDir)).filter((f) => f !== 'rating' && !f.startsWith('.'));
      await keepFinalRun(values.data, period, outDir, names, run.additions);
    }
    const m2 = (v: number): string => formatMicro(v, 2).padStart(11);
    out(`${run.invoices.length} invoice${run.invoices.length === 1 ? '' : 's'} for ${period}${values.final ? ' (final)' : ' (draft)'}:`);
    out(`  ${'invoice'.padEnd(12)} ${'account'.padEnd(10)} ${'net'.padStart(11)} ${'tax'.padStart(11)} ${'total'.padStart(11)}`);
    let net = 0;
    let tax = 0;
    for (const i of run.invoices) {
      out(`  ${i.invoice.padEnd(12)} ${i.account.padEnd(10)} ${m2(i.net)} ${m2(i.tax)} ${m2(i.total)}${i.creditNote ? '  credit note' : ''}`);
      net += i.net;
      tax += i.tax;
    }
    out(`  ${'total'.padEnd(23)} ${m2(net)} ${m2(tax)} ${m2(net + tax)} ${run.invoices[0]?.currency ?? ''}`);
    if (run.waitingCalls > 0) out(`  ${run.waitingCalls} call(s) of NonBillable numbers wait for a later invoice`);
    out(`wrote ${join(outDir, 'invoices.csv')}, invoice_lines.csv, invoices/, reports; rating files in ${join(outDir, 'rating')}`);
    if (sheet) await writeBillSheet(sheet, run.invoices);
    return 0;
  },
};

export const commands: Record<string, Command> = { validate, diff, import: importCmd, publish, rate, bill, serve };
