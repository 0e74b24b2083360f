// The server's long work (a run's rating thread and its rating workers, a big bill's thread) runs
// at a lower CPU priority than the thread that answers requests, so a clerk paging a grid is
// answered at once while another run rates: on Linux a nice value is a thread's own, and threads
// a thread starts inherit it. When the machine is otherwise idle, the long work runs as fast as
// before (a nice value only matters when threads compete for a core).

import { getPriority, setPriority } from 'node:os';

/** Nice added for background threads: requests win about nine times in ten when they compete. */
export const BACKGROUND_NICE = 10;

/** Lowers the calling thread's priority (and that of the threads it starts after). */
export function runInBackground(): void {
  try {
    setPriority(Math.min(19, getPriority() + BACKGROUND_NICE));
  } catch {
    // Not permitted or not supported here: the work still runs, only at the same priority.
  }
}
