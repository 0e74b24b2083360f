import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asteriskExtras, compileFormat, detectFormat, looksLikeUniqueId, parseIso, TimeReader, type FileFormat, type RawCdr } from '../../../rules/cdr/cdr-format.js';
import { parseIsoTime } from '../../../rules/cdr/cdr-time.js';
import type { CdrFormatRow } from '../../../rules/workbook/rows.js';
import { splitCsvLine } from '../../../workbooks/cdr-lines.js';

const SAMPLES = new URL('../../../../shared/samples/cdr/', import.meta.url);
const sampleLines = (name: string): string[] => readFileSync(new URL(name, SAMPLES), 'utf8').split('\n').filter((l) => l.trim() !== '');
const ASTERISK = sampleLines('asterisk-testsuite-dispositions.csv');
const FREESWITCH = sampleLines('freeswitch-example-template.csv');

const split = (line: string): string[] => {
  const f = splitCsvLine(line);
  if (f === null) throw new Error(`unsplittable: ${line}`);
  return f;
};

const compiled = (name: string, first: string[] | null = null, rows: CdrFormatRow[] = [], zone = 'Europe/London'): FileFormat => {
  const f = compileFormat(name, first, rows, zone);
  if (!f.ok) throw new Error(f.error);
  return f.value;
};
const compileError = (name: string, first: string[] | null, rows: CdrFormatRow[]): string => {
  const f = compileFormat(name, first, rows, 'Europe/London');
  return f.ok ? '' : f.error;
};

const raw = (format: FileFormat, fields: string[]): RawCdr => {
  const e = format.extract(fields);
  if (e.kind !== 'raw') throw new Error(e.detail);
  return e.raw;
};
const bad = (format: FileFormat, fields: string[]): string => {
  const e = format.extract(fields);
  return e.kind === 'bad' ? e.detail : '';
};

let rowNo = 1;
/** CdrFormats rows: [Field, Column, Transform?, TimeFormat?]. */
const formatRows = (format: string, rows: [string, string, string?, string?][]): CdrFormatRow[] =>
  rows.map(([field, column, transform = '', timeFormat = '']) => ({ row: ++rowNo, format, field, column, transform, timeFormat }));

/** Fields as one CSV line, every field quoted (as Asterisk and FreeSWITCH write text). */
const csv = (fields: string[]): string => fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',');

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** An Asterisk Master.csv line with the given trailing columns (16 base columns first). */
const asteriskLine = (trailing: string[], over: Partial<Record<'src' | 'dst' | 'start' | 'answer' | 'duration' | 'billsec' | 'disposition', string>> = {}): string[] => [
  '', over.src ?? '02079460000', over.dst ?? '07700900123', 'from-internal', '"Alice" <02079460000>', 'SIP/alice-0001', 'SIP/trunk-0002', 'Dial', 'SIP/trunk/07700900123,60',
  over.start ?? '2026-10-05 10:00:00', over.answer ?? '2026-10-05 10:00:04', '2026-10-05 10:01:05', over.duration ?? '65', over.billsec ?? '61', over.disposition ?? 'ANSWERED', 'DOCUMENTATION',
  ...trailing,
];

describe('detection (SPEC §5 order)', () => {
  const custom = formatRows('carrier', [['start', 'Call Date', '', 'dd/MM/yyyy HH:mm:ss'], ['duration', 'Secs'], ['caller', 'A Number'], ['called', 'B Number']]);

  it('finds the generic header, matched like tab headers, with a BOM and extra columns', () => {
    expect(detectFormat(['id,start,duration,caller,called', '1,2026-10-05 10:00:00,60,02079460000,07700900123'], [])).toBe('generic');
    expect(detectFormat(['\ufeffID, Start ,DURATION,Call_er,"called",Notes\r'], [])).toBe('generic');
    expect(detectFormat(['', 'start,duration,caller,called'], [])).toBe('generic');
  });
  it('finds a CdrFormats header when all the columns it names are there', () => {
    expect(detectFormat(['Call Date,Secs,A Number,B Number,Carrier'], custom)).toBe('carrier');
    expect(detectFormat(['call_date,SECS,a number,bnumber'], custom)).toBe('carrier');
    expect(detectFormat(['Call Date,Secs,A Number'], custom)).toBeNull();
    // A format that names no column (numbers only) cannot be detected: it has no header.
    expect(detectFormat(['a,b,c,d'], formatRows('bynumber', [['start', '1'], ['duration', '2'], ['caller', '3'], ['called', '4']]))).toBeNull();
  });
  it('puts the generic header before a CdrFormats header that also fits', () => {
    const overlapping = formatRows('overlap', [['start', 'start'], ['duration', 'duration'], ['caller', 'caller'], ['called', 'called']]);
    expect(detectFormat(['start,duration,caller,called'], overlapping)).toBe('generic');
  });
  it('finds the real Asterisk and FreeSWITCH files', () => {
    expect(detectFormat(ASTERISK.slice(0, 5), custom)).toBe('asterisk');
    expect(detectFormat(FREESWITCH.slice(0, 5), custom)).toBe('freeswitch');
  });
  it('needs the 10th Asterisk column to be a date-time, and 16–21 columns', () => {
    expect(detectFormat([csv(asteriskLine([]))], [])).toBe('asterisk');
    expect(detectFormat([csv(asteriskLine(['1696.12', 'x', 'p', '1696.12', '5']))], [])).toBe('asterisk');
    expect(detectFormat([csv(asteriskLine([], { start: 'yesterday' }))], [])).toBeNull();
    expect(detectFormat([csv(asteriskLine([]).slice(0, 14))], [])).toBeNull();
  });
  it('needs every one of FreeSWITCH\'s 15 fields quoted', () => {
    expect(detectFormat([FREESWITCH[0].replace('"9007",', '9007,')], [])).toBeNull();
    expect(detectFormat([FREESWITCH[0] + ',"extra"'], [])).toBeNull();
  });
  it('gives null when nothing fits', () => {
    expect(detectFormat(['a;b;c', '1;2;3'], [])).toBeNull();
    expect(detectFormat([], [])).toBeNull();
    expect(detectFormat(['', '  '], [])).toBeNull();
    expect(detectFormat(['"unterminated,quote'], [])).toBeNull();
  });
  it('keeps the rate run\'s three-argument form (split fields, texts, formats)', () => {
    expect(detectFormat([split(FREESWITCH[0])], [FREESWITCH[0]], [])).toBe('freeswitch');
    expect(detectFormat([null], ['Call Date,Secs,A Number,B Number'], custom)).toBe('carrier');
  });
});

describe('asterisk', () => {
  const ast = compiled('asterisk');

  it('reads the real testsuite file field by field: billsec over duration, dispositions, no id without sequence', () => {
    const got = ASTERISK.map((l) => {
      const f = split(l);
      return [f.length, raw(ast, f)];
    });
    const base = { id: '', start: '2009-01-14 23:51:15', caller: 'test', called: '100', extension: '', direction: '', cost: '' };
    expect(got).toEqual([
      [18, { ...base, duration: '5', disposition: 'ANSWERED' }],
      // billsec 7 > duration 5: billsec is what is billed
      [18, { ...base, duration: '7', disposition: 'ANSWERED' }],
      [18, { ...base, duration: '0', disposition: 'FAILED' }],
      [18, { ...base, duration: '0', disposition: 'NO ANSWER' }],
      [18, { ...base, duration: '0', disposition: 'BUSY' }],
    ]);
    expect(ast).toMatchObject({ name: 'asterisk', header: false, carriesDisposition: true, zone: 'Europe/London' });
    // times are local: 2009-01-14 23:51:15 GMT, the instant its uniqueid 1231977075 records
    expect(ast.parseTime('2009-01-14 23:51:15')).toEqual({ ms: 1231977075_000, note: null });
  });
  it('takes answer as the start when present, else start', () => {
    expect(raw(ast, asteriskLine([])).start).toBe('2026-10-05 10:00:04');
    expect(raw(ast, asteriskLine([], { answer: '' })).start).toBe('2026-10-05 10:00:00');
    expect(raw(ast, asteriskLine([], { answer: ' ' })).start).toBe('2026-10-05 10:00:00');
  });
  it('reads 16, 17, 18 and 21 columns; the id is uniqueid#sequence only with 21', () => {
    expect(raw(ast, asteriskLine([])).id).toBe('');
    expect(raw(ast, asteriskLine(['1696.12'])).id).toBe('');
    expect(raw(ast, asteriskLine(['1696.12', 'vip'])).id).toBe('');
    expect(raw(ast, asteriskLine(['1696.12', 'vip', 'acct2', '1696.10', '5']))).toMatchObject({ id: '1696.12#5', duration: '61', caller: '02079460000', called: '07700900123' });
    expect(raw(ast, asteriskLine(['', 'vip', 'acct2', '1696.10', '5'])).id).toBe('');
  });
  it('tells a 17th column that is uniqueid (digits.digits) from one that is userfield', () => {
    expect(asteriskExtras(asteriskLine(['1696.12']))).toEqual({ uniqueid: '1696.12', userfield: '', sequence: '' });
    expect(asteriskExtras(asteriskLine(['vip']))).toEqual({ uniqueid: '', userfield: 'vip', sequence: '' });
    expect(asteriskExtras(asteriskLine(['1696']))).toEqual({ uniqueid: '', userfield: '1696', sequence: '' });
    expect(asteriskExtras(asteriskLine(['1696.12', 'vip']))).toEqual({ uniqueid: '1696.12', userfield: 'vip', sequence: '' });
    expect(asteriskExtras(asteriskLine(['1696.12', 'vip', 'a', 'l', '5']))).toEqual({ uniqueid: '1696.12', userfield: 'vip', sequence: '5' });
    expect(asteriskExtras(asteriskLine(['a', 'b', 'c']))).toBeNull();
    expect([looksLikeUniqueId('1231977075.0'), looksLikeUniqueId(' 1.2 '), looksLikeUniqueId('1.'), looksLikeUniqueId('.1'), looksLikeUniqueId('1.2.3'), looksLikeUniqueId('a.1')]).toEqual([true, true, false, false, false, false]);
  });
  it('refuses a line whose column count Master.csv never has', () => {
    expect(bad(ast, asteriskLine([]).slice(0, 9))).toBe('line has 9 columns; asterisk needs 16, 17, 18 or 21');
    expect(bad(ast, asteriskLine(['1', '2', '3']))).toBe('line has 19 columns; asterisk needs 16, 17, 18 or 21');
    expect(bad(ast, asteriskLine(['1', '2', '3', '4', '5', '6']))).toBe('line has 22 columns; asterisk needs 16, 17, 18 or 21');
    expect(bad(ast, ['x'])).toBe('line has 1 column; asterisk needs 16, 17, 18 or 21');
  });
});

describe('freeswitch', () => {
  const fs = compiled('freeswitch');

  it('reads the real example-template file field by field; an empty answer_stamp falls back to start_stamp', () => {
    const got = FREESWITCH.map((l) => {
      const f = split(l);
      return [f.length, raw(fs, f)];
    });
    const none = { extension: '', direction: '', cost: '', disposition: null, duration: '0' };
    expect(got).toEqual([
      [15, { ...none, id: 'a5c9f6c0-e752-11e3-8bfb-65b6c3cdac7d', start: '2014-05-29 16:59:50', caller: '9007', called: '0034688886392' }],
      [15, { ...none, id: 'e29ff0ae-e752-11e3-8bff-65b6c3cdac7d', start: '2014-05-29 17:01:32', caller: '9008', called: '+34688886392' }],
      [15, { ...none, id: 'e2fe712e-e752-11e3-8c03-65b6c3cdac7d', start: '2014-05-29 17:01:33', caller: '9008', called: '34688886392' }],
      [15, { ...none, id: 'e34619ac-e752-11e3-8c07-65b6c3cdac7d', start: '2014-05-29 17:01:33', caller: '9008', called: '0034688886392' }],
      [15, { ...none, id: 'e38cb5b0-e752-11e3-8c0b-65b6c3cdac7d', start: '2014-05-29 17:01:34', caller: '9008', called: '00034688886392' }],
    ]);
    expect(fs).toMatchObject({ name: 'freeswitch', header: false, carriesDisposition: false });
  });
  it('takes answer_stamp when present, billsec as the duration', () => {
    const f = split(FREESWITCH[0]);
    f[5] = '2014-05-29 16:59:53';
    f[7] = '30';
    f[8] = '27';
    expect(raw(fs, f)).toMatchObject({ start: '2014-05-29 16:59:53', duration: '27' });
  });
  it('refuses a line with fewer than 15 fields', () => {
    expect(bad(fs, split(FREESWITCH[0]).slice(0, 9))).toBe('line has 9 columns; freeswitch needs 15');
  });
});

describe('generic', () => {
  it('finds its columns in the header once, whatever their case, order, underscores or spaces', () => {
    const header = split('Notes,CALLED, Start ,Duration,Call_er,cost,Direction,ID,Ext En Sion');
    const g = compiled('generic', header);
    expect(g).toMatchObject({ name: 'generic', header: true, carriesDisposition: false });
    expect(raw(g, split('hello,07700900123,2026-10-05 10:00:00,60,02079460000,0.01,in, 17 ,201'))).toEqual({
      id: '17', start: '2026-10-05 10:00:00', duration: '60', caller: '02079460000', called: '07700900123', extension: '201', direction: 'in', cost: '0.01', disposition: null,
    });
  });
  it('leaves absent optional columns blank', () => {
    const g = compiled('generic', split('start,duration,caller,called'));
    expect(raw(g, split('2026-10-05 10:00:00,60,02079460000,07700900123'))).toMatchObject({ id: '', extension: '', direction: '', cost: '' });
  });
  it('refuses a line with fewer columns than the header, and a header without the required columns', () => {
    const g = compiled('generic', split('id,start,duration,caller,called,direction,cost'));
    expect(bad(g, split('8,2026-10-05 10:00:00,60'))).toBe('line has 3 columns, the header has 7');
    expect(compileError('generic', split('id,start,caller'), [])).toBe('the generic header lacks duration, called (it has id, start, caller)');
    expect(compileError('generic', null, [])).toMatch(/empty/);
  });
  it('reads times in the zone it is given', () => {
    expect(compiled('generic', split('start,duration,caller,called'), [], 'UTC').parseTime('2026-10-05 10:00:00')).toEqual({ ms: Date.parse('2026-10-05T10:00:00Z'), note: null });
    expect(compiled('generic', split('start,duration,caller,called')).parseTime('2026-10-05 10:00:00')).toEqual({ ms: Date.parse('2026-10-05T09:00:00Z'), note: null });
  });
});

describe('CdrFormats formats', () => {
  it('reads columns by header name, resolved from the file\'s header', () => {
    const rows = formatRows('carrier', [
      ['start', 'Call Date', '', 'dd/MM/yyyy HH:mm:ss'],
      ['duration', 'Secs'],
      ['caller', 'A Number'],
      ['called', 'B Number'],
      ['id', 'Ref'],
      ['cost', 'Buy'],
    ]);
    const f = compiled('carrier', split('Ref,b_number,A NUMBER,call date,SECS,Buy,Other'), rows);
    expect(f).toMatchObject({ name: 'carrier', header: true, carriesDisposition: false, zone: 'Europe/London' });
    expect(raw(f, split(' R1 ,07700900123,02079460000,03/10/2026 14:05:09,61,0.0123,x'))).toEqual({
      id: 'R1', start: '03/10/2026 14:05:09', duration: '61', caller: '02079460000', called: '07700900123', extension: '', direction: '', cost: '0.0123', disposition: null,
    });
    expect(iso(f.parseTime('03/10/2026 14:05:09')?.ms)).toBe('2026-10-03T13:05:09.000Z');
    expect(compileError('carrier', split('Ref,A Number,Call Date,Secs'), rows)).toBe('format carrier: the file has no column "B Number" for called (its header: Ref, A Number, Call Date, Secs)');
  });
  it('reads columns by number (no header row), with a disposition', () => {
    const rows = formatRows('switchx', [['called', '4'], ['caller', '3'], ['duration', '2'], ['start', '1'], ['disposition', '5']]);
    const f = compiled('switchx', ['ignored'], rows);
    expect(f).toMatchObject({ header: false, carriesDisposition: true });
    expect(raw(f, split('2026-10-05T10:00:00Z,60,02079460000,07700900123, answered ,extra'))).toMatchObject({ start: '2026-10-05T10:00:00Z', duration: '60', caller: '02079460000', called: '07700900123', disposition: 'answered' });
    expect(bad(f, split('2026-10-05T10:00:00Z,60,02079460000'))).toBe('line has 3 columns; format switchx reads column 5');
    expect(compileError('bad0', null, formatRows('bad0', [['start', '0'], ['duration', '2'], ['caller', '3'], ['called', '4']]))).toBe('format bad0: column 0 for start; columns count from 1');
  });
  it('reads epoch seconds in the format\'s own zone (UTC), and epochms', () => {
    const rows = formatRows('usegmtime', [['start', '1', '', 'epoch'], ['duration', '2'], ['caller', '3'], ['called', '4'], ['timezone', 'UTC']]);
    const f = compiled('usegmtime', null, rows);
    expect(f.zone).toBe('UTC');
    expect(f.parseTime('1790000000')).toEqual({ ms: 1790000000_000, note: null });
    expect(f.parseTime(' 1790000000.75 ')).toEqual({ ms: 1790000000_000, note: null });
    for (const t of ['', 'abc', '-5', '17900.', '1e9', '12345678901234567']) expect(f.parseTime(t)).toBeNull();
    const ms = compiled('ms', null, formatRows('ms', [['start', '1', '', 'EpochMs'], ['duration', '2'], ['caller', '3'], ['called', '4']]));
    expect(ms.parseTime('1790000000999')).toEqual({ ms: 1790000000_000, note: null });
    expect(compileError('mars', null, formatRows('mars', [['start', '1'], ['duration', '2'], ['caller', '3'], ['called', '4'], ['timezone', 'Mars/Olympus']]))).toBe(
      'format mars: timezone "Mars/Olympus" is not an IANA time zone (e.g. UTC, Europe/London)',
    );
  });
  it('reads a dd/MM/yyyy pattern and its relatives, local to the format\'s zone', () => {
    const uk = (p: string): TimeReader => {
      const r = TimeReader.compile(p, 'Europe/London');
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    const at = (p: string, s: string): string | null => {
      const i = uk(p).parse(s);
      return i === null ? null : new Date(i.ms).toISOString();
    };
    expect(at('dd/MM/yyyy HH:mm:ss', '03/10/2026 14:05:09')).toBe('2026-10-03T13:05:09.000Z');
    expect(at('dd/MM/yyyy HH:mm:ss', '03/12/2026 14:05:09')).toBe('2026-12-03T14:05:09.000Z');
    expect(at('d/M/yy H:mm', '3/1/26 9:05')).toBe('2026-01-03T09:05:00.000Z');
    expect(at('d/M/yy H:mm', '13/11/26 19:05')).toBe('2026-11-13T19:05:00.000Z');
    expect(at('yyyyMMddHHmmss', '20261003140509')).toBe('2026-10-03T13:05:09.000Z');
    expect(at('yyyy-MM-ddTHH:mm:ss.SSS', '2026-10-03T14:05:09.123')).toBe('2026-10-03T13:05:09.000Z');
    expect(at("dd.MM.yyyy 'at' HH:mm", '03.10.2026 at 14:05')).toBe('2026-10-03T13:05:00.000Z');
    expect(at('dd/MM/yyyy HH:mm:ss', ' 03/10/2026 14:05:09 ')).toBe('2026-10-03T13:05:09.000Z');
    // not a date-time: wrong shape, a date that does not exist, leftovers
    for (const s of ['3/10/2026 14:05:09', '31/02/2026 10:00:00', '03/10/2026 24:00:00', '03/10/2026 14:05:09x', '03-10-2026 14:05:09', '']) expect(at('dd/MM/yyyy HH:mm:ss', s)).toBeNull();
    // the autumn overlap, first occurrence
    expect(uk('dd/MM/yyyy HH:mm').parse('25/10/2026 01:30')).toEqual({ ms: Date.parse('2026-10-25T00:30:00Z'), note: 'ambiguous' });
  });
  it('refuses a TimeFormat it cannot read', () => {
    const e = (p: string): string => {
      const r = TimeReader.compile(p, 'UTC');
      return r.ok ? '' : r.error;
    };
    expect(e('dd/MM/yyyy hh:mm')).toBe('TimeFormat "dd/MM/yyyy hh:mm": "h" is not a date or time letter (use yyyy yy MM M dd d HH H mm ss SSS; put literal text in single quotes)');
    expect(e('dd/MM/yyyy')).toBe('TimeFormat "dd/MM/yyyy" has no hour (HH), minute (mm)');
    expect(e("HH:mm 'o")).toBe('TimeFormat "HH:mm \'o" has a quote that is not closed');
    expect(compileError('p', null, formatRows('p', [['start', '1', '', 'dd/MM/yyyy HH:mm:ss a'], ['duration', '2'], ['caller', '3'], ['called', '4']]))).toMatch(/^format p: TimeFormat .*"a" is not a date or time letter/);
  });
  it('runs Transforms over value and the row\'s raw fields', () => {
    const rows = formatRows('minutes', [
      ['start', 'When'],
      ['duration', 'Mins', 'value * 60'],
      ['caller', 'From'],
      ['called', 'To', 'concat("0", value)'],
      ['direction', 'Leg', 'leg_type == "I" ? "in" : "out"'],
      ['cost', 'Pence', 'value / 100'],
    ]);
    const f = compiled('minutes', split('When,Mins,From,To,Leg,Pence,Leg Type'), rows);
    expect(raw(f, split('2026-10-05 10:00:00,2.5,02079460000,7700900123,x,1.5,I'))).toMatchObject({ duration: '150', called: '07700900123', direction: 'in', cost: '0.015' });
    expect(raw(f, split('2026-10-05 10:00:00,1,02079460000,7700900123,x,0.3,O'))).toMatchObject({ duration: '60', direction: 'out', cost: '0.003' });
    expect(bad(f, split('2026-10-05 10:00:00,two,02079460000,7700900123,x,1,O'))).toMatch(/^duration Transform failed on "two": .*"two"/);
    // a column named by number is _N in Transforms
    const byNumber = compiled('n', null, formatRows('n', [['start', '1'], ['duration', '2', 'value + _5'], ['caller', '3'], ['called', '4'], ['id', '5']]));
    expect(raw(byNumber, split('2026-10-05 10:00:00,60,02079460000,07700900123,3'))).toMatchObject({ duration: '63', id: '3' });
    expect(compileError('x', split('When,Mins,From,To'), formatRows('x', [['start', 'When'], ['duration', 'Mins', 'mins * secs'], ['caller', 'From'], ['called', 'To']]))).toMatch(
      /^format x, duration Transform "mins \* secs": unknown name "secs"/,
    );
  });
  it('needs start, duration, caller and called, and knows every built-in and workbook format by name', () => {
    expect(compileError('half', null, formatRows('half', [['start', '1'], ['caller', '3']]))).toBe('format half has no row for duration, called');
    expect(compileError('nope', null, formatRows('carrier', [['start', '1']]))).toBe('unknown format "nope" (built in: generic, asterisk, freeswitch; the workbook\'s CdrFormats define: carrier)');
  });
});

describe('ISO 8601 start times (the generic, asterisk and freeswitch reader)', () => {
  it('reads what CDRs write, and nothing else', () => {
    const at = (t: string, zone = 'Europe/London'): string | null => {
      const i = parseIso(t, zone);
      return i === null ? null : `${new Date(i.ms).toISOString()}${i.note ? ` ${i.note}` : ''}`;
    };
    expect(at('2026-10-05 10:00:00')).toBe('2026-10-05T09:00:00.000Z');
    expect(at('2026-10-05t10:00')).toBe('2026-10-05T09:00:00.000Z');
    expect(at(' 2026-10-05T10:00:00,5 ')).toBe('2026-10-05T09:00:00.000Z');
    expect(at('2026-10-05T10:00:00+01')).toBe('2026-10-05T09:00:00.000Z');
    expect(at('2026-10-05T10:00:00-0130')).toBe('2026-10-05T11:30:00.000Z');
    expect(at('2024-02-29T23:59:59Z')).toBe('2024-02-29T23:59:59.000Z');
    expect(at('2000-02-29T00:00Z')).toBe('2000-02-29T00:00:00.000Z');
    expect(at('1969-12-31T23:59:59Z')).toBe('1969-12-31T23:59:59.000Z');
    expect(at('2026-10-25 01:30', 'Europe/London')).toBe('2026-10-25T00:30:00.000Z ambiguous');
    expect(at('2026-03-29 01:30', 'Europe/London')).toBe('2026-03-29T01:30:00.000Z gap');
    for (const t of ['2026-02-29 10:00', '2100-02-29 10:00', '2026-04-31 10:00', '2026-00-10 10:00', '2026-10-05 10:60', '2026-10-05 10:00:60', '2026-10-05 10:00:0',
      '2026-10-05 10:00:00+1', '2026-10-05 10:00:00+01:0', '2026-10-05 10:00:00+24:00', '2026-10-05 10:00:00ZZ', '2026-10-05 10:00:00 Z', '2026-10-05_10:00', '2026/10/05 10:00', '']) {
      expect([t, at(t)]).toEqual([t, null]);
    }
  });
  it('agrees with cdr-time\'s parseIsoTime on every well-formed or nearly well-formed text', () => {
    const two = (max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc
      .tuple(
        fc.integer({ min: 1900, max: 2199 }).map(String),
        two(13), two(32), fc.constantFrom('T', ' ', 't', '_'), two(24), two(60),
        fc.option(fc.tuple(two(60), fc.option(fc.tuple(fc.constantFrom('.', ','), fc.integer({ min: 0, max: 999999 }).map(String))))),
        fc.option(fc.oneof(fc.constantFrom('Z', 'z', 'x'), fc.tuple(fc.constantFrom('+', '-'), two(23), fc.constantFrom('', ':', '::'), fc.option(two(59))).map(([s, h, c, m]) => `${s}${h}${m === null ? '' : c + m}`))),
      )
      .map(([y, mo, d, sep, h, mi, sec, off]) => `${y}-${mo}-${d}${sep}${h}:${mi}${sec === null ? '' : `:${sec[0]}${sec[1] === null ? '' : sec[1].join('')}`}${off ?? ''}`);
    fc.assert(
      fc.property(text, fc.constantFrom('Europe/London', 'UTC', 'America/New_York'), (t, zone) => {
        expect(parseIso(t, zone)).toEqual(parseIsoTime(t, zone));
      }),
      { numRuns: 3000 },
    );
  });
});
