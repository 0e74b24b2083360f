// SPEC §2 "The time band of a call": Days matched against the weekday of the instant itself, [From, To)
// with From > To wrapping within that weekday, holidays first, the blank band when nothing holds.

import { describe, expect, it } from 'vitest';
import { bandOf, buildBandTable, msToBandChange } from '../../../rules/rating/timeband.js';
import { band, cdr, holiday, model, rated, UK_BANDS } from './fixture-model.js';
import { customer, dest, numberRow, rate, tariff } from './fixture-model.js';

/** A wall-clock time as ms whose UTC fields are the local fields (what bandOf takes). */
const wall = (local: string): number => Date.parse(local.replace(' ', 'T') + 'Z');

describe('bandOf', () => {
  const m = model({ timeBands: UK_BANDS, holidays: [holiday('2026-12-25', 'Christmas Day')] });
  const at = (local: string): string => bandOf(m.bands, wall(local));

  it('holds From and not To: Peak is 08:00–18:00 on weekdays', () => {
    // 2026-10-05 is a Monday
    expect([at('2026-10-05 07:59:59'), at('2026-10-05 08:00:00'), at('2026-10-05 17:59:59'), at('2026-10-05 18:00:00')]).toEqual(['OffPeak', 'Peak', 'Peak', 'OffPeak']);
  });

  it('wraps From > To within the weekday itself: Mon-Fri 18:00–08:00 covers Friday evening, not Saturday morning', () => {
    // Friday 2026-10-09 19:00 is OffPeak; Saturday 2026-10-10 07:00 is the Weekend row's, not OffPeak's
    expect(at('2026-10-09 19:00:00')).toBe('OffPeak');
    expect(at('2026-10-10 07:00:00')).toBe('Weekend');
    // and Monday 00:00–08:00 is OffPeak by Monday's own row
    expect(at('2026-10-05 00:00:00')).toBe('OffPeak');
  });

  it('leaves a time no row holds in the blank band', () => {
    const weekdaysOnly = model({ timeBands: UK_BANDS.slice(0, 2) });
    // Without the Weekend row, Saturday 07:00 belongs to no band: the wrap does not spill into Saturday
    expect(bandOf(weekdaysOnly.bands, wall('2026-10-10 07:00:00'))).toBe('');
    expect(bandOf(model().bands, wall('2026-10-05 12:00:00'))).toBe('');
  });

  it('tries the Hol rows first on a holiday, then the weekday rows', () => {
    const m2 = model({
      timeBands: [band('Peak', 'Mon-Fri', '08:00', '18:00'), band('OffPeak', 'Mon-Fri', '18:00', '08:00'), band('HolidayDay', 'Hol', '10:00', '16:00')],
      holidays: [holiday('2026-12-25')],
    });
    const at2 = (local: string): string => bandOf(m2.bands, wall(local));
    // Christmas Day 2026 is a Friday: 11:00 is the holiday row's; 09:00 (no Hol row holds it) is Friday's Peak
    expect([at2('2026-12-25 11:00:00'), at2('2026-12-25 09:00:00'), at2('2026-12-18 11:00:00')]).toEqual(['HolidayDay', 'Peak', 'Peak']);
    // Sat,Sun,Hol in one row: the whole of Christmas Day is Weekend
    expect([at('2026-12-25 11:00:00'), at('2026-12-25 23:59:59'), at('2026-12-26 00:00:00'), at('2026-12-28 09:00:00')]).toEqual(['Weekend', 'Weekend', 'Weekend', 'Peak']);
  });

  it('reads To 24:00 as the end of the day and From = To as the whole day', () => {
    const m2 = model({ timeBands: [band('Late', 'Mon', '20:00', '24:00'), band('AllDay', 'Tue', '09:00', '09:00')] });
    expect([bandOf(m2.bands, wall('2026-10-05 23:59:59')), bandOf(m2.bands, wall('2026-10-06 00:00:00')), bandOf(m2.bands, wall('2026-10-06 08:59:00')), bandOf(m2.bands, wall('2026-10-07 00:00:00'))]).toEqual([
      'Late',
      'AllDay',
      'AllDay',
      '',
    ]);
  });
});

describe('band runs (for BandSplit)', () => {
  const t = buildBandTable(UK_BANDS, [holiday('2026-12-25')]);
  it('measures the time to the next change of band, or to midnight', () => {
    // Monday 17:59:30 -> Peak ends at 18:00: 30 s
    expect(msToBandChange(t, wall('2026-10-05 17:59:30'))).toBe(30_000);
    // Monday 18:00 -> OffPeak runs to midnight (Tuesday starts a new day): 6 h
    expect(msToBandChange(t, wall('2026-10-05 18:00:00'))).toBe(6 * 3_600_000);
    // Saturday is one run
    expect(msToBandChange(t, wall('2026-10-10 00:00:00'))).toBe(24 * 3_600_000);
  });
});

describe('the band of a call is that of its local start', () => {
  // Sunday 00:00–02:00 is Night, 02:00–24:00 Day
  const m = model({
    customers: [customer('ACME')],
    numbers: [numberRow('ACME', '020 7946 0000')],
    destinations: [dest('441', 'UK Geographic', 'National')],
    tariffs: [tariff('Business')],
    rates: [rate('Business', 'UK Geographic', '0.06')],
    timeBands: [band('Night', 'Sun', '00:00', '02:00'), band('Day', 'Sun', '02:00', '24:00'), band('Sat', 'Sat', '00:00', '24:00')],
  });
  const bandOfCall = (start: string): string => rated(m, cdr('020 7946 0000', '0161 496 0000', start, 60)).band;

  it('takes the local time across the autumn clock change (2026-10-25 01:00 UTC, BST -> GMT)', () => {
    // 01:30 UTC is 01:30 GMT, after the change: Night. Adding the summer hour would make it 02:30, Day.
    expect(bandOfCall('2026-10-25T01:30:00Z')).toBe('Night');
    // 00:30 UTC is 01:30 BST, the first 01:30 of the night: Night too
    expect(bandOfCall('2026-10-25T00:30:00Z')).toBe('Night');
    // 23:30 UTC on Saturday is already Sunday 00:30 in London (BST)
    expect(bandOfCall('2026-10-24T23:30:00Z')).toBe('Night');
    // and 01:00 UTC is 01:00 GMT — while 00:59:59 UTC was 01:59:59 BST
    expect([bandOfCall('2026-10-25T00:59:59Z'), bandOfCall('2026-10-25T01:00:00Z'), bandOfCall('2026-10-25T02:00:00Z')]).toEqual(['Night', 'Night', 'Day']);
  });

  it('takes the local time across the spring clock change (2026-03-29 01:00 UTC, GMT -> BST)', () => {
    // 00:59:59 UTC is 00:59:59 GMT; 01:00 UTC is already 02:00 BST
    expect([bandOfCall('2026-03-29T00:59:59Z'), bandOfCall('2026-03-29T01:00:00Z')]).toEqual(['Night', 'Day']);
  });
});
