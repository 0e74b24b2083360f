// CDR timestamps to instants: ISO 8601 (with `T` or a space, with or without an offset,
// fractional seconds dropped), epoch seconds or milliseconds, and patterns like
// `dd/MM/yyyy HH:mm:ss`. A time with no offset is local to the zone given. Char scanning on the
// hot path; a pattern compiles to one regular expression per format, not per line.

import { isRealDate } from './day.js';
import { localToUtc, type LocalNote } from './zone.js';

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

export type TimeParser = (s: string) => Instant | null;

/** A parser for a CdrFormats TimeFormat: iso, epoch, epochms or a pattern. */
export function timeParser(format: string, zone: string): TimeParser | string {
  const f = format.trim();
  if (f === '' || f.toLowerCase() === 'iso') return (s) => parseIsoTime(s, zone);
  if (f.toLowerCase() === 'epoch' || f.toLowerCase() === 'epochms') {
    const scale = f.toLowerCase() === 'epoch' ? 1000 : 1;
    return (s) => {
      const t = s.trim();
      if (!/^\d+(\.\d+)?$/.test(t)) return null;
      return { ms: Math.floor(Number(t) * scale / 1000) * 1000, note: null };
    };
  }
  return patternParser(f, zone);
}

const TOKENS: [string, string, string][] = [
  ['yyyy', '(\\d{4})', 'y'],
  ['yy', '(\\d{2})', 'yy'],
  ['MM', '(\\d{2})', 'M'],
  ['M', '(\\d{1,2})', 'M'],
  ['dd', '(\\d{2})', 'd'],
  ['d', '(\\d{1,2})', 'd'],
  ['HH', '(\\d{2})', 'H'],
  ['H', '(\\d{1,2})', 'H'],
  ['mm', '(\\d{2})', 'm'],
  ['ss', '(\\d{2})', 's'],
  ['SSS', '\\d{1,9}', ''],
];

function patternParser(pattern: string, zone: string): TimeParser | string {
  let re = '^';
  const order: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    const tok = TOKENS.find(([t]) => pattern.startsWith(t, i));
    if (tok) {
      re += tok[1];
      if (tok[2]) order.push(tok[2]);
      i += tok[0].length;
    } else {
      const ch = pattern[i];
      if (/[A-Za-z]/.test(ch)) return `TimeFormat "${pattern}" has "${ch}", which is not a date or time token (yyyy MM dd HH mm ss SSS)`;
      re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    }
  }
  if (!order.includes('y') && !order.includes('yy')) return `TimeFormat "${pattern}" has no year`;
  const rx = new RegExp(re + '$');
  return (s) => {
    const m = rx.exec(s.trim());
    if (!m) return null;
    const v: Record<string, number> = { y: 0, M: 1, d: 1, H: 0, m: 0, s: 0 };
    order.forEach((k, idx) => {
      const n = Number(m[idx + 1]);
      if (k === 'yy') v.y = 2000 + n;
      else v[k] = n;
    });
    const base = naive(v.y, v.M, v.d, v.H, v.m, v.s);
    if (base === null) return null;
    const r = localToUtc(zone, base);
    return { ms: r.utcMs, note: r.note };
  };
}
