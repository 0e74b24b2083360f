// The column grids in memory: loaded on the first page asked of a file, kept for the next pages,
// dropped when two others have been used since (a 1M-row grid is a few hundred MB) or after ten
// idle minutes. A grid is keyed by its file's identity on disk (inode, size, mtime), so a run
// whose outputs are replaced (re-rate, release) is read again, never served stale.

import { stat } from 'node:fs/promises';
import { ColumnGrid, type ColumnKind } from './column-grid.js';

interface Entry {
  stamp: string;
  grid: Promise<ColumnGrid>;
  used: number;
}

export interface GridCacheOptions {
  /** Grids kept (default 2). */
  capacity?: number;
  /** A grid unused this long is dropped (default 10 minutes). */
  idleMs?: number;
}

export class GridCache {
  private readonly entries = new Map<string, Entry>();
  private readonly capacity: number;
  private readonly idleMs: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: GridCacheOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? 2);
    this.idleMs = options.idleMs ?? 10 * 60_000;
  }

  /** The grid of the CSV file at `path` (its header gives the columns; `kinds` the int and money ones). */
  async grid(path: string, kinds: Readonly<Record<string, ColumnKind>>): Promise<ColumnGrid> {
    const st = await stat(path);
    const stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    let e = this.entries.get(path);
    if (!e || e.stamp !== stamp) {
      e = { stamp, grid: ColumnGrid.load(path, kinds), used: Date.now() };
      const mine = e;
      e.grid.catch(() => {
        if (this.entries.get(path) === mine) this.entries.delete(path);
      });
    }
    this.entries.delete(path);
    this.entries.set(path, e);
    e.used = Date.now();
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.sweepLater();
    return e.grid;
  }

  /** Drops every grid (tests; shutting down). */
  clear(): void {
    this.entries.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private sweepLater(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = Date.now();
      for (const [k, e] of this.entries) if (now - e.used >= this.idleMs) this.entries.delete(k);
      if (this.entries.size > 0) this.sweepLater();
    }, Math.min(this.idleMs, 60_000));
    this.timer.unref();
  }
}
