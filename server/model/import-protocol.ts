// What the main thread and the import thread (import-worker.ts) say to each other.

import type { Issue } from '../../rules/result.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import type { SheetsStatus } from '../../workbooks/gsheets/sheets-error.js';

export type ImportJob =
  /** An .xlsx's bytes; `maxBytes` is the size limit its inflation bounds follow from. */
  | { kind: 'xlsx'; bytes: Uint8Array; name: string; maxBytes: number }
  | { kind: 'google'; spreadsheetId: string };

export type ImportMessage =
  /** Items of a long list, to be appended; the worker waits for `next` before the following one. */
  | { kind: 'slice'; list: 'issues' | keyof SheetRows; items: unknown[] }
  /** The end: `rows` and `issues` with their sliced lists left empty, to be filled from the slices. */
  | { kind: 'done'; rows: SheetRows; issues: Issue[]; hash: string; fileSha256: string; fileName?: string; bytes?: Uint8Array }
  /** The reader's sentence: not a workbook, corrupt, a zip bomb. */
  | { kind: 'refused'; error: string }
  /** Google's refusal, with its status. */
  | { kind: 'sheets'; status: SheetsStatus; error: string }
  /** A bug, with its stack. */
  | { kind: 'failed'; error: string };

export type ImportRequest = { kind: 'next' };

/** Items a slice carries: about 30 ms for the main thread to take in. */
export const SLICE_ITEMS = 10_000;
