// The parts (files) of an .xlsx zip, opened by name in whatever order the reader needs them, so
// no producer's zip order matters and no part is re-packed or spilled to a temp file.
//
// Every byte a part inflates to is counted as it comes out, against the allowance for the file
// (see InflationBounds): what comes out is parsed and kept (rows, shared strings), so a 1 MB zip
// bomb whose sheet inflates to gigabytes would otherwise take gigabytes of memory and minutes.
// Real workbooks inflate 4–10 times (the sample 4.7, the benchmark's 100,000 rows 9.5); deflate
// can reach about 1,000 times. Zip headers can lie: a part that inflates past the size its header
// declares is handed on no further (its bytes are only counted), so what is parsed never exceeds
// the declared sizes, whose total is checked before anything is inflated.

import JSZip from 'jszip';
import { createInflateRaw } from 'node:zlib';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * exceljs's sheet parser gathers all XML events of one chunk into an array before it hands them
 * on: 16 KiB chunks measured fastest (64 KiB ones about 20% slower, 1 MiB ones twice as slow).
 */
const CHUNK_BYTES = 16 * 1024;
/** zlib hands over its output in pieces this big; at 16 KiB the stream's own cost was measurable. */
const INFLATE_BYTES = 1024 * 1024;

export interface InflationBounds {
  /** Inflated bytes may be this many times the file's size... */
  maxRatio: number;
  /** ...but a small file may always inflate to this much... */
  floorBytes: number;
  /** ...and no file to more than this. */
  maxBytes: number;
}

/** For a workbook size limit: 100 times the file, at least 64 MiB, at most 20 times the limit. */
export const workbookInflationBounds = (limitBytes: number): InflationBounds => ({ maxRatio: 100, floorBytes: 64 * 1024 * 1024, maxBytes: 20 * limitBytes });

/** The inflated size a file of `fileBytes` may reach. */
export const inflationAllowance = (fileBytes: number, b: InflationBounds): number => Math.min(b.maxBytes, Math.max(b.floorBytes, fileBytes * b.maxRatio));

/** A part refused while it was inflated: the message is the sentence for the user, naming the file. */
export class PartRefused extends Error {}

/** Where JSZip keeps a loaded entry's raw bytes, method and declared size (not public API, so each is checked). */
interface LoadedEntry {
  _data?: { compressedContent?: unknown; uncompressedSize?: unknown; compression?: { magic?: unknown } };
}

const DEFLATE = '\x08\x00';
const STORE = '\x00\x00';

const mb = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`;

/** The size a part's zip header declares. JSZip reads it as a signed 32-bit number: 3 GB comes back negative. */
const declaredSize = (f: JSZip.JSZipObject): number | undefined => {
  const size = (f as unknown as LoadedEntry)._data?.uncompressedSize;
  if (typeof size !== 'number' || !Number.isSafeInteger(size)) return undefined;
  return size < 0 ? size + 2 ** 32 : size;
};

/** The inflated bytes a zip's parts may still take, counted as they come out; throws PartRefused past them. */
export class InflationBudget {
  private used = 0;
  readonly allowance: number;
  /** The sentence once a part was refused (a parser may wrap the error it was thrown as). */
  refused?: string;

  constructor(
    /** The file's name, for the sentence. */
    readonly name: string,
    fileBytes: number,
    bounds: InflationBounds,
  ) {
    this.allowance = inflationAllowance(fileBytes, bounds);
  }

  /** The sentence for a file that would unpack to more than its allowance; `how` says how it was found. */
  refusal(how: string): string {
    return `${this.name} is refused: it would unpack to more than ${mb(this.allowance)} (${how}), far more than a workbook of its size does: it looks like a zip bomb`;
  }

  /** Refuses at once a zip whose headers declare more than the allowance: nothing is inflated. */
  checkDeclared(zip: JSZip): void {
    let declared = 0;
    for (const f of Object.values(zip.files)) if (!f.dir) declared += declaredSize(f) ?? 0;
    if (declared > this.allowance) throw this.refuse(this.refusal(`its zip headers say ${mb(declared)}`));
  }

  refuse(sentence: string): PartRefused {
    this.refused ??= sentence;
    return new PartRefused(sentence);
  }

  /** Stops the reading at the next chunk inflated, with `sentence` (a read given up on). */
  stop(sentence: string): void {
    this.refused ??= sentence;
  }

  spend(part: string, bytes: number): void {
    if (this.refused !== undefined) throw new PartRefused(this.refused);
    this.used += bytes;
    if (this.used > this.allowance) throw this.refuse(this.refusal(`it inflates past ${mb(this.allowance)} by ${part}`));
  }
}

export interface XlsxParts {
  has(path: string): boolean;
  text(path: string): Promise<string>;
  /** The part as UTF-8 text in chunks, never splitting a character. */
  chunks(path: string): AsyncIterable<string>;
  /** The same as a stream, for exceljs readers that listen for data events. */
  stream(path: string): Readable;
}

export const isEncrypted = (zip: JSZip): boolean => zip.file('EncryptionInfo') !== null || zip.file('EncryptedPackage') !== null;

/** The parts of a loaded zip; each byte inflated is spent from `budget` (checkDeclared it first). */
export function xlsxParts(zip: JSZip, budget: InflationBudget): XlsxParts {
  const entry = (path: string): JSZip.JSZipObject => {
    const f = zip.file(path);
    if (!f) throw new Error(`it has no ${path}`);
    return f;
  };
  const chunks = (path: string): AsyncIterable<string> => partChunks(entry(path), path, budget);
  return {
    has: (path) => zip.file(path) !== null,
    text: async (path) => {
      let s = '';
      for await (const c of chunks(path)) s += c;
      return s;
    },
    chunks,
    stream: (path) => Readable.from(chunks(path)),
  };
}

/** The part's inflated bytes, as they come (Node's zlib where JSZip's internals allow: see partChunks). */
function inflated(file: JSZip.JSZipObject): AsyncIterable<Buffer> | Buffer[] {
  const data = (file as unknown as LoadedEntry)._data;
  const raw = data?.compressedContent;
  const magic = data?.compression?.magic;
  if (raw instanceof Uint8Array && magic === STORE) return [Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)];
  if (raw instanceof Uint8Array && magic === DEFLATE) {
    // Node's zlib inflates on its thread pool, beside the parsing, and several times faster than
    // JSZip's JavaScript inflate.
    const inflate = createInflateRaw({ chunkSize: INFLATE_BYTES });
    inflate.end(raw);
    return inflate;
  }
  return file.nodeStream('nodebuffer') as unknown as AsyncIterable<Buffer>;
}

async function* partChunks(file: JSZip.JSZipObject, path: string, budget: InflationBudget): AsyncGenerator<string> {
  const declared = declaredSize(file) ?? Infinity;
  const decoder = new StringDecoder('utf8');
  let n = 0;
  for await (const chunk of inflated(file)) {
    budget.spend(path, chunk.length);
    n += chunk.length;
    // Past what the header declared, the zip lies: the rest is counted (a bomb is named as one)
    // but never parsed, and the file is refused as corrupt once the part ends.
    if (n > declared) continue;
    for (let at = 0; at < chunk.length; at += CHUNK_BYTES) {
      const s = decoder.write(chunk.subarray(at, at + CHUNK_BYTES));
      if (s) yield s;
    }
  }
  if (n > declared) throw budget.refuse(`${budget.name} is corrupt: ${path} inflates to more than the ${declared} bytes its zip header declares`);
  const rest = decoder.end();
  if (rest) yield rest;
}
