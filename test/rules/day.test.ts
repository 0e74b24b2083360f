import { describe, expect, it } from 'vitest';
import { dayFromSerial, dayFromYmd, daysInMonth, formatDay, parseDayText, parsePeriod, weekdayOfDay } from '../../rules/day.js';

describe('days', () => {
  it('round-trips civil dates', () => {
    const d = dayFromYmd(2026, 10, 3);
    expect(formatDay(d)).toBe('2026-10-03');
    expect(parseDayText('2026-10-03')).toBe(d);
    expect(weekdayOfDay(d)).toBe(5); // a Saturday
  });
  it('refuses dates that do not exist', () => {
    expect(parseDayText('2026-02-30')).toBeNull();
    expect(parseDayText('2026-13-01')).toBeNull();
    expect(parseDayText('03/10/2026')).toBeNull();
    expect(parseDayText('2028-02-29')).not.toBeNull();
  });
  it('reads serial numbers in both date systems', () => {
    expect(formatDay(dayFromSerial(42507, false))).toBe('2016-05-17');
    expect(formatDay(dayFromSerial(42507 - 1462, true))).toBe('2016-05-17');
    expect(formatDay(dayFromSerial(0, true))).toBe('1904-01-01');
  });
  it('knows month lengths and periods', () => {
    expect([daysInMonth(2026, 2), daysInMonth(2028, 2), daysInMonth(2026, 4), daysInMonth(2026, 10)]).toEqual([28, 29, 30, 31]);
    const p = parsePeriod('2026-10');
    expect(p && formatDay(p.first)).toBe('2026-10-01');
    expect(p && formatDay(p.last)).toBe('2026-10-31');
    expect(parsePeriod('2026-13')).toBeNull();
  });
});
