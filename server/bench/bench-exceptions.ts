// The exception path alone: 100,000 exceptions shaped like the rating benchmark's (five reasons)
// through an ExceptionSink into a real exceptions.csv. They are made a thousand at a time, just
// before they are added, so they die young as the rating loop's do: made all at once, copying
// them through the young generation dominated the timing. Prints µs per exception (the making is
// not timed). Run: npx tsx server/bench-exceptions.ts [another exception-sink module, to compare]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CallException, ExceptionReason } from '../../rules/cdr/cdr.js';
import { EXCEPTION_HEADER } from '../../rules/rating/call-rows.js';
import { CsvWriter } from '../../workbooks/csv-writer.js';
import { seededRandom } from '../../workbooks/seeded-random.js';

type SinkModule = typeof import('../runs/exception-sink.js');
const other = process.argv[2];
const { ExceptionSink }: SinkModule = other ? await import(pathToFileURL(resolve(other)).href) : await import('../runs/exception-sink.js');

const COUNT = 100_000;
const BATCH = 1000;
const REASONS: readonly ExceptionReason[] = ['UNKNOWN_NUMBER', 'UNKNOWN_DESTINATION', 'NO_RATE', 'INVALID_RECORD', 'DUPLICATE'];
const ROUNDS = 7;
const OCT_2026 = Date.parse('2026-10-01T00:00:00Z');

function exceptions(r: () => number, from: number): CallException[] {
  const digits = (n: number): string => String(Math.floor(r() * 10 ** n)).padStart(n, '0');
  const out: CallException[] = [];
  for (let i = from; i < from + BATCH; i++) {
    const line = 2 + i * 10;
    const startMs = OCT_2026 + Math.floor(r() * 31 * 86400) * 1000;
    let duration: number | null = Math.floor(r() * 600);
    let caller = `4420794${digits(5)}`;
    let callerN: string | null = caller;
    const called = `44${digits(10)}`;
    let calledN: string | null = called;
    let cost: number | null = duration * 200;
    const reason = REASONS[Math.floor(r() * REASONS.length)];
    let detail: string;
    if (reason === 'UNKNOWN_NUMBER') {
      caller = callerN = `4499${digits(8)}`;
      detail = `add ${caller} to Numbers`;
    } else if (reason === 'UNKNOWN_DESTINATION') {
      calledN = `999${digits(8)}`;
      detail = `no Destinations prefix matches ${calledN}: add its prefix to Destinations`;
    } else if (reason === 'NO_RATE') {
      cost = null;
      detail = 'ACME has no Tariff, Markup or FallbackMarkup for International calls: set one in Customers (D7) or TariffAssignments';
    } else if (reason === 'INVALID_RECORD') {
      detail = `duration "-${duration}" is negative`;
      callerN = calledN = duration = cost = null;
    } else detail = `same call as bench.csv:${line - 10}`;
    // One object shape, as exceptionOf makes them.
    out.push({ file: 'bench.csv', line, id: `b${line}`, startMs, caller, called, callerN, calledN, duration, cost, reason, detail });
  }
  return out;
}

async function round(dir: string, seed: number): Promise<number> {
  const r = seededRandom(seed);
  const csv = new CsvWriter(join(dir, `exceptions-${seed}.csv`), EXCEPTION_HEADER);
  const sink = new ExceptionSink(csv, 'Europe/London', 2000);
  let ns = 0;
  for (let from = 0; from < COUNT; from += BATCH) {
    const es = exceptions(r, from);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < es.length; i++) sink.add(es[i]);
    ns += Number(process.hrtime.bigint() - t0);
  }
  const t0 = process.hrtime.bigint();
  sink.tables();
  ns += Number(process.hrtime.bigint() - t0);
  await csv.close();
  return ns / 1000 / COUNT;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-exceptions-'));
try {
  const us: number[] = [];
  for (let k = 0; k < ROUNDS; k++) us.push(await round(dir, 100 + k));
  const steady = us.slice(2).sort((a, b) => a - b);
  console.log(`rounds (µs/exception): ${us.map((u) => u.toFixed(2)).join(' ')}`);
  console.log(`median of rounds 3-${ROUNDS}: ${steady[Math.floor(steady.length / 2)].toFixed(2)} µs per exception`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
