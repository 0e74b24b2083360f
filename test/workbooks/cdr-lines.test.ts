import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { firstLines, NOT_SPLIT, openCdrFile, splitCsvLine, TOO_LONG, type LineBatch, type OpenCdrOptions } from '../../workbooks/cdr-lines.js';

const SAMPLES = fileURLToPath(new URL('../../../shared/samples/cdr/', import.meta.url));
const ASTERISK = join(SAMPLES, 'asterisk-testsuite-dispositions.csv');
const FREESWITCH = join(SAMPLES, 'freeswitch-example-template.csv');

let dir = '';
let seq = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-cdr-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes bytes (or UTF-8 text) to a fresh file in the test directory. */
async function file(content: string | Buffer | number[], name = `f${++seq}.csv`): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content));
  return path;
}

interface All {
  lines: number[];
  fields: (string[] | null)[];
  texts: string[];
  batches: LineBatch[];
}

async function readAll(path: string, opts?: OpenCdrOptions): Promise<All & { sha256: string; compressed: number; totalBytes: number }> {
  const reader = await openCdrFile(path, opts);
  const all: All = { lines: [], fields: [], texts: [], batches: [] };
  for await (const b of reader.batches()) {
    all.batches.push(b);
    all.lines.push(...b.lines);
    all.fields.push(...b.fields);
    all.texts.push(...b.texts);
  }
  return { ...all, sha256: reader.sha256(), compressed: reader.compressedBytesRead(), totalBytes: reader.totalBytes };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('real sample files', () => {
  it('reads the Asterisk Master.csv: 18 columns, quoted fields with "" escapes, unquoted numbers', async () => {
    const bytes = await readFile(ASTERISK);
    const r = await readAll(ASTERISK);
    expect(r.lines).toEqual([1, 2, 3, 4, 5]);
    expect(r.fields.map((f) => f?.length)).toEqual([18, 18, 18, 18, 18]);
    expect(r.fields[0]).toEqual(['', 'test', '100', 'context', '"Test User" <test>', 'SIP/test-02897fd8', '', 'Hangup', '', '2009-01-14 23:51:15', '2009-01-14 23:51:15', '2009-01-14 23:51:20', '5', '5', 'ANSWERED', 'DOCUMENTATION', '1231977075.0', '']);
    expect(r.fields.map((f) => f![14])).toEqual(['ANSWERED', 'ANSWERED', 'FAILED', 'NO ANSWER', 'BUSY']);
    expect(r.fields.map((f) => f![13])).toEqual(['5', '7', '0', '0', '0']);
    expect(r.texts[0]).toBe(bytes.toString('utf8').split('\n')[0]);
    expect(r.fields).toEqual(r.texts.map(splitCsvLine));
    expect(r.sha256).toBe(sha(bytes));
    expect(r.totalBytes).toBe(bytes.length);
    expect(r.compressed).toBe(bytes.length);
    expect(r.batches.at(-1)!.bytesRead).toBe(bytes.length);
  });

  it('reads the FreeSWITCH example template: 15 fields all quoted, an empty answer_stamp', async () => {
    const r = await readAll(FREESWITCH);
    expect(r.lines).toEqual([1, 2, 3, 4, 5]);
    expect(r.fields.every((f) => f?.length === 15)).toBe(true);
    expect(r.fields[1]).toEqual(['9008', '9008', '+34688886392', 'public', '2014-05-29 17:01:32', '', '2014-05-29 17:01:32', '0', '0', 'NORMAL_CLEARING', 'e29ff0ae-e752-11e3-8bff-65b6c3cdac7d', '', '', '', '']);
    expect(r.fields.map((f) => f![5])).toEqual(['', '', '', '', '']);
    expect(r.fields.map((f) => f![2])).toEqual(['0034688886392', '+34688886392', '34688886392', '0034688886392', '00034688886392']);
    expect(r.sha256).toBe(sha(await readFile(FREESWITCH)));
  });

  it('gives the same records whatever the chunk size and batch size', async () => {
    const whole = await readAll(ASTERISK);
    for (const chunkBytes of [1, 7, 64, 199]) {
      for (const batchLines of [1, 2, 5]) {
        const r = await readAll(ASTERISK, { chunkBytes, batchLines });
        expect(r.fields).toEqual(whole.fields);
        expect(r.lines).toEqual(whole.lines);
        // A batch's lines are in one string: a batch ends early where a line crosses a chunk.
        expect(r.batches.every((b) => b.lines.length >= 1 && b.lines.length <= batchLines)).toBe(true);
        for (const b of r.batches) expect(b.texts).toEqual(Array.from(b.from, (f, i) => b.source.slice(f, b.to[i])));
        expect(r.sha256).toBe(whole.sha256);
      }
    }
  });
});

describe('line endings, BOM, blank lines, last line', () => {
  it('strips the CR of CRLF, keeps a CR inside a line', async () => {
    const r = await readAll(await file('a,b\r\nc,"d"\r\ne\rf,g\n'));
    expect(r.fields).toEqual([['a', 'b'], ['c', 'd'], ['e\rf', 'g']]);
    expect(r.texts).toEqual(['a,b', 'c,"d"', 'e\rf,g']);
    expect(r.lines).toEqual([1, 2, 3]);
  });

  it('drops a UTF-8 BOM at the start only, also when it arrives a byte at a time', async () => {
    const path = await file('\ufeffid,start\r\n1,\ufeffx\r\n');
    for (const chunkBytes of [1, 2, 3, 4, 1 << 20]) {
      const r = await readAll(path, { chunkBytes });
      expect(r.fields).toEqual([['id', 'start'], ['1', '\ufeffx']]);
    }
    expect(await readAll(await file('\ufeff'))).toMatchObject({ lines: [], fields: [] });
    expect((await readAll(await file('\ufeffa,b'))).fields).toEqual([['a', 'b']]);
  });

  it('skips blank and white-space-only lines but counts them for line numbers', async () => {
    const r = await readAll(await file('\n  \n\t\r\na,b\n\n\r\n c ,\u00a0\n\u3000\n"x"\n'));
    expect(r.lines).toEqual([4, 7, 9]);
    expect(r.fields).toEqual([['a', 'b'], [' c ', '\u00a0'], ['x']]);
  });

  it('reads a last line without a newline, with or without a CR', async () => {
    expect(await readAll(await file('a,b\nc,d'))).toMatchObject({ lines: [1, 2], fields: [['a', 'b'], ['c', 'd']] });
    expect(await readAll(await file('a,b\n\nc,"d"\r'))).toMatchObject({ lines: [1, 3], fields: [['a', 'b'], ['c', 'd']] });
    expect(await readAll(await file('only'))).toMatchObject({ lines: [1], fields: [['only']] });
    expect(await readAll(await file('a,b\n   '))).toMatchObject({ lines: [1], fields: [['a', 'b']] });
  });

  it('gives no records for an empty file, a hash of no bytes', async () => {
    const r = await readAll(await file(''));
    expect(r.batches).toEqual([]);
    expect(r.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(r.totalBytes).toBe(0);
    expect((await readAll(await file('\n\r\n  \n'))).batches).toEqual([]);
  });
});

describe('fields', () => {
  it('reads "" as a quote inside a quoted field, and empty quoted fields', () => {
    expect(splitCsvLine('"a""b","""","",x""y')).toEqual(['a"b', '"', '', 'x""y']);
    expect(splitCsvLine('"""Test User"" <test>",5')).toEqual(['"Test User" <test>', '5']);
    expect(splitCsvLine('"a,b","c\'d",')).toEqual(['a,b', "c'd", '']);
  });

  it('takes unquoted fields as they are: no trimming, a quote inside is an ordinary character', () => {
    expect(splitCsvLine(' a , b ,')).toEqual([' a ', ' b ', '']);
    expect(splitCsvLine('ab"c,d')).toEqual(['ab"c', 'd']);
    expect(splitCsvLine(' "a",b')).toEqual([' "a"', 'b']);
    expect(splitCsvLine(',,')).toEqual(['', '', '']);
    expect(splitCsvLine('')).toEqual(['']);
  });

  it('keeps text after a closing quote up to the comma (lenient)', () => {
    expect(splitCsvLine('"ab"cd,e')).toEqual(['abcd', 'e']);
    expect(splitCsvLine('"ab" ,e')).toEqual(['ab ', 'e']);
    expect(splitCsvLine('x,"ab"c')).toEqual(['x', 'abc']);
  });

  it('gives null for an unterminated quote', () => {
    expect(splitCsvLine('a,"b')).toBeNull();
    expect(splitCsvLine('"a""')).toBeNull();
    expect(splitCsvLine('"')).toBeNull();
    expect(splitCsvLine('"a",b,"c""d')).toBeNull();
  });

  it('makes a line with an unterminated quote malformed (null) and reads the next line as usual', async () => {
    const r = await readAll(await file('a,"b\nc,d\n"x\n"y",z\n"e"",f\n1,2'));
    expect(r.lines).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.fields).toEqual([null, ['c', 'd'], null, ['y', 'z'], null, ['1', '2']]);
    expect(r.texts[0]).toBe('a,"b');
    expect(r.texts[2]).toBe('"x');
  });

  it('does not split fields when opened with split: false, but still marks a line too long', async () => {
    const r = await readAll(await file('a,b\n"c\n'), { split: false });
    expect(r.fields).toEqual([NOT_SPLIT, NOT_SPLIT]);
    expect(r.fields[0]).toBe(NOT_SPLIT);
    expect(r.texts).toEqual(['a,b', '"c']);
    const long = await readAll(await file(`a,b\n${'x'.repeat(300)}\nc`), { split: false, maxLineChars: 100, chunkBytes: 16 });
    expect(long.fields).toEqual([NOT_SPLIT, TOO_LONG, NOT_SPLIT]);
    expect(long.fields[1]).toBe(TOO_LONG);
  });
});

describe('UTF-8', () => {
  it('never splits a multi-byte character between chunks (é, €, 😀 at every boundary)', async () => {
    const text = 'x,é\n€,"😀é"\ré,a😀\n';
    const path = await file(text);
    for (let chunkBytes = 1; chunkBytes <= Buffer.byteLength(text); chunkBytes++) {
      const r = await readAll(path, { chunkBytes });
      expect(r.fields, `chunkBytes ${chunkBytes}`).toEqual([['x', 'é'], ['€', '😀é\ré', 'a😀']]);
    }
    // A boundary inside "é": bytes 0..2 are "x,\xc3", the next chunk starts with "\xa9".
    const r = await readAll(path, { chunkBytes: 3 });
    expect(r.fields[0]).toEqual(['x', 'é']);
    expect(r.texts.join('').includes('\ufffd')).toBe(false);
  });

  it('reads bytes that are not UTF-8 as U+FFFD, also at a chunk boundary, and keeps the comma after them', async () => {
    // "a\xe9,b" is Latin-1 "aé,b"; \xff never occurs in UTF-8; \xe2\x82 is a cut-short "€" at the end.
    const bytes = [0x61, 0xe9, 0x2c, 0x62, 0x0a, 0xff, 0x0a, 0x63, 0x2c, 0xe2, 0x82];
    const path = await file(bytes);
    for (const chunkBytes of [1, 2, 3, 4, 1 << 20]) {
      const r = await readAll(path, { chunkBytes });
      expect(r.fields, `chunkBytes ${chunkBytes}`).toEqual([['a\ufffd', 'b'], ['\ufffd'], ['c', '\ufffd']]);
      expect(r.lines).toEqual([1, 2, 3]);
    }
  });

  it('agrees with decoding the whole file at once, for any bytes, chunk size and batch size', async () => {
    const pieces = ['a', 'b', '1', ',', ',', '"', '""', '\n', '\n', '\r\n', ' ', '\t', 'é', '€', '😀', '\ufeff'].map((s) => Buffer.from(s));
    const bad = [[0xff], [0xe9], [0xc3], [0x80], [0xe2, 0x82], [0xf0, 0x9f]].map((b) => Buffer.from(b));
    const piece = fc.oneof({ arbitrary: fc.constantFrom(...pieces), weight: 6 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 4 }), async (parts, chunkBytes, batchLines) => {
        const bytes = Buffer.concat(parts);
        const path = await file(bytes);
        const r = await readAll(path, { chunkBytes, batchLines });
        let text = bytes.toString('utf8');
        if (text.startsWith('\ufeff')) text = text.slice(1);
        const want: All = { lines: [], fields: [], texts: [], batches: [] };
        text.split('\n').forEach((l, i) => {
          const line = l.endsWith('\r') ? l.slice(0, -1) : l;
          if (line.trim() === '') return;
          want.lines.push(i + 1);
          want.texts.push(line);
          want.fields.push(splitCsvLine(line));
        });
        expect(r.lines).toEqual(want.lines);
        expect(r.texts).toEqual(want.texts);
        expect(r.fields).toEqual(want.fields);
        expect(r.sha256).toBe(sha(bytes));
        expect(r.batches.every((b) => b.lines.length >= 1 && b.lines.length <= batchLines)).toBe(true);
        const read = r.batches.map((b) => b.bytesRead);
        expect([...read].sort((a, b) => a - b)).toEqual(read);
        if (read.length > 0) expect(read.at(-1)).toBeLessThanOrEqual(bytes.length);
        await rm(path);
      }),
      { numRuns: 300 },
    );
  });

  it('splits a line as splitCsvLine does, for any fields written as CSV', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', 'é', '1') });
    const record = fc.array(fc.tuple(field, fc.boolean()), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 8 }), async (records) => {
        // Quote a field when it has to be (comma, quote) or when asked; otherwise write it as is.
        const lines = records.map((r) => r.map(([v, q]) => (q || v.includes(',') || v.includes('"') ? `"${v.replaceAll('"', '""')}"` : v)).join(','));
        const path = await file(lines.join('\r\n'));
        const r = await readAll(path, { chunkBytes: 5 });
        const expected = records.map((rec) => rec.map(([v]) => v)).filter((_, i) => lines[i].trim() !== '');
        expect(r.fields).toEqual(expected);
        expect(r.fields).toEqual(r.texts.map(splitCsvLine));
        await rm(path);
      }),
      { numRuns: 200 },
    );
  });
});

describe('gzip', () => {
  const text = '\ufeffid,start,duration\r\n1,2026-10-05 10:00:00,60\r\n\r\n2,"2026-10-05 10:01:00",é\r\n';

  it('decompresses a file that starts with the gzip magic bytes, whatever its name', async () => {
    const gz = gzipSync(Buffer.from(text));
    const path = await file(gz, 'calls-no-extension.csv');
    const reader = await openCdrFile(path);
    expect(reader.gzip).toBe(true);
    const r = await readAll(path);
    expect(r.lines).toEqual([1, 2, 4]);
    expect(r.fields).toEqual([['id', 'start', 'duration'], ['1', '2026-10-05 10:00:00', '60'], ['2', '2026-10-05 10:01:00', 'é']]);
    expect(r.sha256).toBe(sha(gz));
    expect(r.totalBytes).toBe(gz.length);
    expect(r.compressed).toBe(gz.length);
    expect(r.batches.at(-1)!.bytesRead).toBe(Buffer.byteLength(text));
  });

  it('reads a plain file named .gz as plain text', async () => {
    const path = await file('a,b\n', 'plain.csv.gz');
    expect((await openCdrFile(path)).gzip).toBe(false);
    expect((await readAll(path)).fields).toEqual([['a', 'b']]);
  });

  it('keeps a multi-byte character whole across decompressed chunks', async () => {
    // zlib's smallest output chunk is 64 bytes: "é" straddles bytes 63 and 64.
    const line = `${'x'.repeat(61)},é,€\n`;
    const path = await file(gzipSync(Buffer.from(line.repeat(50))));
    const r = await readAll(path, { chunkBytes: 64 });
    expect(r.fields).toHaveLength(50);
    expect(r.fields.every((f) => f !== null && f[1] === 'é' && f[2] === '€')).toBe(true);
  });

  it('rejects a gzip cut short with an Error naming the file', async () => {
    const gz = gzipSync(Buffer.from('1,2026-10-05 10:00:00,60,9007,0034911234567\n'.repeat(5000)));
    const cut = await file(gz.subarray(0, Math.floor(gz.length / 2)), 'cut.csv.gz');
    await expect(readAll(cut)).rejects.toThrow('cut.csv.gz: the gzip data is cut short (the file is truncated)');
    await expect(readAll(cut, { chunkBytes: 100, batchLines: 10 })).rejects.toThrow(/cut\.csv\.gz: the gzip data is cut short/);
    // Only the trailer (CRC and length) missing: still cut short.
    const noTrailer = await file(gz.subarray(0, gz.length - 8), 'no-trailer.csv.gz');
    await expect(readAll(noTrailer)).rejects.toThrow(/no-trailer\.csv\.gz: the gzip data is cut short/);
    // The magic bytes alone.
    await expect(readAll(await file([0x1f, 0x8b], 'magic.gz'))).rejects.toThrow(/magic\.gz: the gzip data is cut short/);
    const reader = await openCdrFile(cut);
    await expect(readAll(cut)).rejects.toBeInstanceOf(Error);
    expect(reader.sha256()).toBe('');
  });

  it('rejects corrupt gzip data with an Error naming the file', async () => {
    const gz = gzipSync(Buffer.from('1,2026-10-05 10:00:00,60,9007,0034911234567\n'.repeat(50)));
    const bad = Buffer.from(gz);
    bad[bad.length - 6] ^= 0xff; // the CRC
    await expect(readAll(await file(bad, 'crc.gz'))).rejects.toThrow(/crc\.gz: the gzip data is corrupt/);
  });
});

describe('reader', () => {
  it('yields batches of at most batchLines with bytesRead growing to the file size', async () => {
    const body = Array.from({ length: 10 }, (_, i) => `${i},x`).join('\n') + '\n';
    const whole = await readAll(await file(body), { batchLines: 3 });
    expect(whole.batches.map((b) => b.lines.length)).toEqual([3, 3, 3, 1]);
    const r = await readAll(await file(body), { batchLines: 3, chunkBytes: 8 });
    expect(r.batches.every((b) => b.lines.length >= 1 && b.lines.length <= 3)).toBe(true);
    expect(r.lines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const read = r.batches.map((b) => b.bytesRead);
    expect([...read].sort((a, b) => a - b)).toEqual(read);
    expect(read.at(-1)).toBe(body.length);
  });

  it('reads from the start on every pass, and has the hash only after a whole pass', async () => {
    const path = await file('a,1\nb,2\nc,3\n');
    const reader = await openCdrFile(path, { batchLines: 1, chunkBytes: 4 });
    const it = reader.batches();
    expect((await it.next()).value?.fields).toEqual([['a', '1']]);
    await it.return(undefined);
    expect(reader.sha256()).toBe('');
    const again: (string[] | null)[] = [];
    for await (const b of reader.batches()) again.push(...b.fields);
    expect(again).toEqual([['a', '1'], ['b', '2'], ['c', '3']]);
    expect(reader.sha256()).toBe(sha(Buffer.from('a,1\nb,2\nc,3\n')));
    expect(reader.compressedBytesRead()).toBe(12);
    expect(reader.bytesRead()).toBe(12);
    expect(reader.name).toBe(path.split('/').pop());
    // The hash is there by the time the last batch is handed out.
    const one = await openCdrFile(path);
    const only = one.batches();
    expect([...((await only.next()).value?.lines ?? [])]).toEqual([1, 2, 3]);
    expect(one.sha256()).toBe(reader.sha256());
    await only.return(undefined);
  });

  it('makes a line longer than maxLineChars malformed, keeps its start, and reads on', async () => {
    const long = 'y'.repeat(500);
    const r = await readAll(await file(`a,b\n${long}\nc,d\n${long}`), { maxLineChars: 100, chunkBytes: 16 });
    expect(r.lines).toEqual([1, 2, 3, 4]);
    expect(r.fields).toEqual([['a', 'b'], TOO_LONG, ['c', 'd'], TOO_LONG]);
    expect(r.fields[1]).toBe(TOO_LONG);
    expect(r.texts[1].startsWith('yyyy')).toBe(true);
    expect(r.texts[1].length).toBeLessThanOrEqual(201);
  });

  it('rejects a file that does not exist', async () => {
    await expect(openCdrFile(join(dir, 'missing.csv'))).rejects.toThrow(/ENOENT/);
  });
});

describe('firstLines', () => {
  it('gives the first n non-blank lines, decompressed, BOM and CR dropped', async () => {
    const text = '\ufeff\r\nid,start\r\n\r\n1,x\r\n2,y\r\n3,z';
    expect(await firstLines(await file(text), 2)).toEqual(['id,start', '1,x']);
    expect(await firstLines(await file(gzipSync(Buffer.from(text)), 'first.gz'), 10)).toEqual(['id,start', '1,x', '2,y', '3,z']);
    expect(await firstLines(await file(''), 3)).toEqual([]);
    expect(await firstLines(ASTERISK, 1)).toEqual([(await readFile(ASTERISK, 'utf8')).split('\n')[0]]);
  });

  it('reads the first lines of a gzip cut short later in the file', async () => {
    const gz = gzipSync(Buffer.from('1,a\n'.repeat(100000)));
    const path = await file(gz.subarray(0, gz.length - 100), 'first-cut.gz');
    expect(await firstLines(path, 2)).toEqual(['1,a', '1,a']);
  });
});
