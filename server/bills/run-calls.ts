// The rated calls a bill is made from (SPEC §7 POST /api/bills): every run that is done, as its
// rated.csv holds them (re-rating and releasing rewrite that file, so it is what the run says
// now), deduplicated across runs by callKey — the first run's call wins, by run id then line.
//
// Runs are read from DIR/runs/<id>/run.json directly (server/store/runs.ts writes them): only the
// fields below, so a bill needs no RunStore and a bill worker thread can read them too.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallException, RatedCall } from '../../rules/cdr/cdr.js';
import { callKey } from '../../rules/billing/invoice.js';
import { checkRatedHeader, parseOffsetIso, parseRatedRow } from '../../rules/billing/rated-row.js';
import { unguard } from '../../rules/csv.js';
import { csvRecords } from '../../workbooks/csv-records.js';

/** What a bill reads of a run's record (run.json). */
export interface RunForBill {
  id: number;
  status: string;
  version: number;
  files: { name: string; sha256: string }[];
}

/** A run's folder cannot be billed from (a damaged rated.csv): the bill is refused, naming the line. */
export class RunDataError extends Error {}

export const runDir = (dataDir: string, id: number): string => join(dataDir, 'runs', String(id));

/** Every run's record, by id ascending. */
export async function readRuns(dataDir: string): Promise<RunForBill[]> {
  const dir = join(dataDir, 'runs');
  const names = await readdir(dir).catch(() => [] as string[]);
  const runs: RunForBill[] = [];
  for (const name of names) {
    if (!/^[1-9]\d{0,8}$/.test(name)) continue;
    let text: string;
    try {
      text = await readFile(join(dir, name, 'run.json'), 'utf8');
    } catch {
      continue; // not a run (yet): a run folder is renamed into place with its run.json
    }
    const r = JSON.parse(text) as RunForBill;
    runs.push({ id: r.id, status: r.status, version: r.version, files: (r.files ?? []).map((f) => ({ name: f.name, sha256: f.sha256 })) });
  }
  return runs.sort((a, b) => a.id - b.id);
}

export interface CallFilter {
  /** Calls at or after this instant are left out (runBilling would leave them out too). */
  endMs: number;
  /** Keys already on a final invoice: left out (runBilling would too). */
  billed: ReadonlySet<string>;
}

export interface RunCalls {
  calls: RatedCall[];
  /** Rows whose call an earlier run (or row) already holds. */
  duplicates: number;
}

/**
 * The calls of `runs` (ids ascending), first one of each callKey kept. Calls the filter drops still
 * take their key, so which copy of a call wins does not depend on the period billed.
 */
export async function readRunCalls(dataDir: string, runs: readonly RunForBill[], filter: CallFilter): Promise<RunCalls> {
  const seen = new Set<string>();
  const calls: RatedCall[] = [];
  let duplicates = 0;
  for (const run of [...runs].sort((a, b) => a.id - b.id)) {
    const path = join(runDir(dataDir, run.id), 'rated.csv');
    const where = `runs/${run.id}/rated.csv`;
    for await (const batch of csvRecords(path)) {
      for (const rec of batch) {
        const at = `${where}:${rec.line}`;
        if (!rec.fields) throw new RunDataError(`${at}: a quoted field is not closed (the file is cut short)`);
        if (rec.line === 1) {
          const h = checkRatedHeader(rec.fields, at);
          if (!h.ok) throw new RunDataError(`${at}: ${h.error.message}`);
          continue;
        }
        const r = parseRatedRow(rec.fields, at);
        if (!r.ok) throw new RunDataError(`${at}: ${r.error.message}`);
        const call = r.value;
        const key = callKey(call);
        if (seen.has(key)) {
          duplicates++;
          continue;
        }
        seen.add(key);
        if (call.startMs >= filter.endMs || filter.billed.has(key)) continue;
        calls.push(call);
      }
    }
  }
  return { calls, duplicates };
}

/**
 * UNKNOWN_NUMBER exceptions of the runs that started in [startMs, endMs) (or whose start could not be
 * read), for the housekeeping report's "Number in CDRs that no customer owns": only the caller and
 * reason are read.
 */
export async function readUnknownNumbers(dataDir: string, runs: readonly RunForBill[], startMs: number, endMs: number): Promise<CallException[]> {
  const out: CallException[] = [];
  for (const run of runs) {
    const path = join(runDir(dataDir, run.id), 'exceptions.csv');
    try {
      for await (const batch of csvRecords(path)) {
        for (const rec of batch) {
          const f = rec.fields;
          if (rec.line === 1 || !f || f.length < 9 || f[7] !== 'UNKNOWN_NUMBER') continue;
          const start = f[3] === '' ? null : parseOffsetIso(f[3]);
          if (start !== null && (start < startMs || start >= endMs)) continue;
          out.push({ file: unguard(f[0]), line: Number(f[1]), id: unguard(f[2]), startMs: start, caller: unguard(f[4]), called: unguard(f[5]), duration: null, cost: null, reason: 'UNKNOWN_NUMBER', detail: unguard(f[8]) });
        }
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return out;
}
