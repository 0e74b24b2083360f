// The rules sandbox (SPEC §4): `Applies` (Discounts) and `Transform` (CdrFormats).
//
// mathjs only PARSES. We walk its node tree against an allow-list and translate it into a tree of
// plain JS closures, so evaluation never goes through mathjs. Why: a compiled mathjs expression
// runs at 0.1–0.5 M/s (`and` alone ~7 µs) and Applies runs once per rated call; mathjs's `==`
// turns text into numbers and throws on `class == "Mobile"`; and its documented lockdown still
// lets `zeros(3000, 3000)` through. Here nothing exists but what is listed below.
//
// The language (mathjs syntax, this subset only):
// - constants: numbers (`60`, `1.5`, `1e3`, `10%` = 0.1), text in "…" or '…', true, false, null;
// - names: the variables the caller allows, nothing else (no pi, e, units, functions as values);
// - ( … ); a ? b : c; + - * / % mod; unary - and +; == != < > <= >= (chains like `0 < x <= 9`
//   too); and, or, xor, not;
// - calls to the functions in FUNCTIONS:
//     numbers    abs(x) min(a, b, …) max(a, b, …) round(x[, decimals]) floor(x) ceil(x)
//     text       startsWith(text, prefix) endsWith(text, suffix) contains(text, part) lower(text)
//                upper(text) trim(text) len(text) substr(text, start[, length]) (start 0-based,
//                negative counts from the end) replace(text, find, with) (every occurrence,
//                literal) concat(a, b, …) (joins as text)
//     conversion number(text) (an error if it is not a number) string(x)
//     lists      oneOf(x, "a, b, c") (x equals one of the comma-separated items, as text)
// Anything else — import, evaluate, parse, createUnit, zeros, matrix, f(x) = x, x = 1, a.b, a[1],
// [1, 2], {a: 1}, 1:3, `to`/`in` unit conversion, ^, !, bitwise operators, implicit
// multiplication (`2 x`), several statements — is a compile error that names what is not allowed.
//
// Semantics:
// - Text compares as text with == and != ; a number and text are never equal (false, no error).
//   < > <= >= compare two texts lexically (by UTF-16 code unit).
// - Arithmetic and ordering against a number read text that is a plain decimal number (`"60"`,
//   `" -1.5 "`, `"1e3"`) as that number, as mathjs does — Transform's `value` is the raw cell text,
//   so `value * 60` works; other text (`"National"`) is an evaluation error. `+` always adds
//   numbers: join text with concat(…).
// - Numbers compare with mathjs's tolerance (relative 1e-12), so `0.1 + 0.2 == 0.3` is true.
//   true/false count as 1/0 in arithmetic. Dividing by zero is an error, as is a result that is
//   not a finite number; a fractional numeric result is rounded to 15 significant digits.
// - and/or/not/xor and a ? b : c read their operands with `truthy`; and/or short-circuit.
// - Evaluation never throws: a variable missing from the scope (or undefined there), arithmetic
//   on text, a bad argument — every problem comes back as err(message).
// - Limits: 2,000 characters and 64 levels of nesting (a chain `a or b or c …` is one level).
//   A source may span lines (newlines read as spaces outside text) and carry `# comments`.

import type { MathJsInstance } from 'mathjs';
import { err, ok, type Result } from '../result.js';

export interface CompiledExpr {
  source: string;
  /** The allowed variables this expression reads, in order of first use. */
  variables: readonly string[];
  evaluate(scope: Record<string, unknown>): Result<unknown, string>;
}

export const APPLIES_VARIABLES: readonly string[] = Object.freeze([
  'class', 'destination', 'band', 'direction', 'duration', 'billed', 'charge', 'cost', 'number', 'site', 'extension', 'account', 'hour', 'weekday',
]);

const MAX_LENGTH = 2_000;
const MAX_DEPTH = 64;

// One private instance, used for parsing only: nothing is ever evaluated by mathjs. It is loaded on
// the first expression compiled, not when this module is: loading mathjs takes 0.5 s, which every
// command and every rating worker paid at start, though most runs never compile an expression (no
// Transform in their CDR format, no Applies in the workbook). Loading must be synchronous, as
// compiling is, hence Node's require (through process, so the core imports nothing but mathjs).
let math: MathJsInstance | null = null;
function parse(source: string): unknown {
  if (math === null) {
    const load = globalThis.process?.getBuiltinModule?.('node:module')?.createRequire(import.meta.url);
    if (!load) throw new Error('compiling an expression needs Node 20.16 or later (process.getBuiltinModule), to load mathjs');
    const mathjs = load('mathjs') as typeof import('mathjs');
    math = mathjs.create(mathjs.all, {});
  }
  return math.parse(source);
}

type Scope = Record<string, unknown>;
type Fn = (scope: Scope) => unknown;

/** A problem with the expression itself (compile time) or with the values it met (evaluation). */
class SandboxError extends Error {}
const fail = (message: string): never => {
  throw new SandboxError(message);
};

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

// ---------------------------------------------------------------------------------------------
// Values

/** For Applies (and the logic operators): true, a non-zero number or non-empty text. */
export const truthy = (v: unknown): boolean =>
  v === true || (typeof v === 'number' && v !== 0 && v === v) || (typeof v === 'string' && v !== '');

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `a ${typeof v}`;
};

const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A number for arithmetic: numbers, true/false as 1/0, and text that is a plain decimal number. */
function num(v: unknown, op: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const hint = op === '+' && typeof v === 'string' ? ' (join text with concat(a, b))' : '';
  return fail(`${op} needs a number, not ${show(v)}${hint}`);
}

const text = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(clean(v));
  return String(v);
};

/** Drops binary noise (0.30000000000000004 -> 0.3); integers stay exact. */
const clean = (n: number): number => (Number.isInteger(n) ? n : Number(n.toPrecision(15)));

const finite = (n: number, op: string): number => (Number.isFinite(n) ? n : fail(`${op} gives a number too large to use`));

// mathjs's default tolerances (config relTol/absTol), so comparisons behave as in mathjs.
const REL_TOL = 1e-12;
const ABS_TOL = 1e-15;
function nearlyEqual(x: number, y: number): boolean {
  if (x === y) return true;
  if (x !== x || y !== y || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  const diff = Math.abs(x - y);
  return diff <= ABS_TOL || diff <= REL_TOL * Math.max(Math.abs(x), Math.abs(y));
}

/** == : text with text as text, numbers with tolerance, a number and text never equal. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'boolean') && (tb === 'number' || tb === 'boolean')) return nearlyEqual(Number(a), Number(b));
  return false;
}

type Order = '<' | '>' | '<=' | '>=';

function order(a: unknown, b: unknown, op: Order): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    switch (op) {
      case '<': return a < b;
      case '>': return a > b;
      case '<=': return a <= b;
      case '>=': return a >= b;
    }
  }
  const x = num(a, op);
  const y = num(b, op);
  const near = nearlyEqual(x, y);
  switch (op) {
    case '<': return x < y && !near;
    case '>': return x > y && !near;
    case '<=': return x <= y || near;
    case '>=': return x >= y || near;
  }
}

/** One function per operator, with the number-with-number case first (the common one). */
const ORDER: Readonly<Record<Order, (a: unknown, b: unknown) => boolean>> = {
  '<': (a, b) => (typeof a === 'number' && typeof b === 'number' ? a < b && !nearlyEqual(a, b) : order(a, b, '<')),
  '>': (a, b) => (typeof a === 'number' && typeof b === 'number' ? a > b && !nearlyEqual(a, b) : order(a, b, '>')),
  '<=': (a, b) => (typeof a === 'number' && typeof b === 'number' ? a <= b || nearlyEqual(a, b) : order(a, b, '<=')),
  '>=': (a, b) => (typeof a === 'number' && typeof b === 'number' ? a >= b || nearlyEqual(a, b) : order(a, b, '>=')),
};

// ---------------------------------------------------------------------------------------------
// Functions

interface FnSpec {
  min: number;
  max: number;
  fn: (...args: unknown[]) => unknown;
}

const int = (v: unknown, what: string): number => {
  const n = num(v, what);
  return Number.isInteger(n) ? n : fail(`${what} needs a whole number, not ${show(v)}`);
};

/** Half away from zero, as mathjs and spreadsheets round; decimal-exact for 2.675 -> 2.68. */
function round(x: number, decimals: number): number {
  if (decimals < 0 || decimals > 15) fail(`round takes 0 to 15 decimals, not ${decimals}`);
  const abs = Math.abs(x);
  // Shifting by the decimal exponent avoids 2.675 * 100 = 267.49999999999997; exponent-form
  // numbers (1e-7, 1e21) are beyond that care and round by plain arithmetic.
  const shifted = Math.round(Number(`${abs}e${decimals}`));
  const r = String(abs).includes('e') || String(shifted).includes('e') ? Math.round(abs * 10 ** decimals) / 10 ** decimals : Number(`${shifted}e-${decimals}`);
  return x < 0 ? -r : r;
}

function substr(s: string, start: number, length: number | undefined): string {
  const from = start < 0 ? Math.max(s.length + start, 0) : start;
  return length === undefined ? s.slice(from) : length <= 0 ? '' : s.slice(from, from + length);
}

const listOf = (v: unknown): string[] => text(v).split(',').map((item) => item.trim());

const FUNCTIONS: Readonly<Record<string, FnSpec>> = Object.freeze({
  abs: { min: 1, max: 1, fn: (a) => Math.abs(num(a, 'abs')) },
  min: { min: 1, max: 64, fn: (...a) => Math.min(...a.map((x) => num(x, 'min'))) },
  max: { min: 1, max: 64, fn: (...a) => Math.max(...a.map((x) => num(x, 'max'))) },
  round: { min: 1, max: 2, fn: (a, d) => round(num(a, 'round'), d === undefined ? 0 : int(d, 'round')) },
  floor: { min: 1, max: 1, fn: (a) => Math.floor(num(a, 'floor')) },
  ceil: { min: 1, max: 1, fn: (a) => Math.ceil(num(a, 'ceil')) },
  startsWith: { min: 2, max: 2, fn: (a, b) => text(a).startsWith(text(b)) },
  endsWith: { min: 2, max: 2, fn: (a, b) => text(a).endsWith(text(b)) },
  contains: { min: 2, max: 2, fn: (a, b) => text(a).includes(text(b)) },
  lower: { min: 1, max: 1, fn: (a) => text(a).toLowerCase() },
  upper: { min: 1, max: 1, fn: (a) => text(a).toUpperCase() },
  trim: { min: 1, max: 1, fn: (a) => text(a).trim() },
  len: { min: 1, max: 1, fn: (a) => text(a).length },
  substr: { min: 2, max: 3, fn: (a, s, l) => substr(text(a), int(s, 'substr'), l === undefined ? undefined : int(l, 'substr')) },
  replace: { min: 3, max: 3, fn: (a, b, c) => (text(b) === '' ? text(a) : text(a).split(text(b)).join(text(c))) },
  concat: { min: 1, max: 64, fn: (...a) => a.map(text).join('') },
  number: {
    min: 1,
    max: 1,
    fn: (a) => (typeof a === 'number' || typeof a === 'boolean' || (typeof a === 'string' && DECIMAL.test(a)) ? num(a, 'number') : fail(`number(${show(a)}): not a number`)),
  },
  string: { min: 1, max: 1, fn: (a) => text(a) },
  oneOf: { min: 2, max: 2, fn: (a, list) => listOf(list).includes(text(a)) },
});

const FUNCTION_NAMES = Object.keys(FUNCTIONS).join(', ');

// ---------------------------------------------------------------------------------------------
// Tree -> closures

/** The parts of mathjs's node classes we read. */
interface Node {
  type: string;
  name?: string;
  value?: unknown;
  op?: string;
  fn?: Node;
  args?: Node[];
  implicit?: boolean;
  content?: Node;
  condition?: Node;
  trueExpr?: Node;
  falseExpr?: Node;
  conditionals?: string[];
  params?: Node[];
  blocks?: { node: Node }[];
}

const NOT_ALLOWED: Readonly<Record<string, string>> = {
  AccessorNode: 'property access or indexing (a.b, a[1])',
  ArrayNode: 'a list [ … ]',
  AssignmentNode: 'assignment (x = …)',
  BlockNode: 'more than one statement',
  FunctionAssignmentNode: 'defining a function (f(x) = …)',
  IndexNode: 'indexing',
  ObjectNode: 'an object { … }',
  RangeNode: 'a range (a:b)',
};

const UNARY = new Set(['-', '+', 'not']);
const BINARY = new Set(['+', '-', '*', '/', '%', 'mod', '==', '!=', '<', '>', '<=', '>=', 'and', 'or', 'xor']);

const RELATIONS: Readonly<Record<string, string>> = { equal: '==', unequal: '!=', smaller: '<', larger: '>', smallerEq: '<=', largerEq: '>=' };

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

class Compiler {
  readonly used: string[] = [];

  constructor(private readonly allowed: readonly string[]) {}

  build(node: Node, depth: number): Fn {
    if (depth > MAX_DEPTH) fail(`the expression is nested more than ${MAX_DEPTH} levels deep`);
    switch (node.type) {
      case 'ConstantNode':
        return this.constant(node.value);
      case 'SymbolNode':
        return this.symbol(node.name ?? '');
      case 'ParenthesisNode':
        return this.build(node.content as Node, depth + 1);
      case 'ConditionalNode': {
        const c = this.build(node.condition as Node, depth + 1);
        const t = this.build(node.trueExpr as Node, depth + 1);
        const f = this.build(node.falseExpr as Node, depth + 1);
        return (s) => (truthy(c(s)) ? t(s) : f(s));
      }
      case 'OperatorNode':
        return this.operator(node, depth);
      case 'RelationalNode':
        return this.relational(node, depth);
      case 'FunctionNode':
        return this.call(node, depth);
      case 'BlockNode':
        // `x;` or a trailing separator: one statement is fine.
        if (node.blocks?.length === 1) return this.build(node.blocks[0].node, depth);
        return fail(`${NOT_ALLOWED.BlockNode} is not allowed`);
      default:
        return fail(`${NOT_ALLOWED[node.type] ?? node.type} is not allowed`);
    }
  }

  private constant(v: unknown): Fn {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) return () => v;
    return fail(v === undefined ? '"undefined" is not allowed (write null)' : `the constant ${show(v)} is not allowed`);
  }

  private symbol(name: string): Fn {
    if (!this.allowed.includes(name)) {
      const near = this.allowed.filter((a) => a.toLowerCase() === name.toLowerCase() || distance(a, name) <= Math.min(2, name.length - 1));
      const hint = near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
      const fnHint = hasOwn(FUNCTIONS, name) ? `; ${name} is a function: ${name}(…)` : '';
      return fail(`unknown name "${name}" (allowed: ${[...this.allowed, 'true', 'false', 'null'].join(', ')})${hint}${fnHint}`);
    }
    if (!this.used.includes(name)) this.used.push(name);
    const missing = (): never => fail(`"${name}" has no value here`);
    // A name Object.prototype also has (`constructor`, a CSV column maybe) is read as own only.
    if (name in Object.prototype) return (s) => (hasOwn(s, name) && s[name] !== undefined ? s[name] : missing());
    return (s) => {
      const v = s[name];
      return v === undefined ? missing() : v;
    };
  }

  private operator(node: Node, depth: number): Fn {
    const op = node.op ?? '';
    const nodes = node.args ?? [];
    if (node.implicit) fail(`write the operator between the values: implicit multiplication ("2 x") is not allowed`);
    // The operator is judged before its operands, so `duration to minute` names "to", not "minute".
    if (!(nodes.length === 1 ? UNARY : BINARY).has(op)) fail(`operator "${op}" is not allowed`);
    if (nodes.length === 1) {
      const a = this.build(nodes[0], depth + 1);
      switch (op) {
        case '-': return (s) => -num(a(s), '-');
        case '+': return (s) => num(a(s), '+');
        case 'not': return (s) => !truthy(a(s));
        default: return fail(`operator "${op}" is not allowed`);
      }
    }
    if (nodes.length !== 2) return fail(`operator "${op}" is not allowed`);
    if (op === 'and' || op === 'or') return this.logic(op, node, depth);
    if (op === '==' || op === '!=') {
      const fast = this.textEquality(nodes, depth);
      if (fast) return op === '==' ? fast : (s) => !fast(s);
    }
    const a = this.build(nodes[0], depth + 1);
    const b = this.build(nodes[1], depth + 1);
    switch (op) {
      case '+': return (s) => finite(num(a(s), '+') + num(b(s), '+'), '+');
      case '-': return (s) => finite(num(a(s), '-') - num(b(s), '-'), '-');
      case '*': return (s) => finite(num(a(s), '*') * num(b(s), '*'), '*');
      case '/': return (s) => {
        const x = num(a(s), '/');
        const y = num(b(s), '/');
        return y === 0 ? fail('division by zero') : finite(x / y, '/');
      };
      case '%':
      case 'mod': return (s) => {
        // mathjs's mod: the result takes the sign of the divisor (-1 mod 3 = 2).
        const x = num(a(s), op);
        const y = num(b(s), op);
        if (y === 0) return fail(`${op} by zero`);
        const r = x % y;
        return r !== 0 && r < 0 !== y < 0 ? r + y : r;
      };
      case '==': return (s) => equal(a(s), b(s));
      case '!=': return (s) => !equal(a(s), b(s));
      case '<':
      case '>':
      case '<=':
      case '>=': {
        const cmp = ORDER[op];
        return (s) => cmp(a(s), b(s));
      }
      case 'xor': return (s) => truthy(a(s)) !== truthy(b(s));
      default: return fail(`operator "${op}" is not allowed`);
    }
  }

  /** `x == "National"`: against constant text, == is exactly ===. */
  private textEquality(nodes: Node[], depth: number): Fn | null {
    const k = nodes.findIndex((n) => n.type === 'ConstantNode' && typeof n.value === 'string');
    if (k < 0) return null;
    const c = nodes[k].value as string;
    const other = nodes[1 - k];
    if (other.type === 'SymbolNode' && !((other.name ?? '') in Object.prototype)) {
      const name = other.name ?? '';
      this.symbol(name); // checks the name and records its use
      return (s) => {
        const v = s[name];
        return v === c || (v === undefined ? fail(`"${name}" has no value here`) : false);
      };
    }
    const a = this.build(other, depth + 1);
    return (s) => a(s) === c;
  }

  /** `a or b or c …` as one n-ary step: no extra depth per term, and a flat loop. */
  private logic(op: 'and' | 'or', node: Node, depth: number): Fn {
    const terms: Node[] = [];
    const flatten = (n: Node): void => {
      if (n.type === 'OperatorNode' && n.op === op && n.args?.length === 2) n.args.forEach(flatten);
      else terms.push(n);
    };
    flatten(node);
    const fs = terms.map((t) => this.build(t, depth + 1));
    if (fs.length === 2) {
      const [a, b] = fs;
      return op === 'or' ? (s) => truthy(a(s)) || truthy(b(s)) : (s) => truthy(a(s)) && truthy(b(s));
    }
    const stop = op === 'or'; // or stops at the first true term, and at the first false one
    return (s) => {
      for (const f of fs) if (truthy(f(s)) === stop) return stop;
      return !stop;
    };
  }

  /** `0 < x <= 9`: each pair in turn, each operand read once. */
  private relational(node: Node, depth: number): Fn {
    const ops = (node.conditionals ?? []).map((c) => RELATIONS[c] ?? fail(`comparison "${c}" is not allowed`));
    const fs = (node.params ?? []).map((p) => this.build(p, depth + 1));
    if (fs.length !== ops.length + 1) fail('a malformed comparison');
    return (s) => {
      let left = fs[0](s);
      for (let i = 0; i < ops.length; i++) {
        const right = fs[i + 1](s);
        const op = ops[i];
        const holds = op === '==' ? equal(left, right) : op === '!=' ? !equal(left, right) : ORDER[op as Order](left, right);
        if (!holds) return false;
        left = right;
      }
      return true;
    };
  }

  private call(node: Node, depth: number): Fn {
    const fnNode = node.fn as Node;
    if (fnNode.type !== 'SymbolNode') return fail(`calling ${NOT_ALLOWED[fnNode.type] ?? fnNode.type} is not allowed`);
    const name = fnNode.name ?? '';
    const spec = hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!spec) return fail(`function "${name}" is not allowed (allowed: ${FUNCTION_NAMES})`);
    const nodes = node.args ?? [];
    if (nodes.length < spec.min || nodes.length > spec.max) {
      const range = spec.min === spec.max ? `${spec.min}` : spec.max >= 64 ? `${spec.min} or more` : `${spec.min} or ${spec.max}`;
      fail(`${name} takes ${range} argument${spec.max === 1 ? '' : 's'}, not ${nodes.length}`);
    }
    // oneOf(x, "a, b, c") with a constant list: a Set built once.
    if (name === 'oneOf' && nodes[1].type === 'ConstantNode' && typeof nodes[1].value === 'string') {
      const set = new Set(listOf(nodes[1].value));
      const a = this.build(nodes[0], depth + 1);
      return (s) => set.has(text(a(s)));
    }
    const args = nodes.map((n) => this.build(n, depth + 1));
    const f = spec.fn;
    switch (args.length) {
      case 1: { const [a] = args; return (s) => f(a(s)); }
      case 2: { const [a, b] = args; return (s) => f(a(s), b(s)); }
      case 3: { const [a, b, c] = args; return (s) => f(a(s), b(s), c(s)); }
      default: return (s) => f(...args.map((a) => a(s)));
    }
  }
}

/** Nesting of ( [ { outside text, checked before mathjs's recursive parser sees the source. */
function bracketDepth(source: string): number {
  let depth = 0;
  let most = 0;
  let quote = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') most = Math.max(most, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
  }
  return most;
}

/**
 * Newlines outside text read as spaces, so a long rule may span lines in a cell; a `# comment`
 * runs to the end of its line (dropped here, or joining lines would let it swallow the rest).
 */
function joinLines(source: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\') {
        out += ch + (source[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') {
      while (i + 1 < source.length && source[i + 1] !== '\n' && source[i + 1] !== '\r') i++;
      continue;
    } else if (ch === '\n' || ch === '\r') {
      out += ' ';
      continue;
    }
    out += ch;
  }
  return out;
}

const OK_TRUE = Object.freeze({ ok: true as const, value: true });
const OK_FALSE = Object.freeze({ ok: true as const, value: false });

/**
 * Checks `source` against the allow-list and compiles it to closures. `allowedVariables` are the
 * only names it may read: APPLIES_VARIABLES for Applies; `['value', ...headers.map(identifierFor)]`
 * for Transform.
 */
export function compileExpression(source: string, allowedVariables: readonly string[]): Result<CompiledExpr, string> {
  if (source.length > MAX_LENGTH) return err(`the expression is longer than ${MAX_LENGTH} characters`);
  const trimmed = joinLines(source).trim();
  if (trimmed === '') return err('the expression is empty');
  if (bracketDepth(trimmed) > MAX_DEPTH) return err(`the expression is nested more than ${MAX_DEPTH} levels deep`);
  let tree: Node;
  try {
    tree = parse(trimmed) as Node;
  } catch (e) {
    if (e instanceof RangeError) return err(`the expression is nested more than ${MAX_DEPTH} levels deep`);
    return err(`cannot read the expression: ${e instanceof Error ? e.message : String(e)}`);
  }
  const compiler = new Compiler(allowedVariables);
  let fn: Fn;
  try {
    fn = compiler.build(tree, 0);
  } catch (e) {
    if (e instanceof SandboxError) return err(e.message);
    if (e instanceof RangeError) return err(`the expression is nested more than ${MAX_DEPTH} levels deep`);
    return err(`cannot read the expression: ${e instanceof Error ? e.message : String(e)}`);
  }
  const variables = Object.freeze([...compiler.used]);
  return ok({
    source,
    variables,
    evaluate(scope: Scope): Result<unknown, string> {
      let v: unknown;
      try {
        v = fn(scope);
      } catch (e) {
        return err(e instanceof SandboxError ? e.message : e instanceof RangeError ? 'the expression is too deep to evaluate' : `evaluation failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (v === true) return OK_TRUE;
      if (v === false) return OK_FALSE;
      if (typeof v === 'number') return Number.isFinite(v) ? ok(clean(v)) : err(`the result is not a finite number (${v})`);
      return ok(v);
    },
  });
}

/** Words mathjs reads as an operator or a constant, never as a name. */
const RESERVED = new Set(['not', 'true', 'false', 'null', 'undefined']);

/**
 * A CDR column header as a Transform variable: lower-case, every character other than
 * [a-z0-9_] becomes `_`, `_` in front of a leading digit, `_` after a word mathjs reserves.
 * `Call Start` -> `call_start`, `2nd leg` -> `_2nd_leg`, `Not` -> `not_`, `` -> `_`.
 * Transform refers to the row's other columns by these names (and to its own cell as `value`).
 */
export function identifierFor(name: string): string {
  const id = name.trim().toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (id === '') return '_';
  if (/^[0-9]/.test(id)) return `_${id}`;
  return RESERVED.has(id) ? `${id}_` : id;
}
