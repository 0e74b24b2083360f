// Benchmark of the CDR line reader (workbooks/cdr-lines.ts) against a plain Node pass.
//   npx tsx server/bench-lines.ts [lines]        (default 1,000,000 lines of about 100 bytes)
// Writes the test files into os.tmpdir() (removed at the end) and runs each case in a child
// process of its own, so every case gets a clean heap and its own peak RSS; each case runs three
// times and the median rate is reported. Cases:
//   baseline          createReadStream, split('\n') with a carry, split(',') per line, and the same
//                     line written back (fields joined) through a write stream — the brief's floor
//   baseline, no write the same without the write
//   reader            openCdrFile().batches(), every field touched
//   reader, quoted    the same on a file with every field quoted (FreeSWITCH style)
//   reader, gzip      the same on the plain file gzip-compressed
// Peak RSS is process.memoryUsage().rss sampled every 5 ms and at every batch, and the process's
// maxRSS from process.resourceUsage().

import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { openCdrFile } from '../../workbooks/cdr-lines.js';

interface Result {
  lines: number;
  fields: number;
  ms: number;
  peakRss: number;
  maxRss: number;
}

const MB = 1024 * 1024;

async function writeCsv(path: string, count: number, quoted: boolean): Promise<void> {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const digits = (n: number): string => String(rnd(10 ** Math.min(n, 9))).padStart(n, '0');
  const pad = (n: number): string => (n < 10 ? '0' + n : String(n));
  const out = createWriteStream(path);
  let buf = '';
  for (let i = 0; i < count; i++) {
    const t = rnd(31 * 86400);
    const start = `2026-10-${pad(1 + Math.floor(t / 86400))} ${pad(Math.floor(t / 3600) % 24)}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`;
    const f = [`c${i}`, start, String(rnd(3600)), `+4420${digits(8)}`, `+3491${digits(7)}`, digits(4), rnd(10) < 8 ? 'out' : 'in', `0.${digits(4)}`, `SIP/trunk-${digits(6)}`, 'ANSWERED'];
    buf += (quoted ? '"' + f.join('","') + '"' : f.join(',')) + '\n';
    if (buf.length > MB) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

/** RSS sampled on a timer and on demand. */
class RssPeak {
  peak = 0;
  private timer = setInterval(() => this.sample(), 5);
  sample(): void {
    const r = process.memoryUsage.rss();
    if (r > this.peak) this.peak = r;
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

async function baseline(path: string, write: boolean): Promise<Result> {
  const rss = new RssPeak();
  const t0 = performance.now();
  const outPath = path + '.out';
  const out = write ? createWriteStream(outPath, { highWaterMark: MB }) : null;
  let rest = '';
  let lines = 0;
  let fields = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: MB })) {
    const parts = (rest + (chunk as Buffer).toString('utf8')).split('\n');
    rest = parts.pop()!;
    let o = '';
    for (let i = 0; i < parts.length; i++) {
      const f = parts[i].split(',');
      lines++;
      fields += f.length;
      if (out) o += f.join(',') + '\n';
    }
    if (out && !out.write(o)) await once(out, 'drain');
    rss.sample();
  }
  if (rest.length > 0) {
    lines++;
    fields += rest.split(',').length;
  }
  if (out) {
    out.end();
    await once(out, 'finish');
    await rm(outPath, { force: true });
  }
  const ms = performance.now() - t0;
  return { lines, fields, ms, peakRss: rss.stop(), maxRss: process.resourceUsage().maxRSS * 1024 };
}

async function reader(path: string): Promise<Result> {
  const rss = new RssPeak();
  const t0 = performance.now();
  const file = await openCdrFile(path);
  let lines = 0;
  let fields = 0;
  let chars = 0;
  for await (const batch of file.batches()) {
    const fs = batch.fields;
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      lines++;
      if (f === null) continue;
      fields += f.length;
      for (let j = 0; j < f.length; j++) chars += f[j].length;
    }
    rss.sample();
  }
  if (file.sha256().length !== 64 || chars === 0) throw new Error('reader did not finish');
  const ms = performance.now() - t0;
  return { lines, fields, ms, peakRss: rss.stop(), maxRss: process.resourceUsage().maxRSS * 1024 };
}

async function child(mode: string, path: string): Promise<void> {
  const r = mode === 'baseline' ? await baseline(path, true) : mode === 'baseline-nowrite' ? await baseline(path, false) : await reader(path);
  process.stdout.write(JSON.stringify(r) + '\n');
}

function runChild(mode: string, path: string): Result {
  const self = fileURLToPath(import.meta.url);
  const p = spawnSync(process.execPath, [...process.execArgv, self, '--child', mode, path], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`${mode} failed: ${p.stderr}`);
  return JSON.parse(p.stdout.trim().split('\n').pop()!) as Result;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000);
  const dir = tmpdir();
  const plain = join(dir, `ratebook-bench-lines-${process.pid}.csv`);
  const quoted = join(dir, `ratebook-bench-lines-${process.pid}-quoted.csv`);
  const gz = plain + '.gz';
  try {
    await writeCsv(plain, count, false);
    await writeCsv(quoted, count, true);
    await pipeline(createReadStream(plain), createGzip(), createWriteStream(gz));
    const size = (await stat(plain)).size;
    const qsize = (await stat(quoted)).size;
    const gsize = (await stat(gz)).size;
    console.log(`${count.toLocaleString('en-GB')} lines: plain ${(size / MB).toFixed(1)} MB (${(size / count).toFixed(0)} B/line), quoted ${(qsize / MB).toFixed(1)} MB (${(qsize / count).toFixed(0)} B/line), gzip ${(gsize / MB).toFixed(1)} MB; node ${process.version}`);
    const cases: [label: string, mode: string, path: string][] = [
      ['baseline (split + write)', 'baseline', plain],
      ['baseline, no write', 'baseline-nowrite', plain],
      ['reader', 'reader', plain],
      ['reader, every field quoted', 'reader', quoted],
      ['reader, gzip', 'reader', gz],
    ];
    const rates = new Map<string, number>();
    for (const [label, mode, path] of cases) {
      const runs = [runChild(mode, path), runChild(mode, path), runChild(mode, path)].sort((a, b) => a.ms - b.ms);
      const r = runs[1];
      if (r.lines !== count) throw new Error(`${label}: ${r.lines} lines, expected ${count}`);
      const rate = (r.lines * 1000) / r.ms;
      rates.set(mode + path, rate);
      const peak = Math.max(...runs.map((x) => x.peakRss));
      const max = Math.max(...runs.map((x) => x.maxRss));
      console.log(`${label.padEnd(28)} ${(rate / 1e6).toFixed(2).padStart(5)} M lines/s  (median of 3: ${r.ms.toFixed(0)} ms; runs ${runs.map((x) => x.ms.toFixed(0)).join('/')} ms)  peak RSS ${(peak / MB).toFixed(0)} MB sampled, ${(max / MB).toFixed(0)} MB maxRSS`);
    }
    const base = rates.get('baseline' + plain)!;
    const baseNoWrite = rates.get('baseline-nowrite' + plain)!;
    const mine = rates.get('reader' + plain)!;
    console.log(`ratio reader / baseline: ${(mine / base).toFixed(2)}×; reader / baseline without write: ${(mine / baseNoWrite).toFixed(2)}×`);
  } finally {
    await rm(plain, { force: true });
    await rm(quoted, { force: true });
    await rm(gz, { force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();
