import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModelDb, memberContaining, searchNumbers, type ModelDb } from '../../../server/model/model-db.js';
import { parseWorkbook } from '../../../rules/workbook/parse.js';
import type { Customer, NumberRow, SheetRows } from '../../../rules/workbook/rows.js';
import { dayFromYmd } from '../../../rules/day.js';
import { workbook } from '../../rules/workbook/raw-builder.js';
import { loadWorkbookFile } from '../../../server/model/workbook-file.js';

/** Every member of a small range, the slow way. */
function bruteMember(start: string, end: string, q: string): string | null {
  for (let n = BigInt(start); n <= BigInt(end); n++) {
    const s = n.toString().padStart(start.length, '0');
    if (s.includes(q)) return s;
  }
  return null;
}

describe('finding a member of a range that holds some digits', () => {
  it('finds the smallest member, exactly, without expanding the range', () => {
    expect(memberContaining('442079460000', '442079460099', '7946')).toBe('442079460000');
    expect(memberContaining('442079460000', '442079460099', '0042')).toBe('442079460042');
    expect(memberContaining('442079460000', '442079460099', '55')).toBe('442079460055');
    expect(memberContaining('442079460000', '442079460099', '60099')).toBe('442079460099');
    expect(memberContaining('442079460000', '442079460099', '0100')).toBeNull();
    expect(memberContaining('442079460000', '442079460099', '4420794600991')).toBeNull();
    expect(memberContaining('100', '199', '99')).toBe('199');
    expect(memberContaining('150', '249', '20')).toBe('200');
    expect(memberContaining('150', '249', '3')).toBe('153');
    expect(memberContaining('100', '105', '7')).toBeNull();
    // A million numbers: answered from the two ends alone.
    expect(memberContaining('441610000000', '441610999999', '777777')).toBe('441610777777');
    expect(memberContaining('441610000000', '441610999999', '7777777')).toBeNull(); // one digit too many for the tail
  });
  it('agrees with expanding the range, for random ranges and digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 3000 }), fc.stringMatching(/^\d{1,5}$/), (a, width, q) => {
        const start = String(a).padStart(5, '0');
        const end = String(Math.min(99_999, a + width)).padStart(5, '0');
        expect(memberContaining(start, end, q)).toBe(bruteMember(start, end, q));
      }),
      { numRuns: 3000 },
    );
  });
});

// Typed rows for a model, built directly (parsing 100k cells is not what is measured here).
const base = (): SheetRows => parseWorkbook(workbook()).rows;
const day = dayFromYmd(2025, 1, 1);
const customer = (account: string, name: string, company: string, row: number): Customer => ({
  row, account, name, company, email: '', address: '', vatNumber: '', taxRate: null, accountType: 'Postpaid', creditLimit: null,
  paymentTermsDays: null, paymentMethod: null, status: 'Active', archivedDate: null, tariff: 'Business', markup: null,
  fallbackMarkup: null, discountPlan: '', invoiceNote: '', zeroInvoice: false,
});
const numberRow = (account: string, number: string, rangeEnd: string, row: number, extra: Partial<NumberRow> = {}): NumberRow => ({
  row, account, number, rangeEnd, extension: '', numberType: '', description: '', site: 'HQ', status: 'Active', dateSold: day,
  callsStartDate: null, droppedDate: null, altCdrNumbers: [], direction: 'Outbound', fallbackMarkup: null, discountPlan: '', ...extra,
});

function smallBook(): SheetRows {
  const rows = base();
  rows.customers = [
    customer('ACME01', 'Acme Widgets', 'Acme Holdings plc', 2),
    customer('BRIGHT02', 'Bright Smile', 'Bright Dental Ltd', 3),
    customer('HILL08', 'Hillside', 'Hillside Hotels Ltd', 4),
    customer('NONUM', 'No Numbers Yet', '', 5),
    customer('SOCIÉTÉ', 'Société Générale des Eaux', '', 6),
  ];
  rows.numbers = [
    numberRow('ACME01', '442079460000', '442079460099', 2, { site: 'London' }),
    numberRow('ACME01', '441614960000', '', 3, { extension: '201' }),
    numberRow('BRIGHT02', '441134960500', '', 4, { altCdrNumbers: ['441134960599'] }),
    numberRow('HILL08', '441619800710', '', 5),
    numberRow('HILL08', '443069990000', '443069999999', 6),
    numberRow('GHOST', '441179460123', '', 7),
    numberRow('SOCIÉTÉ', '33123456789', '', 8),
  ];
  return rows;
}

describe('the sql.js model', () => {
  let mdb: ModelDb;
  beforeAll(async () => {
    mdb = await buildModelDb(smallBook());
  });
  afterAll(() => mdb.close());
  const accounts = (q: string) => searchNumbers(mdb, q).map((h) => `${h.account} ${h.number}${h.matched ? ' -> ' + h.matched : ''}`);

  it('holds a table per tab, money as exact micro-units and dates as text', async () => {
    const rows = smallBook();
    rows.rates = [
      { row: 2, tariff: 'Business', destination: 'UK Mobile', timeBand: 'Peak', fromSecond: 0, perMinute: 12_500, connectionFee: null, minimumCharge: 1_000_000, maximumCharge: null, initialSeconds: null, incrementSeconds: 60, effectiveFrom: dayFromYmd(2026, 10, 1), effectiveTo: null, extra: { Note: 'x' } },
    ];
    rows.timeBands = [{ row: 2, timeBand: 'Peak', days: [0, 1, 2, 3, 4], holiday: true, from: 480, to: 1440 }];
    const m = await buildModelDb(rows);
    const one = (sql: string) => m.db.exec(sql)[0];
    expect(one('SELECT count(*) FROM customers').values[0][0]).toBe(5);
    expect(one('SELECT count(*) FROM numbers').values[0][0]).toBe(7);
    const rate = one('SELECT "row", tariff, "perMinute_micro", "minimumCharge_micro", "connectionFee_micro", "incrementSeconds", "effectiveFrom", "effectiveTo", extra FROM rates');
    expect(rate.values[0]).toEqual([2, 'Business', 12_500, 1_000_000, null, 60, '2026-10-01', null, '{"Note":"x"}']);
    expect(one('SELECT days, "from", "to", holiday FROM timebands').values[0]).toEqual(['Mon-Fri,Hol', '08:00', '24:00', 1]);
    expect(one("SELECT value FROM settings WHERE key = 'TaxRate'").values[0][0]).toBe('20%');
    expect(one('SELECT "altCdrNumbers" FROM numbers WHERE account = \'BRIGHT02\'').values[0][0]).toBe('441134960599');
    expect(one('SELECT count(*) FROM number_ranges').values[0][0]).toBe(2);
    m.close();
  });

  it('finds numbers by customer name, account and company, ignoring case', () => {
    expect(accounts('smile')).toEqual(['BRIGHT02 441134960500']);
    expect(accounts('hill08')).toEqual(['HILL08 441619800710', 'HILL08 443069990000']);
    expect(accounts('Hillside Hotels')).toEqual(['HILL08 441619800710', 'HILL08 443069990000']);
    expect(accounts('ghost')).toEqual(['GHOST 441179460123']);
    expect(accounts('société')).toEqual(['SOCIÉTÉ 33123456789']);
    const hit = searchNumbers(mdb, 'dental')[0];
    expect(hit).toEqual({ account: 'BRIGHT02', name: 'Bright Smile', company: 'Bright Dental Ltd', number: '441134960500', rangeEnd: '', extension: '', site: 'HQ', status: 'Active', row: 4 });
  });

  it('finds a full number, as held or typed in national or international form', () => {
    expect(accounts('441614960000')).toEqual(['ACME01 441614960000 -> 441614960000']);
    expect(accounts('0161 496 0000')).toEqual(['ACME01 441614960000 -> 441614960000']);
    expect(accounts('+44 (0)161 496-0000')).toEqual(['ACME01 441614960000 -> 441614960000']);
    expect(accounts('00441614960000')).toEqual(['ACME01 441614960000 -> 441614960000']);
    expect(accounts('441134960599')).toEqual(['BRIGHT02 441134960500 -> 441134960599']);
  });

  it('finds a number inside a range, and digits of a range member, naming a member that has them', () => {
    expect(accounts('442079460042')).toEqual(['ACME01 442079460000 -> 442079460042']);
    expect(accounts('020 7946 0042')).toEqual(['ACME01 442079460000 -> 442079460042']);
    const inRange = searchNumbers(mdb, '0042');
    expect(inRange.find((h) => h.account === 'ACME01')).toMatchObject({ number: '442079460000', rangeEnd: '442079460099', matched: '442079460042' });
    // Digits in the fixed part of the range: its first number has them.
    expect(accounts('7946')).toEqual(['ACME01 442079460000 -> 442079460000', 'HILL08 443069990000 -> 443069997946', 'GHOST 441179460123 -> 441179460123']);
    // Digits that only a member deep in a range has (the range is 443069990000-443069999999).
    expect(accounts('99987')).toEqual(['HILL08 443069990000 -> 443069998700']);
    expect(accounts('6999999')).toEqual(['HILL08 443069990000 -> 443069999990']);
    expect(accounts('9800710')).toEqual(['HILL08 441619800710 -> 441619800710']);
  });

  it('finds nothing when nothing matches', () => {
    expect(searchNumbers(mdb, 'no such thing')).toEqual([]);
    expect(searchNumbers(mdb, '4420794601')).toEqual([]); // just past the range's end
    expect(searchNumbers(mdb, '5555555')).toEqual([]);
    expect(searchNumbers(mdb, '   ')).toEqual([]);
    expect(searchNumbers(mdb, "'; DROP TABLE numbers; --")).toEqual([]);
  });

  it('returns at most `limit` rows, in sheet order', () => {
    expect(searchNumbers(mdb, '44', 3).map((h) => h.row)).toEqual([2, 3, 4]);
    expect(searchNumbers(mdb, '1', 50).map((h) => h.row)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('agrees with expanding every range: random rows, digits and limits', async () => {
    const rowArb = fc.record({
      start: fc.integer({ min: 100_000, max: 999_999 }),
      width: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 5000 })),
      alt: fc.option(fc.integer({ min: 100_000, max: 999_999 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 12 }), fc.array(fc.stringMatching(/^[1-9]\d{0,5}$/), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 15 }), async (specs, queries, limit) => {
        const rows = base();
        rows.customers = [customer('A', 'A', '', 2)];
        rows.numbers = specs.map((r, i) => {
          const end = Math.min(999_999, r.start + r.width);
          return numberRow('A', String(r.start), end > r.start ? String(end) : '', i + 2, r.alt ? { altCdrNumbers: [String(r.alt)] } : {});
        });
        const m = await buildModelDb(rows);
        try {
          for (const q of queries) {
            // Digits not starting with 0, so the national-form reading (0… -> 44…) does not apply.
            const expected: { row: number; matched: string }[] = [];
            for (const n of rows.numbers) {
              const member = n.rangeEnd ? bruteMember(n.number, n.rangeEnd, q) : n.number.includes(q) ? n.number : null;
              const matched = member ?? n.altCdrNumbers.find((a) => a.includes(q));
              if (matched) expected.push({ row: n.row, matched });
            }
            const got = searchNumbers(m, q, limit).map((h) => ({ row: h.row, matched: h.matched }));
            expect(got).toEqual(expected.slice(0, limit));
          }
        } finally {
          m.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the sample workbook', () => {
  it('loads into the model and is searchable', async () => {
    const r = await loadWorkbookFile('workbooks/sample-uk-reseller.xlsx');
    if (!r.ok) throw new Error(r.error);
    const mdb = await buildModelDb(r.value.rows);
    const count = (t: string) => Number(mdb.db.exec(`SELECT count(*) FROM ${t}`)[0].values[0][0]);
    expect([count('customers'), count('numbers'), count('rates')]).toEqual([r.value.rows.customers.length, r.value.rows.numbers.length, r.value.rows.rates.length]);
    const range = r.value.rows.numbers.find((n) => n.rangeEnd !== '');
    if (range) {
      const inside = String(BigInt(range.number) + 1n);
      expect(searchNumbers(mdb, inside).find((h) => h.row === range.row)?.matched).toBe(inside);
    }
    const c = r.value.rows.customers.find((x) => r.value.rows.numbers.some((n) => n.account === x.account))!;
    expect(searchNumbers(mdb, c.name.toUpperCase()).map((h) => h.account)).toContain(c.account);
    mdb.close();
  });
});

describe('search at 100,000 numbers', () => {
  it('answers in milliseconds (printed, not asserted)', async () => {
    const rows = base();
    rows.customers = [];
    rows.numbers = [];
    for (let c = 0; c < 2000; c++) rows.customers.push(customer(`C${String(c).padStart(5, '0')}`, `Customer ${c} Trading`, `Company ${c} Ltd`, c + 2));
    const acct = (i: number) => `C${String(i % 2000).padStart(5, '0')}`;
    // 5,000 ranges of 100 (500,000 numbers, never expanded) and 95,000 single numbers.
    for (let i = 0; i < 5000; i++) rows.numbers.push(numberRow(acct(i), `44207${String(i * 100).padStart(7, '0')}`, `44207${String(i * 100 + 99).padStart(7, '0')}`, rows.numbers.length + 2));
    for (let i = 0; i < 95_000; i++) rows.numbers.push(numberRow(acct(i * 7), `44161${String(i * 37 % 10_000_000).padStart(7, '0')}`, '', rows.numbers.length + 2));
    rows.numbers.push(numberRow('C01999', '443069000000', '443069999999', rows.numbers.length + 2)); // a million-number range
    const t0 = performance.now();
    const mdb = await buildModelDb(rows);
    const buildMs = performance.now() - t0;
    const time = (q: string): { ms: number; n: number; first?: string } => {
      searchNumbers(mdb, q); // prepare once
      const runs = 20;
      const t = performance.now();
      let hits = searchNumbers(mdb, q);
      for (let i = 1; i < runs; i++) hits = searchNumbers(mdb, q);
      return { ms: (performance.now() - t) / runs, n: hits.length, first: hits[0]?.matched ?? hits[0]?.number };
    };
    const cases = {
      'number inside a range (0499942)': time('0499942'),
      'full number in national form (020 7049 9942)': time('020 7049 9942'),
      'full single number (0161 000 3700)': time('0161 000 3700'),
      'digits only a deep member has (30697777)': time('30697777'),
      'short digits (42)': time('42'),
      'customer name (customer 1234 trading)': time('customer 1234 trading'),
      'company of many (company 1)': time('company 1'),
      'no match (99999999999)': time('99999999999'),
      'no match, text (zebra)': time('zebra'),
    };
    expect(cases['number inside a range (0499942)'].first).toBe('442070499942');
    expect(cases['full number in national form (020 7049 9942)'].first).toBe('442070499942');
    expect(cases['full single number (0161 000 3700)'].first).toBe('441610003700');
    expect(cases['digits only a deep member has (30697777)'].first).toBe('443069777700');
    expect(cases['no match (99999999999)'].n).toBe(0);
    console.log(`model db of 100,001 Numbers rows (5,000 ranges of 100 and one of 1,000,000): built in ${buildMs.toFixed(0)} ms`);
    for (const [what, r] of Object.entries(cases)) console.log(`  search ${what}: ${r.ms.toFixed(2)} ms, ${r.n} rows`);
    mdb.close();
  }, 60_000);
});
