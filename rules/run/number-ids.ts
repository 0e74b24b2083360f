// Owning numbers as dense ids (0, 1, 2, … in order of first sight), for the fraud rules' per-number
// records. Nearly every owning number is N(...): 1–15 digits, which fit exactly in a double as
// `1<digits>` (the leading 1 keeps leading zeros and the length), so they are found by value in a
// table of doubles — one pass over the text and one probe, no bytes to compare. Any other text
// goes to a KeyTable.

import { KeyTable } from './key-table.js';
import { Float64Column, Int32Column } from './paged-column.js';

const MAX_LOAD = 0.7;

export class NumberIds {
  /** [value, id + 1] per slot; id + 1 = 0 marks an empty slot. */
  private slots = new Float64Array(2 * 256);
  private mask = 255;
  /** Texts that are not 1–15 digits. */
  private readonly others = new KeyTable();
  /** KeyTable id -> id. */
  private readonly otherIds = new Int32Column();
  /** id -> its value, or −1 − its KeyTable id. */
  private readonly values = new Float64Column();
  /** Numbers held. */
  size = 0;

  /** The id of number, adding it when new. */
  intern(number: string): number {
    const n = number.length;
    let v = 1;
    for (let i = 0; i < n; i++) {
      const d = number.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || n > 15) return this.other(number);
      v = v * 10 + d;
    }
    if (n === 0) return this.other(number);
    return this.internValue(v);
  }

  /** intern() of 1–15 digits given as their value `1<digits>` (10^length + the number): no text to read. */
  internValue(v: number): number {
    const h = hashOf(v);
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    for (;;) {
      const id1 = slots[2 * s + 1];
      if (id1 === 0) break;
      if (slots[2 * s] === v) return id1 - 1;
      s = (s + 1) & mask;
    }
    const id = this.add(v);
    slots[2 * s] = v;
    slots[2 * s + 1] = id + 1;
    if (this.size > MAX_LOAD * (mask + 1)) this.grow();
    return id;
  }

  /** The text of an id intern() returned. */
  text(id: number): string {
    const v = this.values.get(id);
    return v >= 0 ? String(v).slice(1) : this.others.keyOf(-1 - v);
  }

  private other(number: string): number {
    const k = this.others.intern(number);
    if (!this.others.added) return this.otherIds.get(k);
    const id = this.add(-1 - k);
    this.otherIds.push(id);
    return id;
  }

  private add(value: number): number {
    this.values.push(value);
    return this.size++;
  }

  private grow(): void {
    const old = this.slots;
    const mask = this.mask * 2 + 1;
    const slots = new Float64Array(2 * (mask + 1));
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] === 0) continue;
      const v = old[s];
      let t = hashOf(v) & mask;
      while (slots[2 * t + 1] !== 0) t = (t + 1) & mask;
      slots[2 * t] = v;
      slots[2 * t + 1] = old[s + 1];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A 32-bit hash of an integer value below 2^53. */
function hashOf(v: number): number {
  let h = (v >>> 0) ^ Math.imul(Math.floor(v / 4_294_967_296), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
