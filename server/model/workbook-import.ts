// Importing a workbook on the server: an .xlsx upload or a Google Sheet read, parsed, compiled and
// hashed into what keepVersion stores — on a thread of its own (import-worker.ts), so the main
// thread goes on answering requests (grid pages, health, events) meanwhile. An .xlsx of at most
// IN_THREAD_BYTES is read here instead: the sample (47 KB) takes 50–150 ms, less than starting a
// thread and loading the reader and the rules into it. Without the worker script (a bundle built
// without it) everything is read here, as before.
//
// One import reads at a time, and its thread's heap is capped (IMPORT_HEAP_MB): a workbook that
// needs more is refused (413) and the server carries on; the zip bomb bound is the reader's own
// (workbooks/xlsx-parts.ts).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadGoogleWorkbook } from '../../workbooks/gsheets/google-workbook.js';
import { SheetsError, type SheetsStatus } from '../../workbooks/gsheets/sheets-error.js';
import type { Issue } from '../../rules/result.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import { loadWorkbookBytes, type KeepableWorkbook } from './workbook-file.js';
import type { ImportJob, ImportMessage, ImportRequest } from './import-protocol.js';

/** .xlsx files up to this size (about 2,500 rows) are read on the calling thread: 50–150 ms. */
export const IN_THREAD_BYTES = 64 * 1024;

/** The import thread's heap: the 170,000-row benchmark workbook (4 MB) needs 128–256 MB; one at the 50 MB upload limit would need a few GB. */
export const IMPORT_HEAP_MB = 4096;

export interface ImportOptions {
  /** .xlsx files up to this many bytes are read on this thread (default IN_THREAD_BYTES; Infinity: always). */
  inThreadBytes?: number;
  /** The import thread's heap limit in MB (default IMPORT_HEAP_MB). */
  heapMb?: number;
}

/** What is kept, or why not: 415 not a workbook (or a zip bomb), 413 too big to read, or Google's status. */
export type ImportOutcome = { ok: true; value: KeepableWorkbook } | { ok: false; status: 413 | 415 | SheetsStatus; error: string };

/** The bundled worker beside the bundled server; under tsx/vitest, the TypeScript source; null when neither is there. */
export function importWorkerScript(): URL | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return new URL('./import-worker-dev.mjs', import.meta.url);
  const url = new URL('./import-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** An .xlsx upload (already within `maxBytes`) read and compiled: here when small, else on the import thread. */
export async function importWorkbookBytes(bytes: Buffer, fileName: string, maxBytes: number, opts: ImportOptions = {}): Promise<ImportOutcome> {
  const script = importWorkerScript();
  if (script === null || bytes.length <= (opts.inThreadBytes ?? IN_THREAD_BYTES)) {
    const loaded = await loadWorkbookBytes(bytes, fileName, maxBytes);
    return loaded.ok ? { ok: true, value: loaded.value } : { ok: false, status: 415, error: loaded.error };
  }
  const end = await inTurn(script, { kind: 'xlsx', bytes, name: fileName, maxBytes }, opts.heapMb ?? IMPORT_HEAP_MB);
  if (end.kind === 'done') return { ok: true, value: { ...end.wb, bytes, fileName } };
  return refusedAs(end, fileName);
}

/** A Google Sheet read and compiled on the import thread (the sheet's size is unknown until it is read). */
export async function importGoogleSheet(spreadsheetId: string, opts: ImportOptions = {}): Promise<ImportOutcome> {
  const script = importWorkerScript();
  if (script === null) {
    try {
      return { ok: true, value: await loadGoogleWorkbook(spreadsheetId) };
    } catch (e) {
      if (e instanceof SheetsError) return { ok: false, status: e.status, error: e.message };
      throw e;
    }
  }
  const end = await inTurn(script, { kind: 'google', spreadsheetId }, opts.heapMb ?? IMPORT_HEAP_MB);
  if (end.kind === 'done') {
    const b = end.bytes!;
    return { ok: true, value: { ...end.wb, bytes: Buffer.from(b.buffer, b.byteOffset, b.byteLength), fileName: end.fileName! } };
  }
  return refusedAs(end, `Google Sheet ${spreadsheetId}`);
}

type Ended =
  | { kind: 'done'; wb: Omit<KeepableWorkbook, 'bytes' | 'fileName'>; fileName?: string; bytes?: Uint8Array }
  | Extract<ImportMessage, { kind: 'refused' | 'sheets' }>
  | { kind: 'out-of-memory'; heapMb: number };

function refusedAs(end: Exclude<Ended, { kind: 'done' }>, what: string): ImportOutcome {
  if (end.kind === 'sheets') return { ok: false, status: end.status, error: end.error };
  if (end.kind === 'refused') return { ok: false, status: 415, error: end.error };
  return { ok: false, status: 413, error: `${what} is too big to read: it needs more than the ${end.heapMb} MB of memory an import may take` };
}

/** Imports on the import thread, one at a time (each may take its heap limit of memory). */
let turn: Promise<unknown> = Promise.resolve();

function inTurn(script: URL, job: ImportJob, heapMb: number): Promise<Ended> {
  const mine = turn.then(() => inWorker(script, job, heapMb));
  turn = mine.catch(() => undefined);
  return mine;
}

function inWorker(script: URL, job: ImportJob, heapMb: number): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    const lists = new Map<string, unknown[]>();
    let ended = false;
    const end = (f: () => void): void => {
      if (ended) return;
      ended = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: ImportMessage) => {
      switch (m.kind) {
        case 'slice': {
          let list = lists.get(m.list);
          if (!list) lists.set(m.list, (list = []));
          for (const item of m.items) list.push(item);
          // The next slice is asked for only after the event loop has had its turn.
          setImmediate(() => {
            if (!ended) worker.postMessage({ kind: 'next' } satisfies ImportRequest);
          });
          return;
        }
        case 'done': {
          const rows = m.rows as unknown as Record<string, unknown>;
          for (const [name, items] of lists) if (name !== 'issues') rows[name] = items;
          const issues = (lists.get('issues') as Issue[] | undefined) ?? m.issues;
          const wb = { rows: rows as unknown as SheetRows, issues, hash: m.hash, fileSha256: m.fileSha256 };
          return end(() => resolve({ kind: 'done', wb, fileName: m.fileName, bytes: m.bytes }));
        }
        case 'refused':
        case 'sheets':
          return end(() => resolve(m));
        case 'failed':
          return end(() => reject(new Error(`the import thread failed: ${m.error}`)));
      }
    });
    worker.once('error', (e: Error & { code?: string }) => {
      end(() => (e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve({ kind: 'out-of-memory', heapMb }) : reject(new Error(`the import thread failed: ${e.stack ?? e.message}`))));
    });
    worker.once('exit', (code) => end(() => reject(new Error(`the import thread stopped (exit code ${code}) before it answered`))));
  });
}
