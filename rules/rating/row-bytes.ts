// rated.csv rows written as UTF-8 bytes straight into one growing buffer per batch. Building each
// row as a string cost about 40 string joins, a flattening copy and an encoding copy per call; the
// bytes need none of that, and a worker hands its buffer back without copying it.
// The same quoting and formula-injection rules as csv.ts (RFC 4180; a risky text gets a `'`).

import { isRisky } from '../csv.js';
import { MICRO, type Micro } from '../money.js';
import { localClockText, zoneOffsetMs } from '../zone.js';

const COMMA = 44;
const QUOTE = 34;
const DIGITS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGITS[2 * i] = 48 + Math.floor(i / 10);
  DIGITS[2 * i + 1] = 48 + (i % 10);
}
const MS_PER_DAY = 86_400_000;
/** ASCII characters that make a field need quoting: , " LF CR. */
const SPECIAL = new Uint8Array(128);
for (const c of [COMMA, QUOTE, 10, 13]) SPECIAL[c] = 1;
/** First characters that may make a text a formula: = + - @ tab CR. */
const RISKY_START = new Uint8Array(128);
for (const c of [61, 43, 45, 64, 9, 13]) RISKY_START[c] = 1;

export class RowBytes {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  /** An empty RowBytes writing into the whole buffer under `bytes` (a buffer handed back to be filled again). */
  static over(bytes: Uint8Array): RowBytes {
    const r = new RowBytes(0);
    r.buf = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.buffer.byteLength - bytes.byteOffset);
    return r;
  }

  /** Room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  /** The bytes written so far: a view, valid until the next write. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes written, as a buffer of their own, and a fresh start. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Text known to need no quoting (fixed words, digits), as UTF-8. */
  raw(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        buf[p++] = c;
      } else if (isHigh(c) && i + 1 < n && isLow(s.charCodeAt(i + 1))) {
        p = putCodePoint(buf, p, 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00));
        i++;
      } else {
        // A lone surrogate becomes U+FFFD, as Buffer writes it.
        p = putCodePoint(buf, p, isHigh(c) || isLow(c) ? 0xfffd : c);
      }
    }
    this.pos = p;
  }

  /** Bytes as they are (a field encoded once by field() and kept, say). */
  copy(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = bytes[i];
    this.pos = p;
  }

  /** The first `len` digits (values 0–9) of d, as text. */
  digits(d: Uint8Array, len: number): void {
    this.ensure(len);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < len; i++) buf[p++] = 48 + d[i];
    this.pos = p;
  }

  /** s[from, to), known to be printable ASCII with nothing to quote and no risky start. */
  ascii(s: string, from: number, to: number): void {
    this.ensure(to - from);
    const buf = this.buf;
    let p = this.pos;
    for (let i = from; i < to; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** One CSV text field: quoted when it holds , " CR or LF; `'` first when a spreadsheet would run it. */
  field(s: string): void {
    const n = s.length;
    if (n === 0) return;
    const c0 = s.charCodeAt(0);
    if (c0 < 128 && RISKY_START[c0] === 1 && isRisky(s)) {
      this.special(s, true);
      return;
    }
    // One pass for the usual field: copy ASCII, and start again the careful way on anything else.
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128 || SPECIAL[c] === 1) {
        this.special(s, false);
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /**
   * A field with a character to quote or to encode, or a risky start: whether to quote is found by
   * indexOf (native scans of the flat string), then one pass writes it, doubling quotes as it goes.
   */
  private special(s: string, risky: boolean): void {
    const quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    if (!quote && !risky) {
      this.raw(s);
      return;
    }
    const n = s.length;
    this.ensure(n * 6 + 3);
    const buf = this.buf;
    let p = this.pos;
    if (quote) buf[p++] = QUOTE;
    if (risky) buf[p++] = 39;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        buf[p++] = c;
        if (c === QUOTE) buf[p++] = QUOTE;
      } else if (isHigh(c) && i + 1 < n && isLow(s.charCodeAt(i + 1))) {
        p = putCodePoint(buf, p, 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00));
        i++;
      } else {
        p = putCodePoint(buf, p, isHigh(c) || isLow(c) ? 0xfffd : c);
      }
    }
    if (quote) buf[p++] = QUOTE;
    this.pos = p;
  }

  /** A non-negative safe integer in decimal. */
  int(v: number): void {
    this.ensure(16);
    this.pos = putInt(this.buf, this.pos, v);
  }

  /** An amount with exactly `decimals` places (0–6), as formatMicro writes it. */
  micro(value: Micro, decimals: number): void {
    this.ensure(40);
    this.pos = putMicro(this.buf, this.pos, value, decimals);
  }

  /** An amount with no trailing zeros and no point when whole, as formatMicroShort writes it. */
  microShort(value: Micro): void {
    this.ensure(40);
    this.pos = putMicroShort(this.buf, this.pos, value);
  }

  /** `2026-10-03T14:05:09+01:00`: the local time of an instant in a zone, as formatLocalIso writes it. */
  localIso(zone: string, utcMs: number): void {
    this.localIsoAt(utcMs, zoneOffsetMs(zone, utcMs));
  }

  /** localIso() of an instant whose zone offset (local − UTC, ms) is known. */
  localIsoAt(utcMs: number, off: number): void {
    this.ensure(40);
    const p = putLocalIso(this.buf, this.pos, utcMs, off);
    if (p >= 0) {
      this.pos = p;
      return;
    }
    this.raw(localClockText(utcMs + off));
    this.ensure(10);
    this.pos = putOffset(this.buf, this.pos, off);
  }
}

// Writers at a position of a buffer with room (16 bytes for an integer, 40 for an amount or a
// time), returning the position after: the methods above use them, and so does a caller that
// holds the buffer for a whole row (the fast lane), with no call per field through the object.

/** A non-negative safe integer in decimal. */
export function putInt(buf: Uint8Array, p: number, v: number): number {
  if (v < 10) {
    buf[p] = 48 + v;
    return p + 1;
  }
  let digits = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
  const end = p + digits;
  p = end;
  let x = v;
  while (x >= 100) {
    const q = Math.floor(x / 100);
    const r = (x - q * 100) * 2;
    buf[--p] = DIGITS[r + 1];
    buf[--p] = DIGITS[r];
    x = q;
  }
  if (x >= 10) {
    buf[--p] = DIGITS[x * 2 + 1];
    buf[--p] = DIGITS[x * 2];
  } else buf[--p] = 48 + x;
  return end;
}

/** An amount with exactly `decimals` places (0–6), as formatMicro writes it. */
export function putMicro(buf: Uint8Array, p: number, value: Micro, decimals: number): number {
  const neg = value < 0;
  const abs = neg ? -value : value;
  const int = Math.floor(abs / MICRO);
  if (neg) buf[p++] = 45;
  p = putInt(buf, p, int);
  if (decimals <= 0) return p;
  buf[p++] = 46;
  let frac = abs - int * MICRO;
  for (let k = 0; k < decimals; k++) {
    const d = Math.floor(frac / 100_000);
    buf[p++] = 48 + d;
    frac = (frac - d * 100_000) * 10;
  }
  return p;
}

/** An amount with no trailing zeros and no point when whole, as formatMicroShort writes it. */
export function putMicroShort(buf: Uint8Array, p: number, value: Micro): number {
  const abs = value < 0 ? -value : value;
  let frac = abs - Math.floor(abs / MICRO) * MICRO;
  let places = 6;
  while (places > 0 && frac % 10 === 0 && frac !== 0) {
    frac /= 10;
    places--;
  }
  return putMicro(buf, p, value, frac === 0 ? 0 : places);
}

/**
 * `2026-10-03T14:05:09+01:00`, the local time of an instant whose zone offset (local − UTC, ms) is
 * known, as formatLocalIso writes it; -1 (nothing written) for a local year outside 0–9999.
 */
export function putLocalIso(buf: Uint8Array, p: number, utcMs: number, off: number): number {
  const local = utcMs + off;
  const days = Math.floor(local / MS_PER_DAY);
  let rest = Math.floor((local - days * MS_PER_DAY) / 1000);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const mi = Math.floor(rest / 60);
  const s = rest - mi * 60;
  // Civil date from days since 1970 (Howard Hinnant's algorithm).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) return -1;
  two(buf, p, Math.floor(y / 100));
  two(buf, p + 2, y % 100);
  buf[p + 4] = 45;
  two(buf, p + 5, m);
  buf[p + 7] = 45;
  two(buf, p + 8, d);
  buf[p + 10] = 84;
  two(buf, p + 11, h);
  buf[p + 13] = 58;
  two(buf, p + 14, mi);
  buf[p + 16] = 58;
  two(buf, p + 17, s);
  return putOffset(buf, p + 19, off);
}

/** A zone offset as zone.ts offsetText writes it: `+01:00`, with seconds only for an offset that has them (local mean time). */
function putOffset(buf: Uint8Array, p: number, off: number): number {
  const a = Math.floor(Math.abs(off) / 1000);
  const ss = a % 60;
  buf[p] = off < 0 ? 45 : 43;
  two(buf, p + 1, Math.floor(a / 3600));
  buf[p + 3] = 58;
  two(buf, p + 4, Math.floor(a / 60) % 60);
  if (ss === 0) return p + 6;
  buf[p + 6] = 58;
  two(buf, p + 7, ss);
  return p + 9;
}

/** Two decimal digits of v (0–99) at p. */
function two(buf: Uint8Array, p: number, v: number): void {
  buf[p] = DIGITS[v * 2];
  buf[p + 1] = DIGITS[v * 2 + 1];
}

/** A code point >= 0x80 as UTF-8 at p; returns the new position. */
function putCodePoint(buf: Uint8Array, p: number, cp: number): number {
  if (cp < 0x800) {
    buf[p++] = 0xc0 | (cp >> 6);
    buf[p++] = 0x80 | (cp & 63);
  } else if (cp < 0x10000) {
    buf[p++] = 0xe0 | (cp >> 12);
    buf[p++] = 0x80 | ((cp >> 6) & 63);
    buf[p++] = 0x80 | (cp & 63);
  } else {
    buf[p++] = 0xf0 | (cp >> 18);
    buf[p++] = 0x80 | ((cp >> 12) & 63);
    buf[p++] = 0x80 | ((cp >> 6) & 63);
    buf[p++] = 0x80 | (cp & 63);
  }
  return p;
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** A text's bytes as field() writes them, to keep and copy() (names from the workbook, written on every row). */
export function fieldBytes(s: string): Uint8Array {
  const b = new RowBytes(s.length * 6 + 8);
  b.field(s);
  return b.take();
}
