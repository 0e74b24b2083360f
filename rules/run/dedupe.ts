// SPEC §2 step 2: the same call twice in one run, across all its files. A record with an id is
// the same call as an earlier record with the same id; a record without one, as an earlier record
// with the same N(caller) (the trimmed text when it is not a number), N(called), start instant and
// duration. Only records that passed step 1 are checked; the first is rated, later ones name it.
//
// Memory, per distinct record held: the key's bytes in a KeyTable (about 20–36 bytes of table and
// position plus the key's UTF-8 and a length byte: ~75 bytes for a tuple key like
// `t442079460000|447811112222|1790000000|60`) and 8 bytes of location — no JS object or string per
// record, so the GC has nothing to trace and no line is kept alive by a key sliced out of it.

import type { Cdr } from '../cdr/cdr.js';
import { KeyTable, type KeyTableOptions } from './key-table.js';
import { Float64Column } from './paged-column.js';

export interface FirstSeen {
  file: string;
  line: number;
}

/**
 * What two records of the run must share to be the same call: `i<id>` when the record has an id,
 * else `t<N(caller) or text>|<N(called)>|<start>|<duration>` (start in seconds since 1970, or
 * `<ms>ms` when not a whole second). Called, start and duration never hold `|`, so a caller text
 * that does cannot make two different calls share a key.
 */
export function dedupeKey(cdr: Cdr): string {
  if (cdr.id !== '') return ['i', cdr.id].join('');
  const ms = cdr.startMs;
  const start = ms % 1000 === 0 ? ms / 1000 : `${ms}ms`;
  return ['t' + (cdr.callerN ?? cdr.caller), cdr.calledN ?? cdr.called, start, cdr.duration].join('|');
}

export class Deduper {
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  /** The last file seen and its index: records come file by file. */
  private lastFile: string | null = null;
  private lastIndex = 0;
  private readonly keys: KeyTable;
  /** fileIndex * 2^32 + line of each record held, by key id. */
  private readonly where = new Float64Column();

  /** `options` are for tests (see KeyTableOptions). */
  constructor(options?: KeyTableOptions) {
    this.keys = new KeyTable(options);
  }

  /** Makes room for about this many more records (see KeyTable.reserve). */
  reserve(records: number): void {
    this.keys.reserve(this.keys.size + records);
  }

  /** Null when the call is new to the run (and now remembered), else where it was first seen. */
  check(cdr: Cdr): FirstSeen | null {
    return this.checkKey(dedupeKey(cdr), cdr.file, cdr.line);
  }

  /** As check(), for a key made by dedupeKey() elsewhere (a worker thread). */
  checkKey(key: string, file: string, line: number): FirstSeen | null {
    return this.seen(this.keys.intern(key), file, line);
  }

  /** Where the key of id was first seen, or null when intern() just added it (and now it is remembered). */
  private seen(id: number, file: string, line: number): FirstSeen | null {
    if (!this.keys.added) {
      const w = this.where.get(id);
      const fi = Math.floor(w / 4_294_967_296);
      return { file: this.files[fi], line: w - fi * 4_294_967_296 };
    }
    this.where.push(this.indexOf(file) * 4_294_967_296 + line);
    return null;
  }

  /** Hashes a batch's ASCII keys for checkAscii() (see KeyTable.hashAscii). */
  hashAscii(b: Uint8Array, ends: Int32Array, n: number, hashes: Int32Array): void {
    this.keys.hashAscii(b, ends, n, hashes);
  }

  /** As checkKey(), for a key whose text is the ASCII bytes b[from, to) and whose hash hashAscii() gave (the rating fast lane writes them). */
  checkAscii(b: Uint8Array, from: number, to: number, h: number, file: string, line: number): FirstSeen | null {
    return this.seen(this.keys.internAscii(b, from, to, h), file, line);
  }

  /** Records held: the distinct calls of the run so far. */
  get size(): number {
    return this.keys.size;
  }

  private indexOf(file: string): number {
    if (file === this.lastFile) return this.lastIndex;
    let fi = this.fileIndex.get(file);
    if (fi === undefined) {
      fi = this.files.push(file) - 1;
      this.fileIndex.set(file, fi);
    }
    this.lastFile = file;
    this.lastIndex = fi;
    return fi;
  }
}
