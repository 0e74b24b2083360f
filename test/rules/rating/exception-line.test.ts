import { describe, expect, it } from 'vitest';
import type { CallException } from '../../../rules/cdr/cdr.js';
import { splitCsvLine } from '../../../rules/cdr/csv-split.js';
import { EXCEPTION_HEADER, exceptionRow } from '../../../rules/rating/call-rows.js';
import { checkExceptionHeader, firstSeenOf, parseExceptionRow } from '../../../rules/rating/exception-line.js';
import { csvLine } from '../../../rules/csv.js';

const ZONE = 'Europe/London';
const roundTrip = (e: CallException): CallException => {
  const r = parseExceptionRow(splitCsvLine(csvLine(exceptionRow(e, ZONE)).trimEnd()), 'exceptions.csv:2');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('parseExceptionRow', () => {
  it('reads back what exceptionRow wrote, the cost aside (the file does not carry it)', () => {
    const e: CallException = { file: 'calls, october.csv', line: 812, id: 'nwv-1', startMs: Date.UTC(2026, 9, 3, 13, 5), caller: '+44 20 7946 0000', called: '=cmd()', duration: 60, cost: 12_000, reason: 'NO_TARIFF', detail: 'IVY09 has no Tariff, "Markup" or FallbackMarkup' };
    expect(roundTrip(e)).toEqual({ ...e, cost: null });
    const bare: CallException = { file: 'c.csv', line: 3, id: '', startMs: null, caller: '', called: '', duration: null, cost: null, reason: 'INVALID_RECORD', detail: 'a quote is not closed on this line' };
    expect(roundTrip(bare)).toEqual(bare);
  });

  it('names the row and column of a damaged row', () => {
    const bad = (fields: string[] | null) => {
      const r = parseExceptionRow(fields, 'exceptions.csv:9');
      return r.ok ? 'ok' : `${r.error.at} ${r.error.message}`;
    };
    expect(bad(null)).toBe('exceptions.csv:9 row: a quote is not closed');
    expect(bad(['a', '1'])).toMatch(/row: has 2 fields/);
    expect(bad(['a', 'x', '', '', '', '', '', 'NO_RATE', ''])).toMatch(/line: "x"/);
    expect(bad(['a', '1', '', '', '', '', '', 'LOST', ''])).toMatch(/reason: "LOST"/);
    expect(bad(['a', '1', '', 'yesterday', '', '', '', 'NO_RATE', ''])).toMatch(/start: "yesterday"/);
    expect(bad(['a', '1', '', '', '', '', '1.5', 'NO_RATE', ''])).toMatch(/duration/);
  });

  it('checks the header', () => {
    expect(checkExceptionHeader([...EXCEPTION_HEADER], 'x:1').ok).toBe(true);
    expect(checkExceptionHeader(['file', 'line'], 'x:1').ok).toBe(false);
    expect(checkExceptionHeader(null, 'x:1').ok).toBe(false);
  });
});

describe('firstSeenOf', () => {
  it("reads a DUPLICATE's first call, a file name with a colon too", () => {
    expect(firstSeenOf('same call as calls.csv:3171')).toEqual({ file: 'calls.csv', line: 3171 });
    expect(firstSeenOf('same call as c:\\cdr\\a.csv:12')).toEqual({ file: 'c:\\cdr\\a.csv', line: 12 });
    expect(firstSeenOf('add 442079461234 to Numbers')).toBeNull();
  });
});
