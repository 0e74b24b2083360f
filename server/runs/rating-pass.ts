// A done run's calls rated again, whole, with a version of choice, into a folder of the caller's
// (SPEC §7 re-rate and what-if): the same rating run the queue uses (startRating: mediation,
// dedupe, owners, fraud, prices), from the run's kept CDR files, on a thread of its own as the
// queue rates (run-thread.ts), with rating workers for a big run. The server's main thread does
// no per-line work meanwhile: a 1M-call pass takes as long as the run did, and requests are
// answered all the while. A fresh run's answer for every line, which re-rate and what-if then
// compare with what the run holds.
//
// Lines are compared by file and line, so the pass must read each file as the run did: a version
// that reads a file in another CDR format (its CdrFormats changed) is refused with InputError.

import { join } from 'node:path';
import type { Store } from '../store/store.js';
import type { RunRecord } from '../store/runs.js';
import type { RateSummary } from './rate-options.js';
import { InputError } from './rate-run.js';
import { workerCount, type RunService } from './run-service.js';
import { rateHere, rateInWorker, runWorkerScript, type RunJob } from './run-thread.js';

export interface PassEnv {
  service: RunService;
  store: Store;
}

/** Rates every line of the done run `rec` with version `seq` into outDir (rated.csv, exceptions.csv, …); its summary. */
export async function rateRunAgain(env: PassEnv, rec: RunRecord, seq: number, outDir: string): Promise<RateSummary> {
  const v = await env.store.getVersion(seq);
  if (!v) throw new InputError(`there is no version ${seq}`);
  if (v.counts.error > 0) throw new InputError(`version ${seq} has errors and cannot rate calls`);
  const job: RunJob = {
    workbookHash: v.contentHash,
    files: env.service.runs.inputs(rec),
    format: rec.format ?? undefined,
    outDir,
    workers: workerCount(rec.files.reduce((n, f) => n + f.bytes, 0)),
  };
  const script = runWorkerScript();
  // The thread reads the version's rows itself (as the queue's runs do); a build without the run
  // worker rates here, between the reader's chunks.
  const handle = script ? rateInWorker(script, { ...job, rowsPath: join(env.store.versionsDir, String(seq), 'rows.json') }, () => undefined) : rateHere((await env.service.versionModel(seq)).model, job, () => undefined);
  const { summary } = await handle.done;
  const before = rec.summary?.files ?? [];
  for (let i = 0; i < summary.files.length; i++) {
    const was = before[i]?.format;
    const now = summary.files[i].format;
    if (was !== undefined && was !== now) {
      throw new InputError(`version ${seq} reads ${summary.files[i].name} as the ${now} CDR format, where run ${rec.id} read it as ${was}: its lines cannot be compared; use a version with the run's CdrFormats`);
    }
  }
  return summary;
}
