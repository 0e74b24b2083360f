import { describe, expect, it } from 'vitest';
import { invoiceLinesTable } from '../../rules/billing/invoice-rows.js';
import { lineDescription, renderInvoiceHtml } from '../../workbooks/invoice-html.js';
import { CALL_CLASSES, type CallClass } from '../../rules/workbook/rows.js';
import { settings } from '../rules/billing/bill-fixture.js';
import { provenance, sampleInvoice } from './invoice-fixture.js';

describe('lineDescription', () => {
  it('puts every call class of a usage line in words', () => {
    const words = (cls: CallClass): string => lineDescription({ kind: 'usage', description: `${cls} calls`, callClass: cls });
    expect(
      CALL_CLASSES.map(words),
    ).toEqual([
      'National calls', 'Mobile calls', 'Non-geographic calls', 'Service numbers calls', 'International calls', 'Extended international calls',
      'Surcharges', 'Inbound calls', 'Bespoke1 calls', 'Bespoke2 calls', 'Bespoke3 calls',
    ]);
  });
  it('leaves other lines as written, even one that reads like a class, and a usage line without its class', () => {
    expect(lineDescription({ kind: 'recurring', description: 'NonGeographic calls' })).toBe('NonGeographic calls');
    expect(lineDescription({ kind: 'usage', description: 'NonGeographic calls' })).toBe('NonGeographic calls');
    expect(lineDescription({ kind: 'oneoff', description: 'Installation' })).toBe('Installation');
    expect(lineDescription({ kind: 'usage', description: 'Other calls' })).toBe('Other calls');
  });
});

describe('renderInvoiceHtml', () => {
  it('shows call classes in words and numbers in national format', () => {
    const html = renderInvoiceHtml(sampleInvoice(), settings(), provenance);
    expect(html).toContain('<th colspan="4">Leeds · 0113 496 0000</th>');
    expect(html).toContain('<td>Non-geographic calls</td>');
    expect(html).toContain('<td>Service numbers calls</td>');
    expect(html).toContain('<td>Extended international calls</td>');
    expect(html).toContain('<td>Surcharges</td>');
    expect(html).toContain('<td>Bespoke1 calls</td>');
    expect(html).toContain('<td>Line rental, 2026-10-01 to 2026-10-31</td>');
    expect(html).not.toContain('NonGeographic');
    expect(html).not.toContain('441134960000');
  });
  it('keeps the numbers as they are for a country with no national format', () => {
    const html = renderInvoiceHtml(sampleInvoice('33'), settings({ countryCode: '33' }), provenance);
    expect(html).toContain('<th colspan="4">Leeds · 441134960000</th>');
    expect(html).toContain('<td>Non-geographic calls</td>');
  });
  it('leaves invoice_lines.csv in its normalised form', () => {
    const rows = invoiceLinesTable([sampleInvoice()]).rows;
    expect(rows.map((r) => [r[3], r[5]])).toContainEqual(['441134960000', 'NonGeographic calls']);
    expect(rows.map((r) => r[5])).toContain('Surcharges calls');
  });
});
