import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { compileWorkbook } from '../../../rules/workbook/compile.js';
import { rateFiles, InputError, type RateResult } from '../../../server/runs/rate-run.js';
import { loadWorkbookFile } from '../../../server/model/workbook-file.js';
import { buildRatingModel, type RatingModel } from '../../../rules/rating/rating-model.js';
import type { CdrFormatRow } from '../../../rules/workbook/rows.js';
import { sheet, workbook } from '../../rules/workbook/raw-builder.js';

const temp = (): Promise<string> => mkdtemp(join(tmpdir(), 'ratebook-rate-'));
let sample: { model: RatingModel; hash: string } | null = null;
async function sampleModel(): Promise<{ model: RatingModel; hash: string }> {
  if (sample) return sample;
  const r = await loadWorkbookFile('workbooks/sample-uk-reseller.xlsx');
  if (!r.ok || !r.value.model) throw new Error('sample does not compile');
  return (sample = { model: r.value.model, hash: r.value.hash });
}
const rate = async (files: { path: string; name: string }[], model?: RatingModel, format?: string): Promise<RateResult & { dir: string }> => {
  const m = model ?? (await sampleModel()).model;
  const dir = await temp();
  const r = await rateFiles({ model: m, workbookHash: 'h', files, outDir: dir, format });
  return { ...r, dir };
};
const csvRows = async (path: string): Promise<string[][]> => (await readFile(path, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));

describe('rating the sample month', () => {
  it('rates every line into exactly one rated call or one exception, every reason present', async () => {
    const { summary, dir } = await rate([{ path: 'workbooks/sample-calls.csv', name: 'sample-calls.csv' }]);
    const exceptions = Object.values(summary.exceptions).reduce((a, b) => a + (b ?? 0), 0);
    expect(summary.input).toBe(summary.rated + exceptions);
    expect(Object.keys(summary.exceptions).sort()).toEqual(['DUPLICATE', 'INVALID_RECORD', 'NO_RATE', 'NO_TARIFF', 'NUMBER_INACTIVE', 'SUSPECTED_FRAUD', 'UNKNOWN_DESTINATION', 'UNKNOWN_NUMBER']);
    // The lines the sample plants on purpose (workbooks/sample-calls.ts):
    expect(summary.exceptions).toMatchObject({ INVALID_RECORD: 7, DUPLICATE: 2, UNKNOWN_NUMBER: 2 });
    // 14-call burst: calls 11 to 14 exceed 10 a minute; 45 one-second calls exceed 40 a day: all 45.
    expect(summary.exceptions.SUSPECTED_FRAUD).toBe(4 + 45);
    const source = (await readFile('workbooks/sample-calls.csv', 'utf8')).trim().split('\n').length - 1;
    expect(summary.input).toBe(source);
    const rated = await csvRows(join(dir, 'rated.csv'));
    const excs = await csvRows(join(dir, 'exceptions.csv'));
    expect(rated.length).toBe(summary.rated);
    expect(rated.length + excs.length).toBe(summary.input);
    const lines = new Set([...rated, ...excs].map((r) => r[1]));
    expect(lines.size).toBe(summary.input);
    expect(summary.files[0]).toMatchObject({ name: 'sample-calls.csv', format: 'generic', lines: source });
    expect(summary.files[0].sha256).toBe(createHash('sha256').update(await readFile('workbooks/sample-calls.csv')).digest('hex'));
    expect((await readdir(dir)).sort()).toEqual(['exceptions.csv', 'exceptions.xlsx', 'rated.csv', 'summary.json']);
  });
  it('sums the charges exactly as the rated lines show them', async () => {
    const { summary, dir } = await rate([{ path: 'workbooks/sample-calls.csv', name: 'sample-calls.csv' }]);
    const rated = await csvRows(join(dir, 'rated.csv'));
    const micro = rated.reduce((s, r) => s + Math.round(Number(r[17]) * 1e6), 0);
    expect(Math.round(Number(summary.charge) * 1e6)).toBe(micro);
  });
  it('writes an exceptions workbook with a Summary tab and a tab per reason', async () => {
    const { dir } = await rate([{ path: 'workbooks/sample-calls.csv', name: 'sample-calls.csv' }]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'exceptions.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'INVALID_RECORD', 'DUPLICATE', 'UNKNOWN_NUMBER', 'NUMBER_INACTIVE', 'SUSPECTED_FRAUD', 'UNKNOWN_DESTINATION', 'NO_TARIFF', 'NO_RATE']);
    const summary = wb.getWorksheet('Summary')!;
    expect(summary.getRow(1).values).toContain('Usual fix');
    expect(String(summary.getRow(4).getCell(6).value)).toContain('442079461234');
  });
  it('gives the same calls rated as one file or split in two (file and line aside)', async () => {
    const text = (await readFile('workbooks/sample-calls.csv', 'utf8')).trim().split('\n');
    const dir = await temp();
    const cut = 1700;
    await writeFile(join(dir, 'a.csv'), text.slice(0, cut).join('\n') + '\n');
    await writeFile(join(dir, 'b.csv'), [text[0], ...text.slice(cut)].join('\n') + '\n');
    const whole = await rate([{ path: 'workbooks/sample-calls.csv', name: 'all.csv' }]);
    const split = await rate([{ path: join(dir, 'a.csv'), name: 'a.csv' }, { path: join(dir, 'b.csv'), name: 'b.csv' }]);
    const strip = async (d: string, f: string) => (await csvRows(join(d, f))).map((r) => r.slice(2).join(',')).sort();
    expect(await strip(split.dir, 'rated.csv')).toEqual(await strip(whole.dir, 'rated.csv'));
    expect(split.summary.exceptions).toEqual(whole.summary.exceptions);
    expect(split.summary.charge).toBe(whole.summary.charge);
  });
});

describe('CDR files as they come', () => {
  const small = (): RatingModel => {
    const c = compileWorkbook(workbook(
      sheet('Customers', [['Account', 'Name', 'Email', 'Tariff'], ['PBX', 'PBX', 'p@x', 'Business']]),
      sheet('Numbers', [['Account', 'Number', 'DateSold'], ['PBX', '9007', '2000-01-01'], ['PBX', '9008', '2000-01-01']]),
      sheet('Destinations', [['Prefix', 'Destination', 'CallClass'], ['34', 'Spain', 'International']]),
      sheet('Rates', [['Tariff', 'Destination', 'PerMinute'], ['Business', 'Spain', 0.05]]),
    ));
    if (!c.model) throw new Error(JSON.stringify(c.issues));
    return c.model;
  };
  it('reads the real Asterisk file: 18 columns, a caller that is not a phone number', async () => {
    const { summary, dir } = await rate([{ path: '../shared/samples/cdr/asterisk-testsuite-dispositions.csv', name: 'Master.csv' }], small());
    expect(summary.files[0]).toMatchObject({ format: 'asterisk', lines: 5 });
    expect(summary.exceptions).toEqual({ INVALID_RECORD: 5 });
    expect((await csvRows(join(dir, 'exceptions.csv')))[0].slice(7).join(',')).toBe('INVALID_RECORD,"caller ""test"" is not a phone number"');
  });
  it('reads the real FreeSWITCH file: every field quoted, one destination written five ways', async () => {
    const { summary, dir } = await rate([{ path: '../shared/samples/cdr/freeswitch-example-template.csv', name: 'fs.csv' }], small());
    expect(summary.files[0]).toMatchObject({ format: 'freeswitch', lines: 5 });
    const rated = await csvRows(join(dir, 'rated.csv'));
    expect(rated.map((r) => [r[6], r[11], r[17]])).toEqual([['34688886392', 'Spain', '0.0000'], ['34688886392', 'Spain', '0.0000'], ['34688886392', 'Spain', '0.0000'], ['34688886392', 'Spain', '0.0000']]);
    expect(summary.exceptions).toEqual({ UNKNOWN_DESTINATION: 1 });
  });
  it('reads gzip, a BOM and CRLF, and refuses a gzip cut short without writing anything', async () => {
    const dir = await temp();
    const text = '\ufeffid,start,duration,caller,called\r\n1,2026-10-05 10:00:00,60,9007,0034911234567\r\n';
    await writeFile(join(dir, 'calls.csv.gz'), gzipSync(Buffer.from(text)));
    const { summary } = await rate([{ path: join(dir, 'calls.csv.gz'), name: 'calls.csv.gz' }], small());
    expect([summary.rated, summary.files[0].format]).toEqual([1, 'generic']);
    const gz = gzipSync(Buffer.from(text.repeat(2000)));
    await writeFile(join(dir, 'cut.csv.gz'), gz.subarray(0, gz.length - 40));
    const out = await temp();
    await expect(rateFiles({ model: small(), workbookHash: 'h', files: [{ path: join(dir, 'cut.csv.gz'), name: 'cut.csv.gz' }], outDir: out })).rejects.toThrow(InputError);
    expect(await readdir(out)).toEqual([]);
  });
  it('refuses a file whose format it cannot tell', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'odd.csv'), 'a;b;c\n1;2;3\n');
    const out = await temp();
    await expect(rateFiles({ model: small(), workbookHash: 'h', files: [{ path: join(dir, 'odd.csv'), name: 'odd.csv' }], outDir: out })).rejects.toThrow(/odd\.csv: the CDR format is not one Ratebook recognises/);
  });
  it('names the field of every INVALID_RECORD and keeps a bad line from harming the next', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'c.csv'), [
      'id,start,duration,caller,called,direction,cost',
      '1,2026-10-05 10:00:00,60,anonymous,0034911234567,out,',
      '2,2026-10-05 10:00:00,abc,9007,0034911234567,out,',
      '3,2026-10-05 10:00:00,60,9007,0034911234567,sideways,',
      '4,"2026-10-05 10:00:00,60,9007,0034911234567,out,',
      '5,2026-10-05 10:00:00,60,9007,0034911234567,out,1.1234567',
      '',
      '6,2026-10-05T09:00:00Z,59.2,9007,0034911234567,OUT,0',
      '7,yesterday,60,9007,0034911234567,out,',
      '8,2026-10-05 10:00:00,60',
    ].join('\n') + '\n');
    const { summary, dir: out } = await rate([{ path: join(dir, 'c.csv'), name: 'c.csv' }], small());
    const ex = await csvRows(join(out, 'exceptions.csv'));
    expect(ex.map((r) => `${r[1]} ${r.slice(8).join(',')}`)).toEqual([
      '2 "caller ""anonymous"" is not a phone number"',
      '3 "duration ""abc"" is not a number of seconds"',
      '4 "direction ""sideways"" is neither out nor in"',
      '5 a quote is not closed on this line',
      '6 cost "1.1234567" is invalid (more than 6 decimals)'.replace('cost "1.1234567" is invalid (more than 6 decimals)', '"cost ""1.1234567"" is invalid (more than 6 decimals)"'),
      '9 "start ""yesterday"" is not a date-time"',
      '10 "line has 3 columns, the header has 7"',
    ]);
    // 59.2 s rounds up to 60 s; line 8 (after a blank line) keeps its editor line number.
    const rated = await csvRows(join(out, 'rated.csv'));
    expect(rated.map((r) => [r[1], r[15], r[18]])).toEqual([['8', '60', '0']]);
    expect(summary.input).toBe(8);
  });
});

describe('worker threads', () => {
  it('give output identical, line for line, to the single-threaded run (one and two workers, alone or with the main thread; two files that repeat each other)', async () => {
    const { model } = await sampleModel();
    const files = [
      { path: 'workbooks/sample-calls.csv', name: 'sample-calls.csv' },
      { path: 'workbooks/sample-calls.csv', name: 'again.csv' },
    ];
    const dirA = await temp();
    const a = await rateFiles({ model, workbookHash: 'h', files, outDir: dirA });
    expect(a.summary.exceptions.DUPLICATE).toBeGreaterThan(3000);
    // Workers only (every batch crosses a thread), and shared with the main thread as in production.
    for (const [workers, workersOnly] of [[1, true], [2, true], [1, false]] as const) {
      const dirB = await temp();
      const b = await rateFiles({ model, workbookHash: 'h', files, outDir: dirB, workers, workersOnly });
      expect(b.summary).toEqual(a.summary);
      for (const f of ['rated.csv', 'exceptions.csv', 'summary.json']) expect(await readFile(join(dirB, f), 'utf8')).toBe(await readFile(join(dirA, f), 'utf8'));
    }
  });
});

describe('a CdrFormats Transform', () => {
  it('is compiled in every thread that rates (each loads mathjs on its first expression) and rates as one thread does', async () => {
    const { model } = await sampleModel();
    const row = (field: string, transform = '', timeFormat = ''): CdrFormatRow => ({ row: 2, format: 'dbl', field, column: field, transform, timeFormat });
    const cdrFormats = [row('id'), row('start', '', 'iso'), row('duration', 'number(value) * 2'), row('caller'), row('called'), row('direction'), row('cost')];
    const doubled = buildRatingModel({ ...model.rows, cdrFormats }, model.positions);
    const files = [{ path: 'workbooks/sample-calls.csv', name: 'sample-calls.csv' }];
    const dirA = await temp();
    const a = await rateFiles({ model: doubled, workbookHash: 'h', files, outDir: dirA, format: 'dbl' });
    // nwv-000001 lasts 89 s in the file.
    expect((await csvRows(join(dirA, 'rated.csv'))).find((r) => r[2] === 'nwv-000001')?.[15]).toBe('178');
    const dirB = await temp();
    const b = await rateFiles({ model: doubled, workbookHash: 'h', files, outDir: dirB, format: 'dbl', workers: 1, workersOnly: true });
    expect(b.summary).toEqual(a.summary);
    for (const f of ['rated.csv', 'exceptions.csv']) expect(await readFile(join(dirB, f), 'utf8')).toBe(await readFile(join(dirA, f), 'utf8'));
  });
});

describe('a line too long to be a CDR', () => {
  it('is an INVALID_RECORD that says so, and the lines around it rate, on one thread and with a worker', async () => {
    const { model } = await sampleModel();
    const source = (await readFile('workbooks/sample-calls.csv', 'utf8')).trim().split('\n');
    // A line of 5 million characters (a file that lost its line ends) between two real ones.
    const lines = [source[0], source[1], source[2].replace(/,/, ',' + '9'.repeat(5_000_000)), source[3]];
    const dir = await temp();
    const path = join(dir, 'long.csv');
    await writeFile(path, lines.join('\n') + '\n');
    const wholeDir = await temp();
    await rateFiles({ model, workbookHash: 'h', files: [{ path: 'workbooks/sample-calls.csv', name: 'long.csv' }], outDir: wholeDir });
    const rows = async (d: string, f: string): Promise<string[]> => (await readFile(join(d, f), 'utf8')).trim().split('\n').slice(1);
    const wholeRows = [...(await rows(wholeDir, 'rated.csv')), ...(await rows(wholeDir, 'exceptions.csv'))];
    // What the whole sample made of lines 2 and 4 (the same file name, so the same rows).
    const expected = wholeRows.filter((r) => r.startsWith('long.csv,2,') || r.startsWith('long.csv,4,')).sort();
    expect(expected).toHaveLength(2);
    for (const [workers, workersOnly] of [[0, false], [1, true]] as const) {
      const out = await temp();
      const r = await rateFiles({ model, workbookHash: 'h', files: [{ path, name: 'long.csv' }], outDir: out, workers, workersOnly });
      expect(r.summary.input).toBe(3);
      const exc = await rows(out, 'exceptions.csv');
      const long = exc.filter((l) => l.startsWith('long.csv,3,'));
      expect(long, `workers ${workers}`).toEqual([`long.csv,3,,,,,,INVALID_RECORD,the line is over 4,194,304 characters long, which no CDR is: is the file missing its line ends?`.replace(/,the line(.*)$/, ',"the line$1"')]);
      expect([...(await rows(out, 'rated.csv')), ...exc].filter((l) => !l.startsWith('long.csv,3,')).sort(), `workers ${workers}`).toEqual(expected);
    }
  });
});

describe('worker threads over many batches', () => {
  it('fill the same buffers again batch after batch (each side hands them back) and still write what one thread writes', async () => {
    const { model } = await sampleModel();
    const source = (await readFile('workbooks/sample-calls.csv', 'utf8')).trim().split('\n');
    // 30 copies of the sample with ids made unique: about 97,000 lines, 48 batches, the last one short.
    const lines = [source[0]];
    for (let k = 0; k < 30; k++) for (const l of source.slice(1)) lines.push(l.replace(/^[^,]*/, (id) => (id === '' ? '' : `${id}-${k}`)));
    const dir = await temp();
    const path = join(dir, 'many.csv');
    await writeFile(path, lines.join('\n') + '\n');
    const files = [{ path, name: 'many.csv' }];
    const dirA = await temp();
    const a = await rateFiles({ model, workbookHash: 'h', files, outDir: dirA });
    expect(a.summary.input).toBe(lines.length - 1);
    const expected = await Promise.all(['rated.csv', 'exceptions.csv'].map((f) => readFile(join(dirA, f), 'utf8')));
    for (const [workers, workersOnly] of [[1, true], [2, true], [1, false]] as const) {
      const dirB = await temp();
      const b = await rateFiles({ model, workbookHash: 'h', files, outDir: dirB, workers, workersOnly });
      expect(b.summary).toEqual(a.summary);
      expect(await Promise.all(['rated.csv', 'exceptions.csv'].map((f) => readFile(join(dirB, f), 'utf8')))).toEqual(expected);
    }
  });
});

describe('random CDR files', () => {
  it('end every data line as exactly one rated call or one exception, and the summary adds up (single, worker and full-path runs alike)', async () => {
    const { seededRandom } = await import('../../../workbooks/seeded-random.js');
    const r = seededRandom(2026);
    const source = (await readFile('workbooks/sample-calls.csv', 'utf8')).trim().split('\n');
    const header = source[0];
    const body = source.slice(1);
    const garble = (line: string): string => {
      const f = line.split(',');
      const k = Math.floor(r() * 9);
      switch (k) {
        case 0: f[Math.floor(r() * f.length)] = ''; break; // a missing field
        case 1: f[2] = String(-Math.floor(r() * 100)); break; // negative duration
        case 2: f[1] = 'yesterday'; break;
        case 3: return f.slice(0, 3).join(','); // too few columns
        case 4: return line.replace(',', ',"'); // a quote never closed
        case 5: f[3] = 'anonymous'; break;
        case 6: f[0] = ''; break; // no id: dedupe by the tuple
        case 7: f[4] = '=HYPERLINK("x")'; break;
        default: f[2] = String(Math.floor(r() * 5000)); // another duration
      }
      return f.join(',');
    };
    const lines: string[] = [header];
    for (let i = 0; i < 6000; i++) {
      const x = r();
      const base = body[Math.floor(r() * body.length)];
      if (x < 0.05) lines.push('');
      else if (x < 0.1) lines.push(lines[1 + Math.floor(r() * (lines.length - 1))] ?? base); // repeats an earlier line
      else if (x < 0.5) lines.push(garble(base));
      else lines.push(base.replace(/^[^,]*/, `rnd-${i}`));
    }
    const dir = await temp();
    const path = join(dir, 'random.csv');
    await writeFile(path, lines.join('\r\n') + '\r\n');
    const dataLines = new Set<number>();
    lines.forEach((l, i) => { if (i > 0 && l.trim() !== '') dataLines.add(i + 1); });

    const { model } = await sampleModel();
    const outputs: string[] = [];
    // One thread, two workers, and every line on the full path (no fast lane): the same output.
    for (const [workers, fastLane] of [[0, true], [2, true], [0, false]] as const) {
      const out = await temp();
      const { summary } = await rateFiles({ model, workbookHash: 'h', files: [{ path, name: 'random.csv' }], outDir: out, workers, workersOnly: workers > 0, fastLane });
      const seen = new Map<number, number>();
      const lineOf = (row: string): number => Number(/^random\.csv,(\d+),/.exec(row)?.[1]);
      const rated = (await readFile(join(out, 'rated.csv'), 'utf8')).split('\n').slice(1).filter((l) => l.startsWith('random.csv,'));
      const excs = (await readFile(join(out, 'exceptions.csv'), 'utf8')).split('\n').slice(1).filter((l) => l.startsWith('random.csv,'));
      for (const row of [...rated, ...excs]) seen.set(lineOf(row), (seen.get(lineOf(row)) ?? 0) + 1);
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual([...dataLines].sort((a, b) => a - b));
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      const excTotal = Object.values(summary.exceptions).reduce((a, b) => a + (b ?? 0), 0);
      expect(summary.input).toBe(dataLines.size);
      expect(summary.rated + excTotal).toBe(summary.input);
      expect(summary.rated).toBe(rated.length);
      for (const row of rated) expect(row.split(',')[17].startsWith('-')).toBe(false);
      outputs.push(await readFile(join(out, 'rated.csv'), 'utf8'), await readFile(join(out, 'exceptions.csv'), 'utf8'));
    }
    expect(outputs[2]).toBe(outputs[0]);
    expect(outputs[3]).toBe(outputs[1]);
    expect(outputs[4]).toBe(outputs[0]);
    expect(outputs[5]).toBe(outputs[1]);
  });
});
