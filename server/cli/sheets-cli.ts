// The command line's Google Sheets (SPEC §7.1): `ratebook import --google ID --data DIR [--publish]`
// keeps a sheet as a version the way an .xlsx is kept; `rate … --sheet ID` and `bill … --sheet ID`
// write the run's or the bill's tabs to a sheet and print each tab with its rows. A failure from
// Google is a SheetsError whose message names the sheet and what to do: `ratebook` prints it and
// exits 1 (the files already written in --out stay).

import { keepVersion } from '../model/workbook-file.js';
import type { Invoice } from '../../rules/billing/invoice.js';
import { invoiceTabs } from '../../rules/billing/invoice-tabs.js';
import type { ExceptionTotals } from '../../rules/rating/exception-tabs.js';
import { hasErrors } from '../../rules/result.js';
import type { Table } from '../../rules/tables.js';
import { loadGoogleWorkbook } from '../../workbooks/gsheets/google-workbook.js';
import { writeGoogleTabs } from '../../workbooks/gsheets/sheet-writer.js';
import { sheetsSettings } from '../../workbooks/gsheets/sheets-credentials.js';
import { spreadsheetIdOf, SPREADSHEET_ID_HELP } from '../../workbooks/gsheets/spreadsheet-id.js';
import { runTabsFromFiles } from '../../workbooks/gsheets/write-back-files.js';
import { openStore } from '../store/store.js';
import { UsageError } from './command.js';
import { formatIssues, summariseIssues } from './issue-report.js';

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : s + '\n');

export const GOOGLE_HELP: [string, string] = ['--google ID', `read the workbook from a Google Sheet instead of a file: ${SPREADSHEET_ID_HELP}`];
export const SHEET_HELP: [string, string] = ['--sheet ID', 'also write the results to that Google Sheet (its tabs replaced whole; other tabs untouched)'];

/** --sheet or --google: the spreadsheet id, or undefined when the option is not given. */
export function sheetIdOption(values: Record<string, unknown>, name: 'sheet' | 'google'): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const id = typeof v === 'string' ? spreadsheetIdOf(v) : null;
  if (id === null) throw new UsageError(`--${name} must be ${SPREADSHEET_ID_HELP} (got "${String(v)}")`);
  return id;
}

/** Before a long run: credentials that are not there are said now, not after the rating. */
export async function checkSheetsSetUp(): Promise<void> {
  await sheetsSettings();
}

function printTabs(id: string, tabs: { tab: string; rows: number }[], calls: number): void {
  out(`wrote Google Sheet ${id} (${calls} API call${calls === 1 ? '' : 's'}):`);
  const width = Math.max(...tabs.map((t) => t.tab.length));
  for (const t of tabs) out(`  ${t.tab.padEnd(width)} ${String(t.rows).padStart(9)} row${t.rows === 1 ? '' : 's'}`);
}

async function writeTabs(id: string, tables: Table[]): Promise<void> {
  const w = await writeGoogleTabs(id, tables);
  printTabs(id, w.tabs, w.calls.length);
}

/** `rate … --sheet ID`: Exceptions, Exception summary (with the costs gathered while rating) and Rated by customer. */
export async function writeRunSheet(id: string, outDir: string, totals: ExceptionTotals): Promise<void> {
  await writeTabs(id, await runTabsFromFiles(outDir, { totals }));
}

/** `bill … --sheet ID`: Invoices and Invoice lines. */
export async function writeBillSheet(id: string, invoices: readonly Invoice[]): Promise<void> {
  await writeTabs(id, invoiceTabs(invoices));
}

/** `import --google ID --data DIR [--publish]`: exit 0, or 1 when --publish is refused for errors. */
export async function importGoogle(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const id = sheetIdOption(values, 'google')!;
  if (positionals.length > 0) throw new UsageError('give WORKBOOK.xlsx or --google ID, not both');
  if (typeof values.data !== 'string' || values.data === '') throw new UsageError('--data is required');
  const wb = await loadGoogleWorkbook(id);
  const store = await openStore(values.data);
  const { version, existing } = await keepVersion(store, wb, typeof values.importer === 'string' ? values.importer : (process.env.USER ?? 'cli'), id);
  if (wb.issues.length > 0) out(formatIssues(wb.issues));
  out(`read Google Sheet ${id} ("${wb.fileName.replace(/\.xlsx$/, '')}") in ${wb.calls.length} API calls`);
  out(`${existing ? 'already imported as' : 'imported as'} version ${version.seq} (${summariseIssues(wb.issues)}; content ${version.contentHash.slice(0, 12)})`);
  if (values.publish) {
    const p = await store.publish(version.seq);
    if (!p.ok) {
      process.stderr.write(`not published: ${p.error}\n`);
      return 1;
    }
    out(`published version ${version.seq}`);
  }
  return hasErrors(wb.issues) && values.publish ? 1 : 0;
}
