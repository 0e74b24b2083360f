// rated.csv and exceptions.csv as column lists and rows (SPEC §6), shared by the CSV writer, the
// exceptions workbook, Google Sheets and the UI grids.

import type { CallException, RatedCall } from './cdr.js';
import { formatMicro } from './money.js';
import type { CellValue, Column } from './tables.js';
import { formatLocalIso } from './zone.js';

export const RATED_HEADER = [
  'file', 'line', 'id', 'start', 'direction', 'caller', 'called', 'extension', 'account', 'number', 'site',
  'destination', 'class', 'band', 'tariff', 'duration', 'billed_seconds', 'charge', 'cost', 'method',
] as const;

export const EXCEPTION_HEADER = ['file', 'line', 'id', 'start', 'caller', 'called', 'duration', 'reason', 'detail'] as const;

export function ratedRow(c: RatedCall, zone: string): CellValue[] {
  return [
    c.file, c.line, c.id, formatLocalIso(zone, c.startMs), c.direction, c.caller, c.called, c.extension, c.account,
    c.number, c.site, c.destination, c.callClass, c.band, c.tariff, c.duration, c.billedSeconds,
    formatMicro(c.charge, c.chargeDecimals), c.cost === null ? '' : formatMicro(c.cost, 6).replace(/\.?0+$/, ''), c.method,
  ];
}

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
