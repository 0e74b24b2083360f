import { describe, expect, it } from 'vitest';
import { formatLocalIso, localToUtc, utcToLocalMs } from '../../rules/zone.js';

const z = 'Europe/London';
const naive = (s: string): number => Date.parse(s + 'Z');

describe('zones', () => {
  it('reads summer and winter times', () => {
    expect(new Date(localToUtc(z, naive('2026-07-01T12:00:00')).utcMs).toISOString()).toBe('2026-07-01T11:00:00.000Z');
    expect(new Date(localToUtc(z, naive('2026-12-01T12:00:00')).utcMs).toISOString()).toBe('2026-12-01T12:00:00.000Z');
  });
  it('takes the first occurrence of an ambiguous autumn time', () => {
    const r = localToUtc(z, naive('2026-10-25T01:30:00'));
    expect(new Date(r.utcMs).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(r.note).toBe('ambiguous');
  });
  it('moves a spring-gap time forward by the gap', () => {
    const r = localToUtc(z, naive('2026-03-29T01:30:00'));
    expect(new Date(r.utcMs).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(formatLocalIso(z, r.utcMs)).toBe('2026-03-29T02:30:00+01:00');
    expect(r.note).toBe('gap');
  });
  it('formats local ISO with the offset and converts back', () => {
    const u = Date.parse('2026-10-03T13:05:00Z');
    expect(formatLocalIso(z, u)).toBe('2026-10-03T14:05:00+01:00');
    expect(new Date(utcToLocalMs(z, u)).toISOString()).toBe('2026-10-03T14:05:00.000Z');
    expect(formatLocalIso('UTC', u)).toBe('2026-10-03T13:05:00+00:00');
  });
});
