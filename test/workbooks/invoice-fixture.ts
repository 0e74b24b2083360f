// One invoice for the invoice document tests: calls of several classes on a Leeds number and a rental on it.

import { runBilling } from '../../rules/billing/bill.js';
import type { Invoice } from '../../rules/billing/invoice.js';
import { call, customer, feature, numberRow, settings, workbook } from '../rules/billing/bill-fixture.js';

export const provenance = { workbookHash: 'abc', files: [{ name: 'calls.csv', sha256: 'def' }] };

/** One invoice with a call of several classes on a Leeds number and a rental on it. */
export function sampleInvoice(countryCode = '44'): Invoice {
  const leeds = '441134960000';
  const rows = workbook({
    settings: settings({ countryCode }),
    customers: [customer('ACME')],
    numbers: [numberRow('ACME', leeds, { site: 'Leeds' })],
    features: [feature('ACME', leeds, 'Line rental', 12.5)],
  });
  const calls = [
    call('ACME', leeds, '2026-10-05 10:00:00', 60, 0.1, { site: 'Leeds', called: '448451234567', callClass: 'NonGeographic' }),
    call('ACME', leeds, '2026-10-05 11:00:00', 60, 0.2, { site: 'Leeds', called: '442079460000', callClass: 'National' }),
    call('ACME', leeds, '2026-10-05 12:00:00', 60, 0.3, { site: 'Leeds', called: '447700900123', callClass: 'Mobile' }),
    call('ACME', leeds, '2026-10-05 13:00:00', 60, 0.4, { site: 'Leeds', called: '33142685300', callClass: 'International' }),
    call('ACME', leeds, '2026-10-05 14:00:00', 60, 0.5, { site: 'Leeds', called: '118118', callClass: 'ServiceNumbers' }),
    call('ACME', leeds, '2026-10-05 15:00:00', 60, 0.6, { site: 'Leeds', called: '449098790000', callClass: 'Surcharges' }),
    call('ACME', leeds, '2026-10-05 16:00:00', 60, 0.7, { site: 'Leeds', called: '8821612345678', callClass: 'ExtendedInternational' }),
    call('ACME', leeds, '2026-10-05 17:00:00', 60, 0.8, { site: 'Leeds', called: '445612345678', callClass: 'Bespoke1' }),
  ];
  const r = runBilling({ rows, calls, period: '2026-10', history: null, final: false });
  if (!r.ok) throw new Error(r.error.map((e) => e.message).join('; '));
  return r.value.invoices[0];
}
