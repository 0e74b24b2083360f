// Reads an .xlsx into RawWorkbook with exceljs's streaming reader (the in-memory one needs about
// 0.7 GB per 100,000 rows). Every cell keeps its kind, so the core can say what was wrong where.
// Bad files get one sentence, never a stack trace and never a hang; a zip bomb is refused as it
// inflates (xlsx-parts.ts), so no file takes more memory than its inflation bound allows.

import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { Readable } from 'node:stream';
import { readFile, stat } from 'node:fs/promises';
import { basename, posix } from 'node:path';
import { err, ok, type Result } from '../rules/result.js';
import { InflationBudget, isEncrypted, workbookInflationBounds, xlsxParts, type InflationBounds, type XlsxParts } from './xlsx-parts.js';
import { numberText, type RawRow, type RawSheet, type RawValue, type RawWorkbook } from '../rules/workbook/raw.js';

export const DEFAULT_MAX_WORKBOOK_BYTES = 50 * 1024 * 1024;
/** A workbook that takes longer than this to read is given up on, with a sentence. */
const READ_TIMEOUT_MS = 120_000;

export interface ReadOptions {
  /** The largest file read (default DEFAULT_MAX_WORKBOOK_BYTES); the inflation bounds follow from it. */
  maxBytes?: number;
  /** How far the file may inflate (default workbookInflationBounds(maxBytes)). */
  inflation?: InflationBounds;
  /** Name used in messages. */
  name?: string;
}

export async function readWorkbookFile(path: string, opts: ReadOptions = {}): Promise<Result<RawWorkbook, string>> {
  const name = opts.name ?? basename(path);
  const max = opts.maxBytes ?? DEFAULT_MAX_WORKBOOK_BYTES;
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return err(`${name}: no such file`);
  }
  if (size > max) return err(`${name} is larger than the ${formatMB(max)} limit`);
  return readWorkbookBuffer(await readFile(path), { ...opts, name });
}

const formatMB = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;

/** What a file that is not an .xlsx most likely is, from its first bytes. */
function sniff(buf: Buffer, name: string): string | null {
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return null;
  if (buf.length >= 4 && buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0) {
    return `${name} is password-protected or an old .xls file; save it as an .xlsx workbook without a password`;
  }
  if (buf.length === 0) return `${name} is empty`;
  const head = buf.subarray(0, 512).toString('utf8');
  if (/^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/.test(head) && /[,;\t]/.test(head)) {
    return `${name} is not an .xlsx workbook (it looks like CSV text); open it in a spreadsheet and save it as .xlsx`;
  }
  return `${name} is not an .xlsx workbook`;
}

export async function readWorkbookBuffer(buf: Buffer, opts: ReadOptions = {}): Promise<Result<RawWorkbook, string>> {
  const name = opts.name ?? 'the workbook';
  const max = opts.maxBytes ?? DEFAULT_MAX_WORKBOOK_BYTES;
  if (buf.length > max) return err(`${name} is larger than the ${formatMB(max)} limit`);
  const bad = sniff(buf, name);
  if (bad) return err(bad);
  const budget = new InflationBudget(name, buf.length, opts.inflation ?? workbookInflationBounds(max));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Result<RawWorkbook, string>>((resolve) => {
    timer = setTimeout(() => {
      const sentence = `${name} could not be read within ${READ_TIMEOUT_MS / 1000} s; it may be corrupt`;
      budget.stop(sentence); // the read stops at its next chunk rather than going on unheard
      resolve(err(sentence));
    }, READ_TIMEOUT_MS);
  });
  try {
    return await Promise.race([readXlsx(buf, name, budget), timeout]);
  } catch (e) {
    return err(`${name} is corrupt: ${shortReason(e)}`);
  } finally {
    clearTimeout(timer);
  }
}

const shortReason = (e: unknown): string => {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n')[0] || 'unreadable').slice(0, 160);
};

interface BookInfo {
  date1904: boolean;
  /** In the workbook's tab order; `path` is the worksheet part, absent for chart sheets and the like. */
  sheets: { name: string; hidden: boolean; path?: string }[];
}

/** workbook.xml and its relationships: the 1904 flag, the tabs in order, which are hidden and where each one's cells are. */
async function bookInfo(parts: XlsxParts): Promise<BookInfo> {
  if (!parts.has('xl/workbook.xml')) throw new Error('it has no xl/workbook.xml');
  const xml = await parts.text('xl/workbook.xml');
  const rels = parts.has('xl/_rels/workbook.xml.rels') ? await parts.text('xl/_rels/workbook.xml.rels') : '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)\/?>/g)) {
    const id = /\bId="([^"]*)"/.exec(m[1])?.[1];
    const target = /\bTarget="([^"]*)"/.exec(m[1])?.[1];
    if (id !== undefined && target !== undefined) targets.set(id, partPath(decodeXml(target)));
  }
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(xml);
  const sheets: BookInfo['sheets'] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?sheet\b([^>]*)\/?>/g)) {
    const attrs = m[1];
    const nm = /\bname="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const state = /\bstate="([^"]*)"/.exec(attrs)?.[1] ?? 'visible';
    const rid = /\br:id="([^"]*)"/.exec(attrs)?.[1] ?? /\b\w+:id="([^"]*)"/.exec(attrs)?.[1];
    sheets.push({ name: decodeXml(nm), hidden: state !== 'visible', path: rid === undefined ? undefined : targets.get(rid) });
  }
  // Without usable relationships, fall back on the usual part names, in tab order.
  if (sheets.length > 0 && sheets.every((s) => s.path === undefined || !parts.has(s.path))) {
    sheets.forEach((s, i) => (s.path = `xl/worksheets/sheet${i + 1}.xml`));
  }
  return { date1904, sheets };
}

/** A relationship target of xl/workbook.xml as a zip path: relative to xl/, or absolute from the root. */
const partPath = (target: string): string => posix.normalize(target.startsWith('/') ? target.slice(1) : `xl/${target}`);

const decodeXml = (s: string): string =>
  s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    switch (e.toLowerCase()) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });

/**
 * The pieces of exceljs's streaming WorkbookReader that we drive ourselves. Its own loop walks the
 * zip in stored order and, when the sheets come before the shared strings (or there are none),
 * spills every sheet to a temp file and parses it again from there; fed part by part it does
 * neither, and the cells are still exceljs's.
 */
interface ExcelStreamBook {
  sharedStrings?: unknown[];
  properties?: { model: { date1904: boolean } };
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseWorksheet(xml: AsyncIterable<string>, sheetNo: string): Iterable<{ eventType: string; value: ExcelSheetParser }>;
}

interface ExcelSheetParser {
  /** Batches of events, one per chunk of XML; rows among them as `row`. */
  parse(): AsyncIterable<{ eventType: string; value: unknown }[]>;
}

async function readXlsx(buf: Buffer, name: string, budget: InflationBudget): Promise<Result<RawWorkbook, string>> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buf);
  } catch (e) {
    return err(`${name} is corrupt: ${shortReason(e)}`);
  }
  if (isEncrypted(zip)) return err(`${name} is password-protected; save it without a password`);
  try {
    budget.checkDeclared(zip);
    return await readParts(xlsxParts(zip, budget));
  } catch (e) {
    // A part refused mid-parse reaches here as whatever error the parser made of it.
    if (budget.refused !== undefined) return err(budget.refused);
    throw e;
  }
}

async function readParts(parts: XlsxParts): Promise<Result<RawWorkbook, string>> {
  const info = await bookInfo(parts);
  const book = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as ExcelStreamBook;
  book.properties = { model: { date1904: info.date1904 } };
  if (parts.has('xl/styles.xml')) await book._parseStyles(parts.stream('xl/styles.xml'));
  if (parts.has('xl/sharedStrings.xml')) for await (const _ of book._parseSharedStrings(parts.stream('xl/sharedStrings.xml')));
  const sheets: RawSheet[] = [];
  for (const [index, meta] of info.sheets.entries()) {
    if (meta.path === undefined || !meta.path.startsWith('xl/worksheets/') || !parts.has(meta.path)) continue;
    const rows: RawRow[] = [];
    for (const { value: sheet } of book._parseWorksheet(parts.chunks(meta.path), String(index + 1))) {
      for await (const events of sheet.parse()) {
        for (const ev of events) {
          if (ev.eventType !== 'row') continue;
          const row = ev.value as ExcelJS.Row;
          const cells = rowCells(row, info.date1904);
          if (cells) rows.push({ row: row.number, cells });
        }
      }
    }
    sheets.push({ name: meta.name || `Sheet${index + 1}`, hidden: meta.hidden, rows });
  }
  return ok({ sheets, date1904: info.date1904 });
}

const EMPTY_CELL: RawValue = { kind: 'empty' };

/** A row's cells up to its last non-empty one; null for a row with nothing in it (LibreOffice pads rows with styled blanks). */
function rowCells(row: ExcelJS.Row, date1904: boolean): RawValue[] | null {
  let cells: RawValue[] | null = null;
  const n = row.cellCount;
  for (let col = 1; col <= n; col++) {
    const cell = row.findCell(col);
    if (cell === undefined) continue;
    // The padding blanks are most of some files: the cheapest test first.
    const value = cell.value;
    if (value === null || value === undefined) continue;
    const v = cellValue(cell, value, date1904);
    if (v === EMPTY_CELL) continue;
    cells ??= [];
    while (cells.length < col - 1) cells.push(EMPTY_CELL);
    cells.push(v);
  }
  return cells;
}

/** What a number format shows; a workbook has few formats, so each is read once. */
const formatKinds = new Map<string, 'date' | 'percent' | 'number'>();

function formatKind(fmt: string | undefined): 'date' | 'percent' | 'number' {
  if (!fmt) return 'number';
  let kind = formatKinds.get(fmt);
  if (kind === undefined) {
    // A date or time shows d, m, y, h or s outside quotes and brackets.
    const stripped = fmt.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').replace(/\\./g, '');
    kind = /[dmyhs]/i.test(stripped) && !/^[#0.,%\s]*$/.test(stripped) ? 'date' : stripped.includes('%') ? 'percent' : 'number';
    formatKinds.set(fmt, kind);
  }
  return kind;
}

function fromSerial(serial: number, date1904: boolean): RawValue {
  const ms = Math.round((serial - (date1904 ? -1462 : 0) - 25569) * 86_400_000);
  return dateValue(new Date(ms));
}

function dateValue(d: Date): RawValue {
  if (Number.isNaN(d.getTime())) return { kind: 'error', text: 'invalid date' };
  return { kind: 'date', y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mi: d.getUTCMinutes(), ss: d.getUTCSeconds() };
}

function numberValue(n: number, fmt: string | undefined, date1904: boolean): RawValue {
  const kind = formatKind(fmt);
  if (kind === 'date') return fromSerial(n, date1904);
  // Whole numbers below 2^53 print exactly; only fractions need the 15-digit round trip.
  const text = Number.isSafeInteger(n) && Math.abs(n) < 1e15 ? String(n) : numberText(n);
  return { kind: 'number', value: n, text, percent: kind === 'percent' };
}

/** `cell` is asked for its number format only when the value is a number (reading it costs). */
function scalar(v: unknown, cell: ExcelJS.Cell, date1904: boolean): RawValue {
  if (v === null || v === undefined) return EMPTY_CELL;
  if (typeof v === 'number') return numberValue(v, cell.numFmt, date1904);
  if (typeof v === 'string') return v === '' ? EMPTY_CELL : { kind: 'text', text: v };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (v instanceof Date) return dateValue(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) {
      const text = (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
      return text === '' ? EMPTY_CELL : { kind: 'text', text };
    }
    if ('error' in o) return { kind: 'error', text: String(o.error) };
    if ('formula' in o || 'sharedFormula' in o) {
      if (o.result === undefined || o.result === null) return { kind: 'error', text: 'formula with no cached value' };
      if (typeof o.result === 'object' && o.result !== null && 'error' in (o.result as object)) {
        return { kind: 'error', text: String((o.result as { error: unknown }).error) };
      }
      return scalar(o.result, cell, date1904);
    }
    if ('text' in o) {
      const t = o.text;
      if (typeof t === 'string') return t === '' ? EMPTY_CELL : { kind: 'text', text: t };
      return scalar(t, cell, date1904);
    }
  }
  return { kind: 'text', text: String(v) };
}

function cellValue(cell: ExcelJS.Cell, value: unknown, date1904: boolean): RawValue {
  // The streaming reader can hand a merged slave cell the master's value: only the master keeps it.
  const c = cell as unknown as { isMerged?: boolean; master?: ExcelJS.Cell };
  if (c.isMerged && c.master && c.master !== cell) return EMPTY_CELL;
  return scalar(value, cell, date1904);
}

/** exceljs's streaming reader alone, doing nothing with the cells: the floor for the benchmark. */
export async function streamReadBaseline(path: string): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  let rows = 0;
  for await (const ws of reader) {
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
      if (row.number > 0) rows++;
    }
  }
  return rows;
}
