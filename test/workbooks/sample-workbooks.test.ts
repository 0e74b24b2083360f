import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { loadWorkbookBytes, loadWorkbookFile } from '../../server/model/workbook-file.js';
import { sampleWorkbookBytes, templateWorkbookBytes } from '../../workbooks/generate.js';
import { generateSampleCalls } from '../../workbooks/sample-calls.js';
import { TAB_COLUMNS, TAB_KEYS } from '../../rules/workbook/columns.js';
import { TAB_NAMES } from '../../rules/workbook/rows.js';

describe('the workbooks users start from', () => {
  it('validates the sample with no errors (one warning: a customer still without a tariff)', async () => {
    const r = await loadWorkbookFile('workbooks/sample-uk-reseller.xlsx');
    if (!r.ok) throw new Error(r.error);
    expect(r.value.issues).toEqual([
      { severity: 'warning', code: 'NO_TARIFF_OR_MARKUP', message: 'IVY09 has no Tariff and no Markup: its calls will not rate (NO_TARIFF)', at: 'Customers!N10' },
    ]);
    const rows = r.value.rows;
    expect(rows.customers.length).toBeGreaterThanOrEqual(6);
    expect(rows.numbers.some((n) => n.rangeEnd !== '' && Number(n.rangeEnd) - Number(n.number) + 1 === 100)).toBe(true);
    expect(rows.holidays).toHaveLength(8);
  });
  it('keeps the committed files byte for byte what the generator makes', async () => {
    expect((await sampleWorkbookBytes()).equals(await readFile('workbooks/sample-uk-reseller.xlsx'))).toBe(true);
    expect((await templateWorkbookBytes()).equals(await readFile('workbooks/template.xlsx'))).toBe(true);
    expect(generateSampleCalls()).toBe(await readFile('workbooks/sample-calls.csv', 'utf8'));
  });
  it('round-trips the template: every tab and column, notes, drop-downs and frozen headers, valid when empty', async () => {
    const bytes = await templateWorkbookBytes();
    const r = await loadWorkbookBytes(bytes, 'template.xlsx');
    if (!r.ok) throw new Error(r.error);
    expect(r.value.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    for (const key of TAB_KEYS) {
      const ws = wb.getWorksheet(TAB_NAMES[key])!;
      const headers = TAB_COLUMNS[key].map((_, i) => ws.getRow(1).getCell(i + 1).value);
      expect(headers).toEqual(TAB_COLUMNS[key].map((c) => c.header));
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const note = ws.getRow(1).getCell(1).note;
      expect(typeof note === 'string' ? note : JSON.stringify(note)).toMatch(/\w/);
    }
    const status = wb.getWorksheet('Numbers')!;
    const col = TAB_COLUMNS.numbers.findIndex((c) => c.header === 'Status') + 1;
    expect(status.getRow(2).getCell(col).dataValidation).toMatchObject({ type: 'list', formulae: ['"Active,Suspended,NonBillable,Dropped"'] });
  });
});
