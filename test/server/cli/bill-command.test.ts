import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { runCli } from './run-cli.js';

const temp = (): Promise<string> => mkdtemp(join(tmpdir(), 'ratebook-bill-'));
const W = 'workbooks/sample-uk-reseller.xlsx';
const C = 'workbooks/sample-calls.csv';

const run = runCli;
const table = async (path: string): Promise<Record<string, string>[]> => {
  const [head, ...lines] = (await readFile(path, 'utf8')).trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => {
    const cells = l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
  });
};
const cents = (s: string): number => Math.round(Number(s) * 100);

describe('ratebook bill on the sample month', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await temp();
    const r = await run(['bill', '--workbook', W, '--cdrs', C, '--period', '2026-10', '--out', dir]);
    expect(r.code).toBe(0);
  });
  it('bills the recurring and one-off charges worked out by hand', async () => {
    const inv = Object.fromEntries((await table(join(dir, 'invoices.csv'))).map((r) => [r.account, r]));
    // ACME01: range rental 25.00 + 12 PBX seats × 6.50 = 78.00 + Leeds line rental 26/31 × 12.50 = 10.48
    //         + support 150.00 (quarterly since April 2025: October is an anniversary month); installation 99.00
    expect([inv.ACME01.recurring, inv.ACME01.oneoff]).toEqual(['263.48', '99.00']);
    // BRIGHT02: line rental 12.50 + caller display 2.00; the suspended fax line is deferred
    expect(inv.BRIGHT02.recurring).toBe('14.50');
    // CARTER03: 12.50 + voicemail 3.00; dropped on the 10th: 10/31 × 12.50 = 4.03; moved away on the 14th: 14/31 × 12.50 = 5.65
    expect(inv.CARTER03.recurring).toBe('25.18');
    // DELTA04: 8 SIP channels × 4.00 not prorated = 32.00 + annual maintenance 240.00 (anniversary October)
    expect(inv.DELTA04.recurring).toBe('272.00');
    // EVANS05: 10.00; the card terminal line is NonBillable: deferred
    expect(inv.EVANS05.recurring).toBe('10.00');
    // GREEN07: moved-in line 17/31 × 12.50 = 6.85 + Liverpool 12.50 + 2.00; number transfer 15.00
    expect([inv.GREEN07.recurring, inv.GREEN07.oneoff]).toEqual(['21.35', '15.00']);
    // HILL08: freephone 8.00 + line 12.50 + voicemail to the 20th 20/31 × 3.00 = 1.94
    expect(inv.HILL08.recurring).toBe('22.44');
    // IVY09: no tariff, so no calls billed; line rental 12.50, VAT 2.50, total 15.00
    expect([inv.IVY09.usage, inv.IVY09.net, inv.IVY09.tax, inv.IVY09.total]).toEqual(['0.00', '12.50', '2.50', '15.00']);
    // FOXG06 left in September: no invoice.
    expect(Object.keys(inv)).toEqual(['ACME01', 'BRIGHT02', 'CARTER03', 'DELTA04', 'EVANS05', 'GREEN07', 'HILL08', 'IVY09']);
    expect(Object.values(inv).map((i) => i.invoice)).toEqual(['NWV-000001', 'NWV-000002', 'NWV-000003', 'NWV-000004', 'NWV-000005', 'NWV-000006', 'NWV-000007', 'NWV-000008']);
  });
  it('bills usage as the rounded sums of the rated calls, and every invoice adds up', async () => {
    const rated = await table(join(dir, 'rating', 'rated.csv'));
    const lines = await table(join(dir, 'invoice_lines.csv'));
    const invoices = await table(join(dir, 'invoices.csv'));
    // Usage lines: per account, site, number and class, the sum of October's charges of billable numbers, rounded once.
    const nonBillable = new Set(['441174960031']);
    const sums = new Map<string, number>();
    for (const r of rated) {
      if (!r.start.startsWith('2026-10') || nonBillable.has(r.number)) continue;
      const k = `${r.account}|${r.site}|${r.number}|${r.class} calls`;
      sums.set(k, (sums.get(k) ?? 0) + Math.round(Number(r.charge) * 10_000));
    }
    const usage = lines.filter((l) => l.kind === 'usage');
    expect(usage.length).toBe(sums.size);
    for (const l of usage) {
      const micro = sums.get(`${l.account}|${l.site}|${l.number}|${l.description}`)!;
      expect(cents(l.amount)).toBe(Math.floor((micro + 50) / 100));
    }
    for (const i of invoices) {
      const mine = lines.filter((l) => l.invoice === i.invoice);
      const sum = (k: string) => mine.filter((l) => l.kind === k).reduce((a, l) => a + cents(l.amount), 0);
      expect(sum('usage')).toBe(cents(i.usage));
      expect(sum('discount') + cents(i.discounts)).toBe(0);
      expect(cents(i.usage) + cents(i.recurring) + cents(i.oneoff) + cents(i.adjustments) - cents(i.discounts)).toBe(cents(i.net));
      // VAT 20%, rounded half up on the rounded net
      expect(cents(i.tax)).toBe(Math.floor((cents(i.net) * 20 + 50) / 100));
      expect(cents(i.net) + cents(i.tax)).toBe(cents(i.total));
    }
  });
  it('writes a printable HTML and a workbook per invoice, and the reports', async () => {
    expect((await readdir(join(dir, 'invoices'))).filter((f) => f.startsWith('NWV-000001'))).toEqual(['NWV-000001.html', 'NWV-000001.xlsx']);
    const html = await readFile(join(dir, 'invoices', 'NWV-000001.html'), 'utf8');
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('Northwind Voice Ltd');
    expect(html).toContain('GB 123 4567 89');
    expect(html).toContain('Invoice date (tax point)');
    expect(html).toContain('VAT at 20%');
    expect(html).toMatch(/Workbook [0-9a-f]{64}/);
    expect(html).toMatch(/sample-calls\.csv sha256 [0-9a-f]{64}/);
    expect(html).toContain('Invoice (DRAFT)');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'invoices', 'NWV-000001.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Invoice', 'Calls']);
    expect(wb.getWorksheet('Calls')!.rowCount).toBeGreaterThan(100);
    const sheet = wb.getWorksheet('Invoice')!;
    expect(String(sheet.getCell('A1').value)).toMatch(/^INVOICE NWV-000001 — DRAFT$/);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    const total = sheet.getRows(1, sheet.rowCount)!.find((r) => r.getCell(1).value === 'Total')!;
    expect(total.getCell(1).font?.bold).toBe(true);
    expect(typeof total.getCell(5).value).toBe('number');
    expect(total.getCell(5).numFmt).toBe('#,##0.00');
    const calls = wb.getWorksheet('Calls')!;
    expect(calls.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(calls.autoFilter).toBe('A1:N1');
    expect(calls.getRow(1).values).toEqual([undefined, 'start', 'number', 'extension', 'site', 'called', 'destination', 'class', 'band', 'duration', 'billed_seconds', 'charge', 'discount', 'net', 'late']);
    expect(String(calls.getCell('A2').value)).toMatch(/^2026-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(typeof calls.getCell('K2').value).toBe('number');
    const files = await readdir(dir);
    for (const f of ['housekeeping.csv', 'margin_by_customer.csv', 'margin_by_destination.csv', 'margin_by_class.csv', 'loss_making_calls.csv', 'reports.xlsx']) expect(files).toContain(f);
    const hk = await table(join(dir, 'housekeeping.csv'));
    expect(hk.filter((r) => r.check === 'Customer without a tariff').map((r) => r.subject)).toEqual(['IVY09']);
    expect(hk.filter((r) => r.check === 'Number in CDRs that no customer owns').map((r) => r.subject).sort()).toEqual(['0113 496 5555', '020 7946 1234']);
    expect(hk.some((r) => r.check === 'Dropped number whose features still run' && r.subject === '441314960021')).toBe(true);
  });
});

describe('billing history', () => {
  it('needs --data to finalise, refuses a period twice, runs numbers on and bills late calls next time', async () => {
    const data = await temp();
    const out = await temp();
    expect((await run(['bill', '--workbook', W, '--cdrs', C, '--period', '2026-10', '--out', out, '--final'])).code).toBe(2);
    const draftOut = await temp();
    expect((await run(['bill', '--workbook', W, '--cdrs', C, '--period', '2026-10', '--out', draftOut])).code).toBe(0);
    const oct = await run(['bill', '--workbook', W, '--cdrs', C, '--period', '2026-10', '--out', out, '--data', data, '--final']);
    expect(oct.code).toBe(0);
    expect(oct.out).toContain('(final)');
    // With history, the late September call joins October's invoice: one more National call for BRIGHT02's reception line.
    const quantity = async (d: string) => (await table(join(d, 'invoice_lines.csv'))).find((l) => l.number === '441214960010' && l.description === 'National calls')!.quantity;
    expect(Number(await quantity(out))).toBe(Number(await quantity(draftOut)) + 1);
    const again = await run(['bill', '--workbook', W, '--cdrs', C, '--period', '2026-10', '--out', out, '--data', data, '--final']);
    expect([again.code, again.err.trim()]).toEqual([1, '2026-10 is already final; a final invoice never changes']);
    const sep = await run(['bill', '--workbook', W, '--cdrs', C, '--period', '2026-09', '--out', out, '--data', data, '--final']);
    expect(sep.err).toContain('before the last final period 2026-10');
    const nov = await run(['bill', '--workbook', W, '--cdrs', C, '--period', '2026-11', '--out', out, '--data', data]);
    expect(nov.code).toBe(0);
    const inv = await table(join(out, 'invoices.csv'));
    // October took NWV-000001..8; November's draft numbers run on from 9 without gaps.
    expect(inv[0].invoice).toBe('NWV-000009');
    // October's calls are on a final invoice: never billed again.
    const lines = await table(join(out, 'invoice_lines.csv'));
    expect(lines.filter((l) => l.kind === 'usage')).toEqual([]);
    expect((await readdir(join(data, 'history'))).sort()).toEqual(['2026-10', 'ledger.json']);
  });
});
