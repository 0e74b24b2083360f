// The rules sandbox (SPEC §4): mathjs parses Applies and Transform; we walk the tree against an
// allow-list and turn it into plain JS closures. Why not mathjs's own evaluate: it runs at
// 0.1–0.5 M/s, converts text to numbers in `==`, and its documented lockdown still lets
// `zeros(3000, 3000)` through. Here only the listed names and functions exist.

import { create, all } from 'mathjs';
import { err, ok, type Result } from './result.js';

export interface CompiledExpr {
  source: string;
  variables: readonly string[];
  evaluate(scope: Record<string, unknown>): Result<unknown, string>;
}

export const APPLIES_VARIABLES: readonly string[] = [
  'class', 'destination', 'band', 'direction', 'duration', 'billed', 'charge', 'cost', 'number', 'site', 'extension', 'account', 'hour', 'weekday',
];

const MAX_LENGTH = 2_000;
const MAX_DEPTH = 64;

const math = create(all, {});
// Parsing is all we use mathjs for; nothing from it is ever evaluated.
const parse = math.parse.bind(math);

type Fn = (scope: Record<string, unknown>) => unknown;

class EvalError extends Error {}

const num = (v: unknown, what: string): number => {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new EvalError(`${what} needs a number (got ${JSON.stringify(v)})`);
};
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export const truthy = (v: unknown): boolean =>
  v === true || (typeof v === 'number' && v !== 0 && !Number.isNaN(v)) || (typeof v === 'string' && v !== '');

/** Text compares as text; a number and text are never equal (plain mathjs would throw). */
function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' || typeof b === 'string') return typeof a === typeof b && a === b;
  return a === b;
}

function compare(a: unknown, b: unknown, op: string): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    switch (op) {
      case '<': return a < b;
      case '>': return a > b;
      case '<=': return a <= b;
      default: return a >= b;
    }
  }
  const x = num(a, op);
  const y = num(b, op);
  switch (op) {
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    default: return x >= y;
  }
}

/** The functions an expression may call: small, text-friendly, none with side effects. */
const FUNCTIONS: Record<string, { arity: [number, number]; fn: (...a: unknown[]) => unknown }> = {
  abs: { arity: [1, 1], fn: (a) => Math.abs(num(a, 'abs')) },
  min: { arity: [1, 8], fn: (...a) => Math.min(...a.map((x) => num(x, 'min'))) },
  max: { arity: [1, 8], fn: (...a) => Math.max(...a.map((x) => num(x, 'max'))) },
  round: { arity: [1, 2], fn: (a, d) => { const f = 10 ** (d === undefined ? 0 : num(d, 'round')); return Math.round(num(a, 'round') * f) / f; } },
  floor: { arity: [1, 1], fn: (a) => Math.floor(num(a, 'floor')) },
  ceil: { arity: [1, 1], fn: (a) => Math.ceil(num(a, 'ceil')) },
  startsWith: { arity: [2, 2], fn: (a, b) => str(a).startsWith(str(b)) },
  endsWith: { arity: [2, 2], fn: (a, b) => str(a).endsWith(str(b)) },
  contains: { arity: [2, 2], fn: (a, b) => str(a).includes(str(b)) },
  lower: { arity: [1, 1], fn: (a) => str(a).toLowerCase() },
  upper: { arity: [1, 1], fn: (a) => str(a).toUpperCase() },
  trim: { arity: [1, 1], fn: (a) => str(a).trim() },
  len: { arity: [1, 1], fn: (a) => str(a).length },
  substr: { arity: [2, 3], fn: (a, s, l) => str(a).substr(num(s, 'substr'), l === undefined ? undefined : num(l, 'substr')) },
  replace: { arity: [3, 3], fn: (a, b, c) => str(a).split(str(b)).join(str(c)) },
  number: { arity: [1, 1], fn: (a) => { const n = Number(str(a).trim()); if (str(a).trim() === '' || Number.isNaN(n)) throw new EvalError(`number("${str(a)}") is not a number`); return n; } },
  string: { arity: [1, 1], fn: (a) => str(a) },
  oneOf: { arity: [2, 2], fn: (a, list) => str(list).split(',').map((s) => s.trim()).includes(str(a)) },
};

const CONSTANTS: Record<string, unknown> = { true: true, false: false, null: null };

interface Node {
  type: string;
  [k: string]: unknown;
}

function build(node: Node, allowed: Set<string>, depth: number): Fn {
  if (depth > MAX_DEPTH) throw new EvalError('expression is nested too deeply');
  switch (node.type) {
    case 'ConstantNode': {
      const v = node.value;
      return () => v;
    }
    case 'SymbolNode': {
      const name = node.name as string;
      if (name in CONSTANTS) {
        const v = CONSTANTS[name];
        return () => v;
      }
      if (!allowed.has(name)) throw new EvalError(`unknown name "${name}" (allowed: ${[...allowed].join(', ')})`);
      return (s) => {
        const v = s[name];
        if (v === undefined) throw new EvalError(`"${name}" has no value here`);
        return v;
      };
    }
    case 'ParenthesisNode':
      return build(node.content as Node, allowed, depth + 1);
    case 'ConditionalNode': {
      const c = build(node.condition as Node, allowed, depth + 1);
      const t = build(node.trueExpr as Node, allowed, depth + 1);
      const f = build(node.falseExpr as Node, allowed, depth + 1);
      return (s) => (truthy(c(s)) ? t(s) : f(s));
    }
    case 'OperatorNode':
      return operator(node, allowed, depth);
    case 'FunctionNode': {
      const fnNode = node.fn as Node;
      const name = fnNode.type === 'SymbolNode' ? (fnNode.name as string) : '';
      const spec = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
      if (!spec) throw new EvalError(`function "${name || 'expression'}" is not allowed (allowed: ${Object.keys(FUNCTIONS).join(', ')})`);
      const args = (node.args as Node[]).map((a) => build(a, allowed, depth + 1));
      if (args.length < spec.arity[0] || args.length > spec.arity[1]) throw new EvalError(`${name} takes ${spec.arity[0]}${spec.arity[1] !== spec.arity[0] ? `–${spec.arity[1]}` : ''} argument(s)`);
      return (s) => spec.fn(...args.map((a) => a(s)));
    }
    default:
      throw new EvalError(`${describe(node.type)} is not allowed`);
  }
}

const describe = (type: string): string =>
  ({
    AccessorNode: 'property access (a.b or a[1])',
    ArrayNode: 'a list [ … ]',
    AssignmentNode: 'assignment (=)',
    FunctionAssignmentNode: 'defining a function',
    ObjectNode: 'an object { … }',
    RangeNode: 'a range (a:b)',
    BlockNode: 'several statements',
    IndexNode: 'indexing',
  })[type] ?? type;

function operator(node: Node, allowed: Set<string>, depth: number): Fn {
  const op = node.op as string;
  const args = (node.args as Node[]).map((a) => build(a, allowed, depth + 1));
  const [a, b] = args;
  if (args.length === 1) {
    switch (op) {
      case '-': return (s) => -num(a(s), '-');
      case '+': return (s) => num(a(s), '+');
      case 'not': return (s) => !truthy(a(s));
      default: throw new EvalError(`operator "${op}" is not allowed`);
    }
  }
  if (args.length !== 2) throw new EvalError(`operator "${op}" is not allowed`);
  switch (op) {
    case '+':
      // Text joins text, so a Transform can write "0" + value.
      return (s) => {
        const x = a(s);
        const y = b(s);
        return typeof x === 'string' || typeof y === 'string' ? str(x) + str(y) : num(x, '+') + num(y, '+');
      };
    case '-': return (s) => num(a(s), '-') - num(b(s), '-');
    case '*': return (s) => num(a(s), '*') * num(b(s), '*');
    case '/': return (s) => num(a(s), '/') / num(b(s), '/');
    case '%':
    case 'mod': return (s) => { const y = num(b(s), 'mod'); const x = num(a(s), 'mod'); return ((x % y) + y) % y; };
    case '==': return (s) => equal(a(s), b(s));
    case '!=': return (s) => !equal(a(s), b(s));
    case '<':
    case '>':
    case '<=':
    case '>=': return (s) => compare(a(s), b(s), op);
    case 'and': return (s) => truthy(a(s)) && truthy(b(s));
    case 'or': return (s) => truthy(a(s)) || truthy(b(s));
    case 'xor': return (s) => truthy(a(s)) !== truthy(b(s));
    default: throw new EvalError(`operator "${op}" is not allowed`);
  }
}

export function compileExpression(source: string, allowedVariables: readonly string[]): Result<CompiledExpr, string> {
  if (source.length > MAX_LENGTH) return err(`expression is longer than ${MAX_LENGTH} characters`);
  let tree: Node;
  try {
    tree = parse(source) as unknown as Node;
  } catch (e) {
    return err(`cannot read the expression: ${(e as Error).message}`);
  }
  let fn: Fn;
  try {
    fn = build(tree, new Set(allowedVariables), 0);
  } catch (e) {
    if (e instanceof EvalError) return err(e.message);
    return err(`cannot read the expression: ${(e as Error).message}`);
  }
  return ok({
    source,
    variables: allowedVariables,
    evaluate(scope) {
      try {
        return ok(fn(scope));
      } catch (e) {
        return err(e instanceof Error ? e.message : String(e));
      }
    },
  });
}

/** A CDR column name as a Transform variable: `Call Start` -> `call_start`, `2nd` -> `_2nd`. */
export function identifierFor(name: string): string {
  const id = name.trim().toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id || '_';
}
