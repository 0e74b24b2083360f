import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { inflateRawSync } from 'node:zlib';
import { tablesXlsx } from '../../workbooks/table-xlsx.js';
import { columnLetters, sheetName, xmlText } from '../../workbooks/xlsx-writer.js';
import { crc32, crc32Js, zipArchive } from '../../workbooks/zip-writer.js';
import { readWorkbookBuffer } from '../../workbooks/workbook-reader.js';
import type { Table } from '../../rules/tables.js';

const calls: Table = {
  name: 'Calls: October/2026',
  columns: [
    { header: 'caller', kind: 'text' },
    { header: 'charge', kind: 'money', decimals: 4 },
    { header: 'seconds', kind: 'int' },
    { header: 'detail', kind: 'text', width: 40 },
  ],
  rows: [
    ['=HYPERLINK("http://x")', '0.1234', 61, '  padded  '],
    ['+44 20 7946 0000', '-1.5', '7', 'a < b & "c" > d'],
    ['@SUM(A1)', 'n/a', null, 'bell\u0007 and _x0041_ and \ud83d\ude00 and lone \ud800'],
    ['442079460000', '', '', ''],
  ],
  note: 'first 4 of 10 rows; exceptions.csv has them all',
};
const empty: Table = { name: 'Calls: October/2026', columns: [{ header: 'x', kind: 'text' }], rows: [] };

async function open(tables: Table[]): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(tablesXlsx(tables) as unknown as ArrayBuffer);
  return wb;
}

describe('tables to .xlsx', () => {
  it('keeps text as text (never a formula), amounts and counts as numbers, and the note below a blank row', async () => {
    const wb = await open([calls]);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('Calls  October 2026');
    expect(ws.getRow(1).values).toEqual([undefined, 'caller', 'charge', 'seconds', 'detail']);
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('A2').value).toBe('=HYPERLINK("http://x")');
    expect(ws.getCell('A3').value).toBe('+44 20 7946 0000');
    expect(ws.getCell('A4').value).toBe('@SUM(A1)');
    expect(ws.getCell('A5').value).toBe('442079460000');
    expect(ws.getCell('B2').value).toBe(0.1234);
    expect(ws.getCell('B2').numFmt).toBe('0.0000');
    expect(ws.getCell('B3').value).toBe(-1.5);
    expect(ws.getCell('C2').value).toBe(61);
    expect(ws.getCell('C3').value).toBe(7);
    expect(ws.getCell('C2').numFmt).toBe('0');
    // A money cell that is not a number stays what it was.
    expect(ws.getCell('B4').value).toBe('n/a');
    expect(ws.getCell('D2').value).toBe('  padded  ');
    expect(ws.getCell('D3').value).toBe('a < b & "c" > d');
    expect(ws.getCell('B5').value).toBe(null);
    expect(ws.getCell('A7').value).toBe('first 4 of 10 rows; exceptions.csv has them all');
    expect(ws.getCell('A6').value).toBe(null);
  });
  it('freezes a bold header with filters and sets the widths', async () => {
    const ws = (await open([calls])).worksheets[0];
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.autoFilter).toBe('A1:D1');
    expect(ws.getColumn(4).width).toBe(40);
    expect(ws.getColumn(1).width).toBe(10);
  });
  it('names every sheet uniquely within Excel rules', async () => {
    const wb = await open([calls, empty, { ...empty, name: '' }]);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Calls  October 2026', 'Calls  October 2026 2', 'Sheet']);
    const taken = new Set<string>();
    expect(sheetName('x'.repeat(40), taken)).toBe('x'.repeat(31));
    expect(sheetName('X'.repeat(40), taken)).toBe('X'.repeat(29) + ' 2');
  });
  it('escapes what XML cannot hold as Excel does, and reads back through the workbook reader', async () => {
    expect(xmlText('bell\u0007')).toBe('bell_x0007_');
    expect(xmlText('_x0041_')).toBe('_x005F_x0041_');
    expect(xmlText('lone \ud800 pair \ud83d\ude00')).toBe('lone \ufffd pair \ud83d\ude00');
    expect(xmlText('plain')).toBe('plain');
    const r = await readWorkbookBuffer(tablesXlsx([calls]), { name: 'calls.xlsx' });
    if (!r.ok) throw new Error(r.error);
    const rows = r.value.sheets[0].rows;
    expect(rows[1].cells[0]).toEqual({ kind: 'text', text: '=HYPERLINK("http://x")' });
    expect(rows[1].cells[1]).toMatchObject({ kind: 'number', text: '0.1234' });
    expect(rows[3].cells[3]).toMatchObject({ kind: 'text' });
  });
  it('writes a number no cell can hold (NaN, Infinity) as its text rather than dropping it', async () => {
    const ws = (await open([{ name: 'n', columns: [{ header: 'x', kind: 'int' }, { header: 'y', kind: 'text' }], rows: [[NaN, Infinity]] }])).worksheets[0];
    expect([ws.getCell('A2').value, ws.getCell('B2').value]).toEqual(['NaN', 'Infinity']);
  });
  it('writes column letters past Z', () => {
    expect([1, 26, 27, 52, 53, 702, 703, 16384].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
  });
});

describe('zip archive', () => {
  it('holds each entry whole, with its CRC, readable by JSZip and by raw inflate', async () => {
    const big = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
    const bytes = zipArchive([{ name: 'a.txt', data: Buffer.from('hello') }, { name: 'dir/ü.bin', data: big }]);
    const zip = await JSZip.loadAsync(bytes);
    expect(await zip.file('a.txt')!.async('string')).toBe('hello');
    expect(Buffer.from(await zip.file('dir/ü.bin')!.async('uint8array')).equals(Buffer.from(big))).toBe(true);
    // First entry by hand: local header, then its deflated data.
    expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
    expect(bytes.readUInt32LE(14)).toBe(crc32(Buffer.from('hello')));
    const size = bytes.readUInt32LE(18);
    expect(inflateRawSync(bytes.subarray(30 + 5, 30 + 5 + size)).toString()).toBe('hello');
    // The same entries give the same bytes.
    expect(zipArchive([{ name: 'a.txt', data: Buffer.from('hello') }]).equals(zipArchive([{ name: 'a.txt', data: Buffer.from('hello') }]))).toBe(true);
  });
  it('computes CRC-32 as the standard check value says', () => {
    // zlib's where Node has it, the loop where it does not: both the standard's.
    for (const f of [crc32, crc32Js]) {
      expect(f(Buffer.from('123456789'))).toBe(0xcbf43926);
      expect(f(new Uint8Array(0))).toBe(0);
    }
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32(bytes)).toBe(crc32Js(bytes));
  });
});
