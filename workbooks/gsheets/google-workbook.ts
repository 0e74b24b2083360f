// A Google Sheet read and compiled as a version-to-be (SPEC §7.1 Import): the same rows, problems
// and content hash as an .xlsx export of it, and the .xlsx written from the values read, which the
// store keeps as the version's workbook.xlsx. The one way the CLI and the server import a sheet.

import { createHash } from 'node:crypto';
import { compileWorkbook, type CompiledWorkbook } from '../../rules/workbook/compile.js';
import { rawWorkbookXlsx } from './raw-xlsx.js';
import { readGoogleSheet } from './sheet-reader.js';
import type { SheetsApiOptions, CallRecord } from './sheets-api.js';

export interface GoogleWorkbook extends CompiledWorkbook {
  spreadsheetId: string;
  /** `<sheet title>.xlsx`: the version's file name (it is stored as workbook.xlsx whatever it says). */
  fileName: string;
  bytes: Buffer;
  fileSha256: string;
  calls: CallRecord[];
}

/** Throws SheetsError (404, 403, 429, 502, 503) when the sheet cannot be read; problems in its cells are issues. */
export async function loadGoogleWorkbook(spreadsheetId: string, options: Omit<SheetsApiOptions, 'write'> = {}): Promise<GoogleWorkbook> {
  const read = await readGoogleSheet(spreadsheetId, options);
  const compiled = compileWorkbook(read.workbook);
  const bytes = rawWorkbookXlsx(read.workbook);
  const title = read.title.replace(/[\u0000-\u001f]/g, ' ').trim() || spreadsheetId;
  return {
    ...compiled,
    spreadsheetId,
    fileName: `${title}.xlsx`,
    bytes,
    fileSha256: createHash('sha256').update(bytes).digest('hex'),
    calls: read.calls,
  };
}
