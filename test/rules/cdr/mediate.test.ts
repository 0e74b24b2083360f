import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Cdr } from '../../../rules/cdr/cdr.js';
import { compileFormat, type FileFormat } from '../../../rules/cdr/cdr-format.js';
import { mediate, mediationContext, UNTERMINATED_QUOTE, type Invalid, type MediationContext } from '../../../rules/cdr/mediate.js';
import type { CdrFormatRow, Settings } from '../../../rules/workbook/rows.js';
import { splitCsvLine } from '../../../workbooks/cdr-lines.js';

const SAMPLES = new URL('../../../../shared/samples/cdr/', import.meta.url);
const sampleLines = (name: string): string[] => readFileSync(new URL(name, SAMPLES), 'utf8').split('\n').filter((l) => l.trim() !== '');

const plan = { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', shortCodeDigits: 6 };

const format = (name: string, first: string[] | null = null, rows: CdrFormatRow[] = [], zone = 'Europe/London'): FileFormat => {
  const f = compileFormat(name, first, rows, zone);
  if (!f.ok) throw new Error(f.error);
  return f.value;
};
const context = (f: FileFormat, billable = ['ANSWERED'], file = 'calls.csv'): MediationContext => ({ file, plan, billable: new Set(billable), format: f });

const HEADER = 'id,start,duration,caller,called,extension,direction,cost';
const generic = context(format('generic', splitCsvLine(HEADER)));

/** Mediates one generic line (fields split by the project's splitter). */
const line = (text: string, ctx: MediationContext = generic, n = 2): Cdr | Invalid => mediate(splitCsvLine(text), n, ctx);
const call = (text: string, ctx: MediationContext = generic): Cdr => {
  const r = line(text, ctx);
  if (r.kind !== 'cdr') throw new Error(r.detail);
  return r;
};
const detail = (text: string, ctx: MediationContext = generic): string => {
  const r = line(text, ctx);
  return r.kind === 'invalid' ? r.detail : 'valid';
};
const utc = (text: string, ctx?: MediationContext): string => new Date(call(text, ctx).startMs).toISOString();
/** A generic line with the given start and otherwise ordinary fields. */
const at = (start: string): string => `1,${start},60,02079460000,07700900123,,out,`;

describe('mediate: a valid line', () => {
  it('fills every Cdr field: numbers normalised, file and line from the caller', () => {
    expect(line('A-17, 2026-10-05 10:00:00 ,61,020 7946 0000,+44 (0)7700 900123, 201 ,OUT,0.0125', generic, 9)).toEqual({
      kind: 'cdr',
      file: 'calls.csv',
      line: 9,
      id: 'A-17',
      startMs: Date.parse('2026-10-05T09:00:00Z'),
      duration: 61,
      answered: true,
      caller: '020 7946 0000',
      called: '+44 (0)7700 900123',
      callerN: '442079460000',
      calledN: '447700900123',
      calledShort: false,
      extension: '201',
      direction: 'out',
      cost: 12_500,
    });
  });
  it('reads ISO 8601 with T or a space, with or without seconds and an offset, fractions dropped', () => {
    expect(utc(at('2026-10-05T10:00:00Z'))).toBe('2026-10-05T10:00:00.000Z');
    expect(utc(at('2026-10-05T10:00:00z'))).toBe('2026-10-05T10:00:00.000Z');
    expect(utc(at('2026-10-05 10:00:00+01:00'))).toBe('2026-10-05T09:00:00.000Z');
    expect(utc(at('2026-10-05 10:00:00+0100'))).toBe('2026-10-05T09:00:00.000Z');
    expect(utc(at('2026-10-05T10:00:00-05:30'))).toBe('2026-10-05T15:30:00.000Z');
    expect(utc(at('2026-10-05T10:00:00.987Z'))).toBe('2026-10-05T10:00:00.000Z');
    expect(utc(at('2026-10-05T10:00:59.999+02:00'))).toBe('2026-10-05T08:00:59.000Z');
    // no offset: local to Settings.Timezone (BST in October, GMT in December)
    expect(utc(at('2026-10-05 10:00:00'))).toBe('2026-10-05T09:00:00.000Z');
    expect(utc(at('2026-10-05T10:00'))).toBe('2026-10-05T09:00:00.000Z');
    expect(utc(at('2026-12-05 10:00:00.5'))).toBe('2026-12-05T10:00:00.000Z');
  });
  it('reads a naive time in the format\'s zone when it has one', () => {
    const inUtc = context(format('generic', splitCsvLine(HEADER), [], 'UTC'));
    expect(utc(at('2026-10-05 10:00:00'), inUtc)).toBe('2026-10-05T10:00:00.000Z');
    const rows: CdrFormatRow[] = [['start', '1', 'epoch'], ['duration', '2', ''], ['caller', '3', ''], ['called', '4', ''], ['timezone', 'UTC', '']].map(([field, column, timeFormat], i) => ({
      row: i + 2, format: 'gmt', field, column, transform: '', timeFormat,
    }));
    const gmt = context(format('gmt', null, rows));
    expect(call('1790000000,60,02079460000,07700900123', gmt)).toMatchObject({ startMs: 1790000000_000, duration: 60, callerN: '442079460000' });
  });
  it('takes an ambiguous autumn time as its first occurrence, with a notice', () => {
    const c = call(at('2026-10-25 01:30'));
    expect(new Date(c.startMs).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(c.notice).toBe('start "2026-10-25 01:30" happens twice in Europe/London (clocks go back); read as the first, 2026-10-25T00:30:00Z');
    // just outside the overlap: no notice
    expect(call(at('2026-10-25 02:00')).notice).toBeUndefined();
    expect(call(at('2026-10-25 00:59:59')).notice).toBeUndefined();
  });
  it('moves a time in the spring gap forward by the gap, with a notice', () => {
    const c = call(at('2026-03-29 01:30'));
    // 01:30 does not exist; an hour later, 02:30 BST, is 01:30 UTC
    expect(new Date(c.startMs).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(c.notice).toBe('start "2026-03-29 01:30" does not exist in Europe/London (clocks go forward); moved forward by the gap, to 2026-03-29T01:30:00Z');
    expect(call(at('2026-03-29 02:00')).notice).toBeUndefined();
    // an offset makes any time unambiguous
    expect(call(at('2026-03-29T01:30:00+00:00')).notice).toBeUndefined();
  });
  it('rounds a fractional duration up to whole seconds', () => {
    const d = (s: string): number => call(`1,2026-10-05 10:00:00,${s},02079460000,07700900123,,,`).duration;
    expect([d('59.2'), d('60.0'), d('60'), d(' 7 '), d('0'), d('0.001'), d('+5'), d('-0'), d('.5')]).toEqual([60, 60, 60, 7, 0, 1, 5, 0, 1]);
  });
  it('reads direction in any case, blank as out; an inbound caller may be blank or withheld', () => {
    expect(call('1,2026-10-05 10:00:00,60,02079460000,07700900123,,Out,').direction).toBe('out');
    expect(call('1,2026-10-05 10:00:00,60,02079460000,07700900123,,,').direction).toBe('out');
    expect(call('1,2026-10-05 10:00:00,60,,02079460000,,IN,')).toMatchObject({ direction: 'in', caller: '', callerN: null, calledN: '442079460000' });
    expect(call('1,2026-10-05 10:00:00,60, anonymous ,02079460000,,in,')).toMatchObject({ direction: 'in', caller: 'anonymous', callerN: null });
    expect(call('1,2026-10-05 10:00:00,60,07700900123,02079460000,,in,')).toMatchObject({ callerN: '447700900123' });
  });
  it('keeps a blank cost as none and 0 as a cost', () => {
    expect(call(at('2026-10-05 10:00:00')).cost).toBeNull();
    expect(call('1,2026-10-05 10:00:00,60,02079460000,07700900123,,out,0').cost).toBe(0);
    expect(call('1,2026-10-05 10:00:00,60,02079460000,07700900123,,out, 1.123456 ').cost).toBe(1_123_456);
  });
  it('marks short codes: few digits reached through no prefix rule', () => {
    expect(call('1,2026-10-05 10:00:00,60,02079460000,999,,,')).toMatchObject({ calledN: '999', calledShort: true });
    expect(call('1,2026-10-05 10:00:00,60,02079460000,118 118,,,')).toMatchObject({ calledN: '118118', calledShort: true });
    expect(call('1,2026-10-05 10:00:00,60,02079460000,0999,,,')).toMatchObject({ calledN: '44999', calledShort: false });
    const noShort = { ...generic, plan: { ...plan, shortCodeDigits: 0 } };
    expect(call('1,2026-10-05 10:00:00,60,02079460000,999,,,', noShort).calledShort).toBe(false);
  });
  it('is answered when the duration is above 0, for formats without a disposition', () => {
    expect(call('1,2026-10-05 10:00:00,0,02079460000,07700900123,,,').answered).toBe(false);
    expect(call('1,2026-10-05 10:00:00,1,02079460000,07700900123,,,').answered).toBe(true);
  });
  it('still takes a RawCdr a format extracted already', () => {
    const f = generic.format.extract(splitCsvLine(at('2026-10-05 10:00:00'))!);
    if (f.kind !== 'raw') throw new Error(f.detail);
    expect(mediate(f.raw, 5, generic)).toMatchObject({ kind: 'cdr', line: 5, calledN: '447700900123' });
  });
});

describe('mediate: INVALID_RECORD names the problem', () => {
  it('for a malformed line and too few columns', () => {
    expect(line('1,"2026-10-05 10:00:00,60,02079460000,07700900123,,out,')).toEqual({ kind: 'invalid', detail: UNTERMINATED_QUOTE, id: '', startMs: null, caller: '', called: '', duration: null });
    expect(UNTERMINATED_QUOTE).toBe('a quote is not closed on this line');
    expect(line('8,2026-10-05 10:00:00,60')).toMatchObject({ kind: 'invalid', detail: 'line has 3 columns, the header has 8', id: '8' });
    const ast = context(format('asterisk'));
    expect(detail('a,b,c,d,e,f,g,h,i', ast)).toBe('line has 9 columns; asterisk needs 16, 17, 18 or 21');
    expect(detail('"a","b"', context(format('freeswitch')))).toBe('line has 2 columns; freeswitch needs 15');
  });
  it('for start', () => {
    expect(detail('1,,60,02079460000,07700900123,,,')).toBe('start is missing');
    expect(detail(at('2026-13-01 10:00'))).toBe('start "2026-13-01 10:00" is not a date-time');
    expect(detail(at('2026-02-29 10:00'))).toBe('start "2026-02-29 10:00" is not a date-time');
    expect(detail(at('2026-10-05 25:00'))).toBe('start "2026-10-05 25:00" is not a date-time');
    expect(detail(at('yesterday'))).toBe('start "yesterday" is not a date-time');
    expect(detail(at('05/10/2026 10:00'))).toBe('start "05/10/2026 10:00" is not a date-time');
    expect(detail(at('2026-10-05 10:00:00 BST'))).toBe('start "2026-10-05 10:00:00 BST" is not a date-time');
    expect(detail(at('2026-10-05'))).toBe('start "2026-10-05" is not a date-time');
    // what could be read still reaches the exception row
    expect(line('7,yesterday,61,02079460000,07700900123,,,')).toMatchObject({ id: '7', startMs: null, duration: 61, caller: '02079460000', called: '07700900123' });
  });
  it('for duration', () => {
    expect(detail('1,2026-10-05 10:00:00,,02079460000,07700900123,,,')).toBe('duration is missing');
    expect(detail('1,2026-10-05 10:00:00,abc,02079460000,07700900123,,,')).toBe('duration "abc" is not a number of seconds');
    expect(detail('1,2026-10-05 10:00:00,-5,02079460000,07700900123,,,')).toBe('duration "-5" is negative');
    expect(detail('1,2026-10-05 10:00:00,-0.5,02079460000,07700900123,,,')).toBe('duration "-0.5" is negative');
    expect(detail('1,2026-10-05 10:00:00,1e3,02079460000,07700900123,,,')).toBe('duration "1e3" is not a number of seconds');
    expect(detail('1,2026-10-05 10:00:00,1:05,02079460000,07700900123,,,')).toBe('duration "1:05" is not a number of seconds');
    expect(detail('1,2026-10-05 10:00:00,.,02079460000,07700900123,,,')).toBe('duration "." is not a number of seconds');
    expect(detail('1,2026-10-05 10:00:00,99999999999,02079460000,07700900123,,,')).toBe('duration "99999999999" is too large');
    expect(line('1,2026-10-05 10:00:00,abc,02079460000,07700900123,,,')).toMatchObject({ startMs: Date.parse('2026-10-05T09:00:00Z'), duration: null });
  });
  it('for direction', () => {
    expect(detail('1,2026-10-05 10:00:00,60,02079460000,07700900123,,sideways,')).toBe('direction "sideways" is neither out nor in');
    expect(detail('1,2026-10-05 10:00:00,60,02079460000,07700900123,,outbound,')).toBe('direction "outbound" is neither out nor in');
  });
  it('for the owner side and, outbound, the called number', () => {
    expect(detail('1,2026-10-05 10:00:00,60,,07700900123,,out,')).toBe('caller is missing');
    expect(detail('1,2026-10-05 10:00:00,60,anonymous,07700900123,,out,')).toBe('caller "anonymous" is not a phone number');
    expect(detail('1,2026-10-05 10:00:00,60,+,07700900123,,out,')).toBe('caller "+" is not a phone number');
    expect(detail('1,2026-10-05 10:00:00,60,02079460000,,out,')).toBe('line has 7 columns, the header has 8');
    expect(detail('1,2026-10-05 10:00:00,60,02079460000,,,out,')).toBe('called is missing');
    expect(detail('1,2026-10-05 10:00:00,60,02079460000,07700 9OO123,,out,')).toBe('called "07700 9OO123" is not a phone number');
    expect(detail('1,2026-10-05 10:00:00,60,anonymous,,,in,')).toBe('called is missing');
    expect(detail('1,2026-10-05 10:00:00,60,anonymous,reception,,in,')).toBe('called "reception" is not a phone number');
    expect(line('1,2026-10-05 10:00:00,60,anonymous,07700900123,,out,')).toMatchObject({ startMs: Date.parse('2026-10-05T09:00:00Z'), duration: 60, caller: 'anonymous' });
  });
  it('for cost', () => {
    expect(detail('1,2026-10-05 10:00:00,60,02079460000,07700900123,,out,abc')).toBe('cost "abc" is not a number');
    expect(detail('1,2026-10-05 10:00:00,60,02079460000,07700900123,,out,£1.20')).toBe('cost "£1.20" is not a number');
    expect(detail('1,2026-10-05 10:00:00,60,02079460000,07700900123,,out,1.1234567')).toBe('cost "1.1234567" is invalid (more than 6 decimals)');
  });
  it('for a Transform that fails on the line', () => {
    const rows: CdrFormatRow[] = [['start', 'Start', ''], ['duration', 'Mins', 'value * 60'], ['caller', 'From', ''], ['called', 'To', '']].map(([field, column, transform], i) => ({
      row: i + 2, format: 'mins', field, column, transform, timeFormat: '',
    }));
    const mins = context(format('mins', ['Start', 'Mins', 'From', 'To'], rows));
    expect(call('2026-10-05 10:00:00,1.5,02079460000,07700900123', mins).duration).toBe(90);
    expect(detail('2026-10-05 10:00:00,n/a,02079460000,07700900123', mins)).toMatch(/^duration Transform failed on "n\/a": /);
  });
});

describe('mediate: dispositions', () => {
  /** An Asterisk line (18 columns) with a real caller. */
  const asterisk = (billsec: string, disposition: string): string =>
    `"","02079460000","07700900123","ctx","""A"" <02079460000>","SIP/a","SIP/b","Dial","x","2026-10-05 10:00:00","2026-10-05 10:00:03","2026-10-05 10:01:00",60,${billsec},"${disposition}","DOCUMENTATION","1790000000.7",""`;
  const ast = context(format('asterisk'), ['ANSWERED']);

  it('rates a disposition not in BillableDispositions as unanswered, whatever its seconds', () => {
    expect(call(asterisk('57', 'ANSWERED'), ast)).toMatchObject({ answered: true, duration: 57, startMs: Date.parse('2026-10-05T09:00:03Z'), id: '' });
    expect(call(asterisk('5', 'NO ANSWER'), ast)).toMatchObject({ answered: false, duration: 5 });
    expect(call(asterisk('0', 'BUSY'), ast).answered).toBe(false);
    expect(call(asterisk('0', 'FAILED'), ast).answered).toBe(false);
    expect(call(asterisk('3', ''), ast).answered).toBe(false);
    // matched in any case; the list is the workbook's
    expect(call(asterisk('57', 'answered'), ast).answered).toBe(true);
    const lenient = context(format('asterisk'), ['ANSWERED', 'BUSY']);
    expect(call(asterisk('0', 'BUSY'), lenient).answered).toBe(true);
  });
  it('builds the context from Settings, upper-casing the dispositions', () => {
    const settings = { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', shortCodeDigits: 6, billableDispositions: ['answered ', 'Congestion'] } as Settings;
    const ctx = mediationContext('Master.csv', settings, format('asterisk'));
    expect([...ctx.billable]).toEqual(['ANSWERED', 'CONGESTION']);
    expect(ctx.plan).toEqual(plan);
    expect(call(asterisk('9', 'CONGESTION'), ctx)).toMatchObject({ answered: true, file: 'Master.csv' });
  });
  it('reads a CdrFormats disposition the same way', () => {
    const rows: CdrFormatRow[] = [['start', '1'], ['duration', '2'], ['caller', '3'], ['called', '4'], ['disposition', '5']].map(([field, column], i) => ({
      row: i + 2, format: 'd', field, column, transform: '', timeFormat: '',
    }));
    const d = context(format('d', null, rows));
    expect(call('2026-10-05 10:00:00,60,02079460000,07700900123,ANSWERED', d).answered).toBe(true);
    expect(call('2026-10-05 10:00:00,60,02079460000,07700900123,NOANSWER', d).answered).toBe(false);
  });
});

describe('mediate: the real sample files', () => {
  it('Asterisk testsuite: every line has caller "test", which is not a phone number', () => {
    const ctx = context(format('asterisk'), ['ANSWERED'], 'Master.csv');
    const got = sampleLines('asterisk-testsuite-dispositions.csv').map((l, i) => line(l, ctx, i + 1));
    expect(got).toEqual([5, 7, 0, 0, 0].map((duration) => ({
      kind: 'invalid', detail: 'caller "test" is not a phone number', id: '', startMs: Date.parse('2009-01-14T23:51:15Z'), caller: 'test', called: '100', duration,
    })));
  });
  it('Asterisk testsuite with a numeric caller: billsec is the duration, dispositions decide answered', () => {
    const ctx = context(format('asterisk'), ['ANSWERED'], 'Master.csv');
    const got = sampleLines('asterisk-testsuite-dispositions.csv').map((l, i) => {
      const f = splitCsvLine(l)!;
      f[1] = '02079460000';
      const c = mediate(f, i + 1, ctx);
      return c.kind === 'cdr' ? [c.line, c.duration, c.answered, c.calledN, c.calledShort, c.id] : c.detail;
    });
    expect(got).toEqual([
      [1, 5, true, '100', true, ''],
      [2, 7, true, '100', true, ''],
      [3, 0, false, '100', true, ''],
      [4, 0, false, '100', true, ''],
      [5, 0, false, '100', true, ''],
    ]);
  });
  it('FreeSWITCH example template: empty answer_stamp, one destination written five ways', () => {
    const ctx = context(format('freeswitch'), ['ANSWERED'], 'fs.csv');
    const got = sampleLines('freeswitch-example-template.csv').map((l, i) => {
      const c = line(l, ctx, i + 1);
      if (c.kind !== 'cdr') throw new Error(c.detail);
      return [c.line, c.id.slice(0, 8), new Date(c.startMs).toISOString(), c.duration, c.answered, c.callerN, c.called, c.calledN];
    });
    expect(got).toEqual([
      [1, 'a5c9f6c0', '2014-05-29T15:59:50.000Z', 0, false, '9007', '0034688886392', '34688886392'],
      [2, 'e29ff0ae', '2014-05-29T16:01:32.000Z', 0, false, '9008', '+34688886392', '34688886392'],
      [3, 'e2fe712e', '2014-05-29T16:01:33.000Z', 0, false, '9008', '34688886392', '34688886392'],
      [4, 'e34619ac', '2014-05-29T16:01:33.000Z', 0, false, '9008', '0034688886392', '34688886392'],
      [5, 'e38cb5b0', '2014-05-29T16:01:34.000Z', 0, false, '9008', '00034688886392', '034688886392'],
    ]);
  });
});
