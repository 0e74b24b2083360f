// One invoice as a workbook: the invoice itself (parties, dates, summary, lines grouped by site
// then number) and a Calls tab itemising every call with its discount. Text cells stay text, so
// nothing a customer typed can run as a formula.

import ExcelJS from 'exceljs';
import { formatDay } from '../rules/day.js';
import type { Invoice } from '../rules/invoice.js';
import { formatMicro } from '../rules/money.js';
import type { Settings } from '../rules/rows.js';
import { formatLocalIso } from '../rules/zone.js';
import type { InvoiceProvenance } from './invoice-html.js';

const num2 = (v: number): number => Number(formatMicro(v, 2));

export async function writeInvoiceXlsx(path: string, inv: Invoice, settings: Settings, provenance: InvoiceProvenance): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  wb.creator = settings.supplierName || 'Ratebook';
  const c = inv.customer;
  const ws = wb.addWorksheet(inv.creditNote ? 'Credit note' : 'Invoice', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = [{ width: 46 }, { width: 16 }, { width: 10 }, { width: 12 }, { width: 14 }];
  const text = (values: (string | number | null)[], bold = false): void => {
    const r = ws.addRow(values);
    if (bold) r.font = { bold: true };
    r.commit();
  };
  text([`${inv.creditNote ? 'CREDIT NOTE' : 'INVOICE'} ${inv.invoice}${inv.draft ? ' — DRAFT' : ''}`], true);
  text([settings.supplierName]);
  text([settings.supplierAddress]);
  text([`VAT ${settings.supplierVatNumber}`, `Company no. ${settings.supplierCompanyNumber}`]);
  text([]);
  text(['Bill to', c.company || c.name], true);
  text(['Account', c.account]);
  text(['Address', c.address]);
  if (c.vatNumber) text(['Customer VAT number', c.vatNumber]);
  text(['Invoice date (tax point)', formatDay(inv.invoiceDate)]);
  text(['Period', `${formatDay(inv.periodStart)} to ${formatDay(inv.periodEnd)}`]);
  text(['Due date', formatDay(inv.dueDate)]);
  text(['Payment terms', `${c.paymentTermsDays ?? 30} days`]);
  text(['Payment method', c.paymentMethod ?? 'Manual']);
  text([]);
  text(['Summary', '', '', '', inv.currency], true);
  const money = (label: string, v: number, bold = false): void => {
    const r = ws.addRow([label, null, null, null, num2(v)]);
    r.getCell(5).numFmt = '#,##0.00';
    if (bold) r.font = { bold: true };
    r.commit();
  };
  money('Calls', inv.usage);
  money('Recurring charges', inv.recurring);
  money('One-off charges', inv.oneoff);
  money('Adjustments', inv.adjustments);
  money('Discounts', -inv.discounts);
  money('Net', inv.net, true);
  money(`VAT at ${formatMicro(inv.taxRate, 6).replace(/\.?0+$/, '')}%`, inv.tax);
  money('Total', inv.total, true);
  text([]);
  text(['Description', 'Number', 'Quantity', 'Unit price', 'Amount'], true);
  let group = '';
  for (const l of inv.lines) {
    const g = l.kind === 'discount' ? 'Discounts' : l.site || 'Account';
    if (g !== group) {
      group = g;
      text([g], true);
    }
    const r = ws.addRow([l.description, l.number, l.quantity, l.unitPrice === null ? null : Number(formatMicro(l.unitPrice, 6)), num2(l.amount)]);
    r.getCell(4).numFmt = '0.00##';
    r.getCell(5).numFmt = '#,##0.00';
    r.commit();
  }
  text([]);
  if (c.invoiceNote) text([c.invoiceNote]);
  text(['Recurring charges cover the period billed.']);
  text([`Workbook ${provenance.workbookHash}`]);
  for (const f of provenance.files) text([`${f.name} sha256 ${f.sha256}`]);
  ws.commit();

  const calls = wb.addWorksheet('Calls', { views: [{ state: 'frozen', ySplit: 1 }] });
  calls.columns = [
    { header: 'start', width: 26 }, { header: 'number', width: 15 }, { header: 'extension', width: 9 }, { header: 'site', width: 14 },
    { header: 'called', width: 16 }, { header: 'destination', width: 22 }, { header: 'class', width: 14 }, { header: 'band', width: 9 },
    { header: 'duration', width: 9 }, { header: 'billed_seconds', width: 9 }, { header: 'charge', width: 10 }, { header: 'discount', width: 10 },
    { header: 'net', width: 10 }, { header: 'late', width: 6 },
  ];
  calls.getRow(1).font = { bold: true };
  calls.autoFilter = { from: 'A1', to: 'N1' };
  for (const { call, discount, late } of inv.calls) {
    const r = calls.addRow([
      formatLocalIso(settings.timezone, call.startMs), call.number, call.extension, call.site, call.called, call.destination,
      call.callClass, call.band, call.duration, call.billedSeconds, Number(formatMicro(call.charge, call.chargeDecimals)),
      Number(formatMicro(discount, call.chargeDecimals)), Number(formatMicro(call.charge - discount, call.chargeDecimals)), late ? 'yes' : '',
    ]);
    r.commit();
  }
  calls.commit();
  await wb.commit();
}
