// `npm run bench -- compile|rate|bill`: throughput and peak memory, each measured in a child
// process of its own beside a baseline on the same input, so the figure is a ratio that survives
// a noisy machine.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPhases } from './bench-phases.js';

export interface PhaseResult {
  name: string;
  ms: number;
  /** Peak resident set of the child process, MiB. */
  peakMiB: number;
  rows?: number;
  extra?: Record<string, string | number>;
}

const self = fileURLToPath(import.meta.url);
const benchDir = join(tmpdir(), 'ratebook-bench');

/** The node arguments that run one phase in a process of its own. */
const phaseArgs = (phase: string, args: string[]): string[] => ['--max-old-space-size=4096', self, 'phase', phase, ...args];

/** A phase's answer: the JSON on the last line it printed. */
const answer = (out: string): PhaseResult => JSON.parse(out.trim().split('\n').pop() ?? '{}') as PhaseResult;

/** Runs one phase in a fresh node process and reads its JSON answer. */
function child(phase: string, args: string[]): PhaseResult {
  return answer(execFileSync(process.execPath, phaseArgs(phase, args), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 }));
}

/** child(), without waiting: for phases that run at the same time. */
function childAsync(phase: string, args: string[]): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, phaseArgs(phase, args), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(answer(out)) : reject(new Error(`bench phase ${phase} exited with ${code}`))));
  });
}

/**
 * The same phase in two processes at once, one per core, as one result: their rows together over
 * the longer one's time. What two cores give with no coordination at all between them.
 */
async function childPair(name: string, phase: string, args: string[]): Promise<PhaseResult> {
  const [a, b] = await Promise.all([childAsync(phase, args), childAsync(phase, args)]);
  return { name, ms: Math.max(a.ms, b.ms), peakMiB: a.peakMiB + b.peakMiB, rows: (a.rows ?? 0) + (b.rows ?? 0), extra: { each_ms: `${Math.round(a.ms)}/${Math.round(b.ms)}` } };
}

/** The run of median time (each run keeps its own memory and extras). */
const median = (rs: PhaseResult[]): PhaseResult => [...rs].sort((a, b) => a.ms - b.ms)[Math.floor(rs.length / 2)];

const fmt = (r: PhaseResult): string =>
  `${r.name.padEnd(34)} ${(r.ms / 1000).toFixed(2).padStart(8)} s  ${String(Math.round(r.peakMiB)).padStart(6)} MiB peak` +
  (r.rows ? `  ${Math.round((r.rows * 1000) / r.ms).toLocaleString('en-GB').padStart(10)} rows/s` : '') +
  (r.extra ? '  ' + Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join(' ') : '');

async function main(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  if (verb === 'phase') {
    const [phase, ...args] = rest;
    const run = benchPhases[phase];
    if (!run) throw new Error(`unknown phase ${phase}`);
    const t0 = performance.now();
    const result = await run(args);
    // A phase may time its own core part (rating without loading the workbook).
    const ms = result.ms ?? performance.now() - t0;
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write('\n' + JSON.stringify({ ms, peakMiB, ...result }) + '\n');
    process.exit(0);
    return;
  }
  mkdirSync(benchDir, { recursive: true });
  const suites: Record<string, () => void | Promise<void>> = {
    compile: () => {
      const file = join(benchDir, 'bench-workbook.xlsx');
      if (!existsSync(file)) console.log(fmt(child('write-workbook', [file])));
      const base = child('read-baseline', [file]);
      const full = child('compile', [file]);
      console.log(fmt(base));
      console.log(fmt(full));
      const db = Number(full.extra?.then_sqljs_tables_ms ?? 0);
      console.log(`ratio: read + validate + compile take ${(full.ms / base.ms).toFixed(2)}× exceljs's streaming read alone (target ≤ 1.5×); with the sql.js tables ${((full.ms + db) / base.ms).toFixed(2)}×; peak ${Math.round(full.peakMiB)} MiB (target < 1024)`);
    },
    bill: () => {
      const r = child('bill', []);
      console.log(fmt(r));
      console.log(`target: the draft run under 20 s and 2,048 MiB (took ${(r.ms / 1000).toFixed(1)} s, ${Math.round(r.peakMiB)} MiB peak); per-invoice documents reported beside it`);
    },
    rate: async () => {
      const book = join(benchDir, 'bench-workbook.xlsx');
      if (!existsSync(book)) console.log(fmt(child('write-workbook', [book])));
      const cdrs = join(benchDir, 'bench-cdrs-1m.csv');
      if (!existsSync(cdrs)) console.log(fmt(child('write-cdrs', [cdrs, '1000000'])));
      const version = join(benchDir, 'bench-version-rows.json');
      if (!existsSync(version)) console.log(fmt(child('prepare-version', [book, version])));
      // The main thread reads, settles and writes while the workers rate: one fewer than the cores.
      const n = String(Math.max(1, availableParallelism() - 1));
      // Three rounds, interleaved, and the median of each: this machine's speed drifts by a third
      // within minutes (other tenants), which one run of each cannot tell from a change in the code.
      const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
      // The fourth: two single-threaded runs side by side, each on the whole file, is what the cores
      // give this per-line cost when nothing at all is shared: the ceiling for a run with workers.
      const runs: PhaseResult[][] = [[], [], [], []];
      for (let k = 0; k < rounds; k++) {
        runs[0].push(child('rate-floor', [cdrs]));
        runs[1].push(child('rate', [version, cdrs]));
        runs[2].push(child('rate', [version, cdrs, n]));
        runs[3].push(await childPair('2 single-threaded runs at once', 'rate', [version, cdrs]));
      }
      const [floor, single, workers, pair] = runs.map(median);
      for (const r of runs.flat()) console.log('  ' + fmt(r));
      console.log(`medians of ${rounds} rounds:`);
      console.log(fmt(floor));
      console.log(fmt(single));
      console.log(fmt(workers));
      console.log(fmt(pair));
      const rate = (r: PhaseResult): number => ((r.rows ?? 0) * 1000) / r.ms;
      console.log(`ratio: single-threaded rating runs at ${((100 * rate(single)) / rate(floor)).toFixed(0)}% of the floor (target ≥ 50%); ${Math.round(rate(single)).toLocaleString('en-GB')} CDRs/s (target ≥ 250,000); peak ${Math.round(single.peakMiB)} MiB (target < 512)`);
      console.log(`with workers: ${Math.round(rate(workers)).toLocaleString('en-GB')} CDRs/s (target ≥ 400,000), ${(rate(workers) / rate(single)).toFixed(2)}× single-threaded on ${availableParallelism()} cores; peak ${Math.round(workers.peakMiB)} MiB`);
      console.log(`ceiling: two single-threaded runs at once rate ${Math.round(rate(pair)).toLocaleString('en-GB')} CDRs/s between them (${(rate(pair) / rate(single)).toFixed(2)}× one alone); the run with workers reaches ${((100 * rate(workers)) / rate(pair)).toFixed(0)}% of that`);
    },
    serve: () => import('./bench-serve.js').then((m) => m.serveBench(benchDir)),
    'rate-5m': () => {
      const version = join(benchDir, 'bench-version-rows.json');
      const book = join(benchDir, 'bench-workbook.xlsx');
      if (!existsSync(book)) console.log(fmt(child('write-workbook', [book])));
      if (!existsSync(version)) console.log(fmt(child('prepare-version', [book, version])));
      const small = join(benchDir, 'bench-cdrs-1m.csv');
      if (!existsSync(small)) console.log(fmt(child('write-cdrs', [small, '1000000'])));
      const big = join(benchDir, 'bench-cdrs-5m.csv');
      if (!existsSync(big)) console.log(fmt(child('write-cdrs', [big, '5000000'])));
      const one = child('rate', [version, small]);
      const five = child('rate', [version, big]);
      console.log(fmt(one));
      console.log(fmt(five));
      console.log(`memory: 1M CDRs ${Math.round(one.peakMiB)} MiB peak, 5M ${Math.round(five.peakMiB)} MiB (target < 1,024): the growth is what dedupe and the fraud windows remember, not the file`);
    },
  };
  const chosen = verb ? [verb] : Object.keys(suites);
  for (const name of chosen) {
    const suite = suites[name];
    if (!suite) throw new Error(`unknown benchmark "${name}" (have: ${Object.keys(suites).join(', ')})`);
    console.log(`== bench ${name}`);
    await suite();
  }
}

await main(process.argv.slice(2));
