// Writes a Ratebook workbook (every tab and column of the contract) with what makes it pleasant
// to fill in: a note on each header cell, drop-downs on enumerated columns, frozen headers,
// widths and number formats. The template and the sample both come from here, so neither can
// drift from rules/columns.ts.

import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { TAB_COLUMNS, TAB_KEYS, SETTINGS_DEFAULTS, type ColumnSpec, type TabKey } from '../rules/workbook/columns.js';
import { TAB_NAMES } from '../rules/workbook/rows.js';

export type TemplateCell = string | number | Date | null;
export type TemplateRow = Record<string, TemplateCell>;

export interface WorkbookContent {
  settings: [string, string][];
  tabs: Partial<Record<TabKey, TemplateRow[]>>;
}

/** Fixed so regenerating the committed workbooks changes nothing. */
export const FIXED_DATE = new Date('2026-01-01T00:00:00Z');

const DROPDOWN_ROWS = 2000;

/** exceljs supports range data validations but its typings omit them. */
interface WithValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

function numFmt(col: ColumnSpec): string | undefined {
  switch (col.type) {
    case 'date':
      return 'yyyy-mm-dd';
    case 'amount':
      return '0.00####';
    case 'percent':
    case 'decimal':
      return '0.##';
    case 'int':
      return '0';
    case 'phone':
    case 'phones':
    case 'digits':
      return '@';
    case 'text':
    case 'bool':
    case 'enum':
    case 'time':
    case 'days':
    case 'expr':
      return undefined;
  }
}

function noteFor(col: ColumnSpec): string {
  const req = col.required ? 'Required. ' : '';
  const allowed = col.values ? ` Allowed: ${col.values.join(', ')}.` : '';
  return `${req}${col.note}${allowed}`;
}

function addTab(wb: ExcelJS.Workbook, key: TabKey, rows: TemplateRow[]): void {
  const cols = TAB_COLUMNS[key];
  const ws = wb.addWorksheet(TAB_NAMES[key], { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: c.header, key: c.header, width: c.width ?? 14, style: numFmt(c) ? { numFmt: numFmt(c) } : {} }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  cols.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.note = noteFor(c);
    // The header row keeps text format even in numeric columns.
    cell.numFmt = '@';
  });
  for (const r of rows) {
    const values = cols.map((c) => {
      const v = r[c.header];
      return v === undefined ? null : v;
    });
    ws.addRow(values);
  }
  cols.forEach((c, i) => {
    if (!c.values) return;
    const letter = ws.getColumn(i + 1).letter;
    (ws as unknown as WithValidations).dataValidations.add(`${letter}2:${letter}${DROPDOWN_ROWS}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [`"${c.values.join(',')}"`],
      showErrorMessage: true,
      errorTitle: c.header,
      error: `Choose one of: ${c.values.join(', ')}`,
    });
  });
}

function addSettings(wb: ExcelJS.Workbook, settings: [string, string][]): void {
  const ws = wb.addWorksheet(TAB_NAMES.settings, { views: [{ state: 'frozen', ySplit: 1 }] });
  const cols = TAB_COLUMNS.settings;
  // Every value is text: CountryCode "44" and InternationalPrefix "00" must not become numbers.
  ws.columns = cols.map((c) => ({ header: c.header, key: c.header, width: c.width ?? 20, style: { numFmt: '@' } }));
  ws.getColumn(3).width = 70;
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.getCell(1).note = noteFor(cols[0]);
  header.getCell(2).note = noteFor(cols[1]);
  header.getCell(3).value = 'About (ignored by Ratebook)';
  for (const [key, value] of settings) {
    const about = SETTINGS_DEFAULTS.find((s) => s.key === key);
    ws.addRow([key, value, about ? `${about.note} Default: ${about.value === '' ? '(blank)' : about.value}.` : '']);
  }
}

export async function buildWorkbook(content: WorkbookContent): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Ratebook';
  wb.lastModifiedBy = 'Ratebook';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  addSettings(wb, content.settings);
  for (const key of TAB_KEYS) {
    if (key === 'settings') continue;
    addTab(wb, key, content.tabs[key] ?? []);
  }
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return deterministicZip(buf);
}

/** exceljs stamps every zip entry with the current time; re-pack with a fixed one. */
async function deterministicZip(buf: Buffer): Promise<Buffer> {
  const src = await JSZip.loadAsync(buf);
  const out = new JSZip();
  const names = Object.keys(src.files).filter((n) => !src.files[n].dir);
  for (const name of names) {
    out.file(name, await src.files[name].async('uint8array'), { date: FIXED_DATE, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

export const templateContent = (): WorkbookContent => ({
  settings: SETTINGS_DEFAULTS.map((s) => [s.key, s.value]),
  tabs: {},
});
