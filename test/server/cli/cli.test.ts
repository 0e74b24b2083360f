import { mkdtemp, readFile, readdir, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { runCli } from './run-cli.js';
import { USAGE } from '../../../server/cli/cli.js';
import { commands } from '../../../server/cli/cli-commands.js';

const run = runCli;
const temp = (): Promise<string> => mkdtemp(join(tmpdir(), 'ratebook-cli-'));
const W = 'workbooks/sample-uk-reseller.xlsx';

/** The sample with one cell changed (tab, cell, value). */
async function edited(dir: string, edits: [string, string, ExcelJS.CellValue][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(W);
  for (const [tab, cell, value] of edits) wb.getWorksheet(tab)!.getCell(cell).value = value;
  const path = join(dir, 'edited.xlsx');
  await wb.xlsx.writeFile(path);
  return path;
}

describe('ratebook command line', () => {
  it('exits 2 with the usage for a wrong command line', async () => {
    expect((await run([])).code).toBe(2);
    const r = await run(['frobnicate']);
    expect([r.code, r.err.split('\n')[0]]).toEqual([2, 'unknown command "frobnicate"']);
    expect((await run(['validate'])).code).toBe(2);
    expect((await run(['rate', '--workbook', W, '--out', 'x'])).err).toContain('--cdrs is required');
    expect((await run(['bill', '--workbook', W, '--cdrs', 'c', '--out', 'x', '--period', '2026-13'])).code).toBe(2);
    expect((await run(['validate', W, '--bogus'])).code).toBe(2);
  });
  it('validates the sample (exit 0) and names the cell of an error (exit 1)', async () => {
    const ok = await run(['validate', W]);
    expect([ok.code, ok.out.trim().split('\n').pop()]).toEqual([0, 'sample-uk-reseller.xlsx: 0 errors, 1 warning, 0 notices — valid']);
    const dir = await temp();
    const bad = await run(['validate', await edited(dir, [['Rates', 'E14', 'abc'], ['Numbers', 'B3', 'not a number']])]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('Rates (1 error, 0 warnings, 0 notices)');
    expect(bad.out).toContain('  error   Rates!E14: PerMinute must be a number >= 0 (got "abc")');
    expect(bad.out).toContain('  error   Numbers!B3: Number is not a phone number (got "not a number")');
  });
  it('says in one sentence that a file is not a workbook (exit 1)', async () => {
    const r = await run(['validate', 'workbooks/sample-calls.csv']);
    expect([r.code, r.err.trim()]).toEqual([1, 'sample-calls.csv is not an .xlsx workbook (it looks like CSV text); open it in a spreadsheet and save it as .xlsx']);
  });
  it('diffs two workbooks (exit 0 either way)', async () => {
    const dir = await temp();
    const r = await run(['diff', W, await edited(dir, [['Rates', 'E15', 1.3]])]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Rates: 0 added, 0 removed, 1 changed');
    expect(r.out).toMatch(/~ Rates Standard \/ Directory Enquiries .*PerMinute 1\.5 -> 1\.3/);
    expect((await run(['diff', W, W])).out.trim()).toBe('The workbooks have the same content.');
  });
  it('imports, re-imports the same content, publishes, and rates from the published version', async () => {
    const data = await temp();
    const a = await run(['import', W, '--data', data]);
    expect(a.out).toContain('imported as version 1');
    const copy = join(data, 'copy.xlsx');
    await copyFile(W, copy);
    expect((await run(['import', copy, '--data', data])).out).toContain('already imported as version 1');
    expect((await run(['publish', '1', '--data', data])).out).toContain('published version 1');
    expect((await run(['publish', 'x', '--data', data])).code).toBe(2);
    expect((await run(['publish', '7', '--data', data])).err.trim()).toBe('there is no version 7');
    const out = await temp();
    const r = await run(['rate', '--data', data, '--cdrs', 'workbooks/sample-calls.csv', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')).input).toBe(3235);
    // A worker started before the model is built (from the version, or the workbook) rates the same.
    for (const from of [['--data', data], ['--workbook', W]]) {
      const withWorker = await temp();
      expect((await run(['rate', ...from, '--cdrs', 'workbooks/sample-calls.csv', '--out', withWorker, '--workers', '1'])).code).toBe(0);
      for (const f of ['rated.csv', 'exceptions.csv', 'summary.json']) expect(await readFile(join(withWorker, f), 'utf8'), `${from[0]} ${f}`).toBe(await readFile(join(out, f), 'utf8'));
    }
  });
  it('refuses to import-and-publish a workbook with errors', async () => {
    const dir = await temp();
    const r = await run(['import', await edited(dir, [['Rates', 'E14', -1]]), '--data', dir, '--publish']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not published: version 1 has 1 error(s)');
  });
  it('exits 1 and writes nothing when a CDR file cannot be read', async () => {
    const out = await temp();
    const r = await run(['rate', '--workbook', W, '--cdrs', '/nonexistent/calls.csv', '--out', out]);
    expect([r.code, r.err.trim()]).toEqual([1, 'ratebook: calls.csv: cannot read the file']);
  });
  it('keeps as many rows per reason tab as --tab-rows says, and says when a tab is cut', async () => {
    const out = await temp();
    const r = await run(['rate', '--workbook', W, '--cdrs', 'workbooks/sample-calls.csv', '--out', out, '--tab-rows', '3']);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'exceptions.xlsx'));
    const tab = wb.getWorksheet('NO_TARIFF')!;
    expect(tab.getRow(4).getCell(1).value).toBe('sample-calls.csv');
    expect(tab.getRow(5).values).toEqual([]);
    expect(tab.getRow(6).getCell(1).value).toBe('first 3 of 43 rows; exceptions.csv has them all');
    // The CSV keeps every row whatever the tabs keep.
    expect((await readFile(join(out, 'exceptions.csv'), 'utf8')).trim().split('\n').filter((l) => l.includes(',NO_TARIFF,'))).toHaveLength(43);
    const bad = await run(['rate', '--workbook', W, '--cdrs', 'workbooks/sample-calls.csv', '--out', out, '--tab-rows', 'lots']);
    expect([bad.code, bad.err.split('\n')[0]]).toEqual([2, '--tab-rows must be a number from 0 to 1000000 (got "lots")']);
  });
  it('writes text that starts like a formula so no spreadsheet runs it', async () => {
    const dir = await temp();
    const calls = join(dir, 'evil.csv');
    await writeFile(calls, 'id,start,duration,caller,called\n=HYPERLINK("http://x"),2026-10-05 10:00:00,60,020 7946 0001,0161 496 1234\n@SUM(1),2026-10-05 10:00:00,60,=1+2,0161 496 1234\n');
    const out = await temp();
    expect((await run(['rate', '--workbook', W, '--cdrs', calls, '--out', out])).code).toBe(0);
    const rated = await readFile(join(out, 'rated.csv'), 'utf8');
    const exc = await readFile(join(out, 'exceptions.csv'), 'utf8');
    expect(rated).toContain(`evil.csv,2,"'=HYPERLINK(""http://x"")",`);
    expect(exc).toContain(`evil.csv,3,'@SUM(1),2026-10-05T10:00:00+01:00,'=1+2,`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'exceptions.xlsx'));
    const cell = wb.getWorksheet('INVALID_RECORD')!.getRow(2).getCell(3);
    expect([cell.type, cell.value]).toEqual([ExcelJS.ValueType.String, '@SUM(1)']);
  });
});

describe('ratebook help', () => {
  /** The usage as it was before the help: what a wrong command line prints, byte for byte. */
  const USAGE_TEXT = `usage:
  ratebook validate WORKBOOK.xlsx
  ratebook diff OLD.xlsx NEW.xlsx
  ratebook import WORKBOOK.xlsx --data DIR [--publish]
  ratebook publish SEQ --data DIR
  ratebook rate --workbook W.xlsx --cdrs FILE [--cdrs FILE...] [--format NAME] --out DIR [--data DIR] [--workers N] [--tab-rows N]
  ratebook bill --workbook W.xlsx --cdrs FILE [...] --period YYYY-MM --out DIR [--data DIR] [--final] [--tab-rows N]
  ratebook serve [--port 8080] [--host 127.0.0.1] [--data DIR]`;

  it('prints the usage and one line per command on stdout and exits 0, for --help, -h and help', async () => {
    const r = await run(['--help']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out.startsWith(`${USAGE}\n\ncommands:\n`)).toBe(true);
    for (const [name, c] of Object.entries(commands)) {
      expect(c.help.summary, name).not.toContain('\n');
      expect(r.out.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^  ${name} +${c.help.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
    }
    expect(r.out).toMatch(/^ {2}help +/m);
    expect(r.out).toContain('exit status: 0 done');
    for (const args of [['-h'], ['help'], ['help', '--help'], ['--help', 'whatever']]) expect(await run(args), args.join(' ')).toEqual(r);
  });
  it('prints one command\'s usage line, what it does and its options for COMMAND --help, -h or help COMMAND', async () => {
    const r = await run(['rate', '--help']);
    expect([r.code, r.err]).toEqual([0, '']);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`usage: ratebook ${commands.rate.help.usage}`);
    expect(lines[2]).toBe(commands.rate.help.summary);
    expect(lines[4]).toBe('options:');
    expect(r.out).toMatch(/^ {2}--workbook W\.xlsx +the workbook to rate with/m);
    expect(r.out).toMatch(/^ {2}--tab-rows N +rows each reason's tab/m);
    for (const args of [['rate', '-h'], ['help', 'rate'], ['rate', '--workbook', W, '--help'], ['rate', '--bogus', '-h']]) expect(await run(args), args.join(' ')).toEqual(r);
    // Every command has its help; one with no options shows none.
    for (const name of Object.keys(commands)) {
      const c = await run([name, '--help']);
      expect([c.code, c.out.split('\n')[0]], name).toEqual([0, `usage: ratebook ${commands[name].help.usage}`]);
    }
    expect((await run(['validate', '--help'])).out).not.toContain('options:');
    expect((await run(['import', '-h'])).out).toMatch(/^ {2}--publish +publish the version too/m);
  });
  it('does not run the command it explains', async () => {
    const data = await temp();
    const r = await run(['import', W, '--data', data, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('imported as');
    expect(await readdir(data)).toEqual([]);
  });
  it('after -- a -h is a file name, not a question', async () => {
    const r = await run(['validate', '--', '-h']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
  });
  it('keeps the usage of a wrong command line byte for byte, on stderr with exit 2', async () => {
    expect(USAGE).toBe(USAGE_TEXT);
    expect(await run([])).toEqual({ code: 2, out: '', err: `${USAGE_TEXT}\n` });
    expect(await run(['frobnicate', '--help'])).toEqual({ code: 2, out: '', err: `unknown command "frobnicate"\n${USAGE_TEXT}\n` });
    expect(await run(['help', 'frobnicate'])).toEqual({ code: 2, out: '', err: `unknown command "frobnicate"\n${USAGE_TEXT}\n` });
    expect(await run(['validate'])).toEqual({ code: 2, out: '', err: `expected one WORKBOOK.xlsx\n${USAGE_TEXT}\n` });
    // Names an object has by inheritance are not commands.
    expect(await run(['constructor'])).toEqual({ code: 2, out: '', err: `unknown command "constructor"\n${USAGE_TEXT}\n` });
  });
});
