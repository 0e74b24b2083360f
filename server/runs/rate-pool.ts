// Worker threads that run rateLine on batches of lines. Batches go out round-robin and come back
// in the order they were sent, so the main thread settles them exactly as a single thread would.

import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { PackedResults } from '../../rules/rating/rate-line.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import type { ColumnPositions } from '../../rules/workbook/parse.js';
import type { WorkerRequest } from './rate-worker.js';

/** The bundled worker beside the bundled command line; under tsx/vitest, the TypeScript source. */
function workerScript(): { url: URL; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { url: new URL('./rate-worker-dev.mjs', import.meta.url), execArgv: [] };
  return { url: new URL('./rate-worker.mjs', import.meta.url), execArgv: [] };
}

// The worker's young generation: 16 MiB. A larger one (192 MiB) was measured 15% faster when the
// reader split every line into field strings that lived until the batch was rated; since lines are
// split where they are rated, 16, 48 and 192 MiB rate alike (interleaved bench runs, 2026-12-04),
// and 16 MiB keeps 90 MiB less resident. RATEBOOK_WORKER_YOUNG_MB (16–4096) overrides it.
const youngMb = Number(process.env.RATEBOOK_WORKER_YOUNG_MB);
const YOUNG_MB = Number.isFinite(youngMb) && youngMb >= 16 && youngMb <= 4096 ? youngMb : 16;

interface Pending {
  resolve: (r: PackedResults) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The worker has built its model and answers batches. */
  ready: boolean;
  /** Batches sent to it and not yet answered. */
  waiting: number;
}

export class RatePool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending & { slot: Slot }>();
  private id = 0;
  private recycled = 0;
  private failure: Error | null = null;
  private listeners: (() => void)[] = [];

  /**
   * `rows` may be their JSON text, as a version keeps it: a string crosses to a worker as one copy
   * and the worker parses it on its own core, where a structured clone of the rows costs the
   * sending thread 0.2–0.5 s for a large workbook.
   */
  constructor(size: number, rows: SheetRows | string, positions: ColumnPositions) {
    const { url, execArgv } = workerScript();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { execArgv, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
      const slot: Slot = { worker, ready: false, waiting: 0 };
      worker.on('message', (m: { kind: 'ready' } | { kind: 'results'; id: number; results: PackedResults }) => {
        if (m.kind === 'ready') slot.ready = true;
        else {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          slot.waiting--;
          p?.resolve(m.results);
        }
        const heard = this.listeners;
        this.listeners = [];
        for (const f of heard) f();
      });
      worker.on('error', (e) => this.fail(e));
      worker.postMessage({ kind: 'init', rows, positions } satisfies WorkerRequest);
      this.slots.push(slot);
    }
  }

  private fail(e: Error): void {
    this.failure = e;
    const heard = this.listeners;
    this.listeners = [];
    for (const f of heard) f();
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** The ready worker with the fewest batches waiting, if it has fewer than `depth`. */
  free(depth: number): Slot | null {
    let best: Slot | null = null;
    for (const s of this.slots) if (s.ready && s.waiting < depth && (!best || s.waiting < best.waiting)) best = s;
    return best;
  }

  /** Some worker is ready and has batches waiting (its answer may already be in the event queue). */
  busy(): boolean {
    return this.slots.some((s) => s.ready && s.waiting > 0);
  }

  /** Resolves at the next message from any worker: an answer, or a worker ready. */
  answer(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  get size(): number {
    return this.slots.length;
  }

  startFile(name: string, format: string, header: string[] | null, lane = true): void {
    for (const s of this.slots) s.worker.postMessage({ kind: 'file', name, format, header, lane } satisfies WorkerRequest);
  }

  /** Sends a batch to a worker (from free()); the promise settles with its results. */
  rate(slot: Slot, spans: Int32Array, block: string): Promise<PackedResults> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.id++;
    slot.waiting++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ kind: 'batch', id, spans, block } satisfies WorkerRequest, [spans.buffer as ArrayBuffer]);
    });
  }

  /**
   * Hands a settled batch's buffers back to a worker to fill again (the caller holds no view on
   * them any more). Transferred, not copied.
   */
  recycle(p: PackedResults): void {
    if (this.failure || this.slots.length === 0) return;
    const slot = this.slots[this.recycled++ % this.slots.length];
    const rows = p.rows.buffer as ArrayBuffer;
    const keys = p.keyBytes.buffer as ArrayBuffer;
    if (rows === keys || rows === p.columns || keys === p.columns || rows.byteLength === 0 || keys.byteLength === 0) return;
    slot.worker.postMessage({ kind: 'recycle', rows, keys, columns: p.columns } satisfies WorkerRequest, [rows, keys, p.columns]);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
