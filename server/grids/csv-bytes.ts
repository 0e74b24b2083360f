// CSV records, amounts and whole numbers read straight from bytes (the grid's loader), and a
// case-folded substring search over bytes (its filters). RFC 4180 quoting: a quoted field may hold
// commas, doubled quotes and line breaks.

/** Micro-units of an amount written as bytes (`-12.3456`); NaN when it is not one. */
export function microOf(b: Uint8Array, from: number, to: number): number {
  let i = from;
  let neg = false;
  if (i < to && (b[i] === 45 || b[i] === 43)) neg = b[i++] === 45;
  let int = 0;
  let digits = 0;
  while (i < to && b[i] >= 48 && b[i] <= 57) {
    int = int * 10 + b[i++] - 48;
    digits++;
  }
  let frac = 0;
  let scale = 1_000_000;
  if (i < to && b[i] === 46) {
    i++;
    while (i < to && b[i] >= 48 && b[i] <= 57) {
      if (scale === 1) return NaN; // more than six decimals: not an amount of ours
      scale /= 10;
      frac += (b[i++] - 48) * scale;
      digits++;
    }
  }
  if (i !== to || digits === 0) return NaN;
  const v = int * 1_000_000 + frac;
  return neg ? -v : v;
}

/** A whole number written as bytes; NaN when blank or not one. */
export function intOf(b: Uint8Array, from: number, to: number): number {
  let i = from;
  let neg = false;
  if (i < to && b[i] === 45) {
    neg = true;
    i++;
  }
  if (i === to) return NaN;
  let v = 0;
  for (; i < to; i++) {
    const c = b[i];
    if (c < 48 || c > 57) {
      // Not plain digits (1e3, 2.0): as Number reads it.
      const t = Buffer.from(b.subarray(from, to)).toString('latin1').trim();
      return t === '' ? NaN : Number(t);
    }
    v = v * 10 + c - 48;
  }
  return neg ? -v : v;
}

/** The CSV parser's state: a record's fields as ranges of the buffer it is in. */
export class CsvRecord {
  from = new Int32Array(64);
  to = new Int32Array(64);
  /** Fields that were quoted with "" inside: their unquoted bytes, by field. */
  unquoted: (Buffer | null)[] = [];
  count = 0;
}

/**
 * Reads one record starting at `pos` of `b` (which holds `end` bytes): the position after it, or -1
 * when it does not end before `end` (more bytes are needed, unless `last`).
 */
export function readRecord(b: Buffer, pos: number, end: number, last: boolean, r: CsvRecord): number {
  r.count = 0;
  let i = pos;
  for (;;) {
    if (r.count === r.from.length) {
      const f = new Int32Array(r.from.length * 2);
      f.set(r.from);
      r.from = f;
      const t = new Int32Array(r.to.length * 2);
      t.set(r.to);
      r.to = t;
    }
    const k = r.count++;
    r.unquoted[k] = null;
    if (i < end && b[i] === 34) {
      // Quoted: to the closing quote ("" is a quote), which may be lines away.
      let j = i + 1;
      let doubled = false;
      for (;;) {
        const q = b.indexOf(34, j);
        if (q < 0 || q >= end) {
          if (!last) return -1;
          j = end; // a quote never closed: the rest is the field
          break;
        }
        if (q + 1 < end && b[q + 1] === 34) {
          doubled = true;
          j = q + 2;
          continue;
        }
        if (q + 1 >= end && !last) return -1;
        j = q;
        break;
      }
      r.from[k] = i + 1;
      r.to[k] = j;
      if (doubled) r.unquoted[k] = Buffer.from(b.toString('latin1', i + 1, j).replace(/""/g, '"'), 'latin1');
      i = j < end ? j + 1 : end;
      // Text after the closing quote, up to the comma, is dropped (as Excel reads it).
      while (i < end && b[i] !== 44 && b[i] !== 10) i++;
    } else {
      let j = i;
      while (j < end && b[j] !== 44 && b[j] !== 10) j++;
      if (j === end && !last) return -1;
      r.from[k] = i;
      r.to[k] = j > i && b[j - 1] === 13 && (j === end || b[j] === 10) ? j - 1 : j;
      i = j;
    }
    if (i >= end) return last ? end : -1;
    if (b[i] === 10) return i + 1;
    i++; // the comma
  }
}

/** True when `needle` occurs in b[from, to). */
export function holds(b: Uint8Array, from: number, to: number, needle: Uint8Array): boolean {
  const n = needle.length;
  const first = needle[0];
  for (let i = from, last = to - n; i <= last; i++) {
    if (b[i] !== first) continue;
    let k = 1;
    while (k < n && b[i + k] === needle[k]) k++;
    if (k === n) return true;
  }
  return false;
}

/**
 * Sets ok[i] = 1 for each value i of an arena (value i is arena[ends[i-1], ends[i])) holding the
 * needle. The arena is searched whole with Buffer.indexOf (native, fast when the needle is rare),
 * each hit marking its value and jumping to the next; a needle found in many values is looked for
 * value by value instead, which then costs less than a search per hit.
 */
export function markHolders(arena: Buffer, ends: Uint32Array, needle: Buffer, ok: Uint8Array): void {
  const n = ends.length;
  const len = needle.length;
  if (len === 0) {
    ok.fill(1);
    return;
  }
  let pos = 0;
  let hits = 0;
  let e = 0;
  for (;;) {
    const p = arena.indexOf(needle, pos);
    if (p < 0) return;
    // The value holding p: the first whose end is past it.
    let lo = e;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid] <= p) lo = mid + 1;
      else hi = mid;
    }
    e = lo;
    if (p + len <= ends[e]) {
      ok[e] = 1;
      pos = ends[e];
      e++;
      if (e >= n) return;
    } else pos = p + 1; // the hit runs into the next value: not a hit
    if (++hits > (n >>> 5) + 64) break;
  }
  // Values before e are settled (they end before the last hit); the rest are read one by one.
  for (let i = e, at = e === 0 ? 0 : ends[e - 1]; i < n; i++) {
    const end = ends[i];
    ok[i] = holds(arena, at, end, needle) ? 1 : 0;
    at = end;
  }
}

/** Bytes with A–Z as a–z (UTF-8's other bytes are never ASCII letters); the same buffer when there are none. */
export function foldAscii(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length && !(b[i] >= 65 && b[i] <= 90)) i++;
  if (i === b.length) return b;
  const out = Buffer.from(b);
  for (; i < out.length; i++) if (out[i] >= 65 && out[i] <= 90) out[i] += 32;
  return out;
}
