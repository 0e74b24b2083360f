// ISO 8601 CDR timestamps to instants (with `T` or a space, with or without an offset, fractional
// seconds dropped); a time with no offset is local to the zone given. cdr-format.ts's TimeReader
// is the hot path; this plain version is its reference in the tests.

import { isRealDate } from '../day.js';
import { localToUtc, type LocalNote } from '../zone.js';

export interface Instant {
  ms: number;
  note: LocalNote;
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = digit(s, i + k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

function naive(y: number, mo: number, d: number, h: number, mi: number, se: number): number | null {
  if (!isRealDate(y, mo, d) || h > 23 || mi > 59 || se > 59) return null;
  return Date.UTC(y, mo - 1, d, h, mi, se);
}

/** `2026-10-03 14:05:00`, `2026-10-03T13:05:00Z`, `…+01:00`, `…+0100`, `…14:05`, `….123`. */
export function parseIsoTime(s: string, zone: string): Instant | null {
  const t = s.trim();
  if (t.length < 16) return null;
  const y = num(t, 0, 4);
  const mo = num(t, 5, 2);
  const d = num(t, 8, 2);
  const sep = t.charCodeAt(10);
  if (y < 0 || mo < 0 || d < 0 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32 && sep !== 116)) return null;
  const h = num(t, 11, 2);
  const mi = num(t, 14, 2);
  if (h < 0 || mi < 0 || t.charCodeAt(13) !== 58) return null;
  let i = 16;
  let se = 0;
  if (t.charCodeAt(i) === 58) {
    se = num(t, i + 1, 2);
    if (se < 0) return null;
    i += 3;
    if (t.charCodeAt(i) === 46 || t.charCodeAt(i) === 44) {
      i++;
      while (digit(t, i) >= 0) i++;
    }
  }
  const base = naive(y, mo, d, h, mi, se);
  if (base === null) return null;
  if (i === t.length) {
    const r = localToUtc(zone, base);
    return { ms: r.utcMs, note: r.note };
  }
  const c = t.charCodeAt(i);
  if ((c === 90 || c === 122) && i + 1 === t.length) return { ms: base, note: null };
  if (c !== 43 && c !== 45) return null;
  const oh = num(t, i + 1, 2);
  let om: number;
  if (t.charCodeAt(i + 3) === 58) om = num(t, i + 4, 2), (i += 6);
  else if (i + 5 === t.length) om = num(t, i + 3, 2), (i += 5);
  else if (i + 3 === t.length) om = 0, (i += 3);
  else return null;
  if (oh < 0 || om < 0 || i !== t.length) return null;
  const off = (oh * 60 + om) * 60_000;
  return { ms: c === 43 ? base - off : base + off, note: null };
}
