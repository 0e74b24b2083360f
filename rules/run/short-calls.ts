// The short-call fraud rule's memory (SPEC §2 step 5): per (number, local day), how many short
// calls and which. Only short calls are remembered: 8 bytes each (the caller's index and the
// previous short call of the same day, in paged columns), plus ~40 bytes per (number, day) with
// any, in a hash table of typed arrays — no per-number or per-day objects.

import { Float64Column, Int32Column } from './paged-column.js';

const MAX_LOAD = 0.7;

export class ShortCalls {
  /** [hash, day id + 1] per slot; 0 marks an empty slot. */
  private slots = new Int32Array(2 * 256);
  private mask = 255;
  // Per (number, day), by day id:
  private readonly num = new Int32Column();
  private readonly day = new Float64Column();
  private readonly count = new Int32Column();
  private readonly lastCall = new Int32Column();
  /** Per short call: [previous short call of its number and day or -1, the caller's index]. */
  private readonly link = new Int32Column();
  /** Day ids whose count passed the limit. */
  private readonly over: number[] = [];

  constructor(private readonly limit: number) {}

  /** Counts short call `index` of number `num` (a dense id) on `day`; returns the day's count so far. */
  observe(num: number, day: number, index: number): number {
    const g = this.dayId(num, day);
    const call = this.link.push(this.lastCall.get(g));
    this.link.push(index);
    this.lastCall.set(g, call >>> 1);
    const c = this.count.get(g) + 1;
    this.count.set(g, c);
    if (c === this.limit + 1) this.over.push(g);
    return c;
  }

  /** Each (number, day) over the limit with its count, then each of its short calls' indexes. */
  sweep(day: (num: number, day: number, count: number) => (index: number) => void): void {
    for (const g of this.over) {
      const emit = day(this.num.get(g), this.day.get(g), this.count.get(g));
      for (let call = this.lastCall.get(g); call !== -1; call = this.link.get(2 * call)) emit(this.link.get(2 * call + 1));
    }
  }

  /** The id of (num, day), added with no calls when new. */
  private dayId(num: number, day: number): number {
    let h = Math.imul(num ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(day | 0, 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    for (;;) {
      const g1 = slots[2 * s + 1];
      if (g1 === 0) break;
      if (slots[2 * s] === h && this.num.get(g1 - 1) === num && sameDay(this.day.get(g1 - 1), day)) return g1 - 1;
      s = (s + 1) & mask;
    }
    const g = this.num.push(num);
    this.day.push(day);
    this.count.push(0);
    this.lastCall.push(-1);
    slots[2 * s] = h;
    slots[2 * s + 1] = g + 1;
    if (this.num.length > MAX_LOAD * (mask + 1)) this.grow();
    return g;
  }

  private grow(): void {
    const old = this.slots;
    const mask = this.mask * 2 + 1;
    const slots = new Int32Array(2 * (mask + 1));
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] === 0) continue;
      let t = old[s] & mask;
      while (slots[2 * t + 1] !== 0) t = (t + 1) & mask;
      slots[2 * t] = old[s];
      slots[2 * t + 1] = old[s + 1];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Equal as Map keys are (NaN is itself). */
const sameDay = (a: number, b: number): boolean => a === b || (a !== a && b !== b);
