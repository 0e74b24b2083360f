import { describe, expect, it } from 'vitest';
import { normalisePhone, numberFromNumericCell, type NumberPlan } from '../../rules/phone.js';

const uk: NumberPlan = { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', shortCodeDigits: 6 };

describe('normalisePhone', () => {
  it('applies the SPEC rules', () => {
    expect(normalisePhone('020 7946 0000', uk)?.digits).toBe('442079460000');
    expect(normalisePhone('+44 (0)20 7946 0000', uk)?.digits).toBe('442079460000');
    expect(normalisePhone('0044 20-7946.0000', uk)?.digits).toBe('442079460000');
    expect(normalisePhone('+34 600 123 456', uk)?.digits).toBe('34600123456');
    expect(normalisePhone('442079460000', uk)?.digits).toBe('442079460000');
  });
  it('marks short codes that reached N() through no prefix rule', () => {
    expect(normalisePhone('999', uk)).toEqual({ digits: '999', shortCode: true });
    expect(normalisePhone('118118', uk)).toEqual({ digits: '118118', shortCode: true });
    expect(normalisePhone('0999', uk)?.shortCode).toBe(false);
    expect(normalisePhone('1181180', uk)?.shortCode).toBe(false);
    expect(normalisePhone('999', { ...uk, shortCodeDigits: 0 })?.shortCode).toBe(false);
  });
  it('refuses what is not a phone number', () => {
    expect(normalisePhone('anonymous', uk)).toBeNull();
    expect(normalisePhone('', uk)).toBeNull();
    expect(normalisePhone('+', uk)).toBeNull();
  });
  it('turns a rule off when its prefix is blank', () => {
    expect(normalisePhone('02079460000', { ...uk, nationalPrefix: '' })?.digits).toBe('02079460000');
    expect(normalisePhone('0034600123456', { ...uk, internationalPrefix: '' })?.digits).toBe('44034600123456');
  });
  it('gives a numeric cell its country code back', () => {
    expect(numberFromNumericCell('2079460000', '44')).toBe('442079460000');
    expect(numberFromNumericCell('442079460000', '44')).toBe('442079460000');
    expect(numberFromNumericCell('4412345', '44')).toBe('444412345');
  });
});
