// The identity of a workbook's content (SPEC §1 Versions): sha256 of the canonical JSON of its
// parsed rows without their sheet row numbers — so the same content re-saved (other styling, a
// number typed as text, rows moved down by a blank line) is the same version, and any change to
// a value, a row's order or an unknown column's cell is a new one.
//
// Canonical JSON: object keys sorted (code point order), `undefined` members left out, arrays in
// order, numbers and strings as JSON.stringify writes them; `row` is dropped from every tab row
// (and only there: an unknown column headed "row" is content). Hashed tab by tab, row by row, so
// a 170k-row workbook is never one giant string. node:crypto is deterministic and does no I/O.

import { createHash, type Hash } from 'node:crypto';
import type { SheetRows } from './rows.js';

const byCodePoint = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** Canonical JSON of a plain value (no cycles, no class instances: what parse produces). */
export function canonicalJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null'; // as JSON.stringify writes numbers
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + canonicalJson(v[i]);
    return s + ']';
  }
  return objectJson(v as Record<string, unknown>, planFor(Object.keys(v), false));
}

/** Members in canonical order, each with its `"key":` text. */
interface Plan {
  keys: string[];
  heads: string[];
}

function planFor(keys: readonly string[], dropRow: boolean): Plan {
  const sorted = keys.filter((k) => !(dropRow && k === 'row')).sort(byCodePoint);
  return { keys: sorted, heads: sorted.map((k) => JSON.stringify(k) + ':') };
}

function objectJson(o: Record<string, unknown>, plan: Plan): string {
  let s = '{';
  let first = true;
  for (let i = 0; i < plan.keys.length; i++) {
    const val = o[plan.keys[i]];
    if (val === undefined) continue;
    s += (first ? '' : ',') + plan.heads[i] + canonicalJson(val);
    first = false;
  }
  return s + '}';
}

const sameKeys = (a: readonly string[], b: readonly string[] | null): boolean => {
  if (b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Feeds the hash in chunks of about 64 kB. */
class Feed {
  private buf = '';
  constructor(private readonly h: Hash) {}
  add(s: string): void {
    this.buf += s;
    if (this.buf.length > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.buf !== '') this.h.update(this.buf);
    this.buf = '';
  }
}

function hashRows(h: Hash, rows: SheetRows): void {
  const r = rows as unknown as Record<string, unknown>;
  const feed = new Feed(h);
  const tabs = Object.keys(r).sort(byCodePoint);
  feed.add('{');
  let firstTab = true;
  for (const tab of tabs) {
    const value = r[tab];
    if (value === undefined) continue;
    feed.add((firstTab ? '' : ',') + JSON.stringify(tab) + ':');
    firstTab = false;
    if (!Array.isArray(value)) {
      feed.add(canonicalJson(value)); // settings
      continue;
    }
    feed.add('[');
    // Rows of a tab share their keys in the same order: sort them once per shape.
    let lastKeys: string[] | null = null;
    let plan: Plan | null = null;
    for (let i = 0; i < value.length; i++) {
      const row = value[i] as unknown;
      let text: string;
      if (row !== null && typeof row === 'object' && !Array.isArray(row)) {
        const keys = Object.keys(row);
        if (!sameKeys(keys, lastKeys) || plan === null) {
          lastKeys = keys;
          plan = planFor(keys, true);
        }
        text = objectJson(row as Record<string, unknown>, plan);
      } else text = canonicalJson(row);
      feed.add(i > 0 ? ',' + text : text);
    }
    feed.add(']');
  }
  feed.add('}');
  feed.flush();
}

/** sha256 (hex) of the parsed content; equal content gives an equal hash whatever the file looked like. */
export function contentHash(rows: SheetRows): string {
  const h = createHash('sha256');
  hashRows(h, rows);
  return h.digest('hex');
}
