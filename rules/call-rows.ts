// rated.csv and exceptions.csv as column lists and rows (SPEC §6), shared by the CSV writer, the
// exceptions workbook, Google Sheets and the UI grids.

import type { CallException, RatedCall } from './cdr.js';
import { formatMicro, formatMicroShort } from './money.js';
import type { CellValue, Column } from './tables.js';
import { formatLocalIso } from './zone.js';
import { csvField } from './csv.js';
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

/** rated.csv's line for a call, built directly: the rating loop writes one per call. */
export function ratedLine(c: RatedCall, zone: string): string {
  // Fewer pieces, fewer string joins: a file's field and the fixed words come with their commas.
  if (c.file !== lastFile) {
    lastFile = c.file;
    lastFileField = csvField(c.file) + ',';
  }
  return (
    lastFileField + c.line + ',' + csvField(c.id) + ',' + formatLocalIso(zone, c.startMs) + (c.direction === 'out' ? ',out,' : ',in,') +
    csvField(c.caller) + ',' + csvField(c.called) + ',' + csvField(c.extension) + ',' + csvField(c.account) + ',' + csvField(c.number) + ',' +
    csvField(c.site) + ',' + csvField(c.destination) + ',' + c.callClass + ',' + csvField(c.band) + ',' + csvField(c.tariff) + ',' +
    c.duration + ',' + c.billedSeconds + ',' + formatMicro(c.charge, c.chargeDecimals) + (c.cost === null ? ',' : ',' + formatMicroShort(c.cost)) + METHOD_TAIL[c.method]
  );
}

/** The same row as ratedLine, as UTF-8 bytes appended to `out` (the rating loop's form). */
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

let lastFile = '';
let lastFileField = ',';
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
