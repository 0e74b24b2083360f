import { describe, expect, it } from 'vitest';
import { formatAmount, formatBytes, formatCount, formatWhen, plural } from '../../web-components/format.js';

describe('formatAmount', () => {
  it('adds thousands separators and keeps every decimal the server sent', () => {
    expect(formatAmount('1234567.891234')).toBe('1,234,567.891234');
    expect(formatAmount('999.5')).toBe('999.5');
    expect(formatAmount('1000')).toBe('1,000');
    expect(formatAmount('-1234.50')).toBe('-1,234.50');
    expect(formatAmount('0.000001')).toBe('0.000001');
  });
  it('does no arithmetic: amounts past what a float holds come out digit for digit', () => {
    expect(formatAmount('90071992547409931.123456789')).toBe('90,071,992,547,409,931.123456789');
  });
  it('puts a currency sign before, or its code after', () => {
    expect(formatAmount('1234.5', 'GBP')).toBe('£1,234.5');
    expect(formatAmount('-2.10', 'EUR')).toBe('-€2.10');
    expect(formatAmount('1234.5', 'CHF')).toBe('1,234.5 CHF');
  });
  it('shows text that is not a decimal as it came, and nothing for nothing', () => {
    expect(formatAmount('n/a')).toBe('n/a');
    expect(formatAmount('1e5')).toBe('1e5');
    expect(formatAmount(null)).toBe('');
    expect(formatAmount('')).toBe('');
  });
});

describe('counts, bytes and times', () => {
  it('formats them for people', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(null)).toBe('');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(2_048_000_000)).toBe('2.0 GB');
    expect(plural(1, 'error')).toBe('1 error');
    expect(plural(3, 'error')).toBe('3 errors');
    expect(formatWhen('not a time')).toBe('not a time');
    expect(formatWhen(new Date(2026, 9, 9, 16, 3).toISOString())).toBe('2026-10-09 16:03');
  });
});
