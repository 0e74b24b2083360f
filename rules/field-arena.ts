// Names the fast lane writes on every rated row (a destination, a tariff, a band) kept as their CSV
// field bytes in one arena, made the first time an id is written: copying a few bytes costs a
// fraction of reading a string object and checking every character for quoting again. (A Numbers
// row's account, site and Number are in the model's ownerBytes, next to the rest of the row.)

import { RowBytes } from './row-bytes.js';

export class FieldArena {
  /** The bytes of every part made so far, encoded in place (no copy per text). */
  private readonly store = new RowBytes(1 << 16);
  /** Per id, parts + 1 offsets into bytes (part k is [at[id*(parts+1)+k], at[...+k+1])); -1: not made yet. */
  readonly at: Int32Array;
  private readonly stride: number;

  constructor(
    count: number,
    readonly parts: number,
  ) {
    this.stride = parts + 1;
    this.at = new Int32Array(count * this.stride).fill(-1);
  }

  /** The bytes of every part made so far (a new array once it grows: read it after add()). */
  get bytes(): Uint8Array {
    return this.store.buf;
  }

  /** True when id's parts are made (then at[] holds them). */
  has(id: number): boolean {
    return this.at[id * this.stride] >= 0;
  }

  /** Makes id's parts from its texts, one per part, as CSV fields (quoted, `'` before a risky start). */
  add(id: number, texts: readonly string[]): void {
    const o = id * this.stride;
    const store = this.store;
    this.at[o] = store.pos;
    for (let k = 0; k < this.parts; k++) {
      store.field(texts[k]);
      this.at[o + k + 1] = store.pos;
    }
  }
}

/** Copies bytes [from, to) of src to buf at p; returns the position after. */
export function putBytes(buf: Uint8Array, p: number, src: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) buf[p++] = src[i];
  return p;
}
