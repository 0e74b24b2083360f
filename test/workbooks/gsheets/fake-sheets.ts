// A fake Google Sheets v4 API on 127.0.0.1 (Hono on @hono/node-server), enough of it for what
// Ratebook sends: spreadsheets.get (metadata, or grid data for ranges), :batchUpdate (addSheet,
// updateSheetProperties, deleteSheet, updateCells, repeatCell), values:batchUpdate, values.update,
// values:batchGet, values:batchClear and values.clear. It records every request (method, path,
// query, JSON body, Authorization) so tests assert exactly what the real googleapis client sent,
// and answers 403/404/429/500 on demand, in Google's error shape. Like Google it refuses a write
// past a tab's grid and a batchUpdate with a bad request, changing nothing.

import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export type FakeValue = number | string | boolean | { error: string };

export interface FakeCell {
  v?: FakeValue;
  /** The cell's effective number format, as Google reports it. */
  format?: { type: string; pattern?: string };
}

export interface FakeTab {
  sheetId: number;
  title: string;
  hidden: boolean;
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
  /** 0-based rows of 0-based cells. */
  rows: (FakeCell | undefined)[][];
  /** repeatCell requests applied to the tab (format changes), in order. */
  formats: unknown[];
}

export interface FakeBook {
  id: string;
  title: string;
  tabs: FakeTab[];
}

export interface Recorded {
  method: string;
  /** Decoded path, e.g. `/v4/spreadsheets/abc/values:batchUpdate`. */
  path: string;
  query: Record<string, string[]>;
  body: unknown;
  authorization: string | undefined;
}

interface Failure {
  status: number;
  times: number;
  match?: RegExp;
  retryAfter?: number;
}

class GoogleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_NAME: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

/** `'Rates 2026'!A1:H5000`, `Sheet1!B2`, `'It''s'` → the tab and the 0-based box (open ends to the grid's edge). */
export function parseA1(range: string): { tab: string; r0: number; c0: number; r1?: number; c1?: number } {
  const m = /^(?:'((?:[^']|'')*)'|([^!]+))(?:!([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?)?$/.exec(range);
  if (!m) throw new GoogleError(400, `Unable to parse range: ${range}`);
  const tab = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  const col = (s: string | undefined): number | undefined => (s ? [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1 : undefined);
  const row = (s: string | undefined): number | undefined => (s ? Number(s) - 1 : undefined);
  // A lone start cell (`A5`) is open to the grid's edge: where a write begins.
  return { tab, r0: row(m[4]) ?? 0, c0: col(m[3]) ?? 0, r1: row(m[6]), c1: col(m[5]) };
}

function cellData(cell: FakeCell | undefined): Record<string, unknown> {
  if (!cell || cell.v === undefined) return {};
  const v = cell.v;
  const effectiveValue =
    typeof v === 'number' ? { numberValue: v } : typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : { errorValue: { type: v.error, message: 'error' } };
  return cell.format ? { effectiveValue, effectiveFormat: { numberFormat: cell.format } } : { effectiveValue };
}

const plainValue = (cell: FakeCell | undefined): unknown => (cell?.v === undefined ? '' : typeof cell.v === 'object' ? '#ERROR!' : cell.v);

export class FakeSheets {
  readonly requests: Recorded[] = [];
  readonly books = new Map<string, FakeBook>();
  /** When set, a request without `Bearer <token>` is answered 401. */
  token: string | undefined;
  private failures: Failure[] = [];

  private constructor(
    private readonly server: ServerType,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeSheets> {
    let fake!: FakeSheets;
    const app = new Hono();
    app.all('*', (c) => fake.handle(c.req.raw));
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    fake = new FakeSheets(server, `http://127.0.0.1:${port}/`);
    return fake;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` requests (matching `match` on the path, if given) are answered `status`. */
  fail(status: number, times = 1, opts: { match?: RegExp; retryAfter?: number } = {}): void {
    this.failures.push({ status, times, ...opts });
  }

  addBook(id: string, title: string, tabs: Partial<FakeTab>[]): FakeBook {
    const book: FakeBook = {
      id,
      title,
      tabs: tabs.map((t, i) => ({ sheetId: t.sheetId ?? i * 1000 + 7, title: t.title ?? `Sheet${i + 1}`, hidden: t.hidden ?? false, rowCount: t.rowCount ?? 1000, columnCount: t.columnCount ?? 26, frozenRowCount: t.frozenRowCount ?? 0, rows: t.rows ?? [], formats: [] })),
    };
    this.books.set(id, book);
    return book;
  }

  tab(bookId: string, title: string): FakeTab | undefined {
    return this.books.get(bookId)?.tabs.find((t) => t.title === title);
  }

  /** A tab's values as `values:batchGet` with UNFORMATTED_VALUE would give them (trailing blanks cut). */
  values(bookId: string, title: string): unknown[][] {
    const t = this.tab(bookId, title);
    if (!t) throw new Error(`no tab ${title}`);
    const out = t.rows.map((r) => {
      const vals = (r ?? []).map(plainValue);
      while (vals.length > 0 && vals[vals.length - 1] === '') vals.pop();
      return vals;
    });
    while (out.length > 0 && out[out.length - 1].length === 0) out.pop();
    return out;
  }

  /** Requests other than those matching `except` (the tests leave out nothing by default). */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    const text = req.method === 'GET' ? '' : await req.text();
    let body: unknown = undefined;
    if (text) body = JSON.parse(text) as unknown;
    const rec: Recorded = { method: req.method, path: decodeURIComponent(url.pathname), query, body, authorization: req.headers.get('authorization') ?? undefined };
    this.requests.push(rec);
    try {
      const f = this.failures.find((x) => x.times > 0 && (!x.match || x.match.test(rec.path)));
      if (f) {
        f.times--;
        const headers: Record<string, string> = f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {};
        throw Object.assign(new GoogleError(f.status, f.status === 403 ? 'The caller does not have permission' : f.status === 404 ? 'Requested entity was not found.' : f.status === 429 ? "Quota exceeded for quota metric 'Read requests'" : 'Internal error encountered.'), { headers });
      }
      if (this.token !== undefined && rec.authorization !== `Bearer ${this.token}`) throw new GoogleError(401, 'Request had invalid authentication credentials.');
      return Response.json(this.route(req.method, url.pathname, query, body));
    } catch (e) {
      if (!(e instanceof GoogleError)) throw e;
      const headers = (e as GoogleError & { headers?: Record<string, string> }).headers ?? {};
      return Response.json({ error: { code: e.status, message: e.message, status: STATUS_NAME[e.status] ?? 'UNKNOWN' } }, { status: e.status, headers });
    }
  }

  private route(method: string, rawPath: string, query: Record<string, string[]>, body: unknown): unknown {
    const m = /^\/v4\/spreadsheets\/([^/:]+)(:batchUpdate)?(?:\/values(?::(batchGet|batchUpdate|batchClear)|\/([^/]+?)(:clear)?))?$/.exec(rawPath);
    if (!m) throw new GoogleError(404, `no such method: ${method} ${rawPath}`);
    const book = this.books.get(decodeURIComponent(m[1]));
    if (!book) throw new GoogleError(404, 'Requested entity was not found.');
    const b = (body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && !m[2] && !m[3] && !m[4]) return this.getSpreadsheet(book, query);
    if (method === 'POST' && m[2]) return this.batchUpdate(book, (b.requests ?? []) as Record<string, unknown>[]);
    if (method === 'GET' && m[3] === 'batchGet') return { spreadsheetId: book.id, valueRanges: (query.ranges ?? []).map((r) => ({ range: r, values: this.readValues(book, r) })) };
    if (method === 'POST' && m[3] === 'batchUpdate') {
      const data = (b.data ?? []) as { range: string; values: unknown[][] }[];
      this.checkInput(b.valueInputOption);
      for (const d of data) this.findTab(book, parseA1(d.range).tab); // all ranges valid, or nothing written
      for (const d of data) this.writeValues(book, d.range, d.values);
      return { spreadsheetId: book.id, totalUpdatedRows: data.reduce((n, d) => n + d.values.length, 0) };
    }
    if (method === 'PUT' && m[4]) {
      this.checkInput(query.valueInputOption?.[0]);
      this.writeValues(book, decodeURIComponent(m[4]), ((b.values ?? []) as unknown[][]));
      return { spreadsheetId: book.id };
    }
    if (method === 'POST' && m[3] === 'batchClear') {
      for (const r of (b.ranges ?? []) as string[]) this.clear(book, r);
      return { spreadsheetId: book.id };
    }
    if (method === 'POST' && m[4] && m[5]) {
      this.clear(book, decodeURIComponent(m[4]));
      return { spreadsheetId: book.id };
    }
    throw new GoogleError(404, `no such method: ${method} ${rawPath}`);
  }

  private checkInput(option: unknown): void {
    if (option !== 'RAW' && option !== 'USER_ENTERED') throw new GoogleError(400, "Invalid valueInputOption: ''");
  }

  private findTab(book: FakeBook, title: string): FakeTab {
    const t = book.tabs.find((x) => x.title === title);
    if (!t) throw new GoogleError(400, `Unable to parse range: '${title}'`);
    return t;
  }

  private getSpreadsheet(book: FakeBook, query: Record<string, string[]>): unknown {
    const ranges = query.ranges ?? [];
    const properties = (t: FakeTab) => ({
      sheetId: t.sheetId,
      title: t.title,
      index: book.tabs.indexOf(t),
      sheetType: 'GRID',
      ...(t.hidden ? { hidden: true } : {}),
      gridProperties: { rowCount: t.rowCount, columnCount: t.columnCount, ...(t.frozenRowCount ? { frozenRowCount: t.frozenRowCount } : {}) },
    });
    if (ranges.length === 0 || query.includeGridData?.[0] !== 'true') return { spreadsheetId: book.id, properties: { title: book.title }, sheets: book.tabs.map((t) => ({ properties: properties(t) })) };
    const data = new Map<FakeTab, unknown[]>();
    for (const r of ranges) {
      const a = parseA1(r);
      const t = this.findTab(book, a.tab);
      const r1 = Math.min(a.r1 ?? t.rowCount - 1, t.rowCount - 1);
      const c1 = Math.min(a.c1 ?? t.columnCount - 1, t.columnCount - 1);
      const rowData: unknown[] = [];
      for (let r = a.r0; r <= r1; r++) {
        const cells = t.rows[r] ?? [];
        let last = Math.min(cells.length - 1, c1);
        while (last >= a.c0 && cells[last]?.v === undefined) last--;
        const values: unknown[] = [];
        for (let c = a.c0; c <= last; c++) values.push(cellData(cells[c]));
        rowData.push(values.length > 0 ? { values } : {});
      }
      // Like Google, trailing rows with nothing in them are left out.
      while (rowData.length > 0 && !(rowData[rowData.length - 1] as { values?: unknown }).values) rowData.pop();
      const grid = { ...(a.r0 ? { startRow: a.r0 } : {}), ...(a.c0 ? { startColumn: a.c0 } : {}), rowData };
      data.set(t, [...(data.get(t) ?? []), grid]);
    }
    return { sheets: book.tabs.filter((t) => data.has(t)).map((t) => ({ properties: { sheetId: t.sheetId }, data: data.get(t) })) };
  }

  private readValues(book: FakeBook, range: string): unknown[][] {
    const a = parseA1(range);
    const t = this.findTab(book, a.tab);
    const out: unknown[][] = [];
    for (let r = a.r0; r <= Math.min(a.r1 ?? t.rows.length - 1, t.rows.length - 1); r++) {
      const cells = (t.rows[r] ?? []).slice(a.c0, a.c1 === undefined ? undefined : a.c1 + 1).map(plainValue);
      while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
      out.push(cells);
    }
    while (out.length > 0 && out[out.length - 1].length === 0) out.pop();
    return out;
  }

  private writeValues(book: FakeBook, range: string, values: unknown[][]): void {
    const a = parseA1(range);
    const t = this.findTab(book, a.tab);
    const width = Math.max(0, ...values.map((r) => r.length));
    if (a.r0 + values.length > t.rowCount || a.c0 + width > t.columnCount) {
      throw new GoogleError(400, `Range ('${t.title}'!${range.split('!')[1] ?? ''}) exceeds grid limits. Max rows: ${t.rowCount}, max columns: ${t.columnCount}`);
    }
    values.forEach((row, i) => {
      const cells = (t.rows[a.r0 + i] ??= []);
      row.forEach((v, j) => {
        if (v === null || v === undefined) return; // null leaves the cell as it was, as in Google
        cells[a.c0 + j] = v === '' ? undefined : { v: v as FakeValue };
      });
    });
  }

  private clear(book: FakeBook, range: string): void {
    const a = parseA1(range);
    const t = this.findTab(book, a.tab);
    for (let r = a.r0; r < t.rows.length && (a.r1 === undefined || r <= a.r1); r++) {
      const cells = t.rows[r];
      if (!cells) continue;
      for (let c = a.c0; c < cells.length && (a.c1 === undefined || c <= a.c1); c++) cells[c] = undefined;
    }
  }

  /** All or nothing: the requests are applied to a copy, which replaces the book only when every one succeeded. */
  private batchUpdate(book: FakeBook, requests: Record<string, unknown>[]): unknown {
    const tabs = book.tabs.map((t) => ({ ...t, rows: t.rows, formats: [...t.formats] }));
    const cleared: FakeTab[] = [];
    const replies: unknown[] = [];
    const byId = (id: unknown): FakeTab => {
      const t = tabs.find((x) => x.sheetId === id);
      if (!t) throw new GoogleError(400, `Invalid requests: No grid with id: ${String(id)}`);
      return t;
    };
    for (const req of requests) {
      const [kind, arg] = Object.entries(req)[0] as [string, Record<string, unknown>];
      const props = (arg.properties ?? {}) as { sheetId?: number; title?: string; hidden?: boolean; gridProperties?: Record<string, number> };
      switch (kind) {
        case 'addSheet': {
          const title = props.title ?? `Sheet${tabs.length + 1}`;
          if (tabs.some((t) => t.title.toLowerCase() === title.toLowerCase())) throw new GoogleError(400, `Invalid requests[${replies.length}].addSheet: A sheet with the name "${title}" already exists. Please enter another name.`);
          const sheetId = props.sheetId ?? Math.max(0, ...tabs.map((t) => t.sheetId)) + 1;
          if (tabs.some((t) => t.sheetId === sheetId)) throw new GoogleError(400, `Invalid requests[${replies.length}].addSheet: Sheet with id ${sheetId} already exists.`);
          const g = props.gridProperties ?? {};
          const t: FakeTab = { sheetId, title, hidden: false, rowCount: g.rowCount ?? 1000, columnCount: g.columnCount ?? 26, frozenRowCount: g.frozenRowCount ?? 0, rows: [], formats: [] };
          tabs.push(t);
          replies.push({ addSheet: { properties: { sheetId, title } } });
          break;
        }
        case 'updateSheetProperties': {
          const t = byId(props.sheetId);
          const fields = String(arg.fields ?? '').split(',');
          const g = props.gridProperties ?? {};
          for (const f of fields) {
            if (f === 'title') t.title = props.title ?? t.title;
            else if (f === 'gridProperties.rowCount') t.rowCount = g.rowCount ?? t.rowCount;
            else if (f === 'gridProperties.columnCount') t.columnCount = g.columnCount ?? t.columnCount;
            else if (f === 'gridProperties.frozenRowCount') t.frozenRowCount = g.frozenRowCount ?? 0;
            else throw new GoogleError(400, `Invalid requests[${replies.length}].updateSheetProperties: unsupported field ${f}`);
          }
          if (t.frozenRowCount >= t.rowCount) throw new GoogleError(400, `Invalid requests[${replies.length}].updateSheetProperties: You can't freeze all visible rows on the sheet.`);
          replies.push({});
          break;
        }
        case 'deleteSheet': {
          const t = byId(arg.sheetId);
          tabs.splice(tabs.indexOf(t), 1);
          replies.push({});
          break;
        }
        case 'updateCells': {
          const range = (arg.range ?? {}) as { sheetId?: number };
          const t = byId(range.sheetId);
          if (arg.fields !== 'userEnteredValue' || arg.rows !== undefined) throw new GoogleError(400, 'the fake clears only: updateCells {range: {sheetId}, fields: userEnteredValue}');
          cleared.push(t);
          replies.push({});
          break;
        }
        case 'repeatCell': {
          const range = (arg.range ?? {}) as { sheetId?: number };
          byId(range.sheetId).formats.push(arg);
          replies.push({});
          break;
        }
        default:
          throw new GoogleError(400, `Invalid requests[${replies.length}]: the fake has no ${kind}`);
      }
    }
    for (const t of cleared) t.rows = [];
    for (const t of tabs) t.rows = t.rows.slice(0, t.rowCount).map((r) => (r && r.length > t.columnCount ? r.slice(0, t.columnCount) : r));
    book.tabs = tabs;
    return { spreadsheetId: book.id, replies };
  }
}
