// CDR files as batches of records: streamed (never loaded whole), gzip by its magic bytes, BOM and
// CRLF handled, one record per line (a quoted field never spans lines, so an unterminated quote
// costs that line alone), invalid UTF-8 read as U+FFFD, blank lines skipped but counted.
//
// Speed is the point (STACK-NOTES "CDR hot path": an indexOf scanner is 6–14× faster than
// csv-parse). Each decoded chunk is one string scanned with indexOf: the next '\n', the next '"'
// and the next ',' are each searched for once and remembered, so a line with no quote is split by
// a plain comma loop and only a line holding a quote goes through the quote-aware splitter. The
// hot loop is a plain method with no closures (tsx's keepNames wraps every closure in __name()).
//
// Fields are slices of the chunk string: V8 keeps a slice of 13 or more characters as a view on
// the chunk (512 KiB), so a consumer that keeps such a field for the whole run (a dedupe key)
// should keep a copy or a derived key, not the field itself.

import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip, type Gunzip } from 'node:zlib';
import { MAX_LINE_CHARS, NOT_SPLIT, splitQuoted, TOO_LONG } from '../rules/cdr/csv-split.js';

export { NOT_SPLIT, splitCsvLine, TOO_LONG } from '../rules/cdr/csv-split.js';

/**
 * A batch of records. Every line is a range of one string (`source`): the rating reads it there,
 * with no string made per line; `texts` makes them on first use (for detection, messages, tests).
 */
export interface LineBatch {
  /** 1-based line numbers as an editor shows them (blank lines are skipped but still counted). */
  lines: Int32Array;
  /** Fields per record; null for an unterminated quote, TOO_LONG for a line too long. Opened with split: false, NOT_SPLIT for every line but one too long. */
  fields: (string[] | null)[];
  /** The text all the batch's lines are in: line i is source.slice(from[i], to[i]) (CR and BOM dropped; a line too long is its first characters). */
  source: string;
  from: Int32Array;
  to: Int32Array;
  /** The text of each line, made from source on first use. */
  readonly texts: string[];
  /** Bytes of the (decompressed) file taken in so far, for progress: at most a chunk past the batch's last line; the whole file at the last batch unless only blank lines follow it. */
  bytesRead: number;
}

class Batch implements LineBatch {
  private made: string[] | null = null;
  constructor(
    readonly lines: Int32Array,
    readonly fields: (string[] | null)[],
    readonly source: string,
    readonly from: Int32Array,
    readonly to: Int32Array,
    readonly bytesRead: number,
  ) {}

  get texts(): string[] {
    if (this.made === null) {
      const { source, from, to } = this;
      this.made = Array.from(from, (f, i) => source.slice(f, to[i]));
    }
    return this.made;
  }
}

export interface CdrFileReader {
  /** The name used in messages (opts.name, else the file's base name). */
  name: string;
  path: string;
  /** Size of the file on disk. */
  totalBytes: number;
  /** True when the file starts with the gzip magic bytes 1f 8b, whatever its name. */
  gzip: boolean;
  /**
   * Reads the file from the start, a batch of records at a time. Each call is a new pass (format
   * detection reads the first batch, then the rating reads it all). Rejects with an Error naming
   * the file when the gzip data is cut short or corrupt, or the file cannot be read.
   */
  batches(): AsyncGenerator<LineBatch>;
  /** sha256 (hex) of the file's bytes as stored (compressed if gzip); '' until a pass of batches() has read the whole file (it is set by the time the last batch is yielded). */
  sha256(): string;
  /** Bytes of the file as stored read so far by the current pass (for progress against totalBytes). */
  compressedBytesRead(): number;
  /** The same as compressedBytesRead() (the name callers used first). */
  bytesRead(): number;
}

/** The reader's earlier name. */
export type CdrFile = CdrFileReader;

export interface OpenCdrOptions {
  /** Records per batch (default 2048). */
  batchLines?: number;
  /** Name for messages (default: the file's base name). */
  name?: string;
  /** false: skip field splitting (fields NOT_SPLIT, TOO_LONG for a line too long), for callers that split elsewhere (splitCsvLine). */
  split?: boolean;
  /** Read size in bytes (default 512 KiB); tiny values are for tests of chunk boundaries. */
  chunkBytes?: number;
  /** A line longer than this many characters is malformed, its text cut to its first 200 characters (default 4,194,304): memory stays bounded on a file without newlines. */
  maxLineChars?: number;
}

// 2048 records a batch: measured 1.3× faster than 8192 (a smaller batch is less live data for
// each young-generation GC to copy; 1024 is no faster).
const DEFAULT_BATCH = 2048;
// 512 KiB reads: as fast as 1 MiB and ~40 MB less peak RSS (a string decoded from more than ~1 MB
// is external to the V8 heap and lingers longer); 256 KiB is slower.
const DEFAULT_CHUNK = 1 << 19;
const OVERLONG_HEAD = 200;

/** White space as String.prototype.trim sees it. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

function isBlank(s: string, i: number, end: number): boolean {
  for (; i < end; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

/** The scanner's state across chunks, and the batch being filled. */
class Scanner {
  lineNo = 0;
  /** Lines in the batch so far. */
  count = 0;
  // The batch's line numbers, starts and ends: one typed array per batch, so that a batch waiting
  // for a worker is nothing for the young generation's collections to copy.
  lines: Int32Array;
  from: Int32Array;
  to: Int32Array;
  fields: (string[] | null)[] = [];
  /** The string the batch's lines are in ('' while the batch is empty). */
  source = '';
  constructor(
    readonly split: boolean,
    readonly batchLines: number,
  ) {
    [this.lines, this.from, this.to] = this.fresh();
  }

  private fresh(): [Int32Array, Int32Array, Int32Array] {
    const n = this.batchLines;
    const all = new Int32Array(3 * n);
    return [all.subarray(0, n), all.subarray(n, 2 * n), all.subarray(2 * n)];
  }

  /** The batch is full, or its next line would be in another string: it must be taken first. */
  full(text: string): boolean {
    return this.count >= this.batchLines || (this.count > 0 && text !== this.source);
  }

  /** The batch so far, and a fresh one started. */
  take(bytesRead: number): LineBatch {
    const n = this.count;
    const b = new Batch(this.lines.subarray(0, n), this.fields, this.source, this.from.subarray(0, n), this.to.subarray(0, n), bytesRead);
    [this.lines, this.from, this.to] = this.fresh();
    this.count = 0;
    this.fields = [];
    this.source = '';
    return b;
  }

  /** Adds a malformed line (too long) with the start of its text (a batch of its own: see full()). */
  addMalformed(head: string): void {
    this.lines[this.count] = ++this.lineNo;
    this.from[this.count] = 0;
    this.to[this.count] = head.length;
    this.count++;
    this.fields.push(TOO_LONG);
    this.source = head;
  }

  /**
   * Reads the complete lines of text from pos until the batch is full or no newline is left;
   * returns where it stopped (the start of the first line not read).
   */
  scan(text: string, pos: number): number {
    // A batch holds lines of one string only: the caller takes it first (see full()).
    if (this.count > 0 && text !== this.source) return pos;
    this.source = text;
    const lines = this.lines;
    const fields = this.fields;
    const from = this.from;
    const to = this.to;
    const limit = this.batchLines;
    const split = this.split;
    let lineNo = this.lineNo;
    const len = text.length;
    // The next quote and the next comma at or after the current line (len when there is none),
    // searched again only once the scan has passed them: each is found once per chunk.
    let quote = -1;
    let comma = -1;
    let count = this.count;
    while (count < limit) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      lineNo++;
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      if (end === pos) {
        pos = nl + 1;
        continue;
      }
      const c0 = text.charCodeAt(pos);
      if ((c0 <= 32 || c0 >= 0xa0) && isBlank(text, pos, end)) {
        pos = nl + 1;
        continue;
      }
      lines[count] = lineNo;
      from[count] = pos;
      to[count] = end;
      count++;
      if (!split) {
        fields.push(NOT_SPLIT);
      } else {
        if (quote < pos) {
          quote = text.indexOf('"', pos);
          if (quote < 0) quote = len;
        }
        if (quote < end) {
          fields.push(splitQuoted(text, pos, end));
        } else {
          const f: string[] = [];
          let i = pos;
          for (;;) {
            if (comma < i) {
              comma = text.indexOf(',', i);
              if (comma < 0) comma = len;
            }
            if (comma >= end) {
              f.push(text.slice(i, end));
              break;
            }
            f.push(text.slice(i, comma));
            i = comma + 1;
          }
          fields.push(f);
        }
      }
      pos = nl + 1;
    }
    this.lineNo = lineNo;
    this.count = count;
    if (count === 0) this.source = '';
    return pos;
  }
}

/**
 * UTF-8 chunks to strings without splitting a character between chunks: up to 3 trailing bytes
 * that may start a character are held for the next chunk (holding bytes back never changes the
 * result: the text decoded is always the file's bytes in order). Invalid bytes become U+FFFD
 * (Buffer#toString). An all-ASCII chunk, the usual CDR, is decoded as latin1: the same string,
 * measured 4× faster than the UTF-8 decoder (23 against 93 ms for 100 MB, checking included).
 */
class Utf8Chunks {
  private pending: Buffer | null = null;

  write(chunk: Buffer): string {
    let b = chunk;
    if (this.pending !== null) {
      b = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    } else if (isAscii(b)) {
      return b.toString('latin1');
    }
    const cut = completeLength(b);
    if (cut < b.length) {
      this.pending = Buffer.from(b.subarray(cut));
      b = b.subarray(0, cut);
    }
    return b.toString('utf8');
  }

  end(): string {
    const p = this.pending;
    this.pending = null;
    return p === null ? '' : p.toString('utf8');
  }
}

/** Length of b without a UTF-8 sequence that the bytes after b might complete. */
function completeLength(b: Buffer): number {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const c = b[n - k];
    if (c < 0x80) return n;
    if (c >= 0xc0) return (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) > k ? n - k : n;
  }
  return n;
}

/**
 * A plain file's bytes, read into one buffer over and over: each chunk is decoded before the next
 * is read (a stream's new buffer per chunk kept V8 collecting for their external memory).
 */
async function* plainChunks(path: string, size: number): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(size);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

async function hasGzipMagic(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** An Error naming the file, worded for the person running the command. */
function readError(name: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const code = err?.code;
  let why: string;
  if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(String(err?.message))) why = 'the gzip data is cut short (the file is truncated)';
  else if (code === 'Z_DATA_ERROR') why = `the gzip data is corrupt (${err.message})`;
  else why = err?.message ?? String(e);
  return new Error(`${name}: ${why}`, { cause: e });
}

/** Opens a CDR file for streaming (the file is read only when batches() is iterated). */
export async function openCdrFile(path: string, opts: OpenCdrOptions = {}): Promise<CdrFileReader> {
  const totalBytes = (await stat(path)).size;
  const gzip = await hasGzipMagic(path);
  const name = opts.name ?? basename(path);
  const batchLines = Math.max(1, opts.batchLines ?? DEFAULT_BATCH);
  const chunkBytes = Math.max(1, opts.chunkBytes ?? DEFAULT_CHUNK);
  const maxLine = Math.max(1, opts.maxLineChars ?? MAX_LINE_CHARS);
  const split = opts.split !== false;
  let digest = '';
  let compressed = 0;

  async function* batches(): AsyncGenerator<LineBatch> {
    const hash = createHash('sha256');
    compressed = 0;
    const raw = gzip ? createReadStream(path, { highWaterMark: chunkBytes }) : null;
    let gunzip: Gunzip | undefined;
    let source: AsyncIterable<Buffer> = raw ?? plainChunks(path, chunkBytes);
    if (raw) {
      const z = createGunzip({ chunkSize: Math.max(64, chunkBytes) });
      gunzip = z;
      raw.on('data', (b: Buffer | string) => {
        hash.update(b);
        compressed += b.length;
      });
      raw.on('error', (e) => z.destroy(e));
      raw.pipe(z);
      source = z;
    }
    const decoder = new Utf8Chunks();
    const scanner = new Scanner(split, batchLines);
    let decoded = 0;
    let rest = '';
    let first = true;
    let overlong: string | null = null; // the head of a line being skipped for its length
    try {
      for await (const chunk of source) {
        if (!gzip) {
          hash.update(chunk);
          compressed += chunk.length;
        }
        decoded += chunk.length;
        const text = decoder.write(chunk);
        if (text.length === 0) continue;
        let pos = 0;
        if (first) {
          first = false;
          if (text.charCodeAt(0) === 0xfeff) pos = 1;
        }
        if (overlong !== null || rest.length > 0) {
          // The line carried over from the last chunk ends at this chunk's first newline: it is
          // read on its own, so the chunk itself is never concatenated (and copied) whole.
          const nl = text.indexOf('\n', pos);
          if (nl < 0) {
            if (overlong === null) {
              rest += text;
              if (rest.length > maxLine) {
                overlong = rest.slice(0, OVERLONG_HEAD) + '…';
                rest = '';
              }
            }
            continue;
          }
          // The batch so far is in the last chunk's text; this line is in a string of its own.
          if (scanner.count > 0) yield scanner.take(decoded);
          if (overlong !== null) {
            scanner.addMalformed(overlong);
            overlong = null;
          } else {
            scanner.scan(rest + text.slice(pos, nl + 1), 0);
            rest = '';
          }
          pos = nl + 1;
        }
        for (;;) {
          pos = scanner.scan(text, pos);
          if (!scanner.full(text)) break;
          yield scanner.take(decoded);
        }
        rest = text.slice(pos);
        if (rest.length > maxLine) {
          overlong = rest.slice(0, OVERLONG_HEAD) + '…';
          rest = '';
        }
      }
      // The whole file has been read: the hash is complete before the last records are handed out.
      digest = hash.digest('hex');
      let text = rest + decoder.end();
      let pos = 0;
      if (first && text.charCodeAt(0) === 0xfeff) pos = 1;
      if (overlong !== null) {
        if (scanner.count > 0) yield scanner.take(decoded);
        scanner.addMalformed(overlong);
        text = '';
      }
      if (text.length > pos) {
        // The last line has no newline: give it one, the scan does the rest.
        text += '\n';
        for (;;) {
          pos = scanner.scan(text, pos);
          if (!scanner.full(text)) break;
          yield scanner.take(decoded);
        }
      }
    } catch (e) {
      throw readError(name, e);
    } finally {
      raw?.destroy();
      gunzip?.destroy();
    }
    if (scanner.count > 0) yield scanner.take(decoded);
  }

  return {
    name,
    path,
    totalBytes,
    gzip,
    batches,
    sha256: () => digest,
    compressedBytesRead: () => compressed,
    bytesRead: () => compressed,
  };
}

/** The first n non-blank lines of a file (decompressed, BOM and CR dropped), for format detection. */
export async function firstLines(path: string, n: number): Promise<string[]> {
  if (n <= 0) return [];
  const file = await openCdrFile(path, { batchLines: n, chunkBytes: 64 * 1024, split: false });
  return (await firstBatchLines(file, n)).texts;
}

/** The first n records of a file as read (fewer when it has fewer): a batch ends where a line crosses a chunk, so as many batches as it takes. */
export async function firstBatchLines(file: CdrFileReader, n: number): Promise<{ fields: (string[] | null)[]; texts: string[] }> {
  const out: { fields: (string[] | null)[]; texts: string[] } = { fields: [], texts: [] };
  const it = file.batches();
  try {
    while (out.texts.length < n) {
      const next = await it.next();
      if (next.done) break;
      out.fields.push(...next.value.fields);
      out.texts.push(...next.value.texts);
    }
  } finally {
    await it.return(undefined);
  }
  out.fields.length = Math.min(out.fields.length, n);
  out.texts.length = Math.min(out.texts.length, n);
  return out;
}
