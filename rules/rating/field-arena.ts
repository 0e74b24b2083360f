// Names the fast lane writes on every rated row (a destination, a tariff, a band) kept as their CSV
// field bytes in one arena, made the first time an id is written: copying a few bytes costs a
// fraction of reading a string object and checking every character for quoting again. (A Numbers
// row's account, site and Number are in the model's ownerBytes, next to the rest of the row.)

import { RowBytes } from './row-bytes.js';

export class FieldArena {
  /** The bytes of every name made so far, encoded in place (no copy per text). */
  private readonly store = new RowBytes(1 << 16);
  /** Per id, where its bytes start and end: [at[2 * id], at[2 * id + 1]); -1: not made yet. */
  readonly at: Int32Array;

  constructor(count: number) {
    this.at = new Int32Array(2 * count).fill(-1);
  }

  /** The bytes of every name made so far (a new array once it grows: read it after add()). */
  get bytes(): Uint8Array {
    return this.store.buf;
  }

  /** True when id's bytes are made (then at[] holds them). */
  has(id: number): boolean {
    return this.at[2 * id] >= 0;
  }

  /** Makes id's bytes from its text, as a CSV field (quoted, `'` before a risky start). */
  add(id: number, text: string): void {
    this.at[2 * id] = this.store.pos;
    this.store.field(text);
    this.at[2 * id + 1] = this.store.pos;
  }
}

/** Copies bytes [from, to) of src to buf at p; returns the position after. */
export function putBytes(buf: Uint8Array, p: number, src: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) buf[p++] = src[i];
  return p;
}
