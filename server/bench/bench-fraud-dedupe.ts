// `npx tsx server/bench-fraud-dedupe.ts [calls...]`: FraudWatch.observe and Deduper.checkKey alone
// (SPEC §2 steps 2 and 5), fed synthetic calls made beforehand: 100,000 numbers drawn skewed (a few
// make most calls) over 30 days, 10% of calls short, ~2% of records repeating an earlier one.
// Fraud runs three arrival orders: in time order (one file), two files of the same month (even
// calls, then odd ones: every number goes out of order halfway), and shuffled (worst case). Prints
// ns per call (observe or checkKey, then verdicts() once) and the heap (JS heap + typed arrays)
// each structure still holds after a full GC, per call. Default sizes: 1,000,000 and 5,000,000.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Cdr } from '../../rules/cdr/cdr.js';
import { Deduper, dedupeKey } from '../../rules/run/dedupe.js';
import { FraudWatch } from '../../rules/run/fraud.js';
import { seededRandom } from '../../workbooks/seeded-random.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SIZES = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1_000_000, 5_000_000];
const NUMBERS = 100_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');
const MONTH_MS = 30 * 86_400_000;

/** The same calls every run. */
const rnd = seededRandom(0x1badb002);

const numbers = Array.from({ length: NUMBERS }, (_, i) => `4420${String(70_000_000 + i * 37)}`);

/** Live JS heap plus typed arrays, after a full GC (array buffers are freed a moment later). */
async function heap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface Calls {
  num: Int32Array;
  start: Float64Array;
  duration: Int32Array;
}

/** n calls in time order. */
function makeCalls(n: number): Calls {
  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) start[i] = T0 + Math.floor(rnd() * MONTH_MS / 1000) * 1000;
  start.sort();
  const num = new Int32Array(n);
  const duration = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // skewed: number k with probability ~ 1/sqrt(k)
    const r = rnd();
    num[i] = Math.floor(NUMBERS * r * r);
    duration[i] = rnd() < 0.1 ? 1 + Math.floor(rnd() * 6) : 7 + Math.floor(rnd() * 600);
  }
  return { num, start, duration };
}

function orders(n: number): [string, Int32Array][] {
  const inOrder = Int32Array.from({ length: n }, (_, i) => i);
  const twoFiles = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i += 2) twoFiles[k++] = i;
  for (let i = 1; i < n; i += 2) twoFiles[k++] = i;
  const shuffled = inOrder.slice();
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = shuffled[i];
    shuffled[i] = shuffled[j];
    shuffled[j] = t;
  }
  return [['in order', inOrder], ['two files', twoFiles], ['shuffled', shuffled]];
}

const fmt = (x: number, d = 0): string => x.toFixed(d).padStart(7);

async function benchFraud(c: Calls, name: string, order: Int32Array): Promise<void> {
  const n = order.length;
  const before = await heap();
  const f = new FraudWatch({ maxCallsPerMinute: 5, shortCallSeconds: 6, shortCallsPerDay: 20 });
  let early = 0;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const s = c.start[i];
    if (f.observe(numbers[c.num[i]], s, c.duration[i], Math.floor(s / 86_400_000), i) !== null) early++;
  }
  const t1 = performance.now();
  const late = f.verdicts().size;
  const t2 = performance.now();
  const held = (await heap()) - before;
  console.log(`fraud  ${n.toLocaleString('en-GB').padStart(9)} ${name.padEnd(9)}: observe ${fmt(((t1 - t0) * 1e6) / n)} ns/call, verdicts ${fmt(t2 - t1)} ms, held ${fmt(held / n, 1)} B/call  (flagged ${early} early, ${late} in all${f.active ? '' : '?'})`);
}

/** The tuple key of record r (as dedupeKey makes it); ~2% of records repeat an earlier one. */
async function benchDedupe(c: Calls): Promise<void> {
  const n = c.num.length;
  const same = new Int32Array(n);
  for (let i = 0; i < n; i++) same[i] = i > 0 && rnd() < 0.02 ? Math.floor(rnd() * i) : i;
  const key = (r: number): string => ['t' + numbers[c.num[r]], `447${700_000_000 + ((r * 7919) % 299_999_999)}`, c.start[r] / 1000, c.duration[r]].join('|');
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += key(same[i]).length;
  const t1 = performance.now();
  const before = await heap();
  const d = new Deduper();
  let dups = 0;
  const t2 = performance.now();
  for (let i = 0; i < n; i++) if (d.checkKey(key(same[i]), 'calls.csv', i + 2) !== null) dups++;
  const t3 = performance.now();
  const held = (await heap()) - before;
  const keyNs = ((t1 - t0) * 1e6) / n;
  console.log(`dedupe ${n.toLocaleString('en-GB').padStart(9)}: checkKey ${fmt(((t3 - t2) * 1e6) / n - keyNs)} ns/call (+${keyNs.toFixed(0)} to make the key), held ${fmt(held / d.size, 1)} B/record  (${dups} duplicates, ${sink > 0 ? d.size : 0} records)`);
  const cdr: Cdr = { kind: 'cdr', file: 'calls.csv', line: 2, id: '', startMs: 0, duration: 0, answered: true, caller: '', called: '', callerN: null, calledN: '447700900123', calledShort: false, extension: '', direction: 'out', cost: null };
  let len = 0;
  const t4 = performance.now();
  for (let i = 0; i < n; i++) {
    cdr.callerN = numbers[c.num[i]];
    cdr.startMs = c.start[i];
    cdr.duration = c.duration[i];
    len += dedupeKey(cdr).length;
  }
  const t5 = performance.now();
  console.log(`dedupeKey ${n.toLocaleString('en-GB').padStart(6)}: ${fmt(((t5 - t4) * 1e6) / n)} ns/call (${len > 0 ? 'ok' : ''})`);
}

for (const n of SIZES) {
  const c = makeCalls(n);
  for (const [name, order] of orders(n)) await benchFraud(c, name, order);
  await benchDedupe(c);
}
