// SPEC §2 step 2: the same call twice in one run, across all its files. By id when the record
// has one; else by N(caller), N(called), start instant and duration. The first is rated; later
// ones point at it. One Map entry per record (a short string key and a number): about 100 bytes.

import type { Cdr } from './cdr.js';

export interface FirstSeen {
  file: string;
  line: number;
}

/** What two records of the run must share to be the same call. */
export const dedupeKey = (cdr: Cdr): string =>
  cdr.id !== '' ? `i${cdr.id}` : `t${cdr.callerN ?? cdr.caller}|${cdr.calledN ?? cdr.called}|${cdr.startMs}|${cdr.duration}`;

export class Deduper {
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  /** key -> fileIndex * 2^32 + line, so an entry is one number. */
  private readonly seen = new Map<string, number>();

  /** Null when the call is new (and remembers it), else where it was first seen. */
  check(cdr: Cdr): FirstSeen | null {
    return this.checkKey(dedupeKey(cdr), cdr.file, cdr.line);
  }

  checkKey(key: string, file: string, line: number): FirstSeen | null {
    const hit = this.seen.get(key);
    if (hit !== undefined) return { file: this.files[Math.floor(hit / 2 ** 32)], line: hit % 2 ** 32 };
    let fi = this.fileIndex.get(file);
    if (fi === undefined) {
      fi = this.files.push(file) - 1;
      this.fileIndex.set(file, fi);
    }
    this.seen.set(key, fi * 2 ** 32 + line);
    return null;
  }

  get size(): number {
    return this.seen.size;
  }
}
