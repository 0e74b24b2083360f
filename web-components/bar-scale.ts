// How long a chart's bar is drawn. Amounts are exact decimal strings that the UI never computes
// with; a bar's length is a picture, not an amount, so this one function turns the strings into
// binary numbers for drawing only — nothing it answers is ever shown as money.

/**
 * Each value as a fraction of the largest magnitude among them, in [-1, 1] (0 for text that is not
 * a decimal, and for all of them when every value is 0).
 */
export function barFractions(values: readonly string[]): number[] {
  const drawn = values.map((v) => (/^\s*[-+]?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : 0));
  const largest = Math.max(0, ...drawn.map(Math.abs));
  return drawn.map((d) => (largest === 0 ? 0 : d / largest));
}

/** Orders two decimal strings exactly (by their digits, no binary numbers): <0, 0 or >0. Text that is not a decimal counts as 0. */
export function compareDecimals(a: string, b: string): number {
  const pa = decimalParts(a);
  const pb = decimalParts(b);
  if (pa.negative !== pb.negative) return pa.negative ? -1 : 1;
  const sign = pa.negative ? -1 : 1;
  if (pa.whole.length !== pb.whole.length) return sign * (pa.whole.length - pb.whole.length);
  if (pa.whole !== pb.whole) return sign * (pa.whole < pb.whole ? -1 : 1);
  const width = Math.max(pa.fraction.length, pb.fraction.length);
  const fa = pa.fraction.padEnd(width, '0');
  const fb = pb.fraction.padEnd(width, '0');
  return fa === fb ? 0 : sign * (fa < fb ? -1 : 1);
}

function decimalParts(text: string): { negative: boolean; whole: string; fraction: string } {
  const m = /^\s*([-+]?)(\d+)(?:\.(\d+))?\s*$/.exec(text);
  if (!m) return { negative: false, whole: '0', fraction: '' };
  const whole = m[2].replace(/^0+(?=\d)/, '');
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  // -0 and -0.00 are zero, not below it.
  const negative = m[1] === '-' && (whole !== '0' || fraction !== '');
  return { negative, whole, fraction };
}
