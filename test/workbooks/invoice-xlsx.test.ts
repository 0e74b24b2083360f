import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeInvoiceXlsx } from '../../workbooks/invoice-xlsx.js';
import { settings } from '../rules/billing/bill-fixture.js';
import { provenance, sampleInvoice } from './invoice-fixture.js';

async function written(countryCode = '44'): Promise<ExcelJS.Workbook> {
  const dir = await mkdtemp(join(tmpdir(), 'rb-invoice-'));
  try {
    const path = join(dir, 'inv.xlsx');
    await writeInvoiceXlsx(path, sampleInvoice(countryCode), settings({ countryCode }), provenance);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    return wb;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const column = (ws: ExcelJS.Worksheet, c: number): unknown[] => {
  const out: unknown[] = [];
  ws.eachRow((row) => void out.push(row.getCell(c).value));
  return out;
};

describe('writeInvoiceXlsx', () => {
  it('shows call classes in words and numbers in national format on the invoice sheet', async () => {
    const ws = (await written()).getWorksheet('Invoice')!;
    const lines: unknown[][] = [];
    ws.eachRow((row) => void lines.push([row.getCell(1).value, row.getCell(2).value]));
    expect(lines).toContainEqual(['Non-geographic calls', '0113 496 0000']);
    expect(lines).toContainEqual(['Surcharges', '0113 496 0000']);
    expect(lines).toContainEqual(['Line rental, 2026-10-01 to 2026-10-31', '0113 496 0000']);
  });
  it('itemises the calls with national numbers (others as they are) and classes in words', async () => {
    const ws = (await written()).getWorksheet('Calls')!;
    expect(ws.getRow(1).getCell(2).value).toBe('number');
    expect(column(ws, 2).slice(1)).toEqual(Array(8).fill('0113 496 0000'));
    expect(column(ws, 5).slice(1)).toEqual([
      '0845 123 4567', '020 7946 0000', '07700 900123', '33142685300', '118118', '0909 879 0000', '8821612345678', '056 1234 5678',
    ]);
    expect(column(ws, 7).slice(1)).toEqual([
      'Non-geographic', 'National', 'Mobile', 'International', 'Service numbers', 'Surcharges', 'Extended international', 'Bespoke1',
    ]);
  });
  it('keeps the numbers as they are for a country with no national format', async () => {
    const ws = (await written('33')).getWorksheet('Calls')!;
    expect(column(ws, 2)[1]).toBe('441134960000');
    expect(column(ws, 5)[1]).toBe('448451234567');
  });
});
