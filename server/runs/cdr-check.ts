// Is an uploaded file a CDR file Ratebook can rate? Asked before a run is recorded, so a
// spreadsheet, a PDF or binary junk is refused at once (415) rather than becoming a failed run:
// the file's first bytes (decompressed if it is gzip) must be text, and its first lines must be in
// the format named, or in one Ratebook recognises (SPEC §5).

import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { compileFormat, detectFormat, BUILT_IN_FORMATS } from '../../rules/cdr/cdr-format.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import { firstBatchLines, openCdrFile } from '../../workbooks/cdr-lines.js';

/** Compressed bytes read to judge a gzip file (at most about 4 MB once inflated). */
const GZIP_HEAD = 4096;
const TEXT_HEAD = 64 * 1024;

const MAGIC: [string, number[]][] = [
  ['an .xlsx or zip file', [0x50, 0x4b, 0x03, 0x04]],
  ['an old-style Excel (.xls) or Office file', [0xd0, 0xcf, 0x11, 0xe0]],
  ['a PDF', [0x25, 0x50, 0x44, 0x46]],
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
];

async function head(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** What the bytes are when they are not text, or null when they look like text. */
function notText(b: Buffer): string | null {
  for (const [what, magic] of MAGIC) if (b.length >= magic.length && magic.every((x, i) => b[i] === x)) return what;
  let control = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0) return 'binary data';
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return control > b.length / 100 ? 'binary data' : null;
}

/** The format names a file may be given: the built-in ones and the version's CdrFormats. */
export function formatNames(rows: SheetRows): string[] {
  return [...new Set([...BUILT_IN_FORMATS, ...rows.cdrFormats.map((r) => String(r.format ?? '').trim()).filter((n) => n !== '')])];
}

export type CdrCheck = { ok: true; gzip: boolean } | { ok: false; problem: string };

/**
 * Whether the file can be rated as CDRs with the version's rows (its CdrFormats and time zone), and
 * whether it is gzip; or why not, in one sentence naming it.
 */
export async function checkCdrFile(path: string, name: string, rows: SheetRows, format: string | undefined): Promise<CdrCheck> {
  const problem = (p: string): CdrCheck => ({ ok: false, problem: p });
  let b = await head(path, TEXT_HEAD);
  if (b.length === 0) return problem(`${name} is empty, so it is not a CDR file`);
  const gzip = b[0] === 0x1f && b[1] === 0x8b;
  if (gzip) {
    try {
      // A sync flush inflates what the first bytes hold without asking for the rest.
      b = gunzipSync(b.subarray(0, GZIP_HEAD), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return problem(`${name} starts like gzip but cannot be read as gzip, so it is not a CDR file`);
    }
  }
  const what = notText(b);
  if (what) return problem(`${name} is ${what}, not a CDR file (CSV text, or gzip of it)`);
  const file = await openCdrFile(path, { name, batchLines: 5, chunkBytes: TEXT_HEAD });
  let first: Awaited<ReturnType<typeof firstBatchLines>>;
  try {
    first = await firstBatchLines(file, 5);
  } catch (e) {
    return problem(`${name} cannot be read: ${(e as Error).message}`);
  }
  if (first.texts.length === 0) return problem(`${name} has no lines, so it is not a CDR file`);
  const formats = rows.cdrFormats;
  const detected = detectFormat(first.fields, first.texts, formats);
  // A built-in format named for a file that plainly is in another (a generic file with its header
  // named asterisk) would rate every line as an invalid record: refuse it instead.
  if (format !== undefined && detected !== null && detected !== format && (BUILT_IN_FORMATS as readonly string[]).includes(format)) {
    return problem(`${name} looks like the ${detected} format, not ${format}; send it with format ${detected}, or without a format`);
  }
  const chosen = format ?? detected;
  if (!chosen) return problem(`${name} is not in a CDR format Ratebook recognises (generic, asterisk, freeswitch or one of the workbook's CdrFormats); name the format with the "format" field`);
  const compiled = compileFormat(chosen, first.fields[0] ?? null, formats, rows.settings.timezone);
  return compiled.ok ? { ok: true, gzip } : problem(`${name}: ${compiled.error}`);
}
