// Display formats. Amounts arrive as exact decimal strings and are only re-punctuated here
// (thousands separators, a currency sign): no parsing into numbers, no rounding, no sums.

const CURRENCY_SIGNS: Record<string, string> = { GBP: '£', EUR: '€', USD: '$' };

/**
 * `1234567.5` → `1,234,567.5`; with a currency `£1,234,567.5` (or `1,234.50 CHF` for a code without
 * a sign). Text that is not a plain decimal is shown as it came.
 */
export function formatAmount(amount: string | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const m = /^([-+]?)(\d+)(\.\d+)?$/.exec(amount.trim());
  if (!m) return amount;
  const [, sign, whole, fraction = ''] = m;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + fraction;
  const minus = sign === '-' ? '-' : '';
  if (!currency) return minus + grouped;
  const symbol = CURRENCY_SIGNS[currency.toUpperCase()];
  return symbol ? `${minus}${symbol}${grouped}` : `${minus}${grouped} ${currency}`;
}

/** A count with thousands separators (counts are whole numbers, not money). */
export const formatCount = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '' : n.toLocaleString('en-GB'));

/** Bytes as people read them: 1.2 MB. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** An ISO 8601 instant as local date and time, `2026-10-09 16:03`; other text unchanged. */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** `3 errors`, `1 warning`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;
