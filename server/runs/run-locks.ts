// Turn-taking for the closed loop (re-rate, release, what-if). A change to a run's outputs reads
// them, works, and replaces them: two at once on one run would each start from the same outputs
// and the second would undo the first, so changes to a run take turns. Rating passes (a re-rate or
// a what-if rates a whole run again) take turns across all runs, so they add at most one run's
// worth of rating, and its memory, to what the run queue is doing.
//
// One set of locks a run service (a WeakMap keyed by it), so every route and test over the same
// service shares them.

import type { RunService } from './run-service.js';

export class RunLocks {
  private readonly chains = new Map<number, Promise<unknown>>();
  private passes: Promise<unknown> = Promise.resolve();

  /** Runs `f` once the run's earlier changes are over; the next waits for this one. */
  change<T>(id: number, f: () => Promise<T>): Promise<T> {
    const next = (this.chains.get(id) ?? Promise.resolve()).then(f);
    const settled = next.catch(() => undefined);
    this.chains.set(id, settled);
    // Forget a run's chain once nothing waits behind it, so the map does not grow with every run.
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id);
    });
    return next;
  }

  /** Runs a rating pass once the passes before it are over. */
  pass<T>(f: () => Promise<T>): Promise<T> {
    const next = this.passes.then(f);
    this.passes = next.catch(() => undefined);
    return next;
  }
}

const locks = new WeakMap<RunService, RunLocks>();

/** The locks of a run service's runs. */
export function locksOf(service: RunService): RunLocks {
  let l = locks.get(service);
  if (!l) locks.set(service, (l = new RunLocks()));
  return l;
}
