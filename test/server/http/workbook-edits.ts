// The sample workbook and edited copies of it, for the version and search route tests.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { ApiFixture } from './api-fixture.js';
import type { Role } from '../../../server/http/roles.js';

export const SAMPLE_PATH = fileURLToPath(new URL('../../../workbooks/sample-uk-reseller.xlsx', import.meta.url));

export const sampleBytes = (): Promise<Buffer> => readFile(SAMPLE_PATH);

/** The sample opened in exceljs, changed by `edit`, saved again (an unedited copy has other bytes, the same content). */
export async function editedSample(edit: (wb: ExcelJS.Workbook) => void = () => undefined): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await sampleBytes()) as unknown as ArrayBuffer);
  edit(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The column of a header in row 1 of a sheet. */
export function columnOf(ws: ExcelJS.Worksheet, header: string): number {
  let found = 0;
  ws.getRow(1).eachCell((cell, col) => {
    if (String(cell.value) === header) found = col;
  });
  if (!found) throw new Error(`${ws.name} has no ${header}`);
  return found;
}

/** The first data row of a sheet whose cells under the given headers hold these values. */
export function rowWhere(ws: ExcelJS.Worksheet, match: Record<string, string>): ExcelJS.Row {
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (Object.entries(match).every(([h, v]) => String(row.getCell(columnOf(ws, h)).value ?? '') === v)) return row;
  }
  throw new Error(`${ws.name} has no row ${JSON.stringify(match)}`);
}

/** POST /api/versions with a file as the multipart field `file`. */
export function uploadWorkbook(f: ApiFixture, bytes: Uint8Array, name: string, role: Role | null = 'commercial'): Promise<Response> {
  const fd = new FormData();
  fd.append('file', new Blob([new Uint8Array(bytes)]), name);
  return f.call('POST', '/api/versions', { role, body: fd });
}

/**
 * The two fixes a billing team makes after reading the sample run's exceptions: IVY09 given a
 * tariff (its NO_TARIFF calls) and 020 7946 1234 added to Numbers (an UNKNOWN_NUMBER call).
 */
export function fixSample(wb: ExcelJS.Workbook): void {
  const customers = wb.getWorksheet('Customers')!;
  rowWhere(customers, { Account: 'IVY09' }).getCell(columnOf(customers, 'Tariff')).value = 'Standard';
  const numbers = wb.getWorksheet('Numbers')!;
  const row = numbers.getRow(numbers.rowCount + 1);
  row.getCell(columnOf(numbers, 'Account')).value = 'BRIGHT02';
  row.getCell(columnOf(numbers, 'Number')).value = '020 7946 1234';
  row.getCell(columnOf(numbers, 'Description')).value = 'Overflow line';
  row.getCell(columnOf(numbers, 'Site')).value = 'Birmingham';
  row.getCell(columnOf(numbers, 'Status')).value = 'Active';
  row.getCell(columnOf(numbers, 'DateSold')).value = new Date('2024-06-01T00:00:00Z');
  row.commit();
}
