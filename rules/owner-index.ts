// Which Numbers rows claim a number: single numbers and alternate CDR numbers in a Map, ranges of
// up to 1,000,000 numbers as sorted intervals per digit length (never expanded). Built once per
// model; a lookup is a Map hit or a binary search.

import type { NumberRow } from './rows.js';

export interface Claim {
  row: NumberRow;
  /** Index of the row in SheetRows.numbers: a cheap identity for caches. */
  index: number;
  /** The claim is an AltCdrNumber: the owning number is the row's Number. */
  alt: boolean;
}

interface Range {
  start: number;
  end: number;
  claim: Claim;
}

interface RangeList {
  ranges: Range[];
  /** The smallest start and largest end: most lookups of single numbers stop here. */
  min: number;
  max: number;
  /** maxEnd[i] = the largest end among ranges[0..i]: lets a lookup stop scanning back early. */
  maxEnd: number[];
}

export class OwnerIndex {
  private readonly exact = new Map<string, Claim[]>();
  private readonly byLength = new Map<number, RangeList>();

  constructor(rows: readonly NumberRow[]) {
    const pending = new Map<number, Range[]>();
    rows.forEach((row, index) => {
      if (row.rangeEnd !== '' && row.rangeEnd !== row.number && row.number.length <= 15) {
        const list = pending.get(row.number.length) ?? [];
        list.push({ start: Number(row.number), end: Number(row.rangeEnd), claim: { row, index, alt: false } });
        pending.set(row.number.length, list);
      } else {
        this.add(row.number, { row, index, alt: false });
      }
      for (const alt of row.altCdrNumbers) if (alt !== row.number) this.add(alt, { row, index, alt: true });
    });
    for (const [len, ranges] of pending) {
      ranges.sort((a, b) => a.start - b.start || a.end - b.end);
      const maxEnd: number[] = [];
      let m = -1;
      for (const r of ranges) maxEnd.push((m = Math.max(m, r.end)));
      this.byLength.set(len, { ranges, maxEnd, min: ranges[0].start, max: m });
    }
  }

  private add(number: string, claim: Claim): void {
    const list = this.exact.get(number);
    if (list) list.push(claim);
    else this.exact.set(number, [claim]);
  }

  /** Every claim on a normalised number, ranges included. */
  claims(number: string): Claim[] {
    const exact = this.exact.get(number);
    const list = number.length <= 15 ? this.byLength.get(number.length) : undefined;
    if (!list) return exact ?? NONE;
    const n = Number(number);
    if (n < list.min || n > list.max) return exact ?? NONE;
    const { ranges, maxEnd } = list;
    let lo = 0;
    let hi = ranges.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid].start <= n) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let found: Claim[] | null = null;
    for (let i = idx; i >= 0 && maxEnd[i] >= n; i--) {
      if (ranges[i].end >= n) (found ??= []).push(ranges[i].claim);
    }
    if (!found) return exact ?? NONE;
    return exact ? [...exact, ...found] : found;
  }
}

const NONE: Claim[] = [];
