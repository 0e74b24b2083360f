// A workbook read, compiled and hashed on a thread of its own (workbook-import.ts is the other
// side), so the server's main thread goes on answering while a big .xlsx or Google Sheet is
// imported: 170,000 rows take seconds of parsing and compiling. What goes back is plain data —
// the rows, the issues, the hashes (and for a sheet the .xlsx written from it) — the long lists in
// slices, each sent only once the main thread asked for it, so taking them in never holds the
// main thread for long either.

import { parentPort, workerData } from 'node:worker_threads';
import { loadGoogleWorkbook } from '../../workbooks/gsheets/google-workbook.js';
import { SheetsError } from '../../workbooks/gsheets/sheets-error.js';
import type { Issue } from '../../rules/result.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import { runInBackground } from '../runs/background-priority.js';
import { SLICE_ITEMS, type ImportJob, type ImportMessage } from './import-protocol.js';
import { loadWorkbookBytes } from './workbook-file.js';

const post = (m: ImportMessage): void => parentPort!.postMessage(m);
const next = (): Promise<void> => new Promise((resolve) => parentPort!.once('message', () => resolve()));

/** Sends a long list in slices and leaves it empty in its place; short lists stay where they are. */
async function sendLong(list: 'issues' | keyof SheetRows, items: unknown[]): Promise<unknown[]> {
  if (items.length <= SLICE_ITEMS) return items;
  for (let at = 0; at < items.length; at += SLICE_ITEMS) {
    post({ kind: 'slice', list, items: items.slice(at, at + SLICE_ITEMS) });
    await next();
  }
  return [];
}

async function sendWorkbook(wb: { rows: SheetRows; issues: Issue[]; hash: string; fileSha256: string; fileName?: string; bytes?: Uint8Array }): Promise<void> {
  const rows = { ...wb.rows } as Record<string, unknown>;
  for (const [tab, value] of Object.entries(rows)) if (Array.isArray(value)) rows[tab] = await sendLong(tab as keyof SheetRows, value);
  const issues = (await sendLong('issues', wb.issues)) as Issue[];
  post({ kind: 'done', rows: rows as unknown as SheetRows, issues, hash: wb.hash, fileSha256: wb.fileSha256, fileName: wb.fileName, bytes: wb.bytes });
}

async function run(job: ImportJob): Promise<void> {
  if (job.kind === 'xlsx') {
    const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    const loaded = await loadWorkbookBytes(bytes, job.name, job.maxBytes);
    if (!loaded.ok) return post({ kind: 'refused', error: loaded.error });
    const { rows, issues, hash, fileSha256 } = loaded.value; // not the bytes: the main thread has them
    return sendWorkbook({ rows, issues, hash, fileSha256 });
  }
  try {
    const wb = await loadGoogleWorkbook(job.spreadsheetId);
    await sendWorkbook({ rows: wb.rows, issues: wb.issues, hash: wb.hash, fileSha256: wb.fileSha256, fileName: wb.fileName, bytes: wb.bytes });
  } catch (e) {
    if (e instanceof SheetsError) return post({ kind: 'sheets', status: e.status, error: e.message });
    throw e;
  }
}

// The main thread answers requests; this one yields the CPU to it when they compete.
runInBackground();
run(workerData as ImportJob).catch((e: unknown) => post({ kind: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
