import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billRoutes } from '../../../server/http/routes/bills.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { publishSample, rateRun, SAMPLE_CALLS } from '../bills/bill-setup.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await apiFixture({ routers: [billRoutes] });
}, 60_000);
afterAll(() => f.close());

type Bill = { period: string; status: string; invoices: { invoice: string; account: string; net: string; tax: string; total: string }[]; net: string; tax: string; total: string; currency: string; files: string[] };
const post = (body: unknown, role: 'clerk' | 'manager' | 'commercial' | 'admin' | null = 'clerk') => f.call('POST', '/api/bills', { role, body });
const issuesOf = async (r: Response): Promise<string[]> => ((await r.json()) as { issues?: { at: string }[] }).issues?.map((i) => i.at) ?? [];

describe('bills over HTTP', () => {
  it('refuses a bill while no version is published (409)', async () => {
    const r = await post({ period: '2026-10' });
    expect(r.status).toBe(409);
    expect((await r.json()).error).toMatch(/no workbook version is published/);
  });

  it('refuses the roles that may not, and a caller without a token', async () => {
    expect((await post({ period: '2026-10' }, 'commercial')).status).toBe(403);
    const clerkFinal = await post({ period: '2026-10', final: true }, 'clerk');
    expect(clerkFinal.status).toBe(403);
    expect((await clerkFinal.json()).error).toMatch(/finalise/);
    expect((await post({ period: '2026-10' }, null)).status).toBe(401);
    expect((await f.call('GET', '/api/bills', { role: null })).status).toBe(401);
    expect((await f.call('GET', '/api/bills/2026-10/files/invoices.csv', { role: null })).status).toBe(401);
  });

  it('refuses bad input with 400 naming where', async () => {
    for (const period of ['2026-13', '2026-00', '../x', '2026-1', '', '2026-10/../..']) {
      const r = await post({ period });
      expect(r.status, period).toBe(400);
      expect(await issuesOf(r)).toEqual(['body.period']);
    }
    const wrong = await post({ period: 202610 });
    expect(wrong.status).toBe(400);
    expect(await issuesOf(wrong)).toEqual(['body.period']);
    const finalText = await post({ period: '2026-10', final: 'yes' });
    expect(finalText.status).toBe(400);
    expect(await issuesOf(finalText)).toEqual(['body.final']);
    expect((await post({ period: '2026-10', finale: true })).status).toBe(400);
    expect((await post(['2026-10'])).status).toBe(400);
    const malformed = await f.call('POST', '/api/bills', { role: 'clerk', body: '{"period":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toMatch(/not valid JSON/);
    expect((await f.call('POST', '/api/bills', { role: 'clerk', body: 'period=2026-10', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(400);
    expect((await f.call('GET', '/api/bills/2026-13')).status).toBe(400);
    expect((await f.call('GET', '/api/bills/..%2F..%2Fhistory')).status).toBe(400);
  });

  it('drafts a period (clerk): the invoices with money as decimal strings; the bill and its files can be read by everyone', async () => {
    await publishSample(f.ctx.store);
    await rateRun(f.ctx.dataDir, 1, [SAMPLE_CALLS]);
    expect((await f.call('GET', '/api/bills/2026-10')).status).toBe(404);
    const r = await post({ period: '2026-10' });
    expect(r.status).toBe(200);
    const bill = (await r.json()) as Bill;
    expect(bill.status).toBe('draft');
    expect(bill.currency).toBe('GBP');
    expect(bill.invoices).toHaveLength(8);
    // IVY09 has a line rental only: 12.50 + VAT 2.50 (the command line's test works it out by hand).
    expect(bill.invoices.find((i) => i.account === 'IVY09')).toEqual({ invoice: 'NWV-000008', account: 'IVY09', net: '12.50', tax: '2.50', total: '15.00' });
    for (const v of [bill.net, bill.tax, bill.total, ...bill.invoices.flatMap((i) => [i.net, i.tax, i.total])]) expect(v).toMatch(/^-?\d+\.\d{2}$/);
    const cents = (s: string): number => Math.round(Number(s) * 100);
    expect(bill.invoices.reduce((a, i) => a + cents(i.total), 0)).toBe(cents(bill.total));
    expect(cents(bill.net) + cents(bill.tax)).toBe(cents(bill.total));
    expect(bill.files).toEqual(expect.arrayContaining(['invoices.csv', 'invoice_lines.csv', 'reports.xlsx', 'invoices/NWV-000001.html', 'invoices/NWV-000001.xlsx']));

    const got = (await (await f.call('GET', '/api/bills/2026-10', { role: 'commercial' })).json()) as Bill;
    expect(got).toEqual(bill);
    const list = (await (await f.call('GET', '/api/bills', { role: 'commercial' })).json()) as { bills: Bill[] };
    expect(list.bills.map((b) => [b.period, b.status])).toEqual([['2026-10', 'draft']]);

    const csv = await f.call('GET', '/api/bills/2026-10/files/invoices.csv', { role: 'commercial' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\n')[0]).toBe('invoice,account,period_start,period_end,usage,recurring,oneoff,adjustments,discounts,net,tax,total,currency');
    const html = await f.call('GET', '/api/bills/2026-10/files/invoices/NWV-000001.html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toMatch(/NWV-000001/);
    const xlsx = await f.call('GET', '/api/bills/2026-10/files/invoices/NWV-000001.xlsx');
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    for (const report of bill.files.filter((n) => !n.startsWith('invoices') && n.endsWith('.csv'))) {
      expect((await f.call('GET', `/api/bills/2026-10/files/${report}`)).status, report).toBe(200);
    }

    const audit = (await (await f.call('GET', '/api/audit?limit=1')).json()) as { entries: { action: string; who: string; target: string; version: number }[] };
    expect(audit.entries[0]).toMatchObject({ action: 'bill', who: 'clerk-user', target: 'bill 2026-10', version: 1 });
  }, 60_000);

  it('serves only the names in the bill\'s list: anything else is 404', async () => {
    for (const name of ['bill.json', 'additions.json', '..%2Fdraft%2Fbill.json', '..%2F..%2F..%2Faudit.log', 'invoices/NWV-999999.html', 'invoices', 'invoices/', 'summary.json', 'INVOICES.CSV', '/etc/passwd']) {
      const r = await f.call('GET', `/api/bills/2026-10/files/${name}`);
      expect(r.status, name).toBe(404);
      expect((await r.json()).error, name).toMatch(/has no file/);
    }
    // Dot segments the URL parser resolves before routing never reach a bill's folder either.
    for (const name of ['../draft/bill.json', '%2e%2e/%2e%2e/audit.log', '../../../history/ledger.json']) {
      expect([400, 404], name).toContain((await f.call('GET', `/api/bills/2026-10/files/${name}`)).status);
    }
    expect((await f.call('GET', '/api/bills/2026-09/files/invoices.csv')).status).toBe(404);
    expect((await f.call('GET', '/api/bills/2026-09')).status).toBe(404);
  });

  it('a draft replaces the last draft', async () => {
    const again = (await (await post({ period: '2026-10' })).json()) as Bill & { createdAt: string };
    const list = (await (await f.call('GET', '/api/bills')).json()) as { bills: (Bill & { createdAt: string })[] };
    expect(list.bills).toHaveLength(1);
    expect(list.bills[0].createdAt).toBe(again.createdAt);
  });

  it('a manager finalises; then the period and the ones before it are closed (409)', async () => {
    const r = await post({ period: '2026-10', final: true }, 'manager');
    expect(r.status).toBe(200);
    const bill = (await r.json()) as Bill;
    expect(bill.status).toBe('final');
    expect(((await (await f.call('GET', '/api/bills/2026-10')).json()) as Bill).status).toBe('final');
    const twice = await post({ period: '2026-10', final: true }, 'manager');
    expect(twice.status).toBe(409);
    expect((await twice.json()).error).toMatch(/already final/);
    const earlier = await post({ period: '2026-09', final: true }, 'admin');
    expect(earlier.status).toBe(409);
    expect((await earlier.json()).error).toMatch(/before the last final period 2026-10/);
    // A draft of a closed period is refused too: its invoices could never be issued.
    expect((await post({ period: '2026-10' })).status).toBe(409);
    const audit = (await (await f.call('GET', '/api/audit?limit=1')).json()) as { entries: { action: string; who: string; version: number }[] };
    expect(audit.entries[0]).toMatchObject({ action: 'finalise', who: 'manager-user', version: 1 });
  }, 60_000);

  it('lists bills newest first; a final refuses while a run is still rating', async () => {
    expect((await post({ period: '2026-11' })).status).toBe(200);
    await rateRun(f.ctx.dataDir, 2, [SAMPLE_CALLS], 'rating');
    const busy = await post({ period: '2026-11', final: true }, 'manager');
    expect(busy.status).toBe(409);
    expect((await busy.json()).error).toMatch(/run 2 is still rating/);
    const list = (await (await f.call('GET', '/api/bills')).json()) as { bills: Bill[] };
    expect(list.bills.map((b) => [b.period, b.status])).toEqual([
      ['2026-11', 'draft'],
      ['2026-10', 'final'],
    ]);
  }, 60_000);

  it('documents the routes in openapi.json', async () => {
    const doc = (await (await f.call('GET', '/api/openapi.json', { role: null })).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/bills', '/api/bills/{period}', '/api/bills/{period}/files/{name}']));
  });
});
