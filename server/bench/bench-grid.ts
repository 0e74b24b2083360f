// Grid pages of a big run while another run rates (SPEC §7 Grid pages: on a run of 1,000,000 rated
// calls, a page sorted and filtered by any column answers in under 100 ms at the 99th percentile
// once the column has been sorted once, while another run is rating).
//
// Through the real server: a data directory with the bench workbook published, run 1 rated from
// the bench's CDRs (about 1,000,000 rated calls) and its grid loaded (the first page), then run 2
// (as many calls again) started while pages of run 1 are asked for over app.request — the route,
// the grid, the JSON. Prints the first load, each column's first sort, page times (p50/p99/max)
// for paging a view and for a new filter each time, the event loop's delay while run 2 rates, and
// the peak RSS of the process (its rating threads included).
//
//   npx tsx server/bench/bench-grid.ts [--lines 1120000] [--pages 40] [--dir /tmp/ratebook-bench-grid] [--alone] [--fresh]
//
// The workbook, the CDR files and run 1 are kept in --dir between runs (they take a while to make).

import { appendFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createApp } from '../http/app.js';
import { openContext, type ServerContext } from '../http/context.js';
import { runRoutes } from '../http/routes/runs.js';
import { loadWorkbookFile } from '../model/workbook-file.js';
import { openStore } from '../store/store.js';
import { writeBenchCdrs } from './bench-cdrs.js';
import { writeBenchWorkbook } from './bench-workbook.js';

export interface GridBenchOptions {
  dir: string;
  /** CDR lines of each run (about 90% rate). */
  lines: number;
  /** Pages timed per column and way of asking. */
  pages: number;
  /** Rate run 1 again even when an earlier bench left it. */
  fresh?: boolean;
  /** Time the pages with no other run rating (their CPU cost alone: on a busy machine the wall time says little). */
  alone?: boolean;
  log?: (line: string) => void;
}

export interface Timing {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export interface GridBenchResult {
  rated: number;
  /** Run 1's rating (0 when kept from an earlier bench). */
  rateMs: number;
  loadMs: number;
  firstSortMs: Record<string, number>;
  /** Pages of one view (sort + filter fixed, offsets random). */
  paging: Timing;
  /** Each page a new filter text (its scan not cached), sorted by a column sorted before. */
  newFilter: Timing;
  /** Pages answered while run 2 was rating, of all timed. */
  duringRating: string;
  /** CPU time of the process per page (alone: the main thread's; with run 2 rating it counts its threads too). */
  pagingCpu: Timing;
  newFilterCpu: Timing;
  /** The machine's load average (1 minute) at the start and the end of the timed pages. */
  loadAverage: string;
  eventLoopDelay: { p99: number; max: number };
  peakRssMiB: number;
}

const timing = (ms: number[]): Timing => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), max: Math.round(s[s.length - 1] * 10) / 10, n: s.length };
};

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Sort columns timed: money, time, digits, names, ints, the unique id. */
const SORTS = ['charge', 'start', 'caller', 'account', 'duration', 'destination', 'id', 'cost'];
/** Filters paired with the sorts: a column and texts to look for. */
const FILTERS: [string, string[]][] = [
  ['destination', ['dest 1', 'dest 42', 'dest 9', 'dest 31']],
  ['caller', ['4420', '44161000', '12', '999']],
  ['account', ['c0001', 'c00042', 'c000']],
  ['band', ['peak', 'off']],
  ['charge', ['>=1', '>=0.5,<=2', '<=0.1']],
  ['duration', ['>=300', '>=60,<=120']],
];

export async function benchGrid(o: GridBenchOptions): Promise<GridBenchResult> {
  const log = o.log ?? ((l: string) => void process.stderr.write(l + '\n'));
  await mkdir(o.dir, { recursive: true });
  const book = join(o.dir, 'bench.xlsx');
  const cdrA = join(o.dir, `a-${o.lines}.csv`);
  const cdrB = join(o.dir, `b-${o.lines}.csv`);
  if (!(await exists(book))) {
    log('writing the bench workbook…');
    await writeBenchWorkbook(book);
  }
  if (!(await exists(cdrA))) {
    log(`writing ${o.lines.toLocaleString('en-GB')} CDRs twice…`);
    await writeBenchCdrs(cdrA, o.lines);
    await writeBenchCdrs(cdrB, o.lines);
    // One more call, so run 2's file is not the file run 1 holds.
    await appendFile(cdrB, 'extra-1,2026-10-31 23:59:59,1,441610000001,4410001234,,out,0.0002\n');
  }
  const dataDir = join(o.dir, 'data');
  // A data directory of an earlier bench with run 1 done is used again (--fresh starts over).
  const kept = !o.fresh && (await readFile(join(dataDir, 'runs', '1', 'run.json'), 'utf8').then((t) => (JSON.parse(t) as { status: string }).status === 'done', () => false));
  if (!kept) {
    await rm(dataDir, { recursive: true, force: true });
    log('importing the bench workbook…');
    const wb = await loadWorkbookFile(book, 1e9);
    if (!wb.ok || !wb.value.model) throw new Error(wb.ok ? 'the bench workbook has errors' : wb.error);
    const store = await openStore(dataDir);
    const { version } = await store.importVersion({ fileBytes: wb.value.bytes, fileName: 'bench.xlsx', rows: wb.value.rows, contentHash: wb.value.hash, issues: wb.value.issues, importer: 'bench', source: 'bench.xlsx' });
    const published = await store.publish(version.seq);
    if (!published.ok) throw new Error(published.error);
  } else {
    // Only run 1 stays: later runs of the earlier bench go, so run 2's file can be rated again.
    for (const e of await readdir(join(dataDir, 'runs'))) if (e !== '1') await rm(join(dataDir, 'runs', e), { recursive: true, force: true });
  }

  const ctx: ServerContext = await openContext({ dataDir });
  try {
    const app = createApp(ctx, { routers: [runRoutes] });
    const token = (await ctx.tokens.create('bench', 'admin', 'bench')).token;
    const get = async (path: string): Promise<{ ms: number; total: number }> => {
      const t0 = performance.now();
      const r = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
      const body = (await r.json()) as { total: number; error?: string };
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${body.error}`);
      return { ms: performance.now() - t0, total: body.total };
    };
    const submit = async (path: string, name: string) => {
      const st = await stat(path);
      return ctx.runs.submit({ version: 1, format: null, files: [{ path, name, sha256: await sha256(path), bytes: st.size, gzip: false }], createdBy: 'bench', move: false });
    };

    let rateMs = 0;
    if (!kept) {
      log('rating run 1…');
      const t0 = performance.now();
      await submit(cdrA, 'a.csv');
      await ctx.runs.idle();
      rateMs = Math.round(performance.now() - t0);
    }
    const one = ctx.runs.runs.get(1)!;
    const rec = one;
    if (rec.status !== 'done') throw new Error(`run 1 ${rec.status}: ${rec.error}`);
    const rated = rec.summary!.rated;
    log(`run 1: ${rated.toLocaleString('en-GB')} rated calls${kept ? ' (kept from an earlier bench)' : ` in ${(rateMs / 1000).toFixed(1)} s`}`);

    const loadMs = Math.round((await get(`/api/runs/${one.id}/rated?limit=100`)).ms);
    log(`first page (reads rated.csv into columns): ${loadMs} ms`);
    log(o.alone ? 'asking for pages of run 1 (no other run rating)…' : 'starting run 2, then asking for pages of run 1…');
    const loadBefore = loadavg()[0];
    const two = o.alone ? null : await submit(cdrB, 'b.csv');
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    let during = 0;
    let asked = 0;
    const rating = (): boolean => two !== null && ctx.runs.runs.get(two.id)!.status !== 'done';
    let cpuMs = 0;
    const page = async (query: string): Promise<number> => {
      const c0 = process.cpuUsage();
      const r = await get(`/api/runs/${one.id}/rated?${query}`);
      const c = process.cpuUsage(c0);
      cpuMs = (c.user + c.system) / 1000;
      asked++;
      if (rating()) during++;
      return r.ms;
    };
    const pagingCpu: number[] = [];
    const newFilterCpu: number[] = [];
    const firstSortMs: Record<string, number> = {};
    const paging: number[] = [];
    const newFilter: number[] = [];
    let seed = 1;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let si = 0; si < SORTS.length; si++) {
      const col = SORTS[si];
      firstSortMs[col] = Math.round(await page(`sort=${col}:asc&limit=100`));
      const [fcol, texts] = FILTERS[si % FILTERS.length];
      // One view paged through: sort and filter fixed, offsets anywhere in it.
      const base = `sort=${col}:${si % 2 ? 'desc' : 'asc'}&filter[${fcol}]=${encodeURIComponent(texts[0])}`;
      const { total } = await get(`/api/runs/${one.id}/rated?${base}&limit=1`);
      for (let i = 0; i < o.pages; i++) {
        paging.push(await page(`${base}&limit=100&offset=${Math.floor(rand() * Math.max(1, total - 100))}`));
        pagingCpu.push(cpuMs);
      }
      // A new filter each time (the user typing): the filter's scan is not cached.
      for (let i = 0; i < o.pages; i++) {
        const [c, t] = FILTERS[Math.floor(rand() * FILTERS.length)];
        const text = t[Math.floor(rand() * t.length)] + (t[0].startsWith('>') || t[0].startsWith('<') ? '' : String(i));
        newFilter.push(await page(`sort=${col}:desc&filter[${c}]=${encodeURIComponent(text)}&limit=100`));
        newFilterCpu.push(cpuMs);
      }
      log(`${col}: first sort ${firstSortMs[col]} ms; paging p99 so far ${timing(paging).p99} ms; new filters p99 so far ${timing(newFilter).p99} ms${rating() ? ' (run 2 rating)' : ''}`);
    }
    loop.disable();
    const stillRating = rating();
    const loadAfter = loadavg()[0];
    const eventLoopDelay = { p99: Math.round(loop.percentile(99) / 1e5) / 10, max: Math.round(loop.max / 1e5) / 10 };
    log('waiting for run 2…');
    await ctx.runs.idle();
    return {
      rated,
      rateMs,
      loadMs,
      firstSortMs,
      paging: timing(paging),
      newFilter: timing(newFilter),
      duringRating: `${during} of ${asked} pages${stillRating ? ' (run 2 still rating at the end)' : ''}`,
      pagingCpu: timing(pagingCpu),
      newFilterCpu: timing(newFilterCpu),
      loadAverage: `${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
      eventLoopDelay,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await ctx.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { lines: { type: 'string' }, pages: { type: 'string' }, dir: { type: 'string' }, alone: { type: 'boolean' }, fresh: { type: 'boolean' } } });
  const result = await benchGrid({
    dir: values.dir ?? join(tmpdir(), 'ratebook-bench-grid'),
    lines: Number(values.lines ?? 1_120_000),
    pages: Number(values.pages ?? 40),
    alone: values.alone === true,
    fresh: values.fresh === true,
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!)) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench-grid: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
