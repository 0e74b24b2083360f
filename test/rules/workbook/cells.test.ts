import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  civilDay,
  dayText,
  enumReader,
  formatScaled,
  isEmpty,
  toAmount,
  toBool,
  toDate,
  toDays,
  toDecimal,
  toDigits,
  toInt,
  toPercent,
  toPhone,
  toPhones,
  toText,
  toTime,
  type CellContext,
} from '../../../rules/workbook/cells.js';
import { dayFromYmd, formatDay } from '../../../rules/day.js';
import { numberText, type RawValue } from '../../../rules/workbook/raw.js';

// Cells as the readers deliver them.
const text = (t: string): RawValue => ({ kind: 'text', text: t });
const num = (value: number): RawValue => ({ kind: 'number', value, text: numberText(value), percent: false });
const pct = (value: number): RawValue => ({ kind: 'number', value, text: numberText(value), percent: true });
const date = (y: number, m: number, d: number, hh = 0, mi = 0, ss = 0): RawValue => ({ kind: 'date', y, m, d, hh, mi, ss });
const bool = (value: boolean): RawValue => ({ kind: 'bool', value });
const error = (t: string): RawValue => ({ kind: 'error', text: t });

const UK: CellContext = { plan: { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', shortCodeDigits: 6 }, date1904: false };
const MAC: CellContext = { ...UK, date1904: true };
const NO_PREFIX: CellContext = { ...UK, plan: { ...UK.plan, nationalPrefix: '' } };

const day = (iso: string): number => dayFromYmd(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));

describe('isEmpty and text', () => {
  it('counts absent, empty and all-blank cells as empty, nothing else', () => {
    expect([undefined, { kind: 'empty' } as RawValue, text(''), text('  \u00a0\n')].map(isEmpty)).toEqual([true, true, true, true]);
    expect([text('x'), num(0), bool(false), error('#N/A')].map(isEmpty)).toEqual([false, false, false, false]);
  });
  it('trims text and writes numbers, dates and booleans as a person reads them', () => {
    expect(toText(text('  ACME01 \n'))).toEqual({ ok: true, value: 'ACME01' });
    expect(toText(num(1001))).toEqual({ ok: true, value: '1001' });
    expect(toText(date(2026, 3, 1))).toEqual({ ok: true, value: '2026-03-01' });
    expect(toText(bool(true))).toEqual({ ok: true, value: 'TRUE' });
  });
  it('refuses an error cell anywhere, saying which', () => {
    expect(toText(error('#N/A'))).toEqual({ ok: false, code: 'ERROR_CELL', message: 'is an error cell (#N/A)' });
    expect(toText(error('formula with no cached value'))).toEqual({ ok: false, code: 'ERROR_CELL', message: 'is an error cell (formula with no cached value)' });
  });
});

describe('amounts', () => {
  it('reads a number cell through its shortest round-trip decimal', () => {
    expect(toAmount(num(0.1 + 0.2))).toEqual({ ok: true, value: 300_000 });
    expect(toAmount(num(0.0125))).toEqual({ ok: true, value: 12_500 });
    expect(toAmount(num(1e-6))).toEqual({ ok: true, value: 1 });
    expect(toAmount(num(-2.5))).toEqual({ ok: true, value: -2_500_000 });
  });
  it('reads numbers stored as text, with a currency sign or thousands separators', () => {
    expect(toAmount(text(' 1.15 '))).toEqual({ ok: true, value: 1_150_000 });
    expect(toAmount(text('£1,250.50'))).toEqual({ ok: true, value: 1_250_500_000 });
    expect(toAmount(text('-£5'))).toEqual({ ok: true, value: -5_000_000 });
    expect(toAmount(text('.5'))).toEqual({ ok: true, value: 500_000 });
  });
  it('refuses more than 6 decimals, in a number or a text cell', () => {
    expect(toAmount(num(0.1234567))).toEqual({ ok: false, code: 'TOO_MANY_DECIMALS', message: 'has more than 6 decimals (got "0.1234567")' });
    expect(toAmount(text('1.0000001'))).toEqual({ ok: false, code: 'TOO_MANY_DECIMALS', message: 'has more than 6 decimals (got "1.0000001")' });
    expect(toAmount(text('1.1234560'))).toEqual({ ok: true, value: 1_123_456 });
  });
  it('refuses what is not a number, and a value below the least allowed, with the same words', () => {
    expect(toAmount(text('abc'), 0)).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be a number >= 0 (got "abc")' });
    expect(toAmount(num(-1), 0)).toEqual({ ok: false, code: 'OUT_OF_RANGE', message: 'must be a number >= 0 (got "-1")' });
    expect(toAmount(num(0), 0)).toEqual({ ok: true, value: 0 });
    expect(toAmount(text('1,5'))).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be a number (got "1,5")' });
    expect(toAmount(bool(true))).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be a number (got "TRUE")' });
    expect(toAmount(date(2026, 1, 1)).ok).toBe(false);
    expect(toAmount(error('#DIV/0!'))).toEqual({ ok: false, code: 'ERROR_CELL', message: 'is an error cell (#DIV/0!)' });
  });
  it('refuses an amount too large to hold exactly', () => {
    expect(toAmount(num(1e10))).toEqual({ ok: false, code: 'OUT_OF_RANGE', message: 'is too large (got "10000000000")' });
  });
  it('formats micro-units back for messages', () => {
    expect([0, 1, 1_250_000, -500_000, 20_000_000].map(formatScaled)).toEqual(['0', '0.000001', '1.25', '-0.5', '20']);
  });
});

describe('percentages', () => {
  it('reads 20, "20%", "20 %" and a percent-formatted 0.2 as twenty percent', () => {
    for (const v of [num(20), text('20'), text('20%'), text(' 20 % '), pct(0.2)]) expect(toPercent(v)).toEqual({ ok: true, value: 20_000_000 });
    expect(toPercent(pct(0.175))).toEqual({ ok: true, value: 17_500_000 });
    expect(toPercent(text('17.5%'))).toEqual({ ok: true, value: 17_500_000 });
  });
  it('warns about a plain value strictly between 0 and 1, and reads it as written', () => {
    const note = { severity: 'warning', code: 'PERCENT_BELOW_ONE', message: '0.25 means 0.25%; if you meant 25%, write 25 or 25%' };
    expect(toPercent(num(0.25))).toEqual({ ok: true, value: 250_000, note });
    expect(toPercent(text('0.25'))).toEqual({ ok: true, value: 250_000, note });
    // written as a percentage, or 0 or 1: no warning
    for (const v of [text('0.25%'), pct(0.0025), num(0), num(1)]) expect(toPercent(v)).not.toHaveProperty('note');
  });
  it('refuses what is not a percentage, and values out of bounds', () => {
    expect(toPercent(text('twenty'))).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be a percentage such as 20 or 20% (got "twenty")' });
    expect(toPercent(num(150), { min: 0, max: 100_000_000 })).toEqual({ ok: false, code: 'OUT_OF_RANGE', message: 'must be a percentage from 0 to 100 (got "150")' });
    expect(toPercent(num(-150), { min: -100_000_000 })).toEqual({ ok: false, code: 'OUT_OF_RANGE', message: 'must be a percentage >= -100 (got "-150")' });
    expect(toPercent(error('#REF!'))).toEqual({ ok: false, code: 'ERROR_CELL', message: 'is an error cell (#REF!)' });
  });
  it('reads a decimal that may be written as a percentage (Discounts.Value)', () => {
    expect(toDecimal(num(100))).toEqual({ ok: true, value: { value: 100_000_000, percent: false } });
    expect(toDecimal(text('10%'))).toEqual({ ok: true, value: { value: 10_000_000, percent: true } });
    expect(toDecimal(pct(0.1))).toEqual({ ok: true, value: { value: 10_000_000, percent: true } });
    expect(toDecimal(num(-1), 0)).toEqual({ ok: false, code: 'OUT_OF_RANGE', message: 'must be a number >= 0 (got "-1")' });
  });
});

describe('whole numbers and booleans', () => {
  it('reads whole numbers from number and text cells', () => {
    expect(toInt(num(60))).toEqual({ ok: true, value: 60 });
    expect(toInt(text(' 60 '))).toEqual({ ok: true, value: 60 });
    expect(toInt(text('60.0'))).toEqual({ ok: true, value: 60 });
    expect(toInt(text('-3'))).toEqual({ ok: true, value: -3 });
  });
  it('refuses fractions, words and values out of bounds', () => {
    expect(toInt(num(1.5))).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be a whole number (got "1.5")' });
    expect(toInt(text('ten'), 1)).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be a whole number >= 1 (got "ten")' });
    expect(toInt(num(0), 1)).toEqual({ ok: false, code: 'OUT_OF_RANGE', message: 'must be a whole number >= 1 (got "0")' });
    expect(toInt(num(7), 0, 6)).toEqual({ ok: false, code: 'OUT_OF_RANGE', message: 'must be a whole number from 0 to 6 (got "7")' });
    expect(toInt(text('-'))).toMatchObject({ ok: false });
    expect(toInt(text('1.'))).toMatchObject({ ok: false });
  });
  it('reads Yes/No, Y/N, TRUE/FALSE, 1/0 in any case, and bool cells', () => {
    for (const t of ['Yes', 'yes', 'Y', 'y', 'TRUE', 'true', '1']) expect(toBool(text(t))).toEqual({ ok: true, value: true });
    for (const t of ['No', 'NO', 'n', 'False', '0']) expect(toBool(text(t))).toEqual({ ok: true, value: false });
    expect(toBool(num(1))).toEqual({ ok: true, value: true });
    expect(toBool(num(0))).toEqual({ ok: true, value: false });
    expect(toBool(bool(false))).toEqual({ ok: true, value: false });
  });
  it('refuses other booleans', () => {
    expect(toBool(text('maybe'))).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be Yes or No (got "maybe")' });
    expect(toBool(num(2))).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be Yes or No (got "2")' });
  });
});

describe('dates', () => {
  it('reads date cells, text YYYY-MM-DD and serial numbers', () => {
    expect(toDate(date(2026, 12, 28), UK)).toEqual({ ok: true, value: day('2026-12-28') });
    expect(toDate(date(2026, 12, 28, 13, 45), UK)).toEqual({ ok: true, value: day('2026-12-28') });
    expect(toDate(text('2026-12-28'), UK)).toEqual({ ok: true, value: day('2026-12-28') });
    expect(toDate(text(' 2026/12/28 '), UK)).toEqual({ ok: true, value: day('2026-12-28') });
    expect(toDate(text('2026-1-5'), UK)).toEqual({ ok: true, value: day('2026-01-05') });
    expect(toDate(text('2026-12-28 00:00:00'), UK)).toEqual({ ok: true, value: day('2026-12-28') });
    expect(toDate(num(46384), UK)).toEqual({ ok: true, value: day('2026-12-28') });
  });
  it('reads serial numbers in the 1904 date system, 1,462 days apart', () => {
    expect(toDate(num(44922), MAC)).toEqual({ ok: true, value: day('2026-12-28') });
    expect(toDate(num(44922), UK)).toEqual({ ok: true, value: day('2022-12-27') });
    expect(toDate(num(46384.75), UK)).toEqual({ ok: true, value: day('2026-12-28') });
  });
  it('refuses dates that do not exist and other shapes', () => {
    const refused = (v: RawValue, got: string) => expect(toDate(v, UK)).toEqual({ ok: false, code: 'INVALID_CELL', message: `must be a date YYYY-MM-DD (got "${got}")` });
    refused(text('2026-02-30'), '2026-02-30');
    refused(text('2025-02-29'), '2025-02-29');
    refused(text('28/12/2026'), '28/12/2026');
    refused(text('2026-12-28 09:00'), '2026-12-28 09:00');
    refused(text('tomorrow'), 'tomorrow');
    refused(num(20260101), '20260101');
    refused(num(60), '60');
    refused(bool(true), 'TRUE');
    expect(toDate(text('2024-02-29'), UK).ok).toBe(true);
    expect(toDate(error('#VALUE!'), UK)).toEqual({ ok: false, code: 'ERROR_CELL', message: 'is an error cell (#VALUE!)' });
  });
  it('counts days by arithmetic exactly as day.ts does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1800, max: 2400 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
        expect(civilDay(y, m, d)).toBe(real ? dayFromYmd(y, m, d) : -Infinity);
        expect(dayText(iso)).toBe(real ? dayFromYmd(y, m, d) : null);
        if (real) expect(formatDay(dayText(iso)!)).toBe(iso);
      }),
    );
  });
});

describe('times', () => {
  it('reads HH:MM, 24:00, time cells and fractions of a day as minutes', () => {
    expect(toTime(text('08:00'), UK)).toEqual({ ok: true, value: 480 });
    expect(toTime(text('8:30'), UK)).toEqual({ ok: true, value: 510 });
    expect(toTime(text('18:00:00'), UK)).toEqual({ ok: true, value: 1080 });
    expect(toTime(text('24:00'), UK)).toEqual({ ok: true, value: 1440 });
    expect(toTime(date(1899, 12, 30, 8, 30), UK)).toEqual({ ok: true, value: 510 });
    expect(toTime(num(0.75), UK)).toEqual({ ok: true, value: 1080 });
    expect(toTime(num(1), UK)).toEqual({ ok: true, value: 1440 });
  });
  it('reads a 24:00 time cell, one day after the epoch, as the end of the day', () => {
    expect(toTime(date(1899, 12, 31, 0, 0), UK)).toEqual({ ok: true, value: 1440 });
    expect(toTime(date(1904, 1, 2, 0, 0), MAC)).toEqual({ ok: true, value: 1440 });
    expect(toTime(date(1904, 1, 1, 0, 0), MAC)).toEqual({ ok: true, value: 0 });
  });
  it('refuses other times', () => {
    const refused = (v: RawValue, got: string) => expect(toTime(v, UK)).toEqual({ ok: false, code: 'INVALID_CELL', message: `must be a time HH:MM (got "${got}")` });
    refused(text('25:00'), '25:00');
    refused(text('24:01'), '24:01');
    refused(text('12:60'), '12:60');
    refused(text('8'), '8');
    refused(num(8), '8');
    refused(text('noon'), 'noon');
    expect(toTime(text('08:00:30'), UK).ok).toBe(false);
    expect(toTime(date(1899, 12, 30, 8, 0, 30), UK)).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be a time HH:MM in whole minutes (got "1899-12-30 08:00:30")' });
  });
});

describe('days', () => {
  const days = (t: string) => toDays(text(t));
  it('reads ranges, lists, holidays and their combinations', () => {
    expect(days('Mon-Fri')).toEqual({ ok: true, value: { days: [0, 1, 2, 3, 4], holiday: false } });
    expect(days('Sat,Sun')).toEqual({ ok: true, value: { days: [5, 6], holiday: false } });
    expect(days('Mon-Sun')).toEqual({ ok: true, value: { days: [0, 1, 2, 3, 4, 5, 6], holiday: false } });
    expect(days('Hol')).toEqual({ ok: true, value: { days: [], holiday: true } });
    expect(days('Mon-Fri,Hol')).toEqual({ ok: true, value: { days: [0, 1, 2, 3, 4], holiday: true } });
    expect(days('monday - friday, holidays')).toEqual({ ok: true, value: { days: [0, 1, 2, 3, 4], holiday: true } });
    expect(days('Fri-Mon')).toEqual({ ok: true, value: { days: [0, 4, 5, 6], holiday: false } });
    expect(days('Tues, Thu')).toEqual({ ok: true, value: { days: [1, 3], holiday: false } });
  });
  it('refuses what names no weekday', () => {
    const message = (got: string) => `must be days such as Mon-Fri, Sat,Sun or Hol (got "${got}")`;
    expect(days('Funday')).toEqual({ ok: false, code: 'INVALID_CELL', message: message('Funday') });
    expect(days('Mon-Fri-Sat')).toEqual({ ok: false, code: 'INVALID_CELL', message: message('Mon-Fri-Sat') });
    expect(days('Mo')).toEqual({ ok: false, code: 'INVALID_CELL', message: message('Mo') });
    expect(days(',')).toEqual({ ok: false, code: 'INVALID_CELL', message: message(',') });
    expect(toDays(num(5))).toEqual({ ok: false, code: 'INVALID_CELL', message: message('5') });
  });
});

describe('digits and phone numbers', () => {
  it('reads digits-only prefixes from text or number cells', () => {
    expect(toDigits(text(' 4420 '))).toEqual({ ok: true, value: '4420' });
    expect(toDigits(num(4420))).toEqual({ ok: true, value: '4420' });
    expect(toDigits(text('44-20'))).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be digits only (got "44-20")' });
    expect(toDigits(text('+44'))).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be digits only (got "+44")' });
  });
  it('normalises numbers typed with spaces, hyphens, dots and parentheses', () => {
    for (const t of ['+44 (0)20 7946 0000', '020 7946 0000', '020-7946-0000', '020.7946.0000', '(020) 7946 0000', '0044 20 7946 0000', '442079460000']) {
      expect(toPhone(text(t), UK)).toEqual({ ok: true, value: '442079460000' });
    }
  });
  it('gives a number cell its leading 0 back as the country code, with a notice', () => {
    expect(toPhone(num(2079460000), UK)).toEqual({
      ok: true,
      value: '442079460000',
      note: { severity: 'notice', code: 'NUMERIC_PHONE', message: '2079460000 was a number cell, which drops a leading 0; read as 442079460000' },
    });
    // already international: as it is, nothing to say
    expect(toPhone(num(442079460000), UK)).toEqual({ ok: true, value: '442079460000' });
  });
  it('keeps the national prefix when the rule is off', () => {
    expect(toPhone(text('020 7946 0000'), NO_PREFIX)).toEqual({ ok: true, value: '02079460000' });
  });
  it('refuses what is not a phone number', () => {
    expect(toPhone(text('ext 12'), UK)).toEqual({ ok: false, code: 'INVALID_CELL', message: 'is not a phone number (got "ext 12")' });
    expect(toPhone(num(207946.5), UK)).toEqual({ ok: false, code: 'INVALID_CELL', message: 'is not a phone number (got "207946.5")' });
    expect(toPhone(bool(true), UK).ok).toBe(false);
    expect(toPhone(error('#N/A'), UK)).toEqual({ ok: false, code: 'ERROR_CELL', message: 'is an error cell (#N/A)' });
  });
  it('reads comma-separated lists of numbers', () => {
    expect(toPhones(text('020 7946 0001, 07700 900123;+1 212 555 0100'), UK)).toEqual({ ok: true, value: ['442079460001', '447700900123', '12125550100'] });
    expect(toPhones(text('020 7946 0001,,'), UK)).toEqual({ ok: true, value: ['442079460001'] });
    expect(toPhones(num(2079460001), UK)).toMatchObject({ ok: true, value: ['442079460001'], note: { code: 'NUMERIC_PHONE' } });
    expect(toPhones(text('020 7946 0001, reception'), UK)).toEqual({ ok: false, code: 'INVALID_CELL', message: 'holds "reception", which is not a phone number' });
  });
});

describe('enums', () => {
  const method = enumReader(['DirectDebit', 'Card', 'Manual'] as const);
  it('matches in any case, ignoring spaces, underscores and hyphens, and gives the canonical spelling', () => {
    for (const t of ['DirectDebit', 'directdebit', 'Direct Debit', 'DIRECT_DEBIT', 'direct-debit']) expect(method(text(t))).toEqual({ ok: true, value: 'DirectDebit' });
    expect(method(text(' card '))).toEqual({ ok: true, value: 'Card' });
  });
  it('refuses other values, naming the allowed ones', () => {
    expect(method(text('Cheque'))).toEqual({ ok: false, code: 'INVALID_CELL', message: 'must be one of DirectDebit, Card, Manual (got "Cheque")' });
    expect(method(error('#N/A'))).toEqual({ ok: false, code: 'ERROR_CELL', message: 'is an error cell (#N/A)' });
  });
});
