// Grid pages over a run's rated.csv or exceptions.csv (SPEC §7 Grid pages): on 1,000,000 rows a
// page sorted and filtered by any column answers well under 100 ms once the column has been
// sorted once, in a few hundred MB, without stopping the server while the grid is built.
//
// The file is read once, on the first page asked for, into columns, never into row objects or
// strings. The CSV is parsed as bytes, and each text or money column is dictionary-coded by
// bytes (byte-dictionary.ts): its distinct values are appended to the column's byte arena (found
// again through a hash table of their bytes; a column of nearly unique values, ids and times,
// appends every value without looking), and each row holds its value's code. Int columns
// (line, duration, billed_seconds) are a Float64Array of values (NaN for a blank); money values
// are also kept as exact integer micro-units per distinct value. So a million rows are a few
// dozen typed arrays: nothing for the garbage collector to walk, and no allocation per field
// while loading (strings are made only for the rows of a page).
//
// Sorting a column ranks its values once (column-rank.ts: text by a radix sort of its bytes,
// amounts and ints by value, blanks last), then orders the rows
// by a counting sort of the ranks: stable, so several sort columns are applied last to first.
// Filters scan the distinct values (a contains is case-insensitive), then the rows' codes. Row
// orders are cached per sort, filters per filter set, and their combination per view, filled
// only as deep as pages are asked for: paging through one view touches only the page's rows. Long steps yield to the event loop.
//
// Rows come out with the CSV's column names: text as the CSV has it, money as its decimal string
// (null when blank), ints as numbers (null when blank).

import { open, stat } from 'node:fs/promises';
import { Dictionary, growU32 } from './byte-dictionary.js';
import { rankInts, rankMoney, rankText, type Column, type DictColumn } from './column-rank.js';
import { CsvRecord, foldAscii, holds, intOf, markHolders, microOf, readRecord } from './csv-bytes.js';
import type { GridFilter, GridPage, GridQuery, GridSort } from './grid-query.js';
import { Slicer } from './slicer.js';

export type ColumnKind = 'text' | 'int' | 'money';

export type GridCell = string | number | null;
export type GridRow = Record<string, GridCell>;

/** Rows read before deciding which columns hold mostly unique values (see Dictionary.direct). */
const DIRECT_AFTER = 50_000;

/** Bytes read at a time while loading. */
const READ_BYTES = 1 << 20;

/** Small LRU of computed views. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

export class ColumnGrid {
  readonly columns: readonly string[];
  private readonly byName = new Map<string, Column>();
  /** Rankings in progress or done, so two requests sort a column once. */
  private readonly ranking = new Map<string, Promise<void>>();
  private readonly orders = new Lru<Uint32Array>(12);
  private readonly filters = new Lru<{ mask: Uint8Array; count: number }>(8);
  /** Filtered views in order, filled as far as pages have been asked for. */
  private readonly views = new Lru<{ rows: Uint32Array; filled: number; scanned: number }>(8);

  private constructor(
    private readonly cols: Column[],
    readonly rows: number,
  ) {
    this.columns = cols.map((c) => c.name);
    for (const c of cols) this.byName.set(c.name, c);
  }

  /** Reads a CSV file with a header row into columns; `kinds` names the int and money columns (the rest are text). */
  static async load(path: string, kinds: Readonly<Record<string, ColumnKind>>): Promise<ColumnGrid> {
    const slicer = new Slicer();
    const rec = new CsvRecord();
    let cols: Column[] | null = null;
    // Rows the file likely holds (a line of rated.csv is about 165 bytes), so the columns rarely grow.
    let cap = Math.max(1024, Math.ceil((await stat(path)).size / 120));
    let n = 0;
    const take = (b: Buffer): void => {
      if (cols === null) {
        cols = Array.from({ length: rec.count }, (_, j): Column => {
          const name = (rec.unquoted[j] ?? b.subarray(rec.from[j], rec.to[j])).toString('utf8').replace(/^\uFEFF/, '');
          const kind = kinds[name] ?? 'text';
          return kind === 'int'
            ? { kind, name, values: new Float64Array(cap), rowRank: null, ranks: 0 }
            : { kind, name, codes: new Uint32Array(cap), dict: new Dictionary(), micro: null, rank: null, ranks: 0, folded: null };
        });
        return;
      }
      if (rec.count === 1 && rec.from[0] === rec.to[0]) return; // a blank line
      if (n === cap) {
        cap *= 2;
        for (const c of cols) {
          if (c.kind === 'int') {
            const v = new Float64Array(cap);
            v.set(c.values);
            c.values = v;
          } else c.codes = growU32(c.codes);
        }
      }
      for (let j = 0; j < cols.length; j++) {
        const c = cols[j];
        const u = j < rec.count ? rec.unquoted[j] : null;
        const src = u ?? b;
        const from = u ? 0 : j < rec.count ? rec.from[j] : 0;
        const to = u ? u.length : j < rec.count ? rec.to[j] : 0;
        if (c.kind === 'int') c.values[n] = intOf(src, from, to);
        else c.codes[n] = c.dict.direct ? c.dict.append(src, from, to) : c.dict.code(src, from, to);
      }
      n++;
      // Columns whose values are mostly unique so far stop looking values up.
      if (n === DIRECT_AFTER) for (const c of cols) if (c.kind !== 'int' && c.dict.size > n / 2) c.dict.goDirect();
    };
    // One buffer read into again and again: the unfinished record at its end moves to its front.
    const fh = await open(path, 'r');
    try {
      let buf = Buffer.allocUnsafe(READ_BYTES);
      let have = 0;
      for (;;) {
        if (have === buf.length) {
          // A record longer than the buffer: a bigger one.
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, have);
          buf = bigger;
        }
        const { bytesRead } = await fh.read(buf, have, buf.length - have, null);
        const end = have + bytesRead;
        const last = bytesRead === 0;
        let pos = 0;
        for (let k = 0; pos < end; k++) {
          const next = readRecord(buf, pos, end, last, rec);
          if (next < 0) break;
          take(buf);
          pos = next;
          if ((k & 1023) === 1023) await slicer.maybeYield();
        }
        if (last) break;
        buf.copy(buf, 0, pos, end);
        have = end - pos;
      }
    } finally {
      await fh.close();
    }
    const done: Column[] = cols ?? [];
    for (const c of done) {
      if (c.kind === 'int') c.values = c.values.slice(0, n);
      else {
        c.codes = c.codes.slice(0, n);
        c.dict.seal();
        if (c.kind === 'money') {
          const d = c.dict;
          c.micro = new Float64Array(d.size);
          for (let i = 0; i < d.size; i++) c.micro[i] = microOf(d.arena, d.start(i), d.ends[i]);
        }
      }
    }
    return new ColumnGrid(done, n);
  }

  /** A page: filtered, sorted, then offset and limit. */
  async page(q: GridQuery): Promise<GridPage<GridRow>> {
    for (const s of q.sort) if (!this.byName.has(s.column)) throw new Error(`no column ${s.column}`);
    for (const f of q.filters) if (!this.byName.has(f.column)) throw new Error(`no column ${f.column}`);
    const order = q.sort.length > 0 ? await this.order(q.sort) : null;
    const filtered = q.filters.length > 0 ? await this.filter(q.filters) : null;
    const total = filtered ? filtered.count : this.rows;
    const end = Math.min(total, q.offset + q.limit);
    let at: (i: number) => number = order ? (i) => order[i] : (i) => i;
    if (filtered) {
      const key = `${sortKey(q.sort)}|${filterKey(q.filters)}`;
      let view = this.views.get(key);
      if (!view) this.views.set(key, (view = { rows: new Uint32Array(filtered.count), filled: 0, scanned: 0 }));
      // The view is filled only as far as pages have been asked for: a new filter's first page
      // walks the order until it has its rows, not the whole order.
      const { mask } = filtered;
      const v = view;
      while (v.filled < end && v.scanned < this.rows) {
        const r = order ? order[v.scanned] : v.scanned;
        v.scanned++;
        if (mask[r] === 1) v.rows[v.filled++] = r;
      }
      at = (i) => v.rows[i];
    }
    const rows: GridRow[] = [];
    for (let i = q.offset; i < end; i++) rows.push(this.row(at(i)));
    return { total, rows };
  }


  /** One row as the API shows it. */
  row(r: number): GridRow {
    const o: GridRow = {};
    for (const c of this.cols) {
      if (c.kind === 'int') {
        const v = c.values[r];
        o[c.name] = v === v ? v : null;
      } else {
        const code = c.codes[r];
        const blank = c.dict.ends[code] === c.dict.start(code);
        o[c.name] = blank ? (c.kind === 'money' ? null : '') : c.dict.text(code);
      }
    }
    return o;
  }

  // --- sorting ---------------------------------------------------------------------------------

  /** Rows in the order of the sort columns (cached). */
  private async order(sort: readonly GridSort[]): Promise<Uint32Array> {
    const key = sortKey(sort);
    const hit = this.orders.get(key);
    if (hit) return hit;
    for (const s of sort) await this.ranked(this.byName.get(s.column)!);
    // Stable counting sorts, last key first; a cached order of the later keys saves their passes.
    let perm: Uint32Array | null = null;
    let start = sort.length - 1;
    const rest = sort.length > 1 ? this.orders.get(sortKey(sort.slice(1))) : undefined;
    if (rest) {
      perm = rest;
      start = 0;
    }
    for (let k = start; k >= 0; k--) perm = this.sortRows(perm, sort[k]);
    this.orders.set(key, perm!);
    return perm!;
  }

  /** A stable counting sort of `perm` (null: the rows in file order) by one column's ranks. */
  private sortRows(perm: Uint32Array | null, s: GridSort): Uint32Array {
    const c = this.byName.get(s.column)!;
    const n = this.rows;
    const codes = c.kind === 'int' ? c.rowRank! : c.codes;
    const rank = c.kind === 'int' ? null : c.rank!;
    const top = c.ranks - 1;
    const count = new Uint32Array(c.ranks + 1);
    for (let r = 0; r < n; r++) {
      const k = rank === null ? codes[r] : rank[codes[r]];
      count[(s.desc ? top - k : k) + 1]++;
    }
    for (let i = 1; i <= c.ranks; i++) count[i] += count[i - 1];
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const r = perm === null ? i : perm[i];
      const k = rank === null ? codes[r] : rank[codes[r]];
      out[count[s.desc ? top - k : k]++] = r;
    }
    return out;
  }

  private ranked(c: Column): Promise<void> {
    let p = this.ranking.get(c.name);
    if (!p) {
      p = c.kind === 'int' ? rankInts(c) : c.kind === 'money' ? Promise.resolve(rankMoney(c)) : rankText(c);
      this.ranking.set(c.name, p);
    }
    return p;
  }

  // --- filtering -------------------------------------------------------------------------------

  private async filter(filters: readonly GridFilter[]): Promise<{ mask: Uint8Array; count: number }> {
    const key = filterKey(filters);
    const hit = this.filters.get(key);
    if (hit) return hit;
    const n = this.rows;
    const mask = new Uint8Array(n);
    let count = 0;
    for (let fi = 0; fi < filters.length; fi++) {
      const f = filters[fi];
      const c = this.byName.get(f.column)!;
      // The first filter sets the mask, the others narrow it; each pass counts what is left.
      const first = fi === 0;
      count = 0;
      if (c.kind === 'int') {
        const v = c.values;
        const needle = f.kind === 'contains' ? Buffer.from(f.text, 'utf8') : null;
        const digits = new Uint8Array(24);
        const min = f.kind === 'range' ? (f.min ?? -Infinity) : 0;
        const max = f.kind === 'range' ? (f.max ?? Infinity) : 0;
        for (let r = 0; r < n; r++) {
          if (!first && mask[r] === 0) continue;
          const x = v[r];
          const keep = needle === null ? x >= min && x <= max : intHolds(x, needle, digits);
          mask[r] = keep ? 1 : 0;
          if (keep) count++;
        }
        continue;
      }
      // A verdict per distinct value, then per row through its code.
      const ok = this.verdicts(c, f);
      const codes = c.codes;
      if (first) {
        for (let r = 0; r < n; r++) count += mask[r] = ok[codes[r]];
      } else {
        for (let r = 0; r < n; r++) if (mask[r] === 1) count += mask[r] = ok[codes[r]];
      }
    }
    const out = { mask, count };
    this.filters.set(key, out);
    return out;
  }

  /** 1 for each value of a text or money column the filter keeps. */
  private verdicts(c: DictColumn, f: GridFilter): Uint8Array {
    const d = c.dict;
    const ok = new Uint8Array(d.size);
    if (f.kind === 'range') {
      const micro = c.micro ?? new Float64Array(d.size).fill(NaN);
      const min = f.min === null ? -Infinity : Math.round(f.min * 1e6);
      const max = f.max === null ? Infinity : Math.round(f.max * 1e6);
      for (let i = 0; i < d.size; i++) ok[i] = micro[i] >= min && micro[i] <= max ? 1 : 0;
    } else if (/^[\x00-\x7f]*$/.test(f.text)) {
      markHolders((c.folded ??= foldAscii(d.arena)), d.ends, Buffer.from(f.text, 'latin1'), ok);
    } else {
      // A needle beyond ASCII: lower-cased as text, as the row grid does.
      for (let i = 0; i < d.size; i++) ok[i] = d.text(i).toLowerCase().includes(f.text) ? 1 : 0;
    }
    return ok;
  }

}

const sortKey = (sort: readonly GridSort[]): string => sort.map((s) => `${s.column}:${s.desc ? 'd' : 'a'}`).join(',');
const filterKey = (filters: readonly GridFilter[]): string =>
  JSON.stringify([...filters].map((f) => (f.kind === 'contains' ? [f.column, 'c', f.text] : [f.column, 'r', f.min, f.max])).sort());

/** True when the decimal text of v (as String(v) writes a whole number) holds the needle. */
function intHolds(v: number, needle: Uint8Array, digits: Uint8Array): boolean {
  if (v !== v) return false;
  if (!Number.isInteger(v) || Math.abs(v) >= 1e21) return String(v).includes(Buffer.from(needle).toString());
  let a = Math.abs(v);
  let i = digits.length;
  do {
    digits[--i] = 48 + (a % 10);
    a = Math.floor(a / 10);
  } while (a > 0);
  if (v < 0) digits[--i] = 45;
  return holds(digits, i, digits.length, needle);
}
