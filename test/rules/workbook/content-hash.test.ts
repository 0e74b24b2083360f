import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../../rules/workbook/content-hash.js';
import { parseWorkbook } from '../../../rules/workbook/parse.js';
import type { SheetRows } from '../../../rules/workbook/rows.js';
import { pct, sheet, workbook } from './raw-builder.js';

const rates = (rows: (string | number | null | Date)[][], header = ['Tariff', 'Destination', 'TimeBand', 'PerMinute', 'EffectiveFrom']) => sheet('Rates', [header, ...rows]);
const parse = (...sheets: Parameters<typeof workbook>): SheetRows => parseWorkbook(workbook(...sheets)).rows;

describe('content hash', () => {
  it('is a sha256 in hex, the same for the same rows every time', () => {
    const a = parse(rates([['Business', 'UK', null, 0.05, null]]));
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(a)).toBe(contentHash(parse(rates([['Business', 'UK', null, 0.05, null]]))));
  });

  it('is the same for the same content re-saved: other cell types, header spelling, column order, rows moved down', () => {
    const a = parse(rates([['Business', 'UK', null, 0.05, '2026-10-01']]), sheet('Customers', [['Account', 'Name', 'Markup'], ['ACME', 'Acme', 10]]));
    const b = parse(
      sheet('Rates', [['Per Minute', 'effective_from', 'Tariff', 'Destination'], [], ['0.050', new Date(Date.UTC(2026, 9, 1)), 'Business', 'UK']]),
      sheet('Customers', [['Account', 'Name', 'Markup'], ['ACME', 'Acme', pct(0.1)]]),
    );
    expect(b.rates[0].row).not.toBe(a.rates[0].row);
    expect(contentHash(b)).toBe(contentHash(a));
  });

  it('changes with any value, with row order, and with an unknown column', () => {
    const a = parse(rates([['Business', 'UK', null, 0.05, null], ['Business', 'UK Mobile', null, 0.1, null]]));
    const h = contentHash(a);
    expect(contentHash(parse(rates([['Business', 'UK', null, 0.06, null], ['Business', 'UK Mobile', null, 0.1, null]])))).not.toBe(h);
    expect(contentHash(parse(rates([['Business', 'UK Mobile', null, 0.1, null], ['Business', 'UK', null, 0.05, null]])))).not.toBe(h);
    const withNote = parse(rates([['Business', 'UK', null, 0.05, null, 'n'], ['Business', 'UK Mobile', null, 0.1, null, null]], ['Tariff', 'Destination', 'TimeBand', 'PerMinute', 'EffectiveFrom', 'Note']));
    expect(contentHash(withNote)).not.toBe(h);
  });

  it('ignores `row` only on tab rows, and key order and undefined members everywhere', () => {
    const rows = parse(rates([['Business', 'UK', null, 0.05, null]]));
    const moved: SheetRows = { ...rows, rates: rows.rates.map((r) => ({ ...r, row: r.row + 10 })) };
    expect(contentHash(moved)).toBe(contentHash(rows));
    const reordered = Object.fromEntries(Object.entries(rows).reverse()) as unknown as SheetRows;
    expect(contentHash(reordered)).toBe(contentHash(rows));
    const withUndefined: SheetRows = { ...rows, rates: rows.rates.map((r) => ({ ...r, extra: undefined })) };
    expect(contentHash(withUndefined)).toBe(contentHash(rows));
    // An unknown column headed "row" is content.
    const extraRow: SheetRows = { ...rows, rates: rows.rates.map((r) => ({ ...r, extra: { row: '7' } })) };
    expect(contentHash(extraRow)).not.toBe(contentHash({ ...rows, rates: rows.rates.map((r) => ({ ...r, extra: { row: '8' } })) }));
  });

  it('survives a JSON round trip (a version loaded from rows.json hashes as imported)', () => {
    const rows = parse(rates([['Business', 'UK', null, 0.05, '2026-10-01']]), sheet('Customers', [['Account', 'Name', 'Region'], ['ACME', 'Acme', 'North']]));
    expect(contentHash(JSON.parse(JSON.stringify(rows)) as SheetRows)).toBe(contentHash(rows));
  });

  it('writes canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x', { d: undefined, c: 2 }], e: undefined })).toBe('{"a":[true,null,"x",{"c":2}],"b":1}');
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'));
  });

  it('hashes 170,000 rows quickly (printed)', () => {
    const rows = parse();
    const base = rows.numbers[0];
    const big: SheetRows = { ...rows, numbers: Array.from({ length: 170_000 }, (_, i) => ({ ...base, row: i + 2, number: String(441610000000 + i) })) };
    const t = performance.now();
    contentHash(big);
    console.log(`content hash of 170,000 Numbers rows: ${(performance.now() - t).toFixed(0)} ms`);
  });
});
