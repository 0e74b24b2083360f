// A zip bomb check for uploaded workbooks, run before the reader sees the file. The reader
// (workbooks/xlsx-parts.ts) inflates each part as a stream but sets no bound on how much comes
// out, and what comes out is kept (rows, shared strings): a 1 MB .xlsx whose sheet inflates to
// gigabytes would take gigabytes of memory and minutes. So every entry is inflated here first,
// counting bytes and throwing the output away, and the file is refused as soon as the total
// passes the bound. Real workbooks inflate 4–10 times (the sample 4.7, the benchmark's 100,000
// rows 9.5); deflate can reach about 1,000 times.

import JSZip from 'jszip';
import { createInflateRaw } from 'node:zlib';

export interface InflationBounds {
  /** Inflated bytes may be this many times the file's size... */
  maxRatio: number;
  /** ...but a small file may always inflate to this much... */
  floorBytes: number;
  /** ...and no file to more than this. */
  maxBytes: number;
}

/** For a workbook upload limit: 100 times the file, at least 64 MiB, at most 20 times the limit. */
export const workbookInflationBounds = (uploadLimitBytes: number): InflationBounds => ({ maxRatio: 100, floorBytes: 64 * 1024 * 1024, maxBytes: 20 * uploadLimitBytes });

/** The inflated size a file of `fileBytes` may reach. */
export const inflationAllowance = (fileBytes: number, b: InflationBounds): number => Math.min(b.maxBytes, Math.max(b.floorBytes, fileBytes * b.maxRatio));

/** JSZip keeps an entry's raw bytes, method and declared size here (not public API, so each is checked). */
interface LoadedEntry {
  _data?: { compressedContent?: unknown; uncompressedSize?: unknown; compression?: { magic?: unknown } };
}

const DEFLATE = '\x08\x00';
const STORE = '\x00\x00';

const mib = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * null when the zip's entries inflate within the allowance (or it is no zip at all: the reader
 * says what it is); else one sentence saying the file was refused. Never holds more than one
 * inflated megabyte at a time.
 */
export async function checkInflation(bytes: Buffer, name: string, bounds: InflationBounds): Promise<string | null> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    return null;
  }
  const allowance = inflationAllowance(bytes.length, bounds);
  const refused = `${name} is refused: it would unpack to more than ${mib(allowance)}, far more than a workbook of its size does (it looks like a zip bomb)`;
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  // What the headers claim first: an honest bomb is refused without inflating anything.
  let declared = 0;
  for (const f of entries) {
    const size = (f as unknown as LoadedEntry)._data?.uncompressedSize;
    if (typeof size === 'number') declared += size;
  }
  if (declared > allowance) return refused;
  // Then what the entries really inflate to: headers can lie.
  let total = 0;
  for (const f of entries) {
    const data = (f as unknown as LoadedEntry)._data;
    const raw = data?.compressedContent;
    const magic = data?.compression?.magic;
    if (!(raw instanceof Uint8Array) || (magic !== DEFLATE && magic !== STORE)) continue; // the reader refuses what it cannot open
    if (magic === STORE) {
      total += raw.length;
    } else {
      const counted = await inflatedSize(raw, allowance - total);
      if (counted === null) return refused;
      total += counted;
    }
    if (total > allowance) return refused;
  }
  return null;
}

/** Bytes a raw deflate stream inflates to; null as soon as it passes `budget`; 0 when it is corrupt (the reader says so). */
async function inflatedSize(raw: Uint8Array, budget: number): Promise<number | null> {
  const inflate = createInflateRaw({ chunkSize: 1024 * 1024 });
  let n = 0;
  try {
    inflate.end(raw);
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > budget) {
        inflate.destroy();
        return null;
      }
    }
  } catch {
    return 0;
  }
  return n;
}
