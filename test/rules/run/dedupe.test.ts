import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cdr } from '../../../rules/cdr/cdr.js';
import { compileFormat } from '../../../rules/cdr/cdr-format.js';
import { Deduper, dedupeKey } from '../../../rules/run/dedupe.js';
import { KeyTable } from '../../../rules/run/key-table.js';
import { mediate, type MediationContext } from '../../../rules/cdr/mediate.js';
import { splitCsvLine } from '../../../workbooks/cdr-lines.js';

const plan = { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', shortCodeDigits: 6 };
const HEADER = 'id,start,duration,caller,called,direction';

/** Mediated calls of one generic file; the first call is line 2. */
function file(name: string, lines: string[]): Cdr[] {
  const f = compileFormat('generic', splitCsvLine(HEADER), [], 'Europe/London');
  if (!f.ok) throw new Error(f.error);
  const ctx: MediationContext = { file: name, plan, billable: new Set(), format: f.value };
  return lines.map((l, i) => {
    const c = mediate(splitCsvLine(l), i + 2, ctx);
    if (c.kind !== 'cdr') throw new Error(c.detail);
    return c;
  });
}

/** Each call of the run in order: '' when new, else `same call as file:line`. */
function run(...files: Cdr[][]): string[] {
  const d = new Deduper();
  return files.flat().map((c) => {
    const first = d.check(c);
    return first === null ? '' : `same call as ${first.file}:${first.line}`;
  });
}

describe('dedupe (SPEC §2 step 2)', () => {
  it('finds the same id across the files of a run; the first is kept, later ones name it', () => {
    const a = file('a.csv', ['X1,2026-10-05 10:00:00,60,02079460000,07700900123,out', 'X2,2026-10-05 10:01:00,60,02079460000,07700900123,out']);
    // the same ids, any other field different
    const b = file('b.csv', ['X9,2026-10-06 10:00:00,5,02079460001,07700900124,out', 'X2,2026-10-07 11:00:00,1,02079460002,07700900125,out', 'X2,2026-10-08 11:00:00,1,02079460002,07700900125,in']);
    expect(run(a, b)).toEqual(['', '', '', 'same call as a.csv:3', 'same call as a.csv:3']);
  });
  it('without an id, compares N(caller), N(called), the start instant and the duration', () => {
    const a = file('calls.csv', [',2026-10-05 10:00:00,60,020 7946 0000,07700 900123,out']);
    const b = file('other.csv', [
      // the same call written another way: +44 and 0044 forms, an offset for the same instant
      ',2026-10-05T09:00:00Z,60,+44 20 7946 0000,00447700900123,out',
      ',2026-10-05T10:00:00+01:00,60,(020) 7946-0000,+44 (0)7700 900123,OUT',
      // one thing different each
      ',2026-10-05 10:00:00,61,02079460000,07700900123,out',
      ',2026-10-05 10:00:01,60,02079460000,07700900123,out',
      ',2026-10-05 10:00:00,60,02079460001,07700900123,out',
      ',2026-10-05 10:00:00,60,02079460000,07700900124,out',
    ]);
    expect(run(a, b)).toEqual(['', 'same call as calls.csv:2', 'same call as calls.csv:2', '', '', '', '']);
  });
  it('compares a caller that is not a number by its trimmed text', () => {
    const a = file('in.csv', [
      ',2026-10-05 10:00:00,60,anonymous,02079460000,in',
      ',2026-10-05 10:00:00,60, anonymous ,02079460000,in',
      ',2026-10-05 10:00:00,60,Anonymous,02079460000,in',
      ',2026-10-05 10:00:00,60,,02079460000,in',
      ',2026-10-05 10:00:00,60,,02079460000,in',
    ]);
    expect(run(a)).toEqual(['', 'same call as in.csv:2', '', '', 'same call as in.csv:5']);
  });
  it('keys a record by its id when it has one, so an id never matches a record without one', () => {
    const a = file('a.csv', ['ID1,2026-10-05 10:00:00,60,02079460000,07700900123,out', ',2026-10-05 10:00:00,60,02079460000,07700900123,out', 'ID2,2026-10-05 10:00:00,60,02079460000,07700900123,out']);
    expect(run(a)).toEqual(['', '', '']);
  });
  it('cannot be fooled by | in a caller text', () => {
    const a = file('in.csv', [',2026-10-05 10:00:00,60,a|44207,02079460000,in', ',2026-10-05 10:00:00,60,a,02079460000,in']);
    expect(run(a)).toEqual(['', '']);
  });
  it('makes compact, flat keys and accepts keys made elsewhere (a worker thread)', () => {
    const [c] = file('a.csv', [',2026-10-05 10:00:00,60,02079460000,07700900123,out']);
    expect(dedupeKey(c)).toBe('t442079460000|447700900123|1791190800|60');
    expect(dedupeKey({ ...c, id: 'a5c9f6c0-e752' })).toBe('ia5c9f6c0-e752');
    expect(dedupeKey({ ...c, startMs: c.startMs + 250 })).toBe('t442079460000|447700900123|1791190800250ms|60');
    const d = new Deduper();
    expect(d.checkKey(dedupeKey(c), 'a.csv', 2)).toBeNull();
    expect(d.check({ ...c, file: 'b.csv', line: 40 })).toEqual({ file: 'a.csv', line: 2 });
    expect(d.size).toBe(1);
  });
  it('remembers large line numbers, many files and many records exactly', () => {
    const d = new Deduper();
    for (let i = 0; i < 5000; i++) expect(d.checkKey(`k${i}`, `f${i % 7}.csv`, 3_000_000_000 + i)).toBeNull();
    expect(d.checkKey('k4999', 'x.csv', 1)).toEqual({ file: 'f1.csv', line: 3_000_004_999 });
    expect(d.checkKey('k0', 'x.csv', 1)).toEqual({ file: 'f0.csv', line: 3_000_000_000 });
    expect(d.size).toBe(5000);
  });
});

describe('dedupe: the key table behind it', () => {
  // Keys from a tiny alphabet (so many repeat) with non-ASCII, astral and lone-surrogate units.
  const unit = fc.constantFrom('a', 'b', '|', '7', 'é', '€', '😀', '\ud800', '\udc00', '\u0000');
  const key = fc.array(unit, { maxLength: 6 }).map((u) => u.join(''));

  it('answers exactly like a Map of strings, even when every hash collides', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), fc.integer({ min: 1, max: 32 }), (keys, bits) => {
        const d = new Deduper({ hashBits: bits });
        const oracle = new Map<string, number>();
        keys.forEach((k, i) => {
          const got = d.checkKey(k, `f${i % 3}.csv`, i + 2);
          const first = oracle.get(k);
          if (first === undefined) {
            oracle.set(k, i);
            expect(got).toBeNull();
          } else expect(got).toEqual({ file: `f${first % 3}.csv`, line: first + 2 });
        });
        expect(d.size).toBe(oracle.size);
      }),
      { numRuns: 300 },
    );
  });
  it('answers the same with room reserved ahead, before or between keys, and with colliding hashes', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 200 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 32 }), (keys, room, at, bits) => {
        const plain = new Deduper({ hashBits: bits });
        const reserved = new Deduper({ hashBits: bits });
        keys.forEach((k, i) => {
          if (i === Math.min(at, keys.length - 1)) reserved.reserve(room);
          expect(reserved.checkKey(k, 'a.csv', i + 2)).toEqual(plain.checkKey(k, 'a.csv', i + 2));
        });
        expect(reserved.size).toBe(plain.size);
      }),
      { numRuns: 200 },
    );
  });
  it('keeps each key\'s text exactly (UTF-8, lone surrogates too), however long', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 100 }), (keys) => {
        const t = new KeyTable({ hashBits: 3 });
        const ids = keys.map((k) => t.intern(k));
        keys.forEach((k, i) => {
          expect(t.keyOf(ids[i])).toBe(k);
          expect(t.find(k)).toBe(ids[i]);
        });
        expect(t.find('not there')).toBe(-1);
      }),
    );
    const t = new KeyTable();
    const long = 'x'.repeat(200) + '€';
    const huge = '😀'.repeat(300_000); // 1.2 MB of UTF-8: more than an arena page
    const ids = [t.intern('a'), t.intern(long), t.intern(huge), t.intern('b')];
    expect(ids).toEqual([0, 1, 2, 3]);
    expect(t.intern(huge)).toBe(2);
    expect(t.added).toBe(false);
    expect([t.keyOf(0), t.keyOf(1), t.keyOf(2), t.keyOf(3)]).toEqual(['a', long, huge, 'b']);
    expect(t.intern(huge.slice(0, -2))).toBe(4);
    expect(t.added).toBe(true);
  });
  it('holds 100,000 distinct keys and finds each again', () => {
    const d = new Deduper();
    let fresh = 0;
    for (let i = 0; i < 100_000; i++) if (d.checkKey(`t4420${7_000_000 + i}|447700900123|1790000000|60`, 'a.csv', i + 2) === null) fresh++;
    expect(fresh).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) expect(d.checkKey(`t4420${7_000_000 + i}|447700900123|1790000000|60`, 'b.csv', 1)).toEqual({ file: 'a.csv', line: i + 2 });
    expect(d.size).toBe(100_000);
  });
});

describe('dedupe: keys given as ASCII bytes (the rating fast lane)', () => {
  it('finds the same key whether given as text or as its bytes hashed a batch ahead, in any mix, with hashes forced to collide and the table growing in between', () => {
    const ascii = fc.stringMatching(/^[ -~]{0,12}$/);
    // Each key of a batch is hashed ahead, or (true) interned as text in its place, as a line the fast lane did not rate is.
    const batch = fc.array(fc.tuple(ascii, fc.boolean()), { maxLength: 40 });
    fc.assert(
      fc.property(fc.array(fc.tuple(batch, fc.nat(200)), { maxLength: 8 }), fc.integer({ min: 1, max: 32 }), (batches, bits) => {
        const bytes = new KeyTable({ hashBits: bits });
        const text = new KeyTable({ hashBits: bits });
        for (const [lines, grow] of batches) {
          const keys = lines.map(([k]) => k);
          const b = Buffer.from(keys.join(''), 'latin1');
          const ends = new Int32Array(keys.length);
          keys.reduce((at, k, i) => (ends[i] = at + k.length), 0);
          const hashes = new Int32Array(keys.length);
          bytes.hashAscii(b, ends, keys.length, hashes);
          // Room reserved after hashing: the slots the hashes were read at have moved.
          bytes.reserve(bytes.size + grow);
          keys.forEach((k, i) => {
            const id = lines[i][1] ? bytes.intern(k) : bytes.internAscii(b, i === 0 ? 0 : ends[i - 1], ends[i], hashes[i]);
            expect([id, bytes.added]).toEqual([text.intern(k), text.added]);
          });
        }
      }),
    );
  });

  it('names the first line of a key given as bytes when the same key comes again as text', () => {
    const d = new Deduper();
    const hashes = new Int32Array(2);
    const one = Buffer.from('ic1', 'latin1');
    d.hashAscii(one, Int32Array.of(3), 1, hashes);
    expect(d.checkAscii(one, 0, 3, hashes[0], 'a.csv', 2)).toBeNull();
    expect(d.checkKey('ic1', 'b.csv', 7)).toEqual({ file: 'a.csv', line: 2 });
    expect(d.checkAscii(one, 0, 3, hashes[0], 'b.csv', 9)).toEqual({ file: 'a.csv', line: 2 });
    const two = Buffer.from('ic1ic2', 'latin1');
    d.hashAscii(two, Int32Array.of(3, 6), 2, hashes);
    expect(d.checkAscii(two, 0, 3, hashes[0], 'c.csv', 4)).toEqual({ file: 'a.csv', line: 2 });
    expect(d.checkAscii(two, 3, 6, hashes[1], 'c.csv', 5)).toBeNull();
    expect(d.checkKey('ic2', 'c.csv', 6)).toEqual({ file: 'c.csv', line: 5 });
  });
});
