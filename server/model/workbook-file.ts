// Reads a workbook file and compiles it: the one way the shell turns an .xlsx into a version.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { readWorkbookBuffer, DEFAULT_MAX_WORKBOOK_BYTES } from '../../workbooks/workbook-reader.js';
import { compileWorkbook, type CompiledWorkbook } from '../../rules/workbook/compile.js';
import { err, ok, type Result } from '../../rules/result.js';
import type { Store } from '../store/store.js';

export interface LoadedWorkbook extends CompiledWorkbook {
  fileName: string;
  fileSha256: string;
  bytes: Buffer;
}

export async function loadWorkbookFile(path: string, maxBytes = DEFAULT_MAX_WORKBOOK_BYTES): Promise<Result<LoadedWorkbook, string>> {
  const name = basename(path);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return err(`${name}: no such file`);
  }
  if (size > maxBytes) return err(`${name} is larger than the ${Math.round(maxBytes / 1e6)} MB limit`);
  const bytes = await readFile(path);
  return loadWorkbookBytes(bytes, name, maxBytes);
}

export async function loadWorkbookBytes(bytes: Buffer, fileName: string, maxBytes = DEFAULT_MAX_WORKBOOK_BYTES): Promise<Result<LoadedWorkbook, string>> {
  const raw = await readWorkbookBuffer(bytes, { maxBytes, name: fileName });
  if (!raw.ok) return err(raw.error);
  const compiled = compileWorkbook(raw.value);
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  return ok({ ...compiled, fileName, fileSha256, bytes });
}

/** What keeping a workbook as a version needs of it: an .xlsx loaded here or a Google Sheet read. */
export type KeepableWorkbook = Pick<LoadedWorkbook, 'bytes' | 'fileName' | 'fileSha256' | 'rows' | 'hash' | 'issues'>;

/** Keeps a loaded workbook as a version (or finds the one with the same content): every way in imports through this. */
export function keepVersion(store: Store, wb: KeepableWorkbook, importer: string, source: string): ReturnType<Store['importVersion']> {
  return store.importVersion({ fileBytes: wb.bytes, fileName: wb.fileName, fileSha256: wb.fileSha256, rows: wb.rows, contentHash: wb.hash, issues: wb.issues, importer, source });
}
