// SPEC §2 step 2: the same call twice in one run, across all its files. A record with an id is
// the same call as an earlier record with the same id; a record without one, as an earlier record
// with the same N(caller) (the trimmed text when it is not a number), N(called), start instant and
// duration. Only records that passed step 1 are checked; the first is rated, later ones name it.
//
// Memory, per distinct record held (measured on node 20, 1M records): one Map entry (~30 bytes),
// its key as one flat string (16 bytes + its length, rounded up to 8: ~64 bytes for a tuple key
// like `t442079460000|447811112222|1790000000|60`, ~56 for a 36-character uuid id) and 8 bytes
// of location (in a Float64Array that doubles, so 8–16): about 100 bytes a record, 100 MB for a
// million. Keys are built with join() so they
// are flat strings of their own: a template literal would keep a rope of its parts (~350 bytes
// measured), and a field sliced out of a line would keep the whole line (or read chunk) alive.

import type { Cdr } from './cdr.js';

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
  /** key -> position in `where`. */
  private readonly seen = new Map<string, number>();
  /** fileIndex * 2^32 + line of each record held, by position. */
  private where = new Float64Array(1024);

  /** Null when the call is new to the run (and now remembered), else where it was first seen. */
  check(cdr: Cdr): FirstSeen | null {
    return this.checkKey(dedupeKey(cdr), cdr.file, cdr.line);
  }

  /** As check(), for a key made by dedupeKey() elsewhere (a worker thread). */
  checkKey(key: string, file: string, line: number): FirstSeen | null {
    const hit = this.seen.get(key);
    if (hit !== undefined) {
      const w = this.where[hit];
      const fi = Math.floor(w / 4_294_967_296);
      return { file: this.files[fi], line: w - fi * 4_294_967_296 };
    }
    let fi = this.fileIndex.get(file);
    if (fi === undefined) {
      fi = this.files.push(file) - 1;
      this.fileIndex.set(file, fi);
    }
    const at = this.seen.size;
    if (at === this.where.length) {
      const grown = new Float64Array(at * 2);
      grown.set(this.where);
      this.where = grown;
    }
    this.where[at] = fi * 4_294_967_296 + line;
    this.seen.set(key, at);
    return null;
  }

  /** Records held: the distinct calls of the run so far. */
  get size(): number {
    return this.seen.size;
  }
}
