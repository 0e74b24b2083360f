// A printable invoice: one self-contained HTML page with an A4 print stylesheet, carrying what a
// UK VAT invoice needs (supplier and customer details, tax point, VAT rate and amount) and the
// workbook and CDR file hashes that let anyone replay it.

import { formatDay } from '../rules/day.js';
import type { Invoice, InvoiceLine } from '../rules/billing/invoice.js';
import { formatMicro } from '../rules/money.js';
import { formatNational } from '../rules/phone-format.js';
import { CALL_CLASSES, type CallClass, type Settings } from '../rules/workbook/rows.js';

export interface InvoiceProvenance {
  workbookHash: string;
  files: { name: string; sha256: string }[];
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]);

const money = (v: number): string => formatMicro(v, 2);
const longDate = (d: number): string => {
  const dt = new Date(d * 86_400_000);
  return dt.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
};
const PAYMENT: Record<string, string> = { DirectDebit: 'Direct Debit', Card: 'Card', Manual: 'Bank transfer' };

/** A call class in words, as the invoice documents show it (CSV files keep the class itself). */
export const CLASS_WORDS: Readonly<Record<CallClass, string>> = {
  National: 'National',
  Mobile: 'Mobile',
  NonGeographic: 'Non-geographic',
  ServiceNumbers: 'Service numbers',
  International: 'International',
  ExtendedInternational: 'Extended international',
  Surcharges: 'Surcharges',
  Inbound: 'Inbound',
  Bespoke1: 'Bespoke1',
  Bespoke2: 'Bespoke2',
  Bespoke3: 'Bespoke3',
};
const isCallClass = (s: string): s is CallClass => (CALL_CLASSES as readonly string[]).includes(s);

/**
 * A line's description on the invoice documents: a usage line of class NonGeographic reads
 * `Non-geographic calls`, a surcharge line `Surcharges`; any other line as written.
 */
export function lineDescription(l: Pick<InvoiceLine, 'kind' | 'description' | 'callClass'>): string {
  const cls = l.callClass;
  if (l.kind !== 'usage' || cls === undefined) return l.description;
  return cls === 'Surcharges' ? CLASS_WORDS[cls] : `${CLASS_WORDS[cls]} calls`;
}

/** A call class in words where a class stands alone (the Calls tab). */
export const classWords = (cls: string): string => (isCallClass(cls) ? CLASS_WORDS[cls] : cls);

function lineRows(lines: readonly InvoiceLine[], currency: string, countryCode: string): string {
  const out: string[] = [];
  let group = '';
  for (const l of lines) {
    const g = l.kind === 'discount' ? 'Discounts' : [l.site || 'Account', formatNational(l.number, { countryCode })].filter(Boolean).join(' · ');
    if (g !== group) {
      group = g;
      out.push(`<tr class="group"><th colspan="4">${escapeHtml(g)}</th></tr>`);
    }
    out.push(
      `<tr><td>${escapeHtml(lineDescription(l))}</td><td class="num">${l.quantity}</td>` +
        `<td class="num">${l.unitPrice === null ? '' : formatMicro(l.unitPrice, 4)}</td>` +
        `<td class="num">${money(l.amount)} ${escapeHtml(currency)}</td></tr>`,
    );
  }
  return out.join('\n');
}

export function renderInvoiceHtml(inv: Invoice, settings: Settings, provenance: InvoiceProvenance): string {
  const c = inv.customer;
  const title = inv.creditNote ? 'Credit note' : 'Invoice';
  const customerLines = [c.company || c.name, c.company ? c.name : '', c.address].filter(Boolean).map(escapeHtml).join('<br>');
  const summary: [string, number][] = [
    ['Calls', inv.usage],
    ['Recurring charges', inv.recurring],
    ['One-off charges', inv.oneoff],
    ['Adjustments', inv.adjustments],
    ['Discounts', -inv.discounts],
  ];
  const vatRate = formatMicro(inv.taxRate, 6).replace(/\.?0+$/, '');
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>${title} ${escapeHtml(inv.invoice)} — ${escapeHtml(c.name)}</title>
<style>
  @page { size: A4; margin: 18mm 16mm; }
  * { box-sizing: border-box; }
  body { font: 10.5pt/1.45 "Helvetica Neue", Arial, sans-serif; color: #1d2330; margin: 0 auto; max-width: 190mm; padding: 12mm 0; }
  header { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 3px solid #1f4e79; padding-bottom: 6mm; }
  h1 { font-size: 22pt; margin: 0; color: #1f4e79; letter-spacing: .5px; }
  .supplier { text-align: right; font-size: 9.5pt; }
  .supplier strong { font-size: 12pt; }
  .parties { display: flex; justify-content: space-between; margin: 7mm 0; gap: 10mm; }
  .box { flex: 1; }
  .label { color: #667085; font-size: 8.5pt; text-transform: uppercase; letter-spacing: .6px; margin-bottom: 1mm; }
  dl.meta { display: grid; grid-template-columns: auto auto; gap: 1mm 5mm; margin: 0; }
  dl.meta dt { color: #667085; } dl.meta dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
  table { width: 100%; border-collapse: collapse; margin-top: 4mm; }
  th, td { padding: 1.6mm 2mm; text-align: left; vertical-align: top; }
  thead th { border-bottom: 1.5px solid #1d2330; font-size: 9pt; }
  tr.group th { background: #eef3f8; font-weight: 600; font-size: 9.5pt; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  tbody tr:not(.group) td { border-bottom: 0.5px solid #e4e7ec; }
  .totals { width: 75mm; margin-left: auto; margin-top: 6mm; }
  .totals td { padding: 1.2mm 2mm; }
  .totals tr.grand td { border-top: 2px solid #1d2330; font-weight: 700; font-size: 12pt; }
  .draft { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 90pt; color: rgba(200, 30, 30, .13); transform: rotate(-25deg); pointer-events: none; }
  .note { margin-top: 8mm; padding: 3mm 4mm; background: #f7f9fb; border-left: 3px solid #1f4e79; }
  footer { margin-top: 10mm; padding-top: 3mm; border-top: 0.5px solid #d0d5dd; font-size: 7.5pt; color: #667085; word-break: break-all; }
  @media print { body { padding: 0; } tr { page-break-inside: avoid; } thead { display: table-header-group; } }
</style>
</head>
<body>
${inv.draft ? '<div class="draft">DRAFT</div>' : ''}
<header>
  <div>
    <h1>${title}${inv.draft ? ' (DRAFT)' : ''}</h1>
    <div>${escapeHtml(inv.invoice)}</div>
  </div>
  <div class="supplier"><strong>${escapeHtml(settings.supplierName)}</strong><br>${escapeHtml(settings.supplierAddress)}
    ${settings.supplierVatNumber ? `<br>VAT ${escapeHtml(settings.supplierVatNumber)}` : ''}
    ${settings.supplierCompanyNumber ? `<br>Company no. ${escapeHtml(settings.supplierCompanyNumber)}` : ''}</div>
</header>
<section class="parties">
  <div class="box"><div class="label">Bill to</div>${customerLines}${c.vatNumber ? `<br>VAT ${escapeHtml(c.vatNumber)}` : ''}<br>Account ${escapeHtml(c.account)}</div>
  <div class="box"><dl class="meta">
    <dt>Invoice date (tax point)</dt><dd>${longDate(inv.invoiceDate)}</dd>
    <dt>Period</dt><dd>${formatDay(inv.periodStart)} to ${formatDay(inv.periodEnd)}</dd>
    <dt>Due date</dt><dd>${longDate(inv.dueDate)}</dd>
    <dt>Payment terms</dt><dd>${c.paymentTermsDays ?? 30} days</dd>
    <dt>Payment method</dt><dd>${escapeHtml(PAYMENT[c.paymentMethod ?? 'Manual'] ?? '')}</dd>
    <dt>Amount due</dt><dd><strong>${money(inv.total)} ${escapeHtml(inv.currency)}</strong></dd>
  </dl></div>
</section>
<table>
  <thead><tr><th>Description</th><th class="num">Qty</th><th class="num">Unit price</th><th class="num">Amount</th></tr></thead>
  <tbody>
${lineRows(inv.lines, inv.currency, settings.countryCode)}
  </tbody>
</table>
<table class="totals">
${summary.filter(([, v]) => v !== 0).map(([k, v]) => `  <tr><td>${k}</td><td class="num">${money(v)}</td></tr>`).join('\n')}
  <tr><td>Net</td><td class="num">${money(inv.net)}</td></tr>
  <tr><td>VAT at ${vatRate}%</td><td class="num">${money(inv.tax)}</td></tr>
  <tr class="grand"><td>Total ${escapeHtml(inv.currency)}</td><td class="num">${money(inv.total)}</td></tr>
</table>
${c.invoiceNote ? `<div class="note">${escapeHtml(c.invoiceNote)}</div>` : ''}
<footer>
  Recurring charges cover the period billed. ${inv.calls.length} call${inv.calls.length === 1 ? '' : 's'} itemised in ${escapeHtml(inv.invoice)}.xlsx.<br>
  Workbook ${escapeHtml(provenance.workbookHash)}${provenance.files.map((f) => `<br>${escapeHtml(f.name)} sha256 ${escapeHtml(f.sha256)}`).join('')}
</footer>
</body>
</html>
`;
}
