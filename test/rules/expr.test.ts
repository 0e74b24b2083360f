import { describe, expect, it } from 'vitest';
import { APPLIES_VARIABLES, compileExpression, identifierFor, truthy } from '../../rules/expr.js';

const run = (src: string, scope: Record<string, unknown>, vars: readonly string[] = APPLIES_VARIABLES) => {
  const c = compileExpression(src, vars);
  if (!c.ok) throw new Error(c.error);
  return c.value.evaluate(scope);
};
const compileError = (src: string, vars: readonly string[] = APPLIES_VARIABLES): string => {
  const c = compileExpression(src, vars);
  return c.ok ? '' : c.error;
};

describe('rules sandbox', () => {
  it('compares text as text', () => {
    expect(run('class == "National" or class == "Mobile"', { class: 'Mobile' })).toEqual({ ok: true, value: true });
    expect(run('class == "National" or class == "Mobile"', { class: 'International' })).toEqual({ ok: true, value: false });
    expect(run('destination != "UK Freephone"', { destination: 'UK Mobile' })).toEqual({ ok: true, value: true });
    expect(run('weekday == "Sat"', { weekday: 'Sat' })).toEqual({ ok: true, value: true });
    expect([truthy(1), truthy(0), truthy('x'), truthy(''), truthy(null)]).toEqual([true, false, true, false, false]);
    expect(run('class == 1', { class: '1' })).toEqual({ ok: true, value: false });
  });
  it('does arithmetic, logic, conditionals and the allowed functions', () => {
    expect(run('duration > 60 and hour >= 18', { duration: 61, hour: 18 })).toEqual({ ok: true, value: true });
    expect(run('not (duration > 60) xor false', { duration: 61 })).toEqual({ ok: true, value: false });
    expect(run('billed > 0 ? charge / billed * 60 : 0', { billed: 120, charge: 0.5 })).toEqual({ ok: true, value: 0.25 });
    expect(run('startsWith(number, "44") and contains(site, "HQ")', { number: '442079460000', site: 'London HQ' })).toEqual({ ok: true, value: true });
    expect(run('oneOf(band, "Peak, OffPeak")', { band: 'OffPeak' })).toEqual({ ok: true, value: true });
    expect(run('max(duration, 60) mod 7', { duration: 10 })).toEqual({ ok: true, value: 4 });
  });
  it('serves Transform: value and columns by identifier, text joins with +', () => {
    expect(run('value * 60', { value: 2 }, ['value'])).toEqual({ ok: true, value: 120 });
    expect(run('number(value) * 60', { value: '2.5' }, ['value'])).toEqual({ ok: true, value: 150 });
    expect(run('"0" + value', { value: '2079460000' }, ['value'])).toEqual({ ok: true, value: '02079460000' });
    expect(run('call_start', { call_start: 'x' }, ['value', identifierFor('Call Start')])).toEqual({ ok: true, value: 'x' });
    expect(identifierFor('2nd leg')).toBe('_2nd_leg');
  });
  it('refuses everything outside the allow-list at compile time', () => {
    expect(compileError('import("fs")')).toMatch(/function "import" is not allowed/);
    expect(compileError('evaluate("1")')).toMatch(/not allowed/);
    expect(compileError('createUnit("x")')).toMatch(/not allowed/);
    expect(compileError('zeros(3000, 3000)')).toMatch(/function "zeros" is not allowed/);
    expect(compileError('parse("1")')).toMatch(/not allowed/);
    expect(compileError('f(x) = x')).toMatch(/defining a function is not allowed/);
    expect(compileError('a.b')).toMatch(/not allowed|unknown name/);
    expect(compileError('[1, 2]')).toMatch(/a list/);
    expect(compileError('{a: 1}')).toMatch(/an object/);
    expect(compileError('x = 1')).toMatch(/assignment/);
    expect(compileError('clas == "National"')).toMatch(/unknown name "clas"/);
    expect(compileError('class ==')).toMatch(/cannot read the expression/);
    expect(compileError('1 + '.repeat(600) + '1')).toMatch(/longer than/);
  });
  it('returns evaluation problems instead of throwing', () => {
    const r = run('duration * 2', {});
    expect(r.ok).toBe(false);
    expect(run('class * 2', { class: 'National' })).toEqual({ ok: false, error: '* needs a number (got "National")' });
  });
});
