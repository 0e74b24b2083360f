import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXCEPTION_HEADER, exceptionRow } from '../../../rules/rating/call-rows.js';
import { EXCEPTION_REASONS, type CallException } from '../../../rules/cdr/cdr.js';
import { csvLine } from '../../../rules/csv.js';
import { CsvWriter } from '../../../workbooks/csv-writer.js';
import { ExceptionSink } from '../../../server/runs/exception-sink.js';

let dir = '';
let n = 0;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'exception-sink-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The sink's exceptions.csv, and the bytes the cells-then-csvLine path writes for the same exceptions. */
async function written(es: CallException[], zone: string, maxTabRows = 3): Promise<{ got: Buffer; want: Buffer; sink: ExceptionSink }> {
  const path = join(dir, `exceptions-${n++}.csv`);
  const csv = new CsvWriter(path, EXCEPTION_HEADER);
  const sink = new ExceptionSink(csv, zone, maxTabRows);
  for (const e of es) sink.add(e);
  await csv.close();
  const want = Buffer.from(csvLine(EXCEPTION_HEADER) + es.map((e) => csvLine(exceptionRow(e, zone))).join(''), 'utf8');
  return { got: await readFile(path), want, sink };
}

const base: CallException = {
  file: 'calls.csv', line: 2, id: 'c1', startMs: Date.parse('2026-10-25T00:59:59Z'), caller: '442079460001', called: '442079460002',
  callerN: '442079460001', calledN: '442079460002', duration: 61, cost: 1_250, reason: 'UNKNOWN_NUMBER', detail: 'add 442079460001 to Numbers',
};

const TEXTS = [
  '', 'plain', '=1+2', '-abc', '@x', '+44 20', '-5', '+12', '-1.5e-3', '=', '\tTab', '\rcr', 'a,b', 'say "hi", then go', '"', 'two\nlines',
  'Côte d’Ivoire', '🙂 emoji', 'lone \ud800 surrogate', 'end \udc00', '日本語,"引用"', '0044 20 7946',
];

const text = fc.oneof(fc.constantFrom(...TEXTS), fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: fc.constantFrom('=', '+', '-', '@', ',', '"', '\n', '\r', '\t', '1', 'e', '.', 'é', '\ud83d'), maxLength: 8 }));
const number = fc.oneof(fc.nat({ max: 10_000 }), fc.nat(), fc.constantFrom(-1, -0, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER, 2 ** 60));
const startMs = fc.oneof(
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
  fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(9999, 0, 1) }),
  fc.constantFrom(Date.parse('2026-03-29T01:00:00Z'), Date.parse('2026-10-25T01:00:00Z'), Date.UTC(1979, 11, 31, 23, 59, 59), Date.UTC(1980, 0, 1)),
);
const exception: fc.Arbitrary<CallException> = fc.record({
  file: text, line: number, id: text, startMs: fc.option(startMs, { nil: null, freq: 4 }), caller: text, called: text,
  callerN: fc.option(text, { nil: null }), calledN: fc.option(text, { nil: null }), duration: fc.option(number, { nil: null, freq: 4 }),
  cost: fc.option(fc.integer({ min: -1e9, max: 1e9 }), { nil: null }), reason: fc.constantFrom(...EXCEPTION_REASONS), detail: text,
});
const ZONES = ['Europe/London', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Africa/Monrovia', 'Asia/Kathmandu'];

describe('ExceptionSink', () => {
  it('writes exceptions.csv byte for byte as csvLine(exceptionRow(e, zone)), for risky, quoted and non-ASCII cells and missing start or duration', async () => {
    const es: CallException[] = [
      base,
      { ...base, id: '=1+2', caller: '-abc', called: '@x', detail: 'rate, then "check" it' },
      { ...base, caller: '+442079460001', called: '-5', detail: '=HYPERLINK("x")' },
      { ...base, file: 'Zürich, Büro.csv', detail: 'Côte d’Ivoire 🙂 has no rate', reason: 'NO_RATE' },
      { ...base, startMs: null, duration: null, detail: 'start "32/13/2026" is not a date-time', reason: 'INVALID_RECORD' },
      { ...base, duration: -3, line: 0, detail: '\tindented\r\nand two lines' },
    ];
    const { got, want } = await written(es, 'Europe/London');
    expect(got.toString('hex')).toBe(want.toString('hex'));
    expect(got.toString('utf8').split('\n')[2]).toBe(`calls.csv,2,'=1+2,2026-10-25T01:59:59+01:00,'-abc,'@x,61,UNKNOWN_NUMBER,"rate, then ""check"" it"`);
    expect(got.toString('utf8').split('\n')[5]).toBe(`calls.csv,2,c1,,442079460001,442079460002,,INVALID_RECORD,"start ""32/13/2026"" is not a date-time"`);
  });

  it('writes random exceptions in any zone as the reference does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(exception, { maxLength: 40 }), fc.constantFrom(...ZONES), async (es, zone) => {
        const { got, want } = await written(es, zone);
        expect(got.toString('hex')).toBe(want.toString('hex'));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the order and every byte across many chunks and a row longer than a chunk', async () => {
    const es: CallException[] = [];
    for (let i = 0; i < 30_000; i++) es.push({ ...base, line: i + 2, id: `b${i}`, startMs: base.startMs! + i * 7_919_000, detail: i % 7 === 0 ? `add ${i}, "now"` : `add ${i}` });
    es.splice(12_345, 0, { ...base, detail: 'é,'.repeat(300_000) });
    const { got, want } = await written(es, 'America/New_York');
    expect(got.length).toBe(want.length);
    expect(got.equals(want)).toBe(true);
  });

  it('keeps the first maxTabRows cells per reason for the tabs, with the counts behind them', async () => {
    const es: CallException[] = [];
    for (let i = 0; i < 7; i++) es.push({ ...base, line: i + 2, reason: i % 3 === 0 ? 'NO_RATE' : 'UNKNOWN_NUMBER', startMs: i === 1 ? null : base.startMs! + i * 1000 });
    const zone = 'Europe/London';
    const { sink } = await written(es, zone, 2);
    const tabs = sink.tables();
    expect(tabs.map((t) => t.name)).toEqual(['Summary', 'UNKNOWN_NUMBER', 'NO_RATE']);
    const unknown = es.filter((e) => e.reason === 'UNKNOWN_NUMBER');
    expect(tabs[1].rows).toEqual(unknown.slice(0, 2).map((e) => exceptionRow(e, zone)));
    expect(tabs[1].note).toBe('first 2 of 4 rows; exceptions.csv has them all');
    expect(tabs[2].rows).toEqual(es.filter((e) => e.reason === 'NO_RATE').slice(0, 2).map((e) => exceptionRow(e, zone)));
    expect(tabs[2].note).toBe('first 2 of 3 rows; exceptions.csv has them all');
    expect(sink.summary.counts()).toEqual({ UNKNOWN_NUMBER: 4, NO_RATE: 3 });
  });
});
