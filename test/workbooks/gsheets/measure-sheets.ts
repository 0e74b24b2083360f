// The API calls an import and a write-back make, and their time against the fake on 127.0.0.1:
// the sample workbook, and a sheet whose Numbers tab has 170,000 rows. Not a test (it takes a
// while): run `npx tsx test/workbooks/gsheets/measure-sheets.ts`.

import { readWorkbookBuffer, readWorkbookFile } from '../../../workbooks/workbook-reader.js';
import { loadGoogleWorkbook } from '../../../workbooks/gsheets/google-workbook.js';
import { readGoogleSheet } from '../../../workbooks/gsheets/sheet-reader.js';
import { rawWorkbookXlsx } from '../../../workbooks/gsheets/raw-xlsx.js';
import { compileWorkbook } from '../../../rules/workbook/compile.js';
import { writeGoogleTabs } from '../../../workbooks/gsheets/sheet-writer.js';
import { runTabsFromFiles } from '../../../workbooks/gsheets/write-back-files.js';
import { exceptionsTable } from '../../../rules/rating/exception-tabs.js';
import type { RawRow, RawWorkbook } from '../../../rules/workbook/raw.js';
import type { CellValue } from '../../../rules/tables.js';
import { main } from '../../../server/cli/cli.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSheets } from './fake-sheets.js';
import { fakeTabsOf } from './raw-to-fake.js';

const ROWS = 170_000;
const TOKEN = 'measure';

function bigNumbers(sample: RawWorkbook): RawWorkbook {
  const accounts = ['ACME01', 'BRIGHT02', 'CARTER03', 'DELTA04', 'EVANS05'];
  return {
    ...sample,
    sheets: sample.sheets.map((s) => {
      if (s.name !== 'Numbers') return s;
      const header = s.rows[0];
      const col = (h: string): number => header.cells.findIndex((c) => c.kind === 'text' && c.text === h);
      const [acc, num, site, status, sold] = ['Account', 'Number', 'Site', 'Status', 'DateSold'].map(col);
      const rows: RawRow[] = [header];
      for (let i = 0; i < ROWS; i++) {
        const cells = header.cells.map(() => ({ kind: 'empty' }) as RawRow['cells'][number]);
        cells[acc] = { kind: 'text', text: accounts[i % accounts.length] };
        cells[num] = { kind: 'text', text: `0161 ${String(4960000 + i).padStart(7, '0')}`.replace(/^(\S+) (\d{3})(\d{4})$/, '$1 $2 $3') };
        cells[site] = { kind: 'text', text: `Site ${i % 40}` };
        cells[status] = { kind: 'text', text: 'Active' };
        cells[sold] = { kind: 'date', y: 2025, m: 1 + (i % 12), d: 1, hh: 0, mi: 0, ss: 0 };
        rows.push({ row: i + 2, cells });
      }
      return { ...s, rows };
    }),
  };
}

const ms = (t: number): string => `${Math.round(performance.now() - t).toLocaleString('en-GB')} ms`;

async function measure(): Promise<void> {
  const fake = await FakeSheets.start();
  fake.token = TOKEN;
  const env = { RATEBOOK_SHEETS_ROOT_URL: fake.url, RATEBOOK_GOOGLE_ACCESS_TOKEN: TOKEN };
  const raw = await readWorkbookFile('workbooks/sample-uk-reseller.xlsx');
  if (!raw.ok) throw new Error(raw.error);
  fake.addBook('sample', 'Sample', fakeTabsOf(raw.value));
  fake.addBook('big', 'Big', fakeTabsOf(bigNumbers(raw.value)));
  const report = (what: string, t: number, calls: { call: string; ms: number }[]): void => {
    const byKind = new Map<string, number>();
    for (const c of calls) byKind.set(c.call, (byKind.get(c.call) ?? 0) + 1);
    const inCalls = calls.reduce((n, c) => n + c.ms, 0);
    console.log(`${what}: ${calls.length} calls (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}), ${ms(t)} in all, ${Math.round(inCalls).toLocaleString('en-GB')} ms of it in the calls`);
  };

  let t = performance.now();
  const sample = await loadGoogleWorkbook('sample', { env });
  report('import, sample', t, sample.calls);

  t = performance.now();
  const big = await loadGoogleWorkbook('big', { env });
  report(`import, ${ROWS.toLocaleString('en-GB')} Numbers rows (hash ${big.hash.slice(0, 12)}, ${big.rows.numbers.length} rows kept, ${big.issues.filter((i) => i.severity === 'error').length} errors)`, t, big.calls);
  // Its phases one by one: the reading, the same validation as an .xlsx, the .xlsx kept.
  t = performance.now();
  const read = await readGoogleSheet('big', { env });
  console.log(`  read through the API: ${ms(t)}`);
  t = performance.now();
  compileWorkbook(read.workbook);
  console.log(`  validate and compile: ${ms(t)}`);
  t = performance.now();
  const bytes = rawWorkbookXlsx(read.workbook);
  console.log(`  write workbook.xlsx (${(bytes.length / 1e6).toFixed(1)} MB): ${ms(t)}`);
  t = performance.now();
  const fromXlsx = await readWorkbookBuffer(bytes);
  if (!fromXlsx.ok) throw new Error(fromXlsx.error);
  const same = compileWorkbook(fromXlsx.value).hash === big.hash;
  console.log(`  the same workbook as an .xlsx: read and compile ${ms(t)}, same hash: ${same}`);

  // A run of the sample for the sample's write-back.
  const out = await mkdtemp(join(tmpdir(), 'ratebook-measure-'));
  const quiet = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  await main(['rate', '--workbook', 'workbooks/sample-uk-reseller.xlsx', '--cdrs', 'workbooks/sample-calls.csv', '--out', out]);
  process.stdout.write = quiet;
  fake.addBook('runback', 'Run', []);
  t = performance.now();
  const run = await writeGoogleTabs('runback', await runTabsFromFiles(out), { env });
  report(`write-back, sample run (${run.tabs.map((x) => `${x.tab} ${x.rows}`).join(', ')})`, t, run.calls);

  const rows: CellValue[][] = [];
  for (let i = 0; i < ROWS; i++) rows.push(['calls.csv', i + 2, `id-${i}`, '2026-10-01T10:00:00+01:00', `0161496${String(i).padStart(4, '0')}`, '02079460000', 60 + (i % 300), 'UNKNOWN_NUMBER', `add 44161496${i} to Numbers`]);
  fake.addBook('bigback', 'Big run', []);
  t = performance.now();
  const w = await writeGoogleTabs('bigback', [exceptionsTable(rows)], { env });
  report(`write-back, ${ROWS.toLocaleString('en-GB')}-row Exceptions tab`, t, w.calls);
  t = performance.now();
  const again = await writeGoogleTabs('bigback', [exceptionsTable(rows)], { env });
  report('the same again (tab cleared and replaced)', t, again.calls);
  await fake.close();
}

await measure();
