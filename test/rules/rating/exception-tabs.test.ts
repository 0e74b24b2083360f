import { describe, expect, it } from 'vitest';
import { ExceptionTotals, exceptionCells, exceptionsTable } from '../../../rules/rating/exception-tabs.js';
import { EXCEPTION_HEADER } from '../../../rules/rating/call-rows.js';
import { csvField, unguard } from '../../../rules/csv.js';
import { USUAL_FIX } from '../../../rules/rating/exception-summary.js';

describe('Exception summary', () => {
  it('per reason in the usual order: count, seconds, exact cost, the fix', () => {
    const t = new ExceptionTotals();
    t.add('NO_RATE', 61, 100_000);
    t.add('UNKNOWN_NUMBER', 30, 200_000);
    t.add('NO_RATE', null, 200_001);
    t.add('INVALID_RECORD', null, null);
    expect(t.table().columns.map((c) => c.header)).toEqual(['reason', 'count', 'seconds', 'cost', 'fix']);
    expect(t.table().rows).toEqual([
      ['INVALID_RECORD', 1, 0, null, USUAL_FIX.INVALID_RECORD],
      ['UNKNOWN_NUMBER', 1, 30, '0.2', USUAL_FIX.UNKNOWN_NUMBER],
      ['NO_RATE', 2, 61, '0.300001', USUAL_FIX.NO_RATE],
    ]);
    expect(t.table().name).toBe('Exception summary');
  });

  it('from exceptions.csv rows: count and seconds; the cost only when given', () => {
    const t = new ExceptionTotals();
    const f = (reason: string, duration: string): string[] => ['c.csv', '1', '', '', '', '', duration, reason, ''];
    t.addCsvFields(f('NO_RATE', '61'));
    t.addCsvFields(f('NO_RATE', ''));
    t.addCsvFields(f('DUPLICATE', '5'));
    t.setCost('NO_RATE', 1_250_000);
    t.setCost('SUSPECTED_FRAUD', 1);
    expect(t.table().rows.map((r) => r.slice(0, 4))).toEqual([
      ['DUPLICATE', 1, 5, null],
      ['NO_RATE', 2, 61, '1.25'],
    ]);
  });
});

describe('Exceptions', () => {
  it("exceptions.csv's columns; counts as numbers; text a CSV guarded with ' is the text itself", () => {
    const f = ['calls.csv', '812', 'x1', '2026-10-01T10:00:00+01:00', csvField('=1+1') as string, '-', '', 'INVALID_RECORD', csvField('+44 bad') as string];
    expect(f[4]).toBe("'=1+1");
    expect(exceptionCells(f)).toEqual(['calls.csv', 812, 'x1', '2026-10-01T10:00:00+01:00', '=1+1', '-', null, 'INVALID_RECORD', '+44 bad']);
    expect(exceptionsTable([]).columns.map((c) => c.header)).toEqual([...EXCEPTION_HEADER]);
    expect(exceptionsTable([]).name).toBe('Exceptions');
  });
  it("leaves an apostrophe that guarded nothing", () => {
    expect(unguard("'quoted'")).toBe("'quoted'");
    expect(unguard("'")).toBe("'");
    expect(unguard("'@home")).toBe('@home');
    // A number never needed a guard, so an apostrophe before one was the text's own.
    expect(unguard("'-5")).toBe("'-5");
    for (const text of ['=1+1', '+44 20', '-x', '@SUM(1)', '\tx', 'plain', '-5']) expect(unguard(csvField(text)), text).toBe(text);
  });
});
