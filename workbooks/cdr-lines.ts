// CDR files as batches of records: streamed (never loaded whole), gzip by its magic bytes, BOM and
// CRLF handled, one record per line (a quoted field never spans lines, so an unterminated quote
// costs that line alone), invalid UTF-8 read as U+FFFD. indexOf scanning: csv-parse is 6–14×
// slower here (STACK-NOTES).

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface LineBatch {
  /** 1-based line numbers as an editor shows them. */
  lines: number[];
  /** Fields per record; null for a malformed line (an unterminated quote), or all null when opened with split: false. */
  fields: (string[] | null)[];
  /** The raw text of each line, for messages and exception rows. */
  texts: string[];
}

export interface CdrFile {
  name: string;
  path: string;
  totalBytes: number;
  gzip: boolean;
  batches(): AsyncGenerator<LineBatch>;
  /** Bytes of the file as stored read so far (for progress). */
  bytesRead(): number;
  /** sha256 of the file as stored; complete once batches() has finished. */
  sha256(): string;
}

/** Splits one CSV line; null when a quote is left open. */
export function splitCsvLine(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (i < n && line.charCodeAt(i) === 34) {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        v += line.slice(i, q);
        if (line.charCodeAt(q + 1) === 34) {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // Text after a closing quote up to the comma belongs to the field (lenient, like Excel).
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(v + line.slice(i));
        return out;
      }
      out.push(v + line.slice(i, c));
      i = c + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

const isBlank = (line: string): boolean => {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
};

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export async function openCdrFile(path: string, opts: { batchLines?: number; chunkBytes?: number; name?: string; split?: boolean } = {}): Promise<CdrFile> {
  const split = opts.split !== false;
  const totalBytes = (await stat(path)).size;
  const gzip = await isGzip(path);
  const name = opts.name ?? basename(path);
  const batchLines = opts.batchLines ?? 8192;
  let digest = '';
  let read = 0;
  return {
    name,
    path,
    totalBytes,
    gzip,
    bytesRead: () => read,
    sha256: () => digest,
    async *batches() {
      // Each pass hashes and counts afresh: format detection reads the first lines on its own.
      const hash: Hash = createHash('sha256');
      read = 0;
      const raw = createReadStream(path, { highWaterMark: opts.chunkBytes ?? 1 << 20 });
      raw.on('data', (b: Buffer | string) => {
        const buf = typeof b === 'string' ? Buffer.from(b) : b;
        hash.update(buf);
        read += buf.length;
      });
      let source: Readable = raw;
      if (gzip) {
        const gunzip = createGunzip({ chunkSize: opts.chunkBytes ?? 1 << 20 });
        raw.on('error', (e) => gunzip.destroy(e));
        source = raw.pipe(gunzip);
      }
      const decoder = new StringDecoder('utf8');
      let rest = '';
      let lineNo = 0;
      let first = true;
      let batch: LineBatch = { lines: [], fields: [], texts: [] };
      try {
        for await (const chunk of source) {
          let text = rest + decoder.write(chunk as Buffer);
          if (first && text.length > 0) {
            if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
            first = false;
          }
          let start = 0;
          for (;;) {
            const nl = text.indexOf('\n', start);
            if (nl < 0) break;
            lineNo++;
            let end = nl;
            if (end > start && text.charCodeAt(end - 1) === 13) end--;
            const line = text.slice(start, end);
            start = nl + 1;
            if (isBlank(line)) continue;
            batch.lines.push(lineNo);
            batch.fields.push(split ? splitCsvLine(line) : null);
            batch.texts.push(line);
            if (batch.lines.length >= batchLines) {
              yield batch;
              batch = { lines: [], fields: [], texts: [] };
            }
          }
          rest = text.slice(start);
        }
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' || /unexpected end/i.test((e as Error).message)
          ? 'the gzip data is cut short'
          : (e as Error).message;
        throw new Error(`${name}: ${why}`);
      }
      const last = rest + decoder.end();
      if (!isBlank(last)) {
        lineNo++;
        const line = last.endsWith('\r') ? last.slice(0, -1) : last;
        batch.lines.push(lineNo);
        batch.fields.push(split ? splitCsvLine(line) : null);
        batch.texts.push(line);
      }
      if (batch.lines.length > 0) yield batch;
      digest = hash.digest('hex');
    },
  };
}

/** The first non-blank lines of a file (decompressed, BOM dropped), for format detection. */
export async function firstLines(path: string, n: number): Promise<string[]> {
  const file = await openCdrFile(path, { batchLines: n, chunkBytes: 64 * 1024 });
  const it = file.batches();
  try {
    const first = await it.next();
    return first.done ? [] : first.value.texts.slice(0, n);
  } finally {
    await it.return(undefined);
  }
}
