// exceptions.csv's row for an exception as UTF-8 bytes: the same bytes as
// csvLine(exceptionRow(e, zone)) (a test holds them equal) without building the cells or the line.

import type { CallException } from '../cdr/cdr.js';
import type { RowBytes } from './row-bytes.js';
import { formatLocalIso } from '../zone.js';

const COMMA = 44;
/**
 * Start times written by RowBytes.localIso. Outside it formatLocalIso's text is used as a field:
 * a year before 0 or past 9999 is written with a sign, which a spreadsheet would run (a day's
 * margin each side keeps every zone's local year within 0–9999).
 */
const FAST_FROM = -62_167_219_200_000 + 86_400_000; // 0000-01-02T00:00:00Z
const FAST_TO = 253_402_300_800_000 - 86_400_000; // 9999-12-31T00:00:00Z

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
