// Interns strings as dense ids (0, 1, 2, … in order of first sight) without keeping the strings:
// a run's dedupe keys and owning numbers number in the millions, and a JS string costs 16–24 bytes
// of header plus its text (a Map entry ~30 more), while a field split out of a line may keep the
// whole line alive. Each key's text is copied once into a byte arena as WTF-8 (UTF-8 that also
// encodes a lone surrogate, so distinct strings never share bytes); a table of (hash, id) pairs
// probed linearly finds candidates, and a candidate is confirmed byte by byte, so an answer is
// exact whatever the hash does. About 12–24 bytes of table and 8 of position per key, plus the
// key's bytes and one length byte (two past 127 bytes).

import { Float64Column } from './paged-column.js';

export interface KeyTableOptions {
  /**
   * Bits of the hash kept (1–32, default 32). Tests keep a few so that distinct keys share
   * hashes and the byte comparison must tell them apart.
   */
  hashBits?: number;
}

/** Arena pages: a key's bytes never straddle two, and a position is page * PAGE + offset. */
const PAGE = 1 << 20;
const FIRST_PAGE = 4096;
const MAX_LOAD = 0.7;

export class KeyTable {
  /** [hash, id + 1] per slot; id + 1 = 0 marks an empty slot. */
  private slots = new Int32Array(2 * 1024);
  private mask = 1023;
  private readonly hashMask: number;
  /** Arena position of each id's length-prefixed bytes. */
  private readonly pos = new Float64Column();
  private readonly pages: Uint8Array[] = [new Uint8Array(FIRST_PAGE)];
  private fill = 0;
  /** The key being looked up, encoded. */
  private scratch = new Uint8Array(256);
  private scratchLen = 0;
  /** Keys held. */
  size = 0;
  /** What hashAscii() read (never used). */
  touched = 0;
  /** Whether the last intern() added its key (rather than finding it). */
  added = false;

  constructor(options: KeyTableOptions = {}) {
    const bits = options.hashBits ?? 32;
    this.hashMask = bits >= 32 ? -1 : (1 << Math.max(1, bits)) - 1;
  }

  /** The id of key, adding it when new (see `added`). */
  intern(key: string): number {
    return this.internScratch(this.encode(key));
  }

  /**
   * The hashes of the ASCII keys b[ends[i - 1], ends[i]) for i < n (ends[-1] being 0), for
   * internAscii(), into `hashes`; and each one's first slot read: a batch's reads miss the caches
   * together here, where interning them one by one, between other work, waits for each in turn.
   */
  hashAscii(b: Uint8Array, ends: Int32Array, n: number, hashes: Int32Array): void {
    let from = 0;
    for (let i = 0; i < n; i++) {
      hashes[i] = this.asciiHash(b, from, ends[i]);
      from = ends[i];
    }
    // A loop of reads alone, so that many are in flight at once.
    const slots = this.slots;
    const mask = this.mask;
    let touched = 0;
    for (let i = 0; i < n; i++) touched ^= slots[2 * (hashes[i] & mask) + 1];
    // Stored, so the reads are not optimised away.
    this.touched = touched;
  }

  /**
   * intern() of the key whose text is the ASCII bytes b[from, to), given its hash from hashAscii():
   * the same id as intern() of that text (its WTF-8 is those bytes and its hash the same), with no
   * string made.
   */
  internAscii(b: Uint8Array, from: number, to: number, h: number): number {
    const n = to - from;
    if (this.scratch.length < n) this.scratch = new Uint8Array(n + 64);
    const out = this.scratch;
    for (let i = 0; i < n; i++) out[i] = b[from + i];
    this.scratchLen = n;
    return this.internScratch(h);
  }

  /** The hash of the ASCII text b[from, to): encode()'s of the same text. */
  private asciiHash(b: Uint8Array, from: number, to: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
    return mix(h) & this.hashMask;
  }

  /** The id of the key in the scratch, whose hash is h. */
  private internScratch(h: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    for (;;) {
      const id1 = slots[2 * s + 1];
      if (id1 === 0) break;
      if (slots[2 * s] === h && this.matches(id1 - 1)) {
        this.added = false;
        return id1 - 1;
      }
      s = (s + 1) & mask;
    }
    const id = this.size++;
    this.pos.push(this.store());
    slots[2 * s] = h;
    slots[2 * s + 1] = id + 1;
    if (this.size > MAX_LOAD * (mask + 1)) this.grow();
    this.added = true;
    return id;
  }

  /** The id of key, or -1. */
  find(key: string): number {
    const h = this.encode(key);
    const slots = this.slots;
    const mask = this.mask;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const id1 = slots[2 * s + 1];
      if (id1 === 0) return -1;
      if (slots[2 * s] === h && this.matches(id1 - 1)) return id1 - 1;
    }
  }

  /** The key of an id intern() returned. */
  keyOf(id: number): string {
    const p = this.pos.get(id);
    const pi = Math.floor(p / PAGE);
    const page = this.pages[pi];
    // Not p % PAGE: on a double that is a call to fmod.
    let at = p - pi * PAGE;
    let len = 0;
    for (let shift = 0; ; shift += 7) {
      const b = page[at++];
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    return decodeWtf8(page, at, at + len);
  }

  /** Encodes key into scratch as WTF-8 and returns its hash (FNV-1a over code units, then mixed). */
  private encode(key: string): number {
    const n = key.length;
    if (this.scratch.length < 3 * n) this.scratch = new Uint8Array(3 * n + 64);
    const out = this.scratch;
    let h = 0x811c9dc5 | 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      let c = key.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      if (c < 0x80) out[k++] = c;
      else if (c < 0x800) {
        out[k++] = 0xc0 | (c >> 6);
        out[k++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && (key.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        const lo = key.charCodeAt(++i);
        h = Math.imul(h ^ lo, 0x01000193);
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        out[k++] = 0xf0 | (c >> 18);
        out[k++] = 0x80 | ((c >> 12) & 0x3f);
        out[k++] = 0x80 | ((c >> 6) & 0x3f);
        out[k++] = 0x80 | (c & 0x3f);
      } else {
        out[k++] = 0xe0 | (c >> 12);
        out[k++] = 0x80 | ((c >> 6) & 0x3f);
        out[k++] = 0x80 | (c & 0x3f);
      }
    }
    this.scratchLen = k;
    return mix(h) & this.hashMask;
  }

  /** Whether id's bytes are the scratch's. */
  private matches(id: number): boolean {
    const p = this.pos.get(id);
    const pi = Math.floor(p / PAGE);
    const page = this.pages[pi];
    // Not p % PAGE: on a double that is a call to fmod.
    let at = p - pi * PAGE;
    const len = this.scratchLen;
    let stored = page[at++];
    if (stored >= 0x80) {
      at--;
      stored = 0;
      for (let shift = 0; ; shift += 7) {
        const b = page[at++];
        stored += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
      }
    }
    if (stored !== len) return false;
    const s = this.scratch;
    for (let i = 0; i < len; i++) if (page[at + i] !== s[i]) return false;
    return true;
  }

  /** Appends the scratch, length first, to the arena; returns its position. */
  private store(): number {
    const len = this.scratchLen;
    let head = 1;
    for (let rest = len >>> 7; rest > 0; rest >>>= 7) head++;
    const need = head + len;
    let pi = this.pages.length - 1;
    let page = this.pages[pi];
    if (this.fill + need > page.length) {
      if (page.length < PAGE && this.fill + need <= PAGE) {
        // The first page grows by doubling while small, so a small table stays small.
        let size = page.length * 2;
        while (size < this.fill + need) size *= 2;
        const grown = new Uint8Array(Math.min(PAGE, size));
        grown.set(page.subarray(0, this.fill));
        this.pages[pi] = page = grown;
      } else {
        // A key longer than a page gets a page of its own.
        page = new Uint8Array(Math.max(PAGE, need));
        pi = this.pages.push(page) - 1;
        this.fill = 0;
      }
    }
    const at = this.fill;
    let k = at;
    let rest = len;
    while (rest >= 0x80) {
      page[k++] = 0x80 | (rest & 0x7f);
      rest = Math.floor(rest / 128);
    }
    page[k++] = rest;
    const s = this.scratch;
    for (let i = 0; i < len; i++) page[k + i] = s[i];
    this.fill = k + len;
    return pi * PAGE + at;
  }

  /**
   * Makes room for `keys` keys in all before the table next grows (never shrinks it): a run that
   * knows roughly how many keys are coming saves the rehashing on the way (each doubling moves
   * every key held to a random slot: 3% of a 1M-line run).
   */
  reserve(keys: number): void {
    while (keys > MAX_LOAD * (this.mask + 1)) this.grow();
  }

  /** Doubles the slots, placing each (hash, id) by its hash again. */
  private grow(): void {
    const old = this.slots;
    const mask = this.mask * 2 + 1;
    const slots = new Int32Array(2 * (mask + 1));
    for (let s = 0; s < old.length; s += 2) {
      const id1 = old[s + 1];
      if (id1 === 0) continue;
      const h = old[s];
      let t = h & mask;
      while (slots[2 * t + 1] !== 0) t = (t + 1) & mask;
      slots[2 * t] = h;
      slots[2 * t + 1] = id1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** The final avalanche of the FNV-1a hash (murmur3's). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** The string whose WTF-8 bytes are b[from..to). */
function decodeWtf8(b: Uint8Array, from: number, to: number): string {
  const units: number[] = [];
  let out = '';
  for (let i = from; i < to; ) {
    const x = b[i++];
    if (x < 0x80) units.push(x);
    else if (x < 0xe0) units.push(((x & 0x1f) << 6) | (b[i++] & 0x3f));
    else if (x < 0xf0) units.push(((x & 0x0f) << 12) | ((b[i++] & 0x3f) << 6) | (b[i++] & 0x3f));
    else {
      const c = (((x & 0x07) << 18) | ((b[i++] & 0x3f) << 12) | ((b[i++] & 0x3f) << 6) | (b[i++] & 0x3f)) - 0x10000;
      units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
    }
    if (units.length >= 4096) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return out + String.fromCharCode(...units);
}
