// An exceptions.csv row read back (SPEC §6 `rate`): which call it is (file and line), why it did
// not rate, and the CallException it was written from as far as the row tells — the carrier cost
// and the normalised numbers are not in the file (cost null; callerN/calledN left out). Re-rating
// and releasing read a run's exceptions this way, then the calls themselves from the kept CDR
// files. Pure; a bad row is an issue naming it, never a throw.

import { EXCEPTION_REASONS, type CallException, type ExceptionReason } from '../cdr/cdr.js';
import { parseOffsetIso } from '../billing/rated-row.js';
import { unguard } from '../csv.js';
import { err, issue, ok, type Issue, type Result } from '../result.js';
import { EXCEPTION_HEADER } from './call-rows.js';

const REASONS = new Set<string>(EXCEPTION_REASONS);
const INT = /^\d{1,15}$/;

/** exceptions.csv's header, checked before its rows are read. */
export function checkExceptionHeader(fields: readonly string[] | null, at: string): Result<true, Issue> {
  if (fields && fields.length === EXCEPTION_HEADER.length && fields.every((f, i) => f === EXCEPTION_HEADER[i])) return ok(true);
  return err(issue('error', 'EXCEPTION_HEADER', `the header is not exceptions.csv's (${EXCEPTION_HEADER.join(',')})`, at));
}

/** One exceptions.csv row's fields (unquoted by a CSV splitter) as the exception; `at` names the row. */
export function parseExceptionRow(fields: readonly string[] | null, at: string): Result<CallException, Issue> {
  const bad = (column: string, why: string): Result<CallException, Issue> => err(issue('error', 'EXCEPTION_ROW', `${column}: ${why}`, at));
  if (!fields) return bad('row', 'a quote is not closed');
  if (fields.length !== EXCEPTION_HEADER.length) return bad('row', `has ${fields.length} fields, exceptions.csv has ${EXCEPTION_HEADER.length}`);
  const [file, line, id, start, caller, called, duration, reason, detail] = fields;
  if (!INT.test(line)) return bad('line', `"${line}" is not a line number`);
  if (!REASONS.has(reason)) return bad('reason', `"${reason}" is not an exception reason`);
  let startMs: number | null = null;
  if (start !== '') {
    startMs = parseOffsetIso(start);
    if (startMs === null) return bad('start', `"${start}" is not a time like 2026-10-03T14:05:00+01:00`);
  }
  if (duration !== '' && !/^-?\d{1,15}$/.test(duration)) return bad('duration', `"${duration}" is not whole seconds`);
  return ok({
    file: unguard(file),
    line: Number(line),
    id: unguard(id),
    startMs,
    caller: unguard(caller),
    called: unguard(called),
    duration: duration === '' ? null : Number(duration),
    cost: null,
    reason: reason as ExceptionReason,
    detail: unguard(detail),
  });
}

/**
 * The call a DUPLICATE's detail names as the first of its kind (`same call as calls.csv:812`), or
 * null for another detail. A file name may hold a colon: the line is after the last one.
 */
export function firstSeenOf(detail: string): { file: string; line: number } | null {
  const m = /^same call as (.+):(\d{1,15})$/.exec(detail);
  return m ? { file: m[1], line: Number(m[2]) } : null;
}
