import { describe, expect, it } from 'vitest';
import { formatNational } from '../../rules/phone-format.js';
import { normaliseDigits, type NumberPlan } from '../../rules/phone.js';

const uk: NumberPlan = { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00', shortCodeDigits: 6 };
const f = (n: string): string => formatNational(n, uk);

describe('formatNational', () => {
  it('writes UK numbers in Ofcom national format', () => {
    expect(f('442079460000')).toBe('020 7946 0000'); // 02x: 3+4+4
    expect(f('442920180100')).toBe('029 2018 0100');
    expect(f('441134960000')).toBe('0113 496 0000'); // 011x: 4+3+4
    expect(f('441184960000')).toBe('0118 496 0000');
    expect(f('441614960000')).toBe('0161 496 0000'); // 01x1: 4+3+4
    expect(f('441214960010')).toBe('0121 496 0010');
    expect(f('441914980070')).toBe('0191 498 0070');
    expect(f('441632960123')).toBe('01632 960123'); // other 01: 5+6
    expect(f('44163296012')).toBe('01632 96012'); // nine digits: 5+5
    expect(f('441539612345')).toBe('015396 12345'); // a six-digit code of a mixed area: 6+5
    expect(f('441539512345')).toBe('015395 12345');
    expect(f('44169772345')).toBe('016977 2345'); // 6+4
    expect(f('441539212345')).toBe('01539 212345'); // same five digits outside the six-digit codes
    expect(f('447700900123')).toBe('07700 900123'); // 07: 5+6
    expect(f('448001234567')).toBe('0800 123 4567'); // 08: 4+3+4
    expect(f('44800123456')).toBe('0800 123 456'); // nine-digit freephone: 4+3+3
    expect(f('448451234567')).toBe('0845 123 4567');
    expect(f('443001234567')).toBe('0300 123 4567'); // 03: 4+3+4
    expect(f('449098790000')).toBe('0909 879 0000'); // 09: 4+3+4
    expect(f('445612345678')).toBe('056 1234 5678'); // 055/056: 3+4+4
  });
  it('is the inverse of N() for every shape', () => {
    for (const n of ['442079460000', '441134960000', '441614960000', '441632960123', '44163296012', '441539612345', '447700900123', '448001234567', '44800123456']) {
      expect(normaliseDigits(f(n), uk)).toBe(n);
    }
  });
  it('leaves numbers of other countries, short codes and unknown shapes as they are', () => {
    expect(f('33142685300')).toBe('33142685300');
    expect(f('12025550123')).toBe('12025550123');
    expect(f('999')).toBe('999');
    expect(f('118118')).toBe('118118');
    expect(f('44999')).toBe('44999');
    expect(f('4416324550830')).toBe('4416324550830'); // too long for the UK
    expect(f('4420794600')).toBe('4420794600'); // too short for 02x
    expect(f('444123456789')).toBe('444123456789'); // 04 is not in use
    expect(f('446123456789')).toBe('446123456789'); // nor 06
    expect(f('')).toBe('');
    expect(f('anonymous')).toBe('anonymous');
    expect(f('+442079460000')).toBe('+442079460000'); // not normalised digits
  });
  it('leaves every number as it is for a country with no national format here', () => {
    const fr: NumberPlan = { ...uk, countryCode: '33' };
    expect(formatNational('33142685300', fr)).toBe('33142685300');
    expect(formatNational('442079460000', fr)).toBe('442079460000');
    expect(formatNational('442079460000', { countryCode: '1' })).toBe('442079460000');
  });
});
