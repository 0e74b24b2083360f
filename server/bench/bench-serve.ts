// `npm run bench -- serve` (SPEC §7, issue 12 bench): the bundled server as a team meets it, over
// 127.0.0.1 only. A `ratebook serve` child process on a fresh data directory; the bench workbook
// imported and published through the API; a CDR file of about 1,000,000 rated calls uploaded
// (MB/s beside a plain copy of the same bytes, in the same run) and rated; then, while a second
// run of the same size rates, grid pages of the first run's rated calls sorted and filtered by
// its columns: p50/p99 latency (each column's first sort timed apart, not in the percentiles),
// errors, and the server's peak memory (VmHWM of its /proc status).
//
// Bounded: the page loop stops when the second run is done, after BENCH_SERVE_SECONDS (default
// 60) or after BENCH_SERVE_PAGES pages (default 5,000), whichever comes first. Inputs are kept in
// the bench folder between runs (they take a while to make); the data directory is removed.

import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { appendFile, copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { RATED_HEADER } from '../../rules/rating/call-rows.js';
import { packageRoot } from '../http/package-root.js';
import { writeBenchCdrs } from './bench-cdrs.js';
import { writeBenchWorkbook } from './bench-workbook.js';

export interface ServeBenchOptions {
  /** Where the inputs are kept and the data directory is made. */
  dir: string;
  /** CDR lines of each run (about 90% rate: 1,120,000 lines give about 1,000,000 rated calls). */
  lines: number;
  /** The page loop's time limit. */
  seconds: number;
  /** The page loop's count limit. */
  maxPages: number;
  log: (line: string) => void;
}

export interface Percentiles {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

const MiB = 1024 * 1024;

const percentiles = (ms: number[]): Percentiles => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => (s.length === 0 ? NaN : Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10);
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s.length === 0 ? NaN : Math.round(s[s.length - 1] * 10) / 10 };
};

const fmtP = (p: Percentiles): string => `${p.n} pages: p50 ${p.p50} ms, p99 ${p.p99} ms, max ${p.max} ms`;
const mbps = (bytes: number, ms: number): number => Math.round((bytes / MiB / (ms / 1000)) * 10) / 10;

/** CPU seconds the process has used (user + system), from /proc/<pid>/stat: how much of the machine the server got. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command; clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The server's memory now and at its peak, MiB (/proc: Linux only; NaN elsewhere). */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const mib = (key: string): number => Math.round(Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024);
  return { rss: mib('VmRSS'), hwm: mib('VmHWM') };
}

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | string>;
}

/** `node server/ratebook.mjs serve` on 127.0.0.1, a free port, the given data directory and admin token. */
async function startServer(dataDir: string, token: string): Promise<Server> {
  const child = spawn(process.execPath, [join(packageRoot(), 'server', 'ratebook.mjs'), 'serve', '--host', '127.0.0.1', '--port', '0', '--data', dataDir], {
    env: { ...process.env, RATEBOOK_ADMIN_TOKEN: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before serving:\n${out}`)));
  });
  return { child, url, exited };
}

/** Streams one file up as the multipart field `field` (Content-Length set), as a browser's form would send it: the answer and the time it took. */
function uploadFile(url: string, path: string, token: string, field: string, name: string, fields: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const boundary = `----ratebook-bench-${randomBytes(8).toString('hex')}`;
  const pre = Buffer.from(
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const post = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = statSync(path).size;
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({
      method: 'POST',
      hostname: u.hostname,
      port: u.port,
      path: u.pathname,
      agent: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(pre.length + size + post.length) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown>, ms: performance.now() - t0 }));
    });
    req.write(pre);
    const file = createReadStream(path, { highWaterMark: MiB });
    file.on('error', reject);
    file.on('end', () => req.end(post));
    file.pipe(req, { end: false });
  });
}

/** A plain copy of the same bytes on the same disk: the upload's baseline. */
async function timedCopy(from: string, to: string): Promise<number> {
  const t0 = performance.now();
  await pipeline(createReadStream(from, { highWaterMark: MiB }), createWriteStream(to));
  const ms = performance.now() - t0;
  await rm(to, { force: true });
  return ms;
}

/** Filters a user might type over the bench's rated calls: column and text (numeric columns take ranges). */
const FILTERS: [string, string[]][] = [
  ['destination', ['dest 1', 'dest 42', 'dest 9', 'dest 317']],
  ['caller', ['4420', '44161000', '999', '12']],
  ['called', ['44100', '4410', '555']],
  ['account', ['c0001', 'c00042', 'c000']],
  ['band', ['peak', 'off']],
  ['class', ['nat', 'mob']],
  ['tariff', ['tariff3', 'tariff']],
  ['method', ['rate', 'fall']],
  ['charge', ['>=1', '>=0.5,<=2', '<=0.1']],
  ['duration', ['>=300', '>=60,<=120']],
  ['billed_seconds', ['<=30']],
];

/** A deterministic random sequence (the same pages every run). */
function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

export async function benchServe(o: ServeBenchOptions): Promise<void> {
  const log = o.log;
  await mkdir(o.dir, { recursive: true });
  const book = join(o.dir, 'bench-workbook.xlsx');
  if (!existsSync(book)) {
    log('writing the bench workbook…');
    await writeBenchWorkbook(book);
  }
  const cdrA = join(o.dir, `serve-a-${o.lines}.csv`);
  const cdrB = join(o.dir, `serve-b-${o.lines}.csv`);
  if (!existsSync(cdrA) || !existsSync(cdrB)) {
    log(`writing ${o.lines.toLocaleString('en-GB')} CDRs…`);
    await writeBenchCdrs(cdrA, o.lines);
    // The second run's file: the same calls and one more, so it is not the file run A holds (409).
    await copyFile(cdrA, cdrB);
    await appendFile(cdrB, 'extra-1,2026-10-31 23:59:59,1,441610000001,4410001234,,out,0.0002\n');
  }
  const bytes = (await stat(cdrA)).size;
  const dataDir = join(o.dir, 'serve-data');
  await rm(dataDir, { recursive: true, force: true });
  const token = `bench-${randomBytes(16).toString('hex')}`;

  log(`load average before: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  let t0 = performance.now();
  const server = await startServer(dataDir, token);
  const pid = server.child.pid!;
  log(`first start (the sample imported, published and rated as run 1): ${((performance.now() - t0) / 1000).toFixed(1)} s, at ${server.url}`);
  try {
    const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; ms: number }> => {
      const start = performance.now();
      const r = await fetch(new URL(path.replace(/^\//, ''), server.url), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await r.json()) as T;
      return { status: r.status, body: json, ms: performance.now() - start };
    };
    const must = async <T>(method: string, path: string, status: number, body?: unknown): Promise<T> => {
      const r = await api<T>(method, path, body);
      if (r.status !== status) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    type Run = { status: string; error?: string; summary: { input: number; rated: number } | null };
    const settle = async (id: number): Promise<Run> => {
      for (;;) {
        const r = await must<Run>('GET', `/api/runs/${id}`, 200);
        if (r.status === 'done') return r;
        if (r.status === 'failed') throw new Error(`run ${id} failed: ${r.error}`);
        await new Promise((res) => setTimeout(res, 250));
      }
    };

    t0 = performance.now();
    const imported = await uploadFile(new URL('api/versions', server.url).href, book, token, 'file', 'bench-workbook.xlsx');
    if (imported.status !== 201) throw new Error(`POST /api/versions: ${imported.status} ${JSON.stringify(imported.body)}`);
    const seq = Number(imported.body.seq);
    await must('POST', `/api/versions/${seq}/publish`, 200);
    log(`bench workbook imported and published as version ${seq} through the API: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Publishing builds the version's models in the background: a search waits for them, so the
    // upload below is timed on a server with nothing else to do.
    t0 = performance.now();
    await must('GET', '/api/search?q=C000001', 200);
    log(`the published version's models ready (a search answered): ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // The upload beside a plain copy of the same bytes on the same disk, one after the other.
    const copyMs = await timedCopy(cdrA, join(dataDir, 'copy-baseline.csv'));
    const cpuUp0 = await cpuSeconds(pid);
    const upA = await uploadFile(new URL('api/runs', server.url).href, cdrA, token, 'cdrs', 'a.csv');
    const upCpu = (await cpuSeconds(pid)) - cpuUp0;
    if (upA.status !== 202) throw new Error(`POST /api/runs: ${upA.status} ${JSON.stringify(upA.body)}`);
    const tRate = performance.now();
    log(`upload of ${(bytes / MiB).toFixed(1)} MiB (${o.lines.toLocaleString('en-GB')} CDRs) answered 202 in ${(upA.ms / 1000).toFixed(2)} s: ${mbps(bytes, upA.ms)} MiB/s; a plain copy of the same bytes: ${mbps(bytes, copyMs)} MiB/s (the upload at ${Math.round((100 * copyMs) / upA.ms)}% of it); the server used ${upCpu.toFixed(1)} CPU-s for the upload (${mbps(bytes, upCpu * 1000)} MiB per CPU-s)`);
    const idA = Number(upA.body.id);
    const cpuRate0 = await cpuSeconds(pid);
    const runA = await settle(idA);
    const rateCpu = (await cpuSeconds(pid)) - cpuRate0;
    const rateMs = performance.now() - tRate;
    const rated = runA.summary!.rated;
    const afterRating = await memoryOf(pid);
    log(`run A rated: ${rated.toLocaleString('en-GB')} of ${runA.summary!.input.toLocaleString('en-GB')} calls in ${(rateMs / 1000).toFixed(1)} s (${Math.round((runA.summary!.input * 1000) / rateMs).toLocaleString('en-GB')} CDRs/s, from the 202 to done; the server used ${rateCpu.toFixed(1)} CPU-s meanwhile, ${(rateCpu / (rateMs / 1000)).toFixed(2)} cores); server RSS ${afterRating.rss} MiB, peak so far ${afterRating.hwm} MiB`);

    // SPEC §7: the 100 ms holds once a column has been sorted once. The grid's first load and each
    // column's first sort are timed here, on their own, before run B starts.
    const grid = `/api/runs/${idA}/rated`;
    let errors = 0;
    let during = 0;
    let bRating = false;
    const page = async (query: string): Promise<number> => {
      const wasRating = bRating;
      const r = await api<{ total?: number; error?: string }>('GET', `${grid}?${query}`).catch((e: Error) => ({ status: 0, body: { error: e.message }, ms: NaN }));
      if (r.status !== 200) {
        errors++;
        if (errors <= 5) log(`  ${query}: ${r.status} ${r.body.error}`);
      }
      if (wasRating && bRating) during++;
      return r.ms;
    };
    const cpuGrid0 = await cpuSeconds(pid);
    const firstLoad = await page('limit=100');
    const loadCpu = (await cpuSeconds(pid)) - cpuGrid0;
    log(`first page of run A's rated calls (rated.csv read into the grid's columns): ${Math.round(firstLoad)} ms, ${loadCpu.toFixed(1)} CPU-s`);
    const firstSort: string[] = [];
    for (const col of RATED_HEADER) firstSort.push(`${col} ${Math.round(await page(`sort=${encodeURIComponent(col)}:asc&limit=100`))}`);
    log(`first sort of each column, ms (not in the percentiles): ${firstSort.join(', ')}`);

    // Run B rates while run A's grid is asked for pages.
    const upB = await uploadFile(new URL('api/runs', server.url).href, cdrB, token, 'cdrs', 'b.csv');
    if (upB.status !== 202) throw new Error(`POST /api/runs: ${upB.status} ${JSON.stringify(upB.body)}`);
    const idB = Number(upB.body.id);
    bRating = true;
    log(`run B uploaded (${mbps(bytes, upB.ms)} MiB/s) and rating; asking for pages of run A's rated calls…`);
    const watchB = (async () => {
      while (bRating) {
        const r = await api<Run>('GET', `/api/runs/${idB}`);
        if (r.body.status === 'done' || r.body.status === 'failed') bRating = false;
        else await new Promise((res) => setTimeout(res, 200));
      }
    })();

    const rand = seeded(12);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const totals = new Map<string, number>();
    const paging: number[] = [];
    const fresh: number[] = [];
    /** The slowest new views, for whoever looks into the grid next. */
    const slowest: [number, string][] = [];
    const loopStart = performance.now();
    const cpuLoop0 = await cpuSeconds(pid);
    let pages = 0;
    while (bRating && pages < o.maxPages && performance.now() - loopStart < o.seconds * 1000) {
      // A user sets a view (a sort, maybe filters) and pages through it: one page in four sets a
      // new view, the others page on through one of the last few, at any offset.
      const recent = [...totals.keys()].slice(-5);
      if (recent.length > 0 && rand() < 0.75) {
        const view = pick(recent);
        paging.push(await page(`${view}&limit=100&offset=${Math.floor(rand() * Math.max(1, totals.get(view)! - 100))}`));
      } else {
        const sorts = [`sort=${encodeURIComponent(pick(RATED_HEADER))}:${rand() < 0.5 ? 'asc' : 'desc'}`];
        if (rand() < 0.1) sorts.push(`sort=${encodeURIComponent(pick(RATED_HEADER))}:asc`);
        const filters: string[] = [];
        const nFilters = rand() < 0.2 ? 0 : rand() < 0.7 ? 1 : 2;
        const cols = new Set<string>();
        while (cols.size < nFilters) {
          const [col, texts] = pick(FILTERS);
          if (cols.has(col)) continue;
          cols.add(col);
          filters.push(`filter[${col}]=${encodeURIComponent(pick(texts))}`);
        }
        const view = [...sorts, ...filters].join('&');
        const wasRating = bRating;
        const r = await api<{ total: number }>('GET', `${grid}?${view}&limit=100`).catch(() => null);
        if (!r || r.status !== 200) errors++;
        else {
          totals.delete(view);
          totals.set(view, r.body.total);
          fresh.push(r.ms);
          slowest.push([r.ms, view]);
          slowest.sort((a, b) => b[0] - a[0]).splice(5);
          if (wasRating && bRating) during++;
        }
      }
      pages++;
      if (totals.size > 40) totals.delete(totals.keys().next().value!);
    }
    const loopS = (performance.now() - loopStart) / 1000;
    const loopCpu = (await cpuSeconds(pid)) - cpuLoop0;
    const stillRating = bRating;
    bRating = false;
    await watchB;
    const all = percentiles([...paging, ...fresh]);
    log(`pages while run B rated: ${fmtP(all)}; errors ${errors}; ${during} of ${pages} answered while run B was rating; loop ${loopS.toFixed(1)} s, the server (both runs' work and the pages) using ${(loopCpu / loopS).toFixed(2)} cores${stillRating ? ' (stopped by its bound, run B still rating)' : ' (run B finished)'}`);
    log(`    paging a view seen before: ${fmtP(percentiles(paging))}`);
    log(`    a new view (sort and filters not asked before): ${fmtP(percentiles(fresh))}`);
    log(`    the slowest new views: ${slowest.map(([ms, v]) => `${Math.round(ms)} ms ${decodeURIComponent(v)}`).join('; ')}`);
    await settle(idB);
    const mem = await memoryOf(pid);
    log(`server peak RSS (VmHWM): ${mem.hwm} MiB; RSS now ${mem.rss} MiB`);
    log(`load average after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    log(
      `targets: p99 ${all.p99} ms (target < 100 ms) ${all.p99 < 100 ? 'met' : 'MISSED'}; peak RSS ${mem.hwm} MiB (target < 1,536 MiB) ${mem.hwm < 1536 ? 'met' : 'MISSED'}; errors ${errors} (target 0)`,
    );
  } finally {
    server.child.kill('SIGTERM');
    const code = await server.exited;
    if (code !== 0) log(`the server exited with ${code}`);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The suite as `npm run bench -- serve` runs it: BENCH_SERVE_LINES, BENCH_SERVE_SECONDS and BENCH_SERVE_PAGES may change its bounds. */
export function serveBench(dir: string): Promise<void> {
  const env = (name: string, fallback: number): number => {
    const v = Number(process.env[name] ?? fallback);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
    return v;
  };
  return benchServe({
    dir,
    lines: env('BENCH_SERVE_LINES', 1_120_000),
    seconds: env('BENCH_SERVE_SECONDS', 60),
    maxPages: env('BENCH_SERVE_PAGES', 5000),
    log: (line) => console.log(line),
  });
}
