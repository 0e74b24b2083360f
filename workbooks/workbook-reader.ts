// Reads an .xlsx into RawWorkbook with exceljs's streaming reader (the in-memory one needs about
// 0.7 GB per 100,000 rows). Every cell keeps its kind, so the core can say what was wrong where.
// Bad files get one sentence, never a stack trace and never a hang.

import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { Readable } from 'node:stream';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { err, ok, type Result } from '../rules/result.js';
import { numberText, type RawRow, type RawSheet, type RawValue, type RawWorkbook } from '../rules/raw.js';

export const DEFAULT_MAX_WORKBOOK_BYTES = 50 * 1024 * 1024;
/** A workbook that takes longer than this to read is given up on, with a sentence. */
const READ_TIMEOUT_MS = 120_000;

export interface ReadOptions {
  maxBytes?: number;
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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Result<RawWorkbook, string>>((resolve) => {
    timer = setTimeout(() => resolve(err(`${name} could not be read within ${READ_TIMEOUT_MS / 1000} s; it may be corrupt`)), READ_TIMEOUT_MS);
  });
  try {
    return await Promise.race([readXlsx(buf, name), timeout]);
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
  sheets: { name: string; hidden: boolean }[];
}

/** workbook.xml: the 1904 flag and which tabs are hidden (the streaming reader exposes neither reliably). */
async function bookInfo(zip: JSZip): Promise<BookInfo> {
  const xml = await zip.file('xl/workbook.xml')?.async('string');
  if (xml === undefined) throw new Error('it has no xl/workbook.xml');
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(xml);
  const sheets: BookInfo['sheets'] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?sheet\b([^>]*)\/?>/g)) {
    const attrs = m[1];
    const nm = /\bname="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const state = /\bstate="([^"]*)"/.exec(attrs)?.[1] ?? 'visible';
    sheets.push({ name: decodeXml(nm), hidden: state !== 'visible' });
  }
  return { date1904, sheets };
}

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

async function readXlsx(buf: Buffer, name: string): Promise<Result<RawWorkbook, string>> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buf);
  } catch (e) {
    return err(`${name} is corrupt: ${shortReason(e)}`);
  }
  if (zip.file('EncryptionInfo') || zip.file('EncryptedPackage')) return err(`${name} is password-protected; save it without a password`);
  const info = await bookInfo(zip);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(await inReadingOrder(zip, buf)), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const sheets: RawSheet[] = [];
  let index = 0;
  for await (const ws of reader) {
    const wsAny = ws as unknown as { name?: string; id?: number };
    const meta = info.sheets[index] ?? { name: wsAny.name ?? `Sheet${index + 1}`, hidden: false };
    index++;
    const rows: RawRow[] = [];
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
      const cells = rowCells(row, info.date1904);
      if (cells) rows.push({ row: row.number, cells });
    }
    sheets.push({ name: meta.name || wsAny.name || `Sheet${index}`, hidden: meta.hidden, rows });
  }
  return ok({ sheets, date1904: info.date1904 });
}

const EMPTY_CELL: RawValue = { kind: 'empty' };

/** A row's cells up to its last non-empty one; null for a row with nothing in it (LibreOffice pads rows with styled blanks). */
function rowCells(row: ExcelJS.Row, date1904: boolean): RawValue[] | null {
  const cells: RawValue[] = [];
  let last = -1;
  const n = row.cellCount;
  for (let col = 1; col <= n; col++) {
    const cell = row.findCell(col);
    if (!cell) continue;
    const v = cellValue(cell, date1904);
    if (v.kind === 'empty') continue;
    while (cells.length < col - 1) cells.push(EMPTY_CELL);
    cells[col - 1] = v;
    last = col - 1;
  }
  return last < 0 ? null : cells;
}

/** The parts exceljs's streaming reader needs before any worksheet. */
const FIRST = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/sharedStrings.xml'];

/**
 * exceljs's streaming reader reads zip entries in order and needs the workbook, styles and shared
 * strings before the sheets; Excel writes them so, other tools do not always. Re-pack (stored, not
 * compressed) only when the order is off.
 */
async function inReadingOrder(zip: JSZip, buf: Buffer): Promise<Buffer> {
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
  const firstSheet = names.findIndex((n) => n.startsWith('xl/worksheets/'));
  const late = FIRST.some((f) => names.indexOf(f) > firstSheet && firstSheet >= 0);
  if (!late) return buf;
  const out = new JSZip();
  const ordered = [...FIRST.filter((f) => names.includes(f)), ...names.filter((n) => !FIRST.includes(n))];
  for (const n of ordered) out.file(n, await zip.files[n].async('uint8array'));
  return out.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

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

function scalar(v: unknown, fmt: string | undefined, date1904: boolean): RawValue {
  if (v === null || v === undefined) return EMPTY_CELL;
  if (typeof v === 'number') return numberValue(v, fmt, date1904);
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
      return scalar(o.result, fmt, date1904);
    }
    if ('text' in o) {
      const t = o.text;
      if (typeof t === 'string') return t === '' ? EMPTY_CELL : { kind: 'text', text: t };
      return scalar(t, fmt, date1904);
    }
  }
  return { kind: 'text', text: String(v) };
}

function cellValue(cell: ExcelJS.Cell, date1904: boolean): RawValue {
  // The streaming reader can hand a merged slave cell the master's value: only the master keeps it.
  const c = cell as unknown as { isMerged?: boolean; master?: ExcelJS.Cell };
  if (c.isMerged && c.master && c.master !== cell) return EMPTY_CELL;
  return scalar(cell.value, cell.numFmt, date1904);
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
