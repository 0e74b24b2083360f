import { describe, expect, it } from 'vitest';
import { APPLIES_VARIABLES, compileExpression, identifierFor, truthy } from '../../../rules/workbook/expr.js';

const compiled = (src: string, vars: readonly string[] = APPLIES_VARIABLES) => {
  const c = compileExpression(src, vars);
  if (!c.ok) throw new Error(`${src}: ${c.error}`);
  return c.value;
};
const value = (src: string, scope: Record<string, unknown> = {}, vars: readonly string[] = APPLIES_VARIABLES): unknown => {
  const r = compiled(src, vars).evaluate(scope);
  if (!r.ok) throw new Error(`${src}: ${r.error}`);
  return r.value;
};
const evalError = (src: string, scope: Record<string, unknown> = {}, vars: readonly string[] = APPLIES_VARIABLES): string => {
  const r = compiled(src, vars).evaluate(scope);
  return r.ok ? `no error (got ${JSON.stringify(r.value)})` : r.error;
};
const compileError = (src: string, vars: readonly string[] = APPLIES_VARIABLES): string => {
  const c = compileExpression(src, vars);
  return c.ok ? 'compiled' : c.error;
};

const call = {
  class: 'Mobile', destination: 'UK Mobile', band: 'Peak', direction: 'out', duration: 125, billed: 180,
  charge: 0.15, cost: 0.04, number: '447700900123', site: 'London HQ', extension: '201', account: 'ACME', hour: 18, weekday: 'Sat',
};

describe('rules sandbox: the SPEC examples', () => {
  it('compares text as text with == and !=', () => {
    const rule = compiled('class == "National" or class == "Mobile"');
    expect(rule.evaluate({ ...call, class: 'Mobile' })).toEqual({ ok: true, value: true });
    expect(rule.evaluate({ ...call, class: 'National' })).toEqual({ ok: true, value: true });
    expect(rule.evaluate({ ...call, class: 'International' })).toEqual({ ok: true, value: false });
    expect(rule.variables).toEqual(['class']);
    expect(value('weekday == "Sat"', call)).toBe(true);
    expect(value('weekday == "Sun"', call)).toBe(false);
    expect(value('duration > 60 and hour >= 18', call)).toBe(true);
    expect(value('duration > 60 and hour >= 18', { ...call, hour: 17 })).toBe(false);
    expect(value('destination != "UK Freephone"', call)).toBe(true);
    expect(value('destination != "UK Freephone"', { ...call, destination: 'UK Freephone' })).toBe(false);
    expect(value("class == 'Mobile'", call)).toBe(true);
    expect(value('"Mobile" == class', call)).toBe(true);
    expect(value('lower(class) == "mobile"', call)).toBe(true);
  });

  it('never finds a number equal to text, and says so without an error', () => {
    expect(value('extension == 201', call)).toBe(false);
    expect(value('extension != 201', call)).toBe(true);
    expect(value('duration == "125"', call)).toBe(false);
    expect(value('extension == "201"', call)).toBe(true);
    expect(value('number(extension) == 201', call)).toBe(true);
    expect(value('null == null')).toBe(true);
    expect(value('class == null', call)).toBe(false);
  });

  it('orders texts lexically and numbers numerically', () => {
    expect(value('class < "N"', call)).toBe(true); // "Mobile" < "N"
    expect(value('"b" > "a" and "a" <= "a" and "a" >= "a"')).toBe(true);
    expect(value('"10" < "9"')).toBe(true); // both text: lexical
    expect(value('extension > 200', call)).toBe(true); // text that is a number, against a number
    expect(value('duration <= 125 and duration >= 125 and not (duration < 125)', call)).toBe(true);
    expect(value('0.1 + 0.2 == 0.3 and 0.1 + 0.2 <= 0.3 and not (0.1 + 0.2 > 0.3)')).toBe(true); // mathjs tolerance
  });
});

describe('rules sandbox: each allowed construct', () => {
  it('constants', () => {
    expect(value('60')).toBe(60);
    expect(value('1.5e3')).toBe(1500);
    expect(value('10%')).toBe(0.1);
    expect(value('"text"')).toBe('text');
    expect(value("'it\\'s'")).toBe("it's");
    expect(value('"say \\"hi\\""')).toBe('say "hi"');
    expect(value('true')).toBe(true);
    expect(value('false')).toBe(false);
    expect(value('null')).toBe(null);
  });

  it('arithmetic, unary signs and parentheses', () => {
    expect(value('1 + 2 * 3')).toBe(7);
    expect(value('(1 + 2) * 3')).toBe(9);
    expect(value('10 - 4 - 3')).toBe(3);
    expect(value('7 / 2')).toBe(3.5);
    expect(value('7 % 3')).toBe(1);
    expect(value('7 mod 3')).toBe(1);
    expect(value('-1 mod 3')).toBe(2); // as mathjs: the sign of the divisor
    expect(value('-duration', call)).toBe(-125);
    expect(value('+duration', call)).toBe(125);
    expect(value('--2')).toBe(2);
    expect(value('charge * 3', call)).toBe(0.45); // 0.44999999999999996 cleaned
    expect(value('true + 1')).toBe(2);
    expect(value('100 + 10%')).toBe(110); // mathjs's percentage form
  });

  it('logic and conditionals', () => {
    expect(value('true and false')).toBe(false);
    expect(value('true or false')).toBe(true);
    expect(value('true xor true')).toBe(false);
    expect(value('true xor false')).toBe(true);
    expect(value('not false')).toBe(true);
    expect(value('not (duration > 60) xor false', call)).toBe(false);
    expect(value('site and 1', call)).toBe(true); // non-empty text is true
    expect(value('"" or 0')).toBe(false);
    expect(value('billed > 0 ? charge / billed * 60 : 0', call)).toBe(0.05);
    expect(value('billed > 0 ? charge / billed * 60 : 0', { ...call, billed: 0 })).toBe(0);
    expect(value('hour < 8 ? "night" : hour < 18 ? "day" : "evening"', call)).toBe('evening');
    expect(value('0 < hour <= 18', call)).toBe(true);
    expect(value('0 < hour < 18', call)).toBe(false);
    expect(value('class == "Mobile" == true', call)).toBe(false); // chain: class == "Mobile" and "Mobile" == true
  });

  it('short-circuits and/or and conditionals, so a guarded error is never met', () => {
    expect(value('billed == 0 or charge / billed > 0.001', { ...call, billed: 0 })).toBe(true);
    expect(value('billed != 0 and charge / billed > 0.001', { ...call, billed: 0 })).toBe(false);
    expect(value('false and class * 2')).toBe(false);
    expect(value('true ? 1 : class * 2', call)).toBe(1);
  });

  it('a long or-chain is one level, not one per term', () => {
    const names = Array.from({ length: 80 }, (_, i) => `D${i}`);
    const src = names.map((n) => `destination == "${n}"`).join(' or ');
    expect(src.length).toBeLessThan(2000);
    expect(value(src, { ...call, destination: 'D79' })).toBe(true);
    expect(value(src, call)).toBe(false);
    const and = names.slice(0, 70).map((n) => `destination != "${n}"`).join(' and ');
    expect(value(and, call)).toBe(true);
  });

  it('the allowed functions', () => {
    expect(value('abs(-3)')).toBe(3);
    expect(value('min(duration, 60, 90)', call)).toBe(60);
    expect(value('max(duration, 60)', call)).toBe(125);
    expect(value('round(2.5)')).toBe(3);
    expect(value('round(-2.5)')).toBe(-3);
    expect(value('round(2.675, 2)')).toBe(2.68);
    expect(value('round(1e-7, 2)')).toBe(0);
    expect(value('floor(2.7)')).toBe(2);
    expect(value('ceil(2.1)')).toBe(3);
    expect(value('startsWith(number, "44")', call)).toBe(true);
    expect(value('endsWith(number, "123")', call)).toBe(true);
    expect(value('contains(site, "HQ")', call)).toBe(true);
    expect(value('lower("AbC")')).toBe('abc');
    expect(value('upper("AbC")')).toBe('ABC');
    expect(value('trim("  x ")')).toBe('x');
    expect(value('len(number)', call)).toBe(12);
    expect(value('substr(number, 0, 2)', call)).toBe('44');
    expect(value('substr(number, 2)', call)).toBe('7700900123');
    expect(value('substr(number, -3)', call)).toBe('123');
    expect(value('replace("a-b-c", "-", "")')).toBe('abc');
    expect(value('concat("0", substr(number, 2))', call)).toBe('07700900123');
    expect(value('concat("x", 1.5, true)')).toBe('x1.5true');
    expect(value('number(" 2.5 ") * 2')).toBe(5);
    expect(value('string(duration) == "125"', call)).toBe(true);
    expect(value('oneOf(band, "Peak, OffPeak")', call)).toBe(true);
    expect(value('oneOf(band, "OffPeak,Weekend")', call)).toBe(false);
    expect(value('oneOf(hour, "8, 18")', call)).toBe(true); // compared as text
    expect(value('oneOf(band, concat("Pe", "ak"))', call)).toBe(true); // a computed list
  });

  it('keeps the same names for a variable and a function (number)', () => {
    expect(value('startsWith(number, "44") and number(extension) > 200', call)).toBe(true);
  });

  it('a source may span lines and carry comments', () => {
    expect(value('class == "National" # landlines\n  or class == "Mobile" # and mobiles\n', call)).toBe(true);
    expect(value('weekday == "Sat"\r\n', call)).toBe(true);
    expect(value('"a#b\\nc" == concat("a#b", "\\n", "c")')).toBe(true); // # and \n inside text stay text
  });
});

describe('rules sandbox: Transform', () => {
  const columns = ['value', identifierFor('Call Start'), identifierFor('Mins'), identifierFor('To')];

  it('reads raw text: numbers in text count as numbers in arithmetic', () => {
    expect(value('value * 60', { value: '2' }, columns)).toBe(120);
    expect(value('value / 1000', { value: '61500' }, columns)).toBe(61.5);
    expect(value('value + 1', { value: '41' }, columns)).toBe(42); // adds, never "411"
    expect(value('number(value) * 60', { value: '2.5' }, columns)).toBe(150);
    expect(value('concat("0", value)', { value: '2079460000' }, columns)).toBe('02079460000');
    expect(value('startsWith(value, "00") ? concat("+", substr(value, 2)) : value', { value: '0044123' }, columns)).toBe('+44123');
  });

  it('sees the other columns by identifier', () => {
    expect(columns).toEqual(['value', 'call_start', 'mins', 'to']);
    expect(value('mins * 60', { value: '', mins: '3', call_start: '', to: '' }, columns)).toBe(180);
    expect(value('to == "" ? value : to', { value: 'x', call_start: '', mins: '', to: '123' }, columns)).toBe('123');
    expect(value('call_start', { value: '', call_start: '2024-01-01 10:00' }, columns)).toBe('2024-01-01 10:00');
  });

  it('maps header names to identifiers', () => {
    expect(identifierFor('Call Start')).toBe('call_start');
    expect(identifierFor('  Billsec (s) ')).toBe('billsec__s_');
    expect(identifierFor('2nd leg')).toBe('_2nd_leg');
    expect(identifierFor('Durée')).toBe('dur_e');
    expect(identifierFor('')).toBe('_');
    expect(identifierFor('Not')).toBe('not_');
    expect(identifierFor('null')).toBe('null_');
    for (const header of ['Not', 'True', 'NULL', 'undefined', 'To', 'In', 'Mod', 'And', 'Or', 'End', 'Call-ID', '9']) {
      const id = identifierFor(header);
      expect(value(`${id} == "x"`, { [id]: 'x' }, [id]), header).toBe(true);
    }
  });

  it('reads a column whose name Object.prototype also has only from the row itself', () => {
    const vars = ['value', identifierFor('Constructor')];
    expect(vars[1]).toBe('constructor');
    expect(value('constructor', { value: '', constructor: 'abc' }, vars)).toBe('abc');
    expect(evalError('constructor', { value: '' }, vars)).toBe('"constructor" has no value here');
    expect(evalError('constructor == "abc"', { value: '' }, vars)).toBe('"constructor" has no value here');
  });
});

describe('rules sandbox: refusals at compile time', () => {
  it.each([
    ['import("fs")', /function "import" is not allowed \(allowed: abs, min/],
    ['evaluate("1")', /function "evaluate" is not allowed/],
    ['createUnit("x")', /function "createUnit" is not allowed/],
    ['zeros(3000, 3000)', /function "zeros" is not allowed/],
    ['parse("1")', /function "parse" is not allowed/],
    ['simplify("x")', /function "simplify" is not allowed/],
    ['derivative("x", "x")', /function "derivative" is not allowed/],
    ['compile("1")', /function "compile" is not allowed/],
    ['matrix([1])', /function "matrix" is not allowed/],
    ['mod(5, 3)', /function "mod" is not allowed/],
    ['f(x) = x', /defining a function \(f\(x\) = …\) is not allowed/],
    ['x = 1', /assignment \(x = …\) is not allowed/],
    ['class = "x"', /assignment/],
    ['a.b', /property access or indexing/],
    ['class.length', /property access or indexing/],
    ['class[1]', /property access or indexing/],
    ['"abc"[1]', /property access or indexing/],
    ['class.toString()', /calling property access or indexing \(a.b, a\[1\]\) is not allowed/],
    ['[1, 2]', /a list \[ … \] is not allowed/],
    ['{a: 1}', /an object \{ … \} is not allowed/],
    ['1:3', /a range \(a:b\) is not allowed/],
    ['1; 2', /more than one statement is not allowed/],
    ['1\n2', /cannot read the expression: Unexpected part "2"/], // lines join: "1 2"
    ['clas == "National"', /^unknown name "clas" \(allowed: class, destination, band, .*, weekday, true, false, null\); did you mean "class"\?$/],
    ['Class == "National"', /unknown name "Class".*did you mean "class"/],
    ['pi', /unknown name "pi"/],
    ['constructor', /unknown name "constructor"/],
    ['__proto__', /unknown name "__proto__"/],
    ['len', /unknown name "len".*len is a function/],
    ['duration(1)', /function "duration" is not allowed/],
    ['2 duration', /implicit multiplication/],
    ['5 cm', /implicit multiplication/],
    ['duration to minute', /operator "to" is not allowed/],
    ['class in "a"', /operator "in" is not allowed/],
    ['2 ^ 10', /operator "\^" is not allowed/],
    ['duration!', /operator "!" is not allowed/],
    ['1 & 2', /operator "&" is not allowed/],
    ['~1', /operator "~" is not allowed/],
    ['duration\'', /operator "'" is not allowed/],
    ['undefined', /"undefined" is not allowed/],
    ['abs()', /abs takes 1 argument, not 0/],
    ['substr("a")', /substr takes 2 or 3 arguments, not 1/],
    ['min()', /min takes 1 or more arguments, not 0/],
    ['class ==', /cannot read the expression/],
    ['"unterminated', /cannot read the expression/],
    ['', /the expression is empty/],
    ['   \n ', /the expression is empty/],
  ])('%s', (src, expected) => {
    const c = compileExpression(src, APPLIES_VARIABLES);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toMatch(expected);
  });

  it('refuses names that are not in the caller\'s list, including the other list', () => {
    expect(compileError('class == "Mobile"', ['value'])).toMatch(/unknown name "class" \(allowed: value, true, false, null\)/);
    expect(compileError('value * 60')).toMatch(/unknown name "value"/);
  });

  it('limits length and depth without overflowing the stack', () => {
    expect(compileError('1 + '.repeat(600) + '1')).toMatch(/longer than 2000 characters/);
    expect(compileError('('.repeat(1100) + '1' + ')'.repeat(1100))).toMatch(/longer than/);
    expect(compileError('('.repeat(500) + '1' + ')'.repeat(500))).toMatch(/nested more than 64 levels/);
    expect(compileError('('.repeat(65) + '1' + ')'.repeat(65))).toMatch(/nested more than 64 levels/);
    expect(value('('.repeat(30) + '1' + ')'.repeat(30))).toBe(1);
    expect(compileError('-'.repeat(1000) + '1')).toMatch(/nested more than 64 levels/);
    expect(compileError('not '.repeat(400) + '1')).toMatch(/nested more than 64 levels/);
    expect(compileError('1+'.repeat(900) + '1')).toMatch(/nested more than 64 levels/);
    expect(compileError('abs('.repeat(300) + '1' + ')'.repeat(300))).toMatch(/nested more than 64 levels/);
  });
});

describe('rules sandbox: evaluation problems come back, never thrown', () => {
  it('a variable missing from the scope', () => {
    expect(evalError('duration * 2', {})).toBe('"duration" has no value here');
    expect(evalError('class == "Mobile"', {})).toBe('"class" has no value here');
    expect(evalError('duration > 0', { duration: undefined })).toBe('"duration" has no value here');
    expect(value('class == "Mobile"', { class: null })).toBe(false); // present but null is a value
  });

  it('arithmetic on text, and other bad values', () => {
    expect(evalError('class * 2', call)).toBe('* needs a number, not "Mobile"');
    expect(evalError('class + 1', call)).toBe('+ needs a number, not "Mobile" (join text with concat(a, b))');
    expect(evalError('-class', call)).toBe('- needs a number, not "Mobile"');
    expect(evalError('class > 5', call)).toBe('> needs a number, not "Mobile"');
    expect(evalError('null + 1')).toBe('+ needs a number, not null');
    expect(evalError('duration / 0', call)).toBe('division by zero');
    expect(evalError('duration mod 0', call)).toBe('mod by zero');
    expect(evalError('number("12abc")')).toBe('number("12abc"): not a number');
    expect(evalError('round(1.5, 0.5)')).toBe('round needs a whole number, not 0.5');
    expect(evalError('round(1.5, 99)')).toBe('round takes 0 to 15 decimals, not 99');
    expect(evalError('1e308 * 10')).toBe('* gives a number too large to use');
    expect(evalError('duration', { duration: Number.NaN })).toMatch(/not a finite number/);
    expect(evalError('substr(class, "a")', call)).toBe('substr needs a number, not "a"');
  });

  it('does not throw on odd scopes', () => {
    const rule = compiled('class == "Mobile" or duration > 5');
    expect(() => rule.evaluate({ class: 1, duration: { x: 1 } })).not.toThrow();
    expect(rule.evaluate({ class: 1, duration: { x: 1 } })).toEqual({ ok: false, error: '> needs a number, not a object' });
    expect(rule.evaluate(Object.create(null) as Record<string, unknown>)).toEqual({ ok: false, error: '"class" has no value here' });
  });
});

describe('truthy', () => {
  it('is true for true, a non-zero number and non-empty text', () => {
    expect([true, 1, -0.5, 'x', ' '].map(truthy)).toEqual([true, true, true, true, true]);
    expect([false, 0, Number.NaN, '', null, undefined, {}, []].map(truthy)).toEqual([false, false, false, false, false, false, false, false]);
  });
});

describe('rules sandbox: throughput (printed, not asserted)', () => {
  it('evaluates an Applies rule without going through mathjs', () => {
    const rule = compiled('class == "National" or class == "Mobile"');
    const scopes = ['National', 'Mobile', 'International', 'Freephone'].map((c) => ({ ...call, class: c }));
    let hits = 0;
    const n = 2_000_000;
    const count = (times: number): number => {
      let yes = 0;
      for (let i = 0; i < times; i++) {
        const r = rule.evaluate(scopes[i & 3]);
        if (r.ok && r.value === true) yes++;
      }
      return yes;
    };
    count(50_000); // warm up
    const t0 = performance.now();
    hits = count(n);
    const ms = performance.now() - t0;
    expect(hits).toBe(n / 2);
    console.log(`Applies 'class == "National" or class == "Mobile"': ${((n / ms) * 1000 / 1e6).toFixed(1)} M evaluations/s`);
  });
});
