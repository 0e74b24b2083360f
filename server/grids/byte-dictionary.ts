// A column of byte strings, dictionary-coded: each distinct value is appended once to a byte
// arena and found again through an open-addressing hash table of its bytes, so a column of a
// million rows is a Uint32Array of codes plus the distinct bytes — no string per value, nothing
// for the garbage collector to walk, no allocation per value while loading.

/** A column of distinct byte strings: values appended to an arena, found again by hash. */
export class Dictionary {
  arena = Buffer.allocUnsafe(1 << 16);
  /** Value i is arena[ends[i-1], ends[i]). */
  ends: Uint32Array = new Uint32Array(1024);
  hashes = new Int32Array(1024);
  size = 0;
  /**
   * Values are appended without looking for them first (a column of nearly unique values: ids,
   * times, numbers), so equal values may have several codes. Hashing a million unique values
   * cost more than the rest of loading together.
   */
  direct = false;
  private used = 0;
  private slots = new Int32Array(2048);
  private mask = 2047;

  start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1];
  }

  /** The code of bytes b[from, to), added when new. */
  code(b: Buffer, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
    h |= 0;
    const len = to - from;
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const c = this.slots[s] - 1;
      if (c < 0) break;
      if (this.hashes[c] !== h) continue;
      const at = this.start(c);
      if (this.ends[c] - at !== len) continue;
      let same = true;
      for (let k = 0; k < len; k++) {
        if (this.arena[at + k] !== b[from + k]) {
          same = false;
          break;
        }
      }
      if (same) return c;
    }
    return this.add(b, from, to, h);
  }

  /** Bytes b[from, to) as a new value (direct columns). */
  append(b: Buffer, from: number, to: number): number {
    return this.add(b, from, to, 0);
  }

  /** From now on every value is appended (see direct). */
  goDirect(): void {
    this.direct = true;
    this.slots = new Int32Array(0);
  }

  text(i: number): string {
    return this.arena.toString('utf8', this.start(i), this.ends[i]);
  }

  private add(b: Buffer, from: number, to: number, h: number): number {
    const c = this.size++;
    if (c === this.ends.length) {
      this.ends = growU32(this.ends);
      if (!this.direct) {
        const hs = new Int32Array(this.hashes.length * 2);
        hs.set(this.hashes);
        this.hashes = hs;
      }
    }
    const len = to - from;
    if (this.used + len > this.arena.length) {
      const a = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + len));
      this.arena.copy(a, 0, 0, this.used);
      this.arena = a;
    }
    // Values are short: a loop costs less than Buffer.copy's checks.
    if (len < 64) for (let k = 0, u = this.used; k < len; k++) this.arena[u + k] = b[from + k];
    else b.copy(this.arena, this.used, from, to);
    this.used += len;
    this.ends[c] = this.used;
    if (this.direct) return c;
    this.hashes[c] = h;
    if (this.size * 2 > this.slots.length) this.rehash();
    else this.place(c, h);
    return c;
  }

  private place(c: number, h: number): void {
    let s = h & this.mask;
    while (this.slots[s] !== 0) s = (s + 1) & this.mask;
    this.slots[s] = c + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let c = 0; c < this.size; c++) this.place(c, this.hashes[c]);
  }

  /** Done adding: the arrays trimmed and the hash table let go. */
  seal(): void {
    this.arena = Buffer.from(this.arena.subarray(0, this.used));
    this.ends = this.ends.slice(0, this.size);
    this.hashes = new Int32Array(0);
    this.slots = new Int32Array(0);
  }
}

export const growU32 = (a: Uint32Array): Uint32Array<ArrayBuffer> => {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
};
