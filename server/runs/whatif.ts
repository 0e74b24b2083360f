// What-if (SPEC §7 POST /api/runs/:id/whatif): a done run's calls — every input line, rated and
// exceptions alike — rated afresh with another version (a draft under review, say) and compared
// with the run's rated calls as they stand, changing nothing. The pass is a fresh run's (dedupe,
// fraud and all), so a call released from fraud review may be held again there, and calls the run
// rated may not rate; rated into a stage folder of the run that is removed whatever happens (and,
// after a crash, by the run store when the server starts).
//
// Answer: `before` (the run) and `after` (the version): input, rated, exceptions (all reasons) and
// byReason, charge and cost of the rated calls; then the charges by customer (account), call class
// and destination, each with before, after and change, the biggest change first.

import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExceptionReason } from '../../rules/cdr/cdr.js';
import { compareGroups, moneyText, RatedTotals, type GroupChange } from '../../rules/rating/what-if.js';
import type { RateSummary } from './rate-options.js';
import { rateRunAgain, type PassEnv } from './rating-pass.js';
import { locksOf } from './run-locks.js';
import { eachRatedPart } from './run-rows.js';
import { RunStateError } from './run-service.js';

export interface WhatIfTotals {
  input: number;
  rated: number;
  exceptions: number;
  byReason: Partial<Record<ExceptionReason, number>>;
  /** Charges of the rated calls, a decimal string (exact). */
  charge: string;
  /** Carrier cost of the rated calls, a decimal string (exact). */
  cost: string;
}

type Renamed<K extends string> = Omit<GroupChange, 'key'> & Record<K, string>;

export interface WhatIfResult {
  run: number;
  /** The version the run rates with, and the one asked about. */
  runVersion: number;
  version: number;
  before: WhatIfTotals;
  after: WhatIfTotals;
  byCustomer: Renamed<'account'>[];
  byClass: Renamed<'class'>[];
  byDestination: Renamed<'destination'>[];
}

/** Rates done run `id`'s calls with version `seq` and compares; the run is left as it was. */
export async function whatIf(env: PassEnv, id: number, seq: number): Promise<WhatIfResult> {
  const { service } = env;
  const locks = locksOf(service);
  // The run as it stands: its record, and its rated.csv opened while no re-rate or release is
  // changing it (a replacement after this does not touch the file opened), totalled while the pass rates.
  const { rec, rated } = await locks.change(id, async () => {
    const rec = service.runs.get(id);
    if (!rec || rec.status !== 'done' || !rec.summary) throw new RunStateError(`run ${id} is ${rec?.status ?? 'not there'}: a what-if needs a done run`);
    return { rec, rated: await open(service.runs.outputPath(id, 'rated.csv')) };
  });
  let stage: string | null = null;
  try {
    const before = totalsOf(rated, `run ${id} rated.csv`);
    // Settled at once, so a failed pass does not leave it rejecting unheard.
    before.catch(() => undefined);
    stage = await service.stageOutputs(id);
    const passDir = join(stage, 'pass');
    const summary = await locks.pass(() => rateRunAgain(env, rec, seq, passDir));
    const after = await totalsOf(join(passDir, 'rated.csv'), `version ${seq}'s rated.csv`);
    const was = await before;
    return {
      run: id,
      runVersion: rec.version,
      version: seq,
      before: figures(rec.summary!, was),
      after: figures(summary, after),
      byCustomer: compareGroups(was.byAccount, after.byAccount).map(({ key, ...g }) => ({ account: key, ...g })),
      byClass: compareGroups(was.byClass, after.byClass).map(({ key, ...g }) => ({ class: key, ...g })),
      byDestination: compareGroups(was.byDestination, after.byDestination).map(({ key, ...g }) => ({ destination: key, ...g })),
    };
  } finally {
    await rated.close().catch(() => undefined);
    if (stage) await rm(stage, { recursive: true, force: true });
  }
}

async function totalsOf(file: string | FileHandle, label: string): Promise<RatedTotals> {
  const t = new RatedTotals();
  await eachRatedPart(file, label, (call) => t.add(call));
  return t;
}

function figures(s: RateSummary, t: RatedTotals): WhatIfTotals {
  return {
    input: s.input,
    rated: t.all.calls,
    exceptions: Object.values(s.exceptions).reduce((a, b) => a + (b ?? 0), 0),
    byReason: s.exceptions,
    charge: moneyText(t.all.charge),
    cost: moneyText(t.all.cost),
  };
}
