// Long work on the server's main thread in slices: a loop calls maybeYield() every so often and
// the event loop gets a turn once the slice has run SLICE_MS, so requests keep being answered
// while a grid is loaded or a column ranked.

/** The work done between two turns of the event loop. */
export const SLICE_MS = 10;

export const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Slicer {
  private last = performance.now();
  /** Resolves at once, or after a turn of the event loop when this slice has run long. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last > SLICE_MS) {
      await yieldNow();
      this.last = performance.now();
    }
  }
}
