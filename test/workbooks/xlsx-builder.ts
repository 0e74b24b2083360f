// Builds odd .xlsx files inside tests: exceljs writes a plain workbook, then the XML is patched the
// way other producers write it (1904 dates, inline strings, formulas with no cached value).

import ExcelJS from 'exceljs';
import JSZip from 'jszip';

export type Cells = (string | number | boolean | Date | null | ExcelJS.CellValue)[][];

export async function buildXlsx(sheets: Record<string, Cells>, patch?: (zip: JSZip) => Promise<void>, setup?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  setup?.(wb);
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  if (!patch) return buf;
  const zip = await JSZip.loadAsync(buf);
  await patch(zip);
  return zip.generateAsync({ type: 'nodebuffer' });
}

export async function editXml(zip: JSZip, path: string, edit: (xml: string) => string): Promise<void> {
  const xml = await zip.file(path)!.async('string');
  zip.file(path, edit(xml));
}
