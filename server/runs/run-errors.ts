// The two ways a rating run ends without results, told apart so a caller can say which: the input
// could not be used (the command exits 1, the server marks the run failed), or someone stopped it
// (the server marks it cancelled or interrupted). Either way the run has written nothing.

/** A problem with an input file as a whole: the command exits 1 and writes nothing. */
export class InputError extends Error {}

/** The run was cancelled (RatingRun.cancel() or its AbortSignal) before its outputs were in place. */
export class RunCancelled extends Error {
  override readonly name = 'RunCancelled';
  constructor(readonly reason?: unknown) {
    super('the rating run was cancelled');
  }
}

/** Throws RunCancelled once the signal has fired: called between batches and between steps. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new RunCancelled(signal.reason);
}
