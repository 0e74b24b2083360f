import { describe, expect, it } from 'vitest';
import { readWorkbookBuffer, readWorkbookFile } from '../../workbooks/workbook-reader.js';
import type { RawValue, RawWorkbook } from '../../rules/workbook/raw.js';
import JSZip from 'jszip';
import { buildXlsx, editXml } from './xlsx-builder.js';

const rawCell = (v: RawValue): string => (v.kind === 'text' ? v.text : v.kind);

const samples = '../shared/samples/xlsx/';
const read = async (buf: Buffer): Promise<RawWorkbook> => {
  const r = await readWorkbookBuffer(buf, { name: 'test.xlsx' });
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const cell = (wb: RawWorkbook, sheet: number, row: number, col: number): RawValue | undefined =>
  wb.sheets[sheet].rows.find((r) => r.row === row)?.cells[col];

describe('reading real files', () => {
  it('reads Excel: a serial date in format 14, a formula by its cached value, a hyperlink, shared strings', async () => {
    const r = await readWorkbookFile(samples + 'excel-dates-formulas-hyperlink.xlsx');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rows = r.value.sheets[0].rows;
    expect(rows[3].cells[1]).toEqual({ kind: 'date', y: 2016, m: 5, d: 17, hh: 0, mi: 0, ss: 0 });
    expect(rows[4].cells[1]).toEqual({ kind: 'text', text: 'I am Text' });
    expect(rows[5].cells[1]).toEqual({ kind: 'text', text: 'exceljs' });
    expect(rows[1].cells[1]).toMatchObject({ kind: 'number', text: '3.14' });
  });
  it('reads a Google Sheets export: rich-text headers with line breaks, a long code kept as text', async () => {
    const r = await readWorkbookFile(samples + 'google-sheets-export.xlsx');
    if (!r.ok) throw new Error(r.error);
    const header = r.value.sheets[0].rows[0].cells.map((c) => (c.kind === 'text' ? c.text : ''));
    expect(header).toContain('Critical stock\n(for Sales items only)');
    const codes = r.value.sheets[0].rows.flatMap((row) => row.cells).filter((c) => c.kind === 'text' && /^\d{14}$/.test(c.text));
    expect(codes.length).toBeGreaterThan(0);
  });
  it('drops the empty styled cells LibreOffice pads rows with', async () => {
    const r = await readWorkbookFile(samples + 'libreoffice-padded-1024-columns.xlsx');
    if (!r.ok) throw new Error(r.error);
    expect(r.value.sheets[0].rows.map((row) => row.cells.length)).toEqual([2, 1, 1, 2]);
  });
  it('gives a corrupt file one sentence', async () => {
    const r = await readWorkbookFile(samples + 'corrupt-invalid-xml.xlsx');
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^corrupt-invalid-xml\.xlsx is corrupt: [^\n]+$/) });
  });
});

describe('odd files built here', () => {
  it('honours the 1904 date system for serial dates', async () => {
    const buf = await buildXlsx({ S: [['Date'], [41045]] }, async (zip) => {
      await editXml(zip, 'xl/workbook.xml', (x) => x.replace(/<workbookPr([^>]*)\/>/, '<workbookPr$1 date1904="1"/>'));
      await editXml(zip, 'xl/worksheets/sheet1.xml', (x) => x.replace(/<c r="A2"([^>]*)>/, '<c r="A2"$1 s="1">'));
      await editXml(zip, 'xl/styles.xml', (x) => x.replace(/<cellXfs count="(\d+)">/, (_m, n) => `<cellXfs count="${Number(n) + 1}"><xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>`).replace(/(<cellXfs count="\d+">(?:(?!<\/cellXfs>).)*?)<xf numFmtId="14"[^>]*\/>((?:(?!<\/cellXfs>).)*)<\/cellXfs>/s, '$1$2<xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>'));
    });
    const wb = await read(buf);
    expect(wb.date1904).toBe(true);
    // 41045 in the 1904 system is 2016-05-17 (41045 + 1462 = 42507 in the 1900 system).
    expect(cell(wb, 0, 2, 0)).toMatchObject({ kind: 'date', y: 2016, m: 5, d: 17 });
  });
  it('reads inline strings, numbers stored as text and numeric phone cells', async () => {
    const buf = await buildXlsx({ S: [['A', 'B'], ['x', 2079460000]] }, async (zip) => {
      await editXml(zip, 'xl/worksheets/sheet1.xml', (x) => x.replace(/<c r="A2"[^>]*>.*?<\/c>/, '<c r="A2" t="inlineStr"><is><t>0.0125</t></is></c>'));
    });
    const wb = await read(buf);
    expect(cell(wb, 0, 2, 0)).toEqual({ kind: 'text', text: '0.0125' });
    expect(cell(wb, 0, 2, 1)).toEqual({ kind: 'number', value: 2079460000, text: '2079460000', percent: false });
  });
  it('marks a formula with no cached value and an error cell as errors', async () => {
    const buf = await buildXlsx({ S: [['A', 'B'], [{ formula: '1+1' } as never, { error: '#N/A' } as never]] }, async (zip) => {
      await editXml(zip, 'xl/worksheets/sheet1.xml', (x) => x.replace(/<v>[^<]*<\/v>/, (m) => (m.includes('#N/A') ? m : '')));
    });
    const wb = await read(buf);
    expect(cell(wb, 0, 2, 0)).toEqual({ kind: 'error', text: 'formula with no cached value' });
    expect(cell(wb, 0, 2, 1)).toEqual({ kind: 'error', text: '#N/A' });
  });
  it('keeps cached formula results, percent formats, dates with times, booleans, hidden tabs and merged cells', async () => {
    const buf = await buildXlsx(
      { Shown: [['F', 'P', 'D', 'B', 'M'], [{ formula: 'A1', result: 7 } as never, 0.2, new Date(Date.UTC(2026, 9, 3, 14, 5, 0)), true, 'master']], Secret: [['x']] },
      undefined,
      (wb) => {
        wb.getWorksheet('Shown')!.getCell('B2').numFmt = '0%';
        wb.getWorksheet('Shown')!.mergeCells('E2:F2');
        wb.getWorksheet('Secret')!.state = 'hidden';
      },
    );
    const wb = await read(buf);
    expect(cell(wb, 0, 2, 0)).toMatchObject({ kind: 'number', text: '7' });
    expect(cell(wb, 0, 2, 1)).toMatchObject({ kind: 'number', text: '0.2', percent: true });
    expect(cell(wb, 0, 2, 2)).toEqual({ kind: 'date', y: 2026, m: 10, d: 3, hh: 14, mi: 5, ss: 0 });
    expect(cell(wb, 0, 2, 3)).toEqual({ kind: 'bool', value: true });
    expect(cell(wb, 0, 2, 4)).toEqual({ kind: 'text', text: 'master' });
    expect(cell(wb, 0, 2, 5)).toBeUndefined();
    expect(wb.sheets.map((s) => [s.name, s.hidden])).toEqual([['Shown', false], ['Secret', true]]);
  });
  it('reads the parts in any zip order: sheets stored before the workbook, styles and shared strings', async () => {
    const plain = await buildXlsx({ S: [['Name', 'When'], ['Ada', new Date(Date.UTC(2026, 0, 2))]] });
    const zip = await JSZip.loadAsync(plain);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
    const reordered = new JSZip();
    for (const n of [...names.filter((n) => n.startsWith('xl/worksheets/')), ...names.filter((n) => !n.startsWith('xl/worksheets/')).reverse()]) {
      reordered.file(n, await zip.files[n].async('uint8array'));
    }
    const wb = await read(await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    expect(cell(wb, 0, 2, 0)).toEqual({ kind: 'text', text: 'Ada' });
    expect(cell(wb, 0, 2, 1)).toEqual({ kind: 'date', y: 2026, m: 1, d: 2, hh: 0, mi: 0, ss: 0 });
  });
  it('finds the cells of each tab through the relationships, absolute targets too, in tab order', async () => {
    const buf = await buildXlsx({ First: [['one']], Second: [['two']] }, async (zip) => {
      await editXml(zip, 'xl/_rels/workbook.xml.rels', (x) => x.replace('Target="worksheets/sheet1.xml"', 'Target="/xl/worksheets/sheet2.xml"').replace('Target="worksheets/sheet2.xml"', 'Target="worksheets/sheet1.xml"'));
    });
    const wb = await read(buf);
    expect(wb.sheets.map((s) => [s.name, rawCell(s.rows[0].cells[0])])).toEqual([['First', 'two'], ['Second', 'one']]);
  });
  it('keeps characters whole across the chunks a long part is read in', async () => {
    const long = 'é€😀'.repeat(9000);
    const wb = await read(await buildXlsx({ S: [[long, 'x'.repeat(5001) + '€'.repeat(7000)]] }));
    expect(cell(wb, 0, 1, 0)).toEqual({ kind: 'text', text: long });
    expect(cell(wb, 0, 1, 1)).toEqual({ kind: 'text', text: 'x'.repeat(5001) + '€'.repeat(7000) });
  });
  it('reads a cell equal to the one above it by its own format', async () => {
    const buf = await buildXlsx({ S: [['A'], [0.2], [0.2], [42000], [42000], ['x'], ['x']] }, undefined, (wb) => {
      wb.getWorksheet('S')!.getCell('A3').numFmt = '0%';
      wb.getWorksheet('S')!.getCell('A5').numFmt = 'yyyy-mm-dd';
    });
    const wb = await read(buf);
    expect([2, 3, 4, 5, 6, 7].map((r) => cell(wb, 0, r, 0))).toEqual([
      { kind: 'number', value: 0.2, text: '0.2', percent: false },
      { kind: 'number', value: 0.2, text: '0.2', percent: true },
      { kind: 'number', value: 42000, text: '42000', percent: false },
      { kind: 'date', y: 2014, m: 12, d: 27, hh: 0, mi: 0, ss: 0 },
      { kind: 'text', text: 'x' },
      { kind: 'text', text: 'x' },
    ]);
  });
  it('gives a sheet whose compressed bytes are damaged one sentence', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => [`row ${i}`, i * 7, `note ${i * 13}`]);
    const buf = await buildXlsx({ S: rows });
    const at = buf.indexOf('xl/worksheets/sheet1.xml');
    for (let i = at + 60; i < at + 90; i++) buf[i] ^= 0x5a;
    const r = await readWorkbookBuffer(buf, { name: 'hurt.xlsx' });
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^hurt\.xlsx is corrupt: [^\n]+$/) });
  });
  it('says in one sentence what a file that is not a workbook is', async () => {
    const csv = await readWorkbookBuffer(Buffer.from('id,start,duration\n1,2026-10-01 10:00:00,60\n'), { name: 'calls.xlsx' });
    expect(csv).toEqual({ ok: false, error: 'calls.xlsx is not an .xlsx workbook (it looks like CSV text); open it in a spreadsheet and save it as .xlsx' });
    const ole = await readWorkbookBuffer(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), { name: 'locked.xlsx' });
    expect(ole.ok ? '' : ole.error).toMatch(/^locked\.xlsx is password-protected or an old \.xls file/);
    const big = await readWorkbookBuffer(Buffer.alloc(2048, 0x50), { name: 'big.xlsx', maxBytes: 1024 });
    expect(big.ok ? '' : big.error).toBe('big.xlsx is larger than the 0 MB limit');
    const cut = (await buildXlsx({ S: [['a']] })).subarray(0, 300);
    const truncated = await readWorkbookBuffer(cut, { name: 'cut.xlsx' });
    expect(truncated.ok ? '' : truncated.error).toMatch(/^cut\.xlsx is corrupt: /);
    expect(await readWorkbookFile('/nonexistent/x.xlsx')).toEqual({ ok: false, error: 'x.xlsx: no such file' });
  });
});
