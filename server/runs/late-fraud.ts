// Calls the whole run condemned as suspected fraud after their rows were written to rated.csv (a
// short call that only a later line of the day pushed over the limit, an earlier call in another
// file): rated.csv is rewritten without them and they join the exceptions. Rare, and only then is
// rated.csv read back, so the usual run never pays for it.

import { createReadStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CallException } from '../../rules/cdr/cdr.js';
import { parseMicro, type Micro } from '../../rules/money.js';
import { splitCsvLine } from '../../workbooks/cdr-lines.js';
import { CsvWriter } from '../../workbooks/csv-writer.js';
import type { ExceptionSink } from './exception-sink.js';
import { throwIfCancelled } from './run-errors.js';

/** A line of a run as one number: file index and line (a double holds both exactly). */
export const lineKey = (fileIndex: number, line: number): number => fileIndex * 2 ** 32 + line;

export interface MovedCalls {
  count: number;
  charge: Micro;
  cost: Micro;
  /** `file:line` of each call moved. */
  keys: Set<string>;
}

/** Rewrites `partial`/rated.csv without the `late` lines (lineKey -> why) and adds them to the sink as SUSPECTED_FRAUD. */
export async function moveLateFraud(partial: string, late: Map<number, string>, fileNames: string[], sink: ExceptionSink, signal: AbortSignal): Promise<MovedCalls> {
  if (late.size === 0) return { count: 0, charge: 0, cost: 0, keys: new Set() };
  const src = join(partial, 'rated.csv');
  const tmp = join(partial, 'rated.csv.tmp');
  const out = new CsvWriter(tmp);
  const index = new Map(fileNames.map((n, i) => [n, i]));
  let charge = 0;
  let cost = 0;
  let count = 0;
  let header = true;
  let seen = 0;
  const moved: CallException[] = [];
  const input = createReadStream(src);
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      // A big rated.csv takes a while to read again: a cancel is heeded every 64Ki lines.
      if ((++seen & 0xffff) === 0) throwIfCancelled(signal);
      if (header) {
        header = false;
        out.writeLine(text + '\n');
        continue;
      }
      const f = splitCsvLine(text) ?? [];
      const why = late.get(lineKey(index.get(f[0]) ?? -1, Number(f[1])));
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
  } catch (e) {
    // The caller removes .partial, the half-written copy with it.
    input.destroy();
    await out.close().catch(() => undefined);
    throw e;
  }
  await out.close();
  await rename(tmp, src);
  for (const e of moved) sink.add(e);
  return { charge, cost, count, keys: new Set(moved.map((e) => `${e.file}:${e.line}`)) };
}
