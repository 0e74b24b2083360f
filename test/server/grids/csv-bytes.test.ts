import { describe, expect, it } from 'vitest';
import { CsvRecord, foldAscii, intOf, markHolders, microOf, readRecord } from '../../../server/grids/csv-bytes.js';
import { seededRandom } from '../../../workbooks/seeded-random.js';

const fields = (text: string, last = true): string[][] => {
  const b = Buffer.from(text);
  const r = new CsvRecord();
  const out: string[][] = [];
  for (let pos = 0; pos < b.length; ) {
    const next = readRecord(b, pos, b.length, last, r);
    if (next < 0) break;
    out.push(Array.from({ length: r.count }, (_, k) => (r.unquoted[k] ?? b.subarray(r.from[k], r.to[k])).toString()));
    pos = next;
  }
  return out;
};

describe('readRecord', () => {
  it('splits fields, quotes with commas, doubled quotes and line breaks, CRLF', () => {
    expect(fields('a,b,c\r\n"x, y","say ""hi""","two\nlines"\n,,\nlast')).toEqual([['a', 'b', 'c'], ['x, y', 'say "hi"', 'two\nlines'], ['', '', ''], ['last']]);
  });

  it('asks for more bytes when a record is not finished before the end', () => {
    const b = Buffer.from('a,b\n"open, still');
    const r = new CsvRecord();
    expect(readRecord(b, 0, b.length, false, r)).toBe(4);
    expect(readRecord(b, 4, b.length, false, r)).toBe(-1);
    expect(readRecord(b, 4, b.length, true, r)).toBe(b.length);
    expect(b.subarray(r.from[0], r.to[0]).toString()).toBe('open, still');
    const c = Buffer.from('x,y');
    expect(readRecord(c, 0, c.length, false, r)).toBe(-1);
  });
});

describe('numbers from bytes', () => {
  it('reads amounts exactly into micro-units, and refuses what is not one', () => {
    const m = (s: string): number => microOf(Buffer.from(s), 0, s.length);
    expect([m('0.0125'), m('-12.5'), m('3'), m('1.000001'), m('+2.5')]).toEqual([12_500, -12_500_000, 3_000_000, 1_000_001, 2_500_000]);
    for (const bad of ['', '1.0000001', 'abc', '1.2.3', '-']) expect(m(bad)).toBeNaN();
    const i = (s: string): number => intOf(Buffer.from(s), 0, s.length);
    expect([i('0'), i('603'), i('-7'), i('2.0'), i('1e3')]).toEqual([0, 603, -7, 2, 1000]);
    expect(i('')).toBeNaN();
  });
});

describe('markHolders', () => {
  it('marks exactly the values holding the needle, rare or common, never across two values', () => {
    const r = seededRandom(5);
    for (let round = 0; round < 30; round++) {
      const values = Array.from({ length: 50 + Math.floor(r() * 3000) }, () => Array.from({ length: Math.floor(r() * 8) }, () => 'abAB1'[Math.floor(r() * 5)]).join(''));
      const arena = foldAscii(Buffer.from(values.join('')));
      const ends = new Uint32Array(values.length);
      let at = 0;
      values.forEach((v, i) => (ends[i] = at += v.length));
      for (const needle of ['a', 'ab', 'b1a', '1111', 'zz', 'aba']) {
        const ok = new Uint8Array(values.length);
        markHolders(arena, ends, Buffer.from(needle), ok);
        expect(Array.from(ok), `${round} ${needle}`).toEqual(values.map((v) => (v.toLowerCase().includes(needle) ? 1 : 0)));
      }
    }
  });
});
