// A done run's calls rated again, whole, with a version of choice, into a folder of the caller's
// (SPEC §7 re-rate and what-if): the same rating run the queue uses (startRating: mediation,
// dedupe, owners, fraud, prices), from the run's kept CDR files, with worker threads for a big run
// as the queue has them. A fresh run's answer for every line, which re-rate and what-if then
// compare with what the run holds.
//
// Lines are compared by file and line, so the pass must read each file as the run did: a version
// that reads a file in another CDR format (its CdrFormats changed) is refused with InputError.

import type { Store } from '../store/store.js';
import type { RunRecord } from '../store/runs.js';
import type { RateSummary } from './rate-options.js';
import { RatePool } from './rate-pool.js';
import { InputError, startRating } from './rate-run.js';
import { workerCount, type RunService } from './run-service.js';

export interface PassEnv {
  service: RunService;
  store: Store;
}

/** Rates every line of the done run `rec` with version `seq` into outDir (rated.csv, exceptions.csv, …); its summary. */
export async function rateRunAgain(env: PassEnv, rec: RunRecord, seq: number, outDir: string): Promise<RateSummary> {
  const vm = await env.service.versionModel(seq);
  const files = env.service.runs.inputs(rec);
  const workers = workerCount(rec.files.reduce((n, f) => n + f.bytes, 0));
  // As the queue does: the workers take the version's rows as text and parse them on their own core.
  const pool = workers > 0 ? new RatePool(workers, await env.store.loadRowsText(seq), vm.model.positions) : undefined;
  const rating = startRating({ model: vm.model, workbookHash: vm.hash, files, format: rec.format ?? undefined, outDir, pool, workers });
  const { summary } = await rating.done;
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
