// A zip bomb dressed as an .xlsx, for the upload tests: the sample workbook with one sheet's XML
// replaced by a deflate stream that inflates to `inflatedBytes` of rows while the file stays a few
// few MB. The stream is one compressed megabyte of the same row repeated: each copy is compressed by
// a fresh deflater and ends on a full flush, so it never refers back and copies can be concatenated.

import { deflateRawSync, constants } from 'node:zlib';
import JSZip from 'jszip';

const ROW = '<row r="2"><c r="A2" t="inlineStr"><is><t>ACC1</t></is></c><c r="B2" t="inlineStr"><is><t>Name</t></is></c></row>';

export interface BombOptions {
  /** What the sheet XML inflates to (about). */
  inflatedBytes: number;
  /** Tell the truth about the inflated size in the zip headers (true) or claim a small one (false). */
  honestSize?: boolean;
  /** The sheet replaced (default the second tab's part). */
  sheet?: string;
}

export async function zipBombXlsx(sample: Buffer, opts: BombOptions): Promise<Buffer> {
  const src = await JSZip.loadAsync(sample);
  const target = opts.sheet ?? 'xl/worksheets/sheet2.xml';
  const chunk = Buffer.from(ROW.repeat(Math.ceil((1 << 20) / ROW.length)));
  const head = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
  const tail = Buffer.from('</sheetData></worksheet>');
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const copies = Math.max(1, Math.ceil(opts.inflatedBytes / chunk.length));
  const body = deflateRawSync(chunk, flush);
  const packed = Buffer.concat([deflateRawSync(head, flush), ...new Array<Buffer>(copies).fill(body), deflateRawSync(tail)]);
  const size = head.length + copies * chunk.length + tail.length;

  const entries: { name: string; packed: Buffer; size: number; crc: number }[] = [];
  for (const name of Object.keys(src.files)) {
    const f = src.files[name];
    if (f.dir) continue;
    if (name === target) {
      entries.push({ name, packed, size: opts.honestSize ? Math.min(size, 0xffffffff) : 4096, crc: 0 });
      continue;
    }
    const data = await f.async('nodebuffer');
    entries.push({ name, packed: deflateRawSync(data), size: data.length, crc: crc32(data) });
  }
  return zip(entries);
}

function crc32(b: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < b.length; i++) {
    c ^= b[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ -1) >>> 0;
}

/** A zip of already deflated entries (no zip64). */
function zip(entries: { name: string; packed: Buffer; size: number; crc: number }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const fields = (b: Buffer, at: number): void => {
      b.writeUInt16LE(20, at);
      b.writeUInt16LE(0, at + 2);
      b.writeUInt16LE(8, at + 4);
      b.writeUInt32LE(0, at + 6);
      b.writeUInt32LE(e.crc, at + 10);
      b.writeUInt32LE(e.packed.length, at + 14);
      b.writeUInt32LE(e.size, at + 18);
      b.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    name.copy(local, 30);
    const dir = Buffer.alloc(46 + name.length);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    fields(dir, 6);
    dir.writeUInt32LE(offset, 42);
    name.copy(dir, 46);
    parts.push(local, e.packed);
    central.push(dir);
    offset += local.length + e.packed.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
