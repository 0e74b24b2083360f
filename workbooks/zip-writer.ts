// A zip archive of a few whole entries, as an .xlsx package needs: each entry deflated by Node's
// zlib, then the local headers, the central directory and its end record (PKWARE APPNOTE 4.3;
// no zip64, so an archive stays under 4 GiB, far above what a workbook we write holds). Every
// entry carries the same fixed time (1980-01-01 00:00), so the same content gives the same bytes.

import * as zlib from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** zlib's own CRC-32 where this Node has it (20.15 and later): 10 times the speed of the loop below. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 (ISO 3309) of bytes, as zip wants it. */
export function crc32(bytes: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(bytes) : crc32Js(bytes);
}

/** crc32() computed here, for a Node without zlib.crc32. */
export function crc32Js(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** 1980-01-01 00:00 in MS-DOS date and time fields. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** Version 2.0 (deflate); bit 11 of the flags: names are UTF-8. */
const VERSION = 20;
const FLAGS = 1 << 11;
const DEFLATE = 8;

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** Version needed, flags, method, time, date, CRC, sizes and name length, from `at`. */
function putEntryFields(b: Buffer, at: number, crc: number, packed: number, size: number, nameLength: number): void {
  b.writeUInt16LE(VERSION, at);
  b.writeUInt16LE(FLAGS, at + 2);
  b.writeUInt16LE(DEFLATE, at + 4);
  b.writeUInt16LE(DOS_TIME, at + 6);
  b.writeUInt16LE(DOS_DATE, at + 8);
  b.writeUInt32LE(crc, at + 10);
  b.writeUInt32LE(packed, at + 14);
  b.writeUInt32LE(size, at + 18);
  b.writeUInt16LE(nameLength, at + 22);
}

/** The archive of these entries, in this order, as one buffer. */
export function zipArchive(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    // Level 1: a third of level 6's time for files about a quarter larger (an exceptions.xlsx
    // is written at the end of every run, a workbook per invoice at the end of a billing run).
    const packed = zlib.deflateRawSync(e.data, { level: 1 });
    const crc = crc32(e.data);
    // The local header and the central directory entry repeat the same fields, 2 bytes apart.
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0);
    putEntryFields(local, 4, crc, packed.length, e.data.length, name.length);
    name.copy(local, 30);
    const dir = Buffer.alloc(46 + name.length);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(VERSION, 4); // made by
    putEntryFields(dir, 6, crc, packed.length, e.data.length, name.length);
    // extra field, comment, disk number, internal and external attributes: all 0
    dir.writeUInt32LE(offset, 42);
    name.copy(dir, 46);
    parts.push(local, packed);
    central.push(dir);
    offset += local.length + packed.length;
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
