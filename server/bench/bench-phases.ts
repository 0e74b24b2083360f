// The measured steps of the benchmark, each run alone in a child process by bench.ts.

import { writeBenchWorkbook } from './bench-workbook.js';
import { readWorkbookFile, streamReadBaseline } from '../../workbooks/workbook-reader.js';
import { parseWorkbook } from '../../rules/workbook/parse.js';
import { checkWorkbook } from '../../rules/workbook/crosscheck.js';
import { buildRatingModel } from '../../rules/rating/rating-model.js';
import { buildModelDb } from '../model/model-db.js';
import { writeBenchCdrs } from './bench-cdrs.js';
import { benchBillingMonth } from './bench-billing.js';
import { runBilling } from '../../rules/billing/bill.js';
import { writeBillOutputs } from '../bills/bill-output.js';
import { renderInvoiceHtml } from '../../workbooks/invoice-html.js';
import { writeInvoiceXlsx } from '../../workbooks/invoice-xlsx.js';
import { rateFiles } from '../runs/rate-run.js';
import { RatePool } from '../runs/rate-pool.js';
import { loadWorkbookFile } from '../model/workbook-file.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { SheetRows } from '../../rules/workbook/rows.js';
import { contentHash } from '../../rules/workbook/content-hash.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

export type PhaseOutput = { name: string; rows?: number; ms?: number; extra?: Record<string, string | number> };

const timed = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const v = await f();
  return [v, Math.round(performance.now() - t0)];
};

export const benchPhases: Record<string, (args: string[]) => Promise<PhaseOutput>> = {
  'write-workbook': async ([file]) => {
    await writeBenchWorkbook(file);
    return { name: 'write bench workbook' };
  },
  'read-baseline': async ([file]) => {
    const rows = await streamReadBaseline(file);
    return { name: 'baseline: exceljs streaming read', rows };
  },
  'write-cdrs': async ([file, count]) => {
    await writeBenchCdrs(file, Number(count));
    return { name: `write ${Number(count).toLocaleString('en-GB')} bench CDRs` };
  },
  /** The floor no rating can beat: read the file, split lines and fields, write a line of the same size. */
  'rate-floor': async ([file]) => {
    const dir = await mkdtemp(join(tmpdir(), 'ratebook-floor-'));
    const out = createWriteStream(join(dir, 'out.csv'));
    let rest = '';
    let rows = 0;
    let buf = '';
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const f = line.split(',');
        rows++;
        buf += f.join(',') + '\n';
      }
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
    out.end();
    await once(out, 'finish');
    await rm(dir, { recursive: true, force: true });
    return { name: 'floor: read, split, write', rows };
  },
  /** Imports the bench workbook as a published version would be kept: parsed rows as JSON. */
  'prepare-version': async ([book, rowsFile]) => {
    const wb = await loadWorkbookFile(book, 1e9);
    if (!wb.ok || !wb.value.model) throw new Error(wb.ok ? 'bench workbook has errors' : wb.error);
    await writeFile(rowsFile, JSON.stringify(wb.value.rows));
    return { name: 'import bench workbook as a version' };
  },
  /** `ratebook rate --data DIR`: the published version's rows, the model built, then the CDRs. */
  rate: async ([rowsFile, file, workers = '0']) => {
    const t0 = performance.now();
    const text = await readFile(rowsFile, 'utf8');
    // As `ratebook rate --data` does: the workers parse the version and build their models while this thread does the same.
    const pool = Number(workers) > 0 ? new RatePool(Number(workers), text, {}) : undefined;
    const rows = JSON.parse(text) as SheetRows;
    const model = buildRatingModel(rows);
    const loadMs = Math.round(performance.now() - t0);
    const workbookHash = contentHash(rows);
    const dir = await mkdtemp(join(tmpdir(), 'ratebook-rate-'));
    const t1 = performance.now();
    const { summary } = await rateFiles({ model, workbookHash, files: [{ path: file, name: 'bench.csv' }], outDir: dir, workers: Number(workers), pool });
    const ms = performance.now() - t1;
    await rm(dir, { recursive: true, force: true });
    const exc = Object.values(summary.exceptions).reduce((a, b) => a + (b ?? 0), 0);
    return { name: workers === '0' ? 'ratebook rate, single-threaded' : `ratebook rate, ${workers} worker thread${workers === '1' ? '' : 's'}`, rows: summary.input, ms, extra: { model_load_ms: loadMs, rated: summary.rated, exceptions: exc, with_load_rows_per_s: Math.round((summary.input * 1000) / (ms + loadMs)) } };
  },
  bill: async () => {
    const { rows, calls } = benchBillingMonth();
    const dir = await mkdtemp(join(tmpdir(), 'ratebook-bill-'));
    const t0 = performance.now();
    const r = runBilling({ rows, calls, period: '2026-10', history: null, final: false });
    if (!r.ok) throw new Error(r.error[0].message);
    const billMs = Math.round(performance.now() - t0);
    const options = { dir, run: r.value, rows, provenance: { workbookHash: 'bench', files: [] }, unknownNumbers: [], documents: false };
    await writeBillOutputs(options);
    const ms = performance.now() - t0;
    // Invoice documents: every .html, and the .xlsx of the first 200 (exceljs is the slow part) to extrapolate.
    const t1 = performance.now();
    for (const inv of r.value.invoices) await writeFile(join(dir, `${inv.invoice}.html`), renderInvoiceHtml(inv, rows.settings, options.provenance));
    const htmlMs = Math.round(performance.now() - t1);
    const t2 = performance.now();
    const sample = r.value.invoices.slice(0, 200);
    for (const inv of sample) await writeInvoiceXlsx(join(dir, `${inv.invoice}.xlsx`), inv, rows.settings, options.provenance);
    const xlsxMs = ((performance.now() - t2) / sample.length) * r.value.invoices.length;
    await rm(dir, { recursive: true, force: true });
    return {
      name: 'bill draft: invoices, lines, reports',
      rows: calls.length,
      ms,
      extra: { invoices: r.value.invoices.length, runBilling_ms: billMs, html_all_ms: htmlMs, xlsx_all_ms_extrapolated: Math.round(xlsxMs) },
    };
  },
  compile: async ([file]) => {
    const t0 = performance.now();
    const [raw, readMs] = await timed(() => readWorkbookFile(file, { maxBytes: 1e9 }));
    if (!raw.ok) throw new Error(raw.error);
    const rows = raw.value.sheets.reduce((n, s) => n + s.rows.length, 0);
    const [parsed, parseMs] = await timed(() => parseWorkbook(raw.value));
    const [issues, checkMs] = await timed(() => checkWorkbook(parsed.rows, parsed.positions));
    const [, modelMs] = await timed(() => buildRatingModel(parsed.rows));
    const ms = performance.now() - t0;
    // The sql.js tables serve search, reports and grids; the command line never builds them.
    const [, dbMs] = await timed(() => buildModelDb(parsed.rows));
    const errors = [...parsed.issues, ...issues].filter((i) => i.severity === 'error').length;
    return {
      name: 'read + validate + compile',
      rows,
      ms,
      extra: { read_ms: readMs, parse_ms: parseMs, check_ms: checkMs, model_ms: modelMs, then_sqljs_tables_ms: dbMs, errors },
    };
  },
};
