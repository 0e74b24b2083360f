import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runBilling, type BillingRequest } from '../../../rules/billing/bill.js';
import { applyAdditions, emptyHistory, type BillingHistory, type BillingRun, type Invoice } from '../../../rules/billing/invoice.js';
import { formatMicro } from '../../../rules/money.js';
import { call, customer, day, discount, feature, numberRow, workbook, µ } from './bill-fixture.js';

const bill = (req: Partial<BillingRequest> & Pick<BillingRequest, 'rows' | 'period'>): BillingRun => {
  const r = runBilling({ calls: [], history: null, final: false, ...req });
  if (!r.ok) throw new Error(r.error.map((e) => e.message).join('; '));
  return r.value;
};
const money = (v: number): string => formatMicro(v, 2);
const only = (run: BillingRun, account: string): Invoice => {
  const inv = run.invoices.find((i) => i.account === account);
  if (!inv) throw new Error(`no invoice for ${account}`);
  return inv;
};
const amounts = (inv: Invoice, kind: string): string[] => inv.lines.filter((l) => l.kind === kind).map((l) => money(l.amount));

describe('recurring charges', () => {
  const rental = (start: string, over = {}) =>
    workbook({
      customers: [customer('A')],
      numbers: [numberRow('A', '441130000001')],
      features: [feature('A', '441130000001', 'Line rental', 12.5, { startDate: day(start), ...over })],
    });
  it('prorates by the day over months of 31, 30, 28 and 29 days', () => {
    // 17 of 31 days: 12.50 × 17 / 31 = 6.8548… -> 6.85
    expect(amounts(only(bill({ rows: rental('2026-10-15'), period: '2026-10' }), 'A'), 'recurring')).toEqual(['6.85']);
    // 20 of 30: 8.3333… -> 8.33
    expect(amounts(only(bill({ rows: rental('2026-11-11'), period: '2026-11' }), 'A'), 'recurring')).toEqual(['8.33']);
    // 14 of 28: 6.25
    expect(amounts(only(bill({ rows: rental('2026-02-15'), period: '2026-02' }), 'A'), 'recurring')).toEqual(['6.25']);
    // 15 of 29 (2028 is a leap year): 6.4655… -> 6.47
    expect(amounts(only(bill({ rows: rental('2028-02-15'), period: '2028-02' }), 'A'), 'recurring')).toEqual(['6.47']);
  });
  it('charges one day when a feature starts and ends on the same day', () => {
    // 12.50 / 31 = 0.4032… -> 0.40
    const rows = rental('2026-10-10', { endDate: day('2026-10-10') });
    expect(amounts(only(bill({ rows, period: '2026-10' }), 'A'), 'recurring')).toEqual(['0.40']);
  });
  it('charges the full amount when Prorate is No', () => {
    expect(amounts(only(bill({ rows: rental('2026-10-30', { prorate: false }), period: '2026-10' }), 'A'), 'recurring')).toEqual(['12.50']);
  });
  it('ends a number feature at its DroppedDate', () => {
    const rows = rental('2025-01-01');
    rows.numbers[0] = { ...rows.numbers[0], status: 'Dropped', droppedDate: day('2026-10-14') };
    // 14 of 31: 5.6451… -> 5.65
    expect(amounts(only(bill({ rows, period: '2026-10' }), 'A'), 'recurring')).toEqual(['5.65']);
  });
  it('bills Quarterly and Annually on anniversary months and one-offs in their month', () => {
    const rows = workbook({
      customers: [customer('A')],
      features: [
        feature('A', '', 'Support', 150, { interval: 'Quarterly', startDate: day('2025-04-01') }),
        feature('A', '', 'Maintenance', 240, { interval: 'Annually', startDate: day('2025-10-01') }),
        feature('A', '', 'Installation', 99, { kind: 'OneOff', startDate: day('2026-10-06'), quantity: 2 }),
      ],
    });
    const oct = only(bill({ rows, period: '2026-10' }), 'A');
    expect(amounts(oct, 'recurring')).toEqual(['150.00', '240.00']);
    expect(amounts(oct, 'oneoff')).toEqual(['198.00']);
    const nov = bill({ rows, period: '2026-11' });
    expect(nov.invoices).toHaveLength(0);
    expect(amounts(only(bill({ rows, period: '2027-01' }), 'A'), 'recurring')).toEqual(['150.00']);
  });
  it('defers the features of Suspended and NonBillable numbers', () => {
    const rows = workbook({
      customers: [customer('A')],
      numbers: [numberRow('A', '441130000001', { status: 'Suspended' }), numberRow('A', '441130000002', { status: 'NonBillable' })],
      features: [feature('A', '441130000001', 'Line rental', 12.5), feature('A', '441130000002', 'Line rental', 10)],
    });
    const run = bill({ rows, period: '2026-10' });
    expect(run.invoices).toHaveLength(0);
    expect(run.deferred.map((d) => d.reason)).toEqual(['number suspended', 'number not billable']);
  });
});

describe('usage, tax and totals', () => {
  it('bills one line per number and class, rounding the sum once, and adds tax to the rounded net', () => {
    const rows = workbook({ customers: [customer('A')], numbers: [numberRow('A', '441130000001')], features: [feature('A', '', 'Service', 10)] });
    const calls = [
      call('A', '441130000001', '2026-10-02 10:00:00', 60, 0.005),
      call('A', '441130000001', '2026-10-03 10:00:00', 60, 0.005),
      call('A', '441130000001', '2026-10-04 10:00:00', 60, 0.0049),
      call('A', '441130000001', '2026-10-04 11:00:00', 60, 0.25, { callClass: 'Mobile' }),
      call('A', '441130000001', '2026-09-30 23:59:00', 60, 5), // September: not in a bare October run
      call('A', '441130000001', '2026-11-01 00:00:00', 60, 5), // November
    ];
    const inv = only(bill({ rows, calls, period: '2026-10' }), 'A');
    // National 0.0149 -> 0.01; Mobile 0.25; Service 10.00; net 10.26; tax 2.052 -> 2.05
    expect(inv.lines.filter((l) => l.kind === 'usage').map((l) => [l.description, l.quantity, money(l.amount)])).toEqual([
      ['National calls', 3, '0.01'],
      ['Mobile calls', 1, '0.25'],
    ]);
    expect([money(inv.usage), money(inv.recurring), money(inv.net), money(inv.tax), money(inv.total)]).toEqual(['0.26', '10.00', '10.26', '2.05', '12.31']);
    expect(inv.calls).toHaveLength(4);
  });
  it('uses the customer TaxRate before the setting, and dates the invoice the day after the period', () => {
    const rows = workbook({ customers: [customer('A', { taxRate: 0, paymentTermsDays: 14 })], features: [feature('A', '', 'Service', 10)] });
    const inv = only(bill({ rows, period: '2026-10' }), 'A');
    expect(money(inv.tax)).toBe('0.00');
    expect(inv.invoiceDate).toBe(day('2026-11-01'));
    expect(inv.dueDate).toBe(day('2026-11-15'));
  });
  it('holds the calls of a NonBillable number until it becomes billable, then bills them late', () => {
    const rows = workbook({ customers: [customer('A')], numbers: [numberRow('A', '441130000001', { status: 'NonBillable' })], features: [feature('A', '', 'Service', 10)] });
    const octCall = call('A', '441130000001', '2026-10-10 10:00:00', 60, 1.5);
    let history: BillingHistory = emptyHistory();
    const oct = bill({ rows, calls: [octCall], period: '2026-10', history, final: true });
    expect(oct.waitingCalls).toBe(1);
    expect(only(oct, 'A').usage).toBe(0);
    history = applyAdditions(history, oct.additions);
    rows.numbers[0] = { ...rows.numbers[0], status: 'Active' };
    const novCall = call('A', '441130000001', '2026-11-10 10:00:00', 60, 2);
    const nov = only(bill({ rows, calls: [octCall, novCall], period: '2026-11', history, final: true }), 'A');
    expect(money(nov.usage)).toBe('3.50');
    expect(nov.calls.map((c) => c.late)).toEqual([true, false]);
  });
  it('never bills a call on a final invoice twice', () => {
    const rows = workbook({ customers: [customer('A')], numbers: [numberRow('A', '441130000001')] });
    const c = call('A', '441130000001', '2026-10-10 10:00:00', 60, 1.5);
    const oct = bill({ rows, calls: [c], period: '2026-10', history: emptyHistory(), final: true });
    const history = applyAdditions(emptyHistory(), oct.additions);
    const nov = bill({ rows, calls: [c], period: '2026-11', history });
    expect(nov.invoices).toHaveLength(0);
  });
  it('bills a number that moved mid-month to whoever had it on the day', () => {
    const rows = workbook({
      customers: [customer('CARTER'), customer('GREEN')],
      numbers: [
        numberRow('CARTER', '441610000050', { status: 'Dropped', droppedDate: day('2026-10-14') }),
        numberRow('GREEN', '441610000050', { dateSold: day('2026-10-15') }),
      ],
      features: [
        feature('CARTER', '441610000050', 'Line rental', 12.5),
        feature('GREEN', '441610000050', 'Line rental', 12.5, { startDate: day('2026-10-15') }),
      ],
    });
    const calls = [call('CARTER', '441610000050', '2026-10-14 23:00:00', 60, 1), call('GREEN', '441610000050', '2026-10-15 09:00:00', 60, 2)];
    const run = bill({ rows, calls, period: '2026-10' });
    // 14/31 × 12.50 = 5.65; 17/31 × 12.50 = 6.85
    expect([amounts(only(run, 'CARTER'), 'recurring'), amounts(only(run, 'CARTER'), 'usage')]).toEqual([['5.65'], ['1.00']]);
    expect([amounts(only(run, 'GREEN'), 'recurring'), amounts(only(run, 'GREEN'), 'usage')]).toEqual([['6.85'], ['2.00']]);
  });
  it('gives a customer who leaves a final invoice up to the day it left, then nothing', () => {
    const rows = workbook({
      customers: [customer('A', { status: 'Archived', archivedDate: day('2026-10-20') })],
      numbers: [numberRow('A', '441130000001')],
      features: [feature('A', '441130000001', 'Line rental', 12.5)],
    });
    const oct = only(bill({ rows, calls: [call('A', '441130000001', '2026-10-19 10:00:00', 60, 1)], period: '2026-10' }), 'A');
    // 20/31 × 12.50 = 8.0645 -> 8.06
    expect([amounts(oct, 'recurring'), money(oct.usage)]).toEqual([['8.06'], '1.00']);
    expect(bill({ rows, period: '2026-11' }).invoices).toHaveLength(0);
  });
});

describe('adjustments for closed periods', () => {
  const base = () =>
    workbook({
      customers: [customer('A')],
      numbers: [numberRow('A', '441130000001'), numberRow('A', '441130000002')],
      features: [feature('A', '441130000001', 'Line rental', 12.5), feature('A', '441130000002', 'Line rental', 12.5)],
    });
  it('refunds days billed after a DroppedDate that moved back', () => {
    const rows = base();
    const sep = bill({ rows, period: '2026-09', history: emptyHistory(), final: true });
    expect(amounts(only(sep, 'A'), 'recurring')).toEqual(['12.50', '12.50']);
    const history = applyAdditions(emptyHistory(), sep.additions);
    rows.numbers[0] = { ...rows.numbers[0], status: 'Dropped', droppedDate: day('2026-09-20') };
    const oct = only(bill({ rows, period: '2026-10', history }), 'A');
    // September should have carried 20/30 × 12.50 = 8.33: refund 12.50 − 8.33 = 4.17
    expect(amounts(oct, 'adjustment')).toEqual(['-4.17']);
    expect(amounts(oct, 'recurring')).toEqual(['12.50']);
    // net 12.50 − 4.17 = 8.33; tax 1.666 -> 1.67
    expect([money(oct.net), money(oct.tax), money(oct.total)]).toEqual(['8.33', '1.67', '10.00']);
  });
  it('back-fills what a suspension deferred once the number is active again, once only', () => {
    const rows = base();
    rows.numbers[1] = { ...rows.numbers[1], status: 'Suspended' };
    const sep = bill({ rows, period: '2026-09', history: emptyHistory(), final: true });
    expect(amounts(only(sep, 'A'), 'recurring')).toEqual(['12.50']);
    let history = applyAdditions(emptyHistory(), sep.additions);
    // Still suspended in October: still deferred, no adjustment.
    const octSuspended = only(bill({ rows, period: '2026-10', history }), 'A');
    expect(amounts(octSuspended, 'adjustment')).toEqual([]);
    rows.numbers[1] = { ...rows.numbers[1], status: 'Active' };
    const oct = bill({ rows, period: '2026-10', history, final: true });
    expect(amounts(only(oct, 'A'), 'adjustment')).toEqual(['12.50']);
    expect(amounts(only(oct, 'A'), 'recurring')).toEqual(['12.50', '12.50']);
    history = applyAdditions(history, oct.additions);
    const nov = only(bill({ rows, period: '2026-11', history }), 'A');
    expect(amounts(nov, 'adjustment')).toEqual([]);
  });
  it('refuses to finalise a period again or one before the last final period', () => {
    const rows = base();
    const oct = bill({ rows, period: '2026-10', history: emptyHistory(), final: true });
    const history = applyAdditions(emptyHistory(), oct.additions);
    const again = runBilling({ rows, calls: [], period: '2026-10', history, final: true });
    expect(again.ok ? '' : again.error[0].code).toBe('PERIOD_CLOSED');
    const earlier = runBilling({ rows, calls: [], period: '2026-09', history, final: true });
    expect(earlier.ok ? '' : earlier.error[0].message).toMatch(/before the last final period 2026-10/);
    const noHistory = runBilling({ rows, calls: [], period: '2026-10', history: null, final: true });
    expect(noHistory.ok ? '' : noHistory.error[0].code).toBe('FINAL_NEEDS_HISTORY');
  });
});

describe('numbering', () => {
  it('numbers in account code-unit order, drafts show the numbers they would take, and finals run on without gaps', () => {
    const rows = workbook({
      customers: [customer('a'), customer('B'), customer('A'), customer('Z', { zeroInvoice: false })],
      features: [feature('a', '', 'S', 1), feature('B', '', 'S', 1), feature('A', '', 'S', 1)],
    });
    const draft1 = bill({ rows, period: '2026-10', history: emptyHistory() });
    const draft2 = bill({ rows, period: '2026-10', history: emptyHistory() });
    expect(draft1.invoices.map((i) => [i.account, i.invoice, i.draft])).toEqual([
      ['A', 'INV-000001', true],
      ['B', 'INV-000002', true],
      ['a', 'INV-000003', true],
    ]);
    expect(draft2).toEqual(draft1);
    const oct = bill({ rows, period: '2026-10', history: emptyHistory(), final: true });
    const nov = bill({ rows, period: '2026-11', history: applyAdditions(emptyHistory(), oct.additions), final: true });
    expect(nov.invoices.map((i) => i.invoice)).toEqual(['INV-000004', 'INV-000005', 'INV-000006']);
  });
  it('sends a zero invoice only to customers who asked for one', () => {
    const rows = workbook({ customers: [customer('A'), customer('B', { zeroInvoice: true })] });
    const run = bill({ rows, period: '2026-10' });
    expect(run.invoices.map((i) => [i.account, money(i.total)])).toEqual([['B', '0.00']]);
  });
});

describe('discounts', () => {
  it('lets inclusive minutes run out in the middle of a call', () => {
    const rows = workbook({
      customers: [customer('A', { discountPlan: 'P' })],
      numbers: [numberRow('A', '441130000001')],
      discounts: [discount('P', 'InclusiveMinutes', 10)],
    });
    const calls = [call('A', '441130000001', '2026-10-02 10:00:00', 400, 1), call('A', '441130000001', '2026-10-03 10:00:00', 400, 2)];
    const inv = only(bill({ rows, calls, period: '2026-10' }), 'A');
    // 600 s: the first call whole (1.0000), then 200 of 400 s of the second: 2 × 200/400 = 1.0000
    expect(inv.calls.map((c) => formatMicro(c.discount, 4))).toEqual(['1.0000', '1.0000']);
    expect(amounts(inv, 'discount')).toEqual(['-2.00']);
    expect([money(inv.discounts), money(inv.net)]).toEqual(['2.00', '1.00']);
  });
  it('pools an account allowance across numbers, in start order', () => {
    const rows = workbook({
      customers: [customer('A', { discountPlan: 'P' })],
      numbers: [numberRow('A', '441130000001'), numberRow('A', '441130000002')],
      discounts: [discount('P', 'InclusiveMinutes', 10, { scope: 'Account' })],
    });
    const calls = [call('A', '441130000002', '2026-10-05 10:00:00', 400, 0.4), call('A', '441130000001', '2026-10-02 10:00:00', 300, 0.3)];
    const inv = only(bill({ rows, calls, period: '2026-10' }), 'A');
    // 441130000001 first (earlier): 300 s, 0.3000; then 300 of 400 s: 0.4 × 3/4 = 0.3000
    expect(inv.calls.map((c) => [c.call.number, formatMicro(c.discount, 4)])).toEqual([
      ['441130000001', '0.3000'],
      ['441130000002', '0.3000'],
    ]);
  });
  it('takes a percentage of what the bundle leaves, only of matching calls', () => {
    const rows = workbook({
      customers: [customer('A', { discountPlan: 'P' })],
      numbers: [numberRow('A', '441130000001')],
      discounts: [discount('P', 'InclusiveMinutes', 5, { applies: 'class == "National"' }), discount('P', 'Percentage', 10)],
    });
    const calls = [
      call('A', '441130000001', '2026-10-02 10:00:00', 600, 1.2),
      call('A', '441130000001', '2026-10-03 10:00:00', 60, 0.5, { callClass: 'Mobile' }),
    ];
    const inv = only(bill({ rows, calls, period: '2026-10' }), 'A');
    // National: 300 of 600 s free = 0.6000, then 10% of 0.6000 = 0.0600; Mobile: 10% of 0.5 = 0.0500
    expect(inv.calls.map((c) => formatMicro(c.discount, 4))).toEqual(['0.6600', '0.0500']);
    expect(amounts(inv, 'discount')).toEqual(['-0.60', '-0.11']);
  });
  it("prefers the number's plan to the customer's", () => {
    const rows = workbook({
      customers: [customer('A', { discountPlan: 'P' })],
      numbers: [numberRow('A', '441130000001', { discountPlan: 'Q' })],
      discounts: [discount('P', 'Percentage', 50), discount('Q', 'Percentage', 10)],
    });
    const inv = only(bill({ rows, calls: [call('A', '441130000001', '2026-10-02 10:00:00', 60, 1)], period: '2026-10' }), 'A');
    expect(amounts(inv, 'discount')).toEqual(['-0.10']);
  });
});

describe('every invoice adds up', () => {
  it('has totals equal to the sums of its rounded lines (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ n: fc.integer({ min: 0, max: 3 }), day: fc.integer({ min: 1, max: 31 }), secs: fc.integer({ min: 0, max: 4000 }), charge: fc.integer({ min: 0, max: 5_000_000 }) }), { maxLength: 40 }),
        fc.array(fc.record({ n: fc.integer({ min: 0, max: 3 }), amount: fc.integer({ min: 0, max: 100_000_000 }), start: fc.integer({ min: 1, max: 28 }) }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 100 }),
        (callSpecs, featSpecs, minutes, pct) => {
          const nums = ['441130000001', '441130000002', '441130000003', '441130000004'];
          const rows = workbook({
            customers: [customer('A', { discountPlan: 'P' })],
            numbers: nums.map((n) => numberRow('A', n)),
            features: featSpecs.map((f) => feature('A', nums[f.n], 'F', 0, { amount: f.amount, startDate: day(`2026-10-${String(f.start).padStart(2, '0')}`) })),
            discounts: [discount('P', 'InclusiveMinutes', minutes, { scope: 'Account' }), discount('P', 'Percentage', pct)],
          });
          const calls = callSpecs.map((c) => ({ ...call('A', nums[c.n], `2026-10-${String(c.day).padStart(2, '0')} 12:00:00`, c.secs, 0), charge: Math.floor(c.charge / 100) * 100 }));
          const run = bill({ rows, calls, period: '2026-10' });
          for (const inv of run.invoices) {
            const sum = (k: string) => inv.lines.filter((l) => l.kind === k).reduce((a, l) => a + l.amount, 0);
            expect(inv.usage + inv.recurring + inv.oneoff + inv.adjustments - inv.discounts).toBe(inv.net);
            expect(sum('usage') + sum('recurring') + sum('oneoff') + sum('adjustment') + sum('discount')).toBe(inv.net);
            expect(inv.net + inv.tax).toBe(inv.total);
            for (const l of inv.lines) expect(l.amount % 10_000 === 0).toBe(true);
            for (const c of inv.calls) expect(c.discount).toBeLessThanOrEqual(c.call.charge);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
