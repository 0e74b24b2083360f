import { describe, expect, it } from 'vitest';
import { addPercent, divRound, formatMicro, formatMicroShort, parseMicro, percentOf, roundMicro, roundSixtieths } from '../../rules/money.js';

describe('parseMicro', () => {
  it('reads decimals exactly into micro-units', () => {
    expect(parseMicro('1.15')).toEqual({ ok: true, value: 1_150_000 });
    expect(parseMicro('-0.5')).toEqual({ ok: true, value: -500_000 });
    expect(parseMicro('.25')).toEqual({ ok: true, value: 250_000 });
    expect(parseMicro(' 3 ')).toEqual({ ok: true, value: 3_000_000 });
    expect(parseMicro('0.000001')).toEqual({ ok: true, value: 1 });
    expect(parseMicro('12.3400000')).toEqual({ ok: true, value: 12_340_000 });
  });
  it('refuses text, more than 6 decimals and empty input', () => {
    expect(parseMicro('abc').ok).toBe(false);
    expect(parseMicro('0.0000001')).toEqual({ ok: false, error: 'more than 6 decimals' });
    expect(parseMicro('').ok).toBe(false);
    expect(parseMicro('.').ok).toBe(false);
    expect(parseMicro('1e5').ok).toBe(false);
  });
});

describe('rounding', () => {
  it('rounds halves by mode, symmetric around zero', () => {
    expect(divRound(5, 2, 'HalfUp')).toBe(3);
    expect(divRound(-5, 2, 'HalfUp')).toBe(-3);
    expect(divRound(5, 2, 'HalfEven')).toBe(2);
    expect(divRound(7, 2, 'HalfEven')).toBe(4);
    expect(divRound(4, 3, 'Up')).toBe(2);
    expect(divRound(5, 3, 'Down')).toBe(1);
    expect(divRound(6, 3, 'Up')).toBe(2);
  });
  it('prices 6 s at 1.15/min to 0.12 at 2 decimals, not 0.11', () => {
    // 1.15 × 6 / 60 = 0.115 exactly -> HalfUp 0.12
    expect(formatMicro(roundSixtieths(1_150_000 * 6, 2, 'HalfUp'), 2)).toBe('0.12');
  });
  it('keeps per-second charges exact until the one rounding', () => {
    // 0.0125/min × 7 s = 0.00145833… -> 0.0015 at 4 decimals; 3 s = 0.000625 exactly
    expect(formatMicro(roundSixtieths(12_500 * 7, 4, 'HalfUp'), 4)).toBe('0.0015');
    expect(roundSixtieths(12_500 * 3, 6, 'HalfUp')).toBe(625);
  });
  it('adds a markup and takes a percentage exactly', () => {
    expect(formatMicro(addPercent(10_000, 20_000_000, 4, 'HalfUp'), 4)).toBe('0.0120');
    expect(formatMicro(percentOf(33_330_000, 20_000_000, 2, 'HalfUp'), 2)).toBe('6.67');
    // beyond 2^53 in the intermediate product: falls back to BigInt, still exact
    expect(addPercent(9_000_000_000_000, 99_999_999, 6, 'HalfUp')).toBe(17_999_999_910_000);
  });
  it('rounds micro-units to fewer decimals', () => {
    expect(roundMicro(1_234_567, 2, 'HalfUp')).toBe(1_230_000);
    expect(roundMicro(1_235_000, 2, 'HalfEven')).toBe(1_240_000);
    expect(roundMicro(-1_235_000, 2, 'HalfUp')).toBe(-1_240_000);
  });
  it('formats with exactly the decimals asked', () => {
    expect(formatMicro(120_000, 2)).toBe('0.12');
    expect(formatMicro(-1_500_000, 4)).toBe('-1.5000');
    expect(formatMicro(7_000_000, 0)).toBe('7');
  });
});

describe('formatMicroShort', () => {
  it('drops trailing zeros and the point of a whole amount, keeps the sign', () => {
    expect(formatMicroShort(24_600)).toBe('0.0246');
    expect(formatMicroShort(5_000_000)).toBe('5');
    expect(formatMicroShort(0)).toBe('0');
    expect(formatMicroShort(10_000_001)).toBe('10.000001');
    expect(formatMicroShort(-1_500_000)).toBe('-1.5');
    expect(formatMicroShort(120_000_000_000)).toBe('120000');
  });
});
