// exceptions.csv's row for an exception as UTF-8 bytes: the same bytes as
// csvLine(exceptionRow(e, zone)) (a test holds them equal) without building the cells or the line.

import type { CallException } from './cdr.js';
import type { RowBytes } from './row-bytes.js';
import { formatLocalIso } from './zone.js';

const COMMA = 44;
/**
 * Start times written by RowBytes.localIso. Outside it formatLocalIso's text is used: before
 * 1980 some zones had offsets in seconds (local mean time), and far years need more digits.
 */
const FAST_FROM = Date.UTC(1980, 0, 1);
const FAST_TO = Date.UTC(9000, 0, 1);

export function writeExceptionRow(e: CallException, zone: string, out: RowBytes): void {
  out.field(e.file);
  out.byte(COMMA);
  number(e.line, out);
  out.byte(COMMA);
  out.field(e.id);
  out.byte(COMMA);
  const start = e.startMs;
  if (start !== null) {
    if (start >= FAST_FROM && start < FAST_TO) out.localIso(zone, start);
    else out.field(formatLocalIso(zone, start));
  }
  out.byte(COMMA);
  out.field(e.caller);
  out.byte(COMMA);
  out.field(e.called);
  out.byte(COMMA);
  if (e.duration !== null) number(e.duration, out);
  out.byte(COMMA);
  out.field(e.reason);
  out.byte(COMMA);
  out.field(e.detail);
  out.byte(10);
}

/** As csvField writes a number: String(v), which RowBytes.int matches for non-negative safe integers. */
function number(v: number, out: RowBytes): void {
  if (v >= 0 && Number.isSafeInteger(v)) out.int(v);
  else out.raw(String(v));
}
