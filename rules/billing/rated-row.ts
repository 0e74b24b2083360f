// A rated.csv row read back into the RatedCall it was written from (SPEC §6 `rate`), so the server
// bills a run's calls as they were rated (SPEC §7 POST /api/bills) without rating them again.
// Exact: money through parseMicro, the start from its ISO text and offset, ChargeDecimals from the
// charge's own decimals — ratedRow(parseRatedRow(row)) gives the row back. Pure; a bad row is an
// issue naming its line, never a throw.

import type { CallDirection, PriceMethod, RatedCall } from '../cdr/cdr.js';
import { unguard } from '../csv.js';
import { parseMicro } from '../money.js';
import { err, issue, ok, type Issue, type Result } from '../result.js';
import { RATED_HEADER } from '../rating/call-rows.js';
import { CALL_CLASSES, type CallClass } from '../workbook/rows.js';

const CLASSES = new Set<string>(CALL_CLASSES);
const METHODS = new Set<string>(['rate', 'markup', 'fallback']);
const INT = /^\d{1,15}$/;
/** formatLocalIso's text: `2026-10-03T14:05:00+01:00`; years past 9999 signed with six digits; offsets with seconds for local mean time. */
const ISO = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** rated.csv's first line, checked before its rows are read: an older or foreign file is refused whole. */
export function checkRatedHeader(fields: readonly string[], at: string): Result<true, Issue> {
  if (fields.length === RATED_HEADER.length && fields.every((f, i) => f === RATED_HEADER[i])) return ok(true);
  return err(issue('error', 'RATED_HEADER', `the header is not rated.csv's (${RATED_HEADER.join(',')})`, at));
}

/** The instant of `2026-10-03T14:05:00+01:00`, or null when the text is not that shape or not a real time. */
export function parseOffsetIso(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: years 0–99 are years, not 1900–1999.
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  const local = date.getTime() + ((h * 60 + mi) * 60 + s) * 1000;
  const oh = Number(m[8]);
  const om = Number(m[9]);
  const os = m[10] === undefined ? 0 : Number(m[10]);
  if (om > 59 || os > 59) return null;
  const off = ((oh * 60 + om) * 60 + os) * 1000;
  return m[7] === '+' ? local - off : local + off;
}

/** Decimals written after the point: a charge carries exactly its tariff's ChargeDecimals. */
const decimalsOf = (text: string): number => {
  const p = text.indexOf('.');
  return p < 0 ? 0 : text.length - p - 1;
};

/** One rated.csv row's fields (unquoted by a CSV splitter) as a RatedCall; `at` names the row (`runs/3/rated.csv:812`). */
export function parseRatedRow(fields: readonly string[], at: string): Result<RatedCall, Issue> {
  const bad = (column: string, why: string): Result<RatedCall, Issue> => err(issue('error', 'RATED_ROW', `${column}: ${why}`, at));
  if (fields.length !== RATED_HEADER.length) return bad('row', `has ${fields.length} fields, rated.csv has ${RATED_HEADER.length}`);
  const [file, line, id, start, direction, caller, called, extension, account, number, site, destination, cls, band, tariff, duration, billed, charge, cost, method] = fields;
  if (!INT.test(line)) return bad('line', `"${line}" is not a line number`);
  const startMs = parseOffsetIso(start);
  if (startMs === null) return bad('start', `"${start}" is not a time like 2026-10-03T14:05:00+01:00`);
  if (direction !== 'out' && direction !== 'in') return bad('direction', `"${direction}" is neither out nor in`);
  if (!CLASSES.has(cls)) return bad('class', `"${cls}" is not a call class`);
  if (!INT.test(duration)) return bad('duration', `"${duration}" is not whole seconds`);
  if (!INT.test(billed)) return bad('billed_seconds', `"${billed}" is not whole seconds`);
  const chargeDecimals = decimalsOf(charge);
  const chargeMicro = chargeDecimals > 6 ? null : parseMicro(charge);
  if (chargeMicro === null || !chargeMicro.ok || charge.trim() !== charge) return bad('charge', `"${charge}" is not an amount of at most 6 decimals`);
  let costMicro: number | null = null;
  if (cost !== '') {
    const c = parseMicro(cost);
    if (!c.ok || cost.trim() !== cost) return bad('cost', `"${cost}" is not an amount of at most 6 decimals`);
    costMicro = c.value;
  }
  if (!METHODS.has(method)) return bad('method', `"${method}" is not rate, markup or fallback`);
  return ok({
    file: unguard(file),
    line: Number(line),
    id: unguard(id),
    startMs,
    direction: direction as CallDirection,
    caller: unguard(caller),
    called: unguard(called),
    extension: unguard(extension),
    account: unguard(account),
    number: unguard(number),
    site: unguard(site),
    destination: unguard(destination),
    callClass: cls as CallClass,
    band: unguard(band),
    tariff: unguard(tariff),
    duration: Number(duration),
    billedSeconds: Number(billed),
    charge: chargeMicro.value,
    chargeDecimals,
    cost: costMicro,
    method: method as PriceMethod,
  });
}
