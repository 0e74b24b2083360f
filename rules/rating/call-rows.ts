// rated.csv and exceptions.csv as column lists and rows (SPEC §6), shared by the CSV writer, the
// exceptions workbook, Google Sheets and the UI grids.

import type { CallException, RatedCall } from '../cdr/cdr.js';
import { formatMicro, formatMicroShort } from '../money.js';
import type { CellValue, Column } from '../tables.js';
import { formatLocalIso } from '../zone.js';
import type { RowBytes } from './row-bytes.js';

export const RATED_HEADER = [
  'file', 'line', 'id', 'start', 'direction', 'caller', 'called', 'extension', 'account', 'number', 'site',
  'destination', 'class', 'band', 'tariff', 'duration', 'billed_seconds', 'charge', 'cost', 'method',
] as const;

export const EXCEPTION_HEADER = ['file', 'line', 'id', 'start', 'caller', 'called', 'duration', 'reason', 'detail'] as const;

export function ratedRow(c: RatedCall, zone: string): CellValue[] {
  return [
    c.file, c.line, c.id, formatLocalIso(zone, c.startMs), c.direction, c.caller, c.called, c.extension, c.account,
    c.number, c.site, c.destination, c.callClass, c.band, c.tariff, c.duration, c.billedSeconds,
    formatMicro(c.charge, c.chargeDecimals), c.cost === null ? '' : formatMicroShort(c.cost), c.method,
  ];
}

/**
 * rated.csv's row for a call as UTF-8 bytes appended to `out`: what the rating loop writes, the
 * same bytes as csvLine(ratedRow(c)) (a test holds them equal) without building strings.
 */
export function writeRatedRow(c: RatedCall, zone: string, out: RowBytes): void {
  out.field(c.file);
  out.byte(44);
  out.int(c.line);
  out.byte(44);
  out.field(c.id);
  out.byte(44);
  out.localIso(zone, c.startMs);
  out.raw(c.direction === 'out' ? ',out,' : ',in,');
  out.field(c.caller);
  out.byte(44);
  out.field(c.called);
  out.byte(44);
  out.field(c.extension);
  out.byte(44);
  out.field(c.account);
  out.byte(44);
  out.field(c.number);
  out.byte(44);
  out.field(c.site);
  out.byte(44);
  out.field(c.destination);
  out.byte(44);
  out.raw(c.callClass);
  out.byte(44);
  out.field(c.band);
  out.byte(44);
  out.field(c.tariff);
  out.byte(44);
  out.int(c.duration);
  out.byte(44);
  out.int(c.billedSeconds);
  out.byte(44);
  out.micro(c.charge, c.chargeDecimals);
  out.byte(44);
  if (c.cost !== null) out.microShort(c.cost);
  out.raw(METHOD_TAIL[c.method]);
}

const METHOD_TAIL: Record<RatedCall['method'], string> = { rate: ',rate\n', markup: ',markup\n', fallback: ',fallback\n' };

export function exceptionRow(e: CallException, zone: string): CellValue[] {
  return [
    e.file, e.line, e.id, e.startMs === null ? '' : formatLocalIso(zone, e.startMs), e.caller, e.called,
    e.duration === null ? '' : e.duration, e.reason, e.detail,
  ];
}

export const EXCEPTION_COLUMNS: Column[] = [
  { header: 'file', kind: 'text', width: 18 },
  { header: 'line', kind: 'int', width: 8 },
  { header: 'id', kind: 'text', width: 18 },
  { header: 'start', kind: 'datetime', width: 26 },
  { header: 'caller', kind: 'text', width: 16 },
  { header: 'called', kind: 'text', width: 16 },
  { header: 'duration', kind: 'int', width: 9 },
  { header: 'reason', kind: 'text', width: 20 },
  { header: 'detail', kind: 'text', width: 70 },
];
