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
// A column's first sort ranks its values (column-rank.ts: text by a radix sort of its bytes,
// amounts and ints by value, blanks last) and keeps its rows in ascending order; every other
// order is made from those (grid-order.ts). Filters are masks kept per filter (grid-filter.ts).
// A filtered view is its rows in order: a few rows are gathered and sorted by themselves, many
// are taken from the grid's order as it is walked, only as deep as pages are asked for. Long
// steps (loading, a first sort) yield to the event loop.
//
// Rows come out with the CSV's column names: text as the CSV has it, money as its decimal string
// (null when blank), ints as numbers (null when blank).

import { open, stat } from 'node:fs/promises';
import { unguard } from '../../rules/csv.js';
import { Dictionary, growU32 } from './byte-dictionary.js';
import { rankInts, rankMoney, rankText, type Column } from './column-rank.js';
import { CsvRecord, intOf, microOf, readRecord } from './csv-bytes.js';
import { filtersKey, GridFilters, type RowSet } from './grid-filter.js';
import { GridOrders, keyOf, orderColumn, sortSome, type SortKey } from './grid-order.js';
import type { GridPage, GridQuery } from './grid-query.js';
import { Lru } from './lru.js';
import { Slicer } from './slicer.js';

export type ColumnKind = 'text' | 'int' | 'money';

export type GridCell = string | number | null;
export type GridRow = Record<string, GridCell>;

/** Rows read before deciding which columns hold mostly unique values (see Dictionary.direct). */
const DIRECT_AFTER = 50_000;

/** Bytes read at a time while loading. */
const READ_BYTES = 1 << 20;

export class ColumnGrid {
  readonly columns: readonly string[];
  private readonly byName = new Map<string, Column>();
  /** Columns ranked and ordered, or on their way, so two requests sort a column once. */
  private readonly sorting = new Map<string, Promise<void>>();
  private readonly orders: GridOrders;
  private readonly filters: GridFilters;
  /** Filtered views in order, filled as far as pages have been asked for. */
  private readonly views = new Lru<View>(8);

  private constructor(
    private readonly cols: Column[],
    readonly rows: number,
  ) {
    this.columns = cols.map((c) => c.name);
    for (const c of cols) this.byName.set(c.name, c);
    this.orders = new GridOrders(rows);
    this.filters = new GridFilters(this.byName, rows);
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
            ? { kind, name, values: new Float64Array(cap), rowRank: null, ranks: 0, asc: null, starts: null }
            : { kind, name, codes: new Uint32Array(cap), dict: new Dictionary(), micro: null, rank: null, ranks: 0, folded: null, asc: null, starts: null };
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
        else {
          // A text the CSV writer guarded with a ' (it would read as a formula) is shown, sorted
          // and filtered as it was, as billing reads rated.csv back.
          const at = src[from] === 39 && guarded(src, from, to) ? from + 1 : from;
          c.codes[n] = c.dict.direct ? c.dict.append(src, at, to) : c.dict.code(src, at, to);
        }
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
    const keys: SortKey[] = q.sort.map((s) => ({ column: this.byName.get(s.column)!, desc: s.desc }));
    for (const k of keys) await this.sorted(k.column);
    const rows: GridRow[] = [];
    if (q.filters.length === 0) {
      const order = keys.length > 0 ? this.orders.all(keys) : null;
      const end = Math.min(this.rows, q.offset + q.limit);
      for (let i = q.offset; i < end; i++) rows.push(this.row(order ? order[i] : i));
      return { total: this.rows, rows };
    }
    const kept = this.filters.rowsOf(q.filters);
    const key = `${keyOf(keys)}|${filtersKey(q.filters)}`;
    let view = this.views.get(key);
    if (!view) this.views.set(key, (view = this.view(keys, kept)));
    const end = Math.min(kept.count, q.offset + q.limit);
    fill(view, kept.mask, end);
    for (let i = q.offset; i < end; i++) rows.push(this.row(view.rows[i]));
    return { total: kept.count, rows };
  }

  /**
   * A filtered view's rows in order. Few rows (or a sort not made yet and under half the rows) are
   * gathered and sorted by themselves; otherwise the whole grid's order is walked, only as far
   * as pages are asked for, keeping the rows the filters keep.
   */
  private view(keys: readonly SortKey[], kept: RowSet): View {
    if (keys.length === 0) return { rows: new Uint32Array(kept.count), filled: 0, scanned: 0, order: null };
    // A descending order of one column is one sequential pass over its ascending one: always cheap.
    const few = kept.count * 64 < this.rows;
    const made = few ? undefined : (this.orders.cached(keys) ?? (keys.length === 1 ? this.orders.all(keys) : undefined));
    if (few || (!made && kept.count * 2 < this.rows)) {
      const some = new Uint32Array(kept.count);
      const { mask } = kept;
      for (let r = 0, j = 0; j < some.length; r++) if (mask[r] === 1) some[j++] = r;
      const rows = sortSome(some, keys);
      return { rows, filled: rows.length, scanned: this.rows, order: null };
    }
    return { rows: new Uint32Array(kept.count), filled: 0, scanned: 0, order: made ?? this.orders.all(keys) };
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

  /** A column ranked and in order (its first sort), once. */
  private sorted(c: Column): Promise<void> {
    let p = this.sorting.get(c.name);
    if (!p) {
      p = (async () => {
        if (c.kind === 'int') await rankInts(c);
        else if (c.kind === 'money') rankMoney(c);
        else await rankText(c);
        await orderColumn(c, this.rows);
      })();
      this.sorting.set(c.name, p);
    }
    return p;
  }
}

interface View {
  /** The view's rows, filled up to `filled`. */
  rows: Uint32Array;
  filled: number;
  /** How far the order (null: the rows in file order) has been walked. */
  scanned: number;
  order: Uint32Array | null;
}

/** True when bytes b[from, to) are a text the CSV writer guarded: a ' before what a spreadsheet would run. */
function guarded(b: Uint8Array, from: number, to: number): boolean {
  const text = Buffer.from(b.subarray(from, to)).toString('utf8');
  return unguard(text) !== text;
}

/** Walks a view's order on until it has `end` rows (or the order is done). */
function fill(v: View, mask: Uint8Array, end: number): void {
  const n = v.order ? v.order.length : mask.length;
  const { order, rows } = v;
  let { filled, scanned } = v;
  while (filled < end && scanned < n) {
    const r = order ? order[scanned] : scanned;
    scanned++;
    if (mask[r] === 1) rows[filled++] = r;
  }
  v.filled = filled;
  v.scanned = scanned;
}
