// Exact money. Amounts are integers of micro-units (1e-6) held in plain numbers: exact below 2^53
// and far faster than BigInt or a decimal library (STACK-NOTES). Percentages are micro-percent
// (20% = 20_000_000). Where a product could pass 2^53 we fall back to BigInt, never to floats.

import { err, ok, type Result } from './result.js';

/** How a charge is rounded to its decimals (SPEC §1 Settings.Rounding, Tariffs.Rounding). */
export const ROUNDINGS = ['HalfUp', 'HalfEven', 'Up', 'Down'] as const;
export type Rounding = (typeof ROUNDINGS)[number];

export type Micro = number;
export type MicroPct = number;

export const MICRO = 1_000_000;
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/** Parses a decimal written as text ("1.15", "-0.5", "+3", ".25", "12.") into micro-units, exactly. */
export function parseMicro(text: string, maxDecimals = 6): Result<Micro, string> {
  const fast = plainMicroAt(text, 0, text.length, maxDecimals);
  if (fast >= 0) return ok(fast);
  const s = text.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return err(`not a number`);
  const [, sign, int, fracRaw = ''] = m;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > maxDecimals) return err(`more than ${maxDecimals} decimals`);
  const intPart = int === '' ? 0 : Number(int);
  const value = intPart * MICRO + (frac === '' ? 0 : Number(frac.padEnd(6, '0')));
  if (!Number.isSafeInteger(value)) return err('too large');
  return ok(sign === '-' ? -value : value);
}

/**
 * `0.0125`-style text[from, to) (digits, one optional point) as micro-units without a regular
 * expression, as parseMicro reads it; -1 when it is anything else (parseMicro then decides).
 */
export function plainMicroAt(text: string, from: number, to: number, maxDecimals = 6): number {
  let int = 0;
  let frac = 0;
  let fracDigits = 0;
  let point = false;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (point) return -1;
      point = true;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return -1;
    digits++;
    if (!point) int = int * 10 + d;
    else if (fracDigits < 6) {
      frac = frac * 10 + d;
      fracDigits++;
    } else if (d !== 0) return -1;
  }
  if (digits === 0 || fracDigits > maxDecimals || int > 9_000_000_000) return -1;
  return int * MICRO + frac * POW10[6 - fracDigits];
}

/** Formats micro-units with exactly `decimals` decimals; the value must already be rounded to them. */
export function formatMicro(value: Micro, decimals = 2): string {
  const neg = value < 0;
  const abs = neg ? -value : value;
  const int = Math.floor(abs / MICRO);
  let s = neg ? '-' + int : '' + int;
  if (decimals > 0) {
    // 1_000_000 + frac gives the six fraction digits with their leading zeros.
    s += '.' + ('' + (MICRO + abs - int * MICRO)).slice(1, 1 + decimals);
  }
  return s;
}

/** The shortest exact text of an amount: no trailing zeros, no point for a whole number (`0.0246`, `5`). */
export function formatMicroShort(value: Micro): string {
  const neg = value < 0;
  const abs = neg ? -value : value;
  const int = Math.floor(abs / MICRO);
  const frac = abs - int * MICRO;
  const head = neg ? '-' + int : '' + int;
  if (frac === 0) return head;
  const digits = '' + (MICRO + frac);
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  return head + '.' + digits.slice(1, end);
}

/** n / d rounded to an integer by `mode` (d > 0); HalfUp rounds halves away from zero, like Excel. */
export function divRound(n: number, d: number, mode: Rounding): number {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d)) return Number(divRoundBig(BigInt(n), BigInt(d), mode));
  const neg = n < 0;
  const a = neg ? -n : n;
  let q = Math.floor(a / d);
  const r = a - q * d;
  if (r !== 0) {
    switch (mode) {
      case 'Up':
        q += 1;
        break;
      case 'Down':
        break;
      case 'HalfUp':
        if (2 * r >= d) q += 1;
        break;
      case 'HalfEven':
        if (2 * r > d || (2 * r === d && q % 2 === 1)) q += 1;
        break;
    }
  }
  return neg ? -q : q;
}

export function divRoundBig(n: bigint, d: bigint, mode: Rounding): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  const r = a - q * d;
  if (r !== 0n) {
    switch (mode) {
      case 'Up':
        q += 1n;
        break;
      case 'Down':
        break;
      case 'HalfUp':
        if (2n * r >= d) q += 1n;
        break;
      case 'HalfEven':
        if (2n * r > d || (2n * r === d && q % 2n === 1n)) q += 1n;
        break;
    }
  }
  return neg ? -q : q;
}

/** a × b / d rounded once; exact even when a × b passes 2^53. */
export function mulDivRound(a: number, b: number, d: number, mode: Rounding): number {
  const p = a * b;
  if (Number.isSafeInteger(p)) return divRound(p, d, mode);
  return Number(divRoundBig(BigInt(a) * BigInt(b), BigInt(d), mode));
}

/** Rounds micro-units to `decimals` (0..6) decimals. */
export function roundMicro(value: Micro, decimals: number, mode: Rounding): Micro {
  const unit = POW10[6 - decimals];
  return divRound(value, unit, mode) * unit;
}

/**
 * Rounds a charge held in sixtieths of a micro-unit (PerMinute in micro × seconds) to `decimals`:
 * a per-second charge is rarely a whole micro-unit, so it stays exact until this one rounding.
 */
export function roundSixtieths(value: number, decimals: number, mode: Rounding): Micro {
  const unit = POW10[6 - decimals];
  return divRound(value, 60 * unit, mode) * unit;
}

/** amount × (100% + pct), rounded once to `decimals`: the markup and fallback prices. */
export function addPercent(amount: Micro, pct: MicroPct, decimals: number, mode: Rounding): Micro {
  const unit = POW10[6 - decimals];
  return mulDivRound(amount, 100 * MICRO + pct, 100 * MICRO * unit, mode) * unit;
}

/** amount × pct / 100%, rounded once to `decimals`: tax and percentage discounts. */
export function percentOf(amount: Micro, pct: MicroPct, decimals: number, mode: Rounding): Micro {
  const unit = POW10[6 - decimals];
  return mulDivRound(amount, pct, 100 * MICRO * unit, mode) * unit;
}
