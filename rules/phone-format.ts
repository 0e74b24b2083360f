// A normalised number as a customer writes it (`441134960000` -> `0113 496 0000`): the national
// format of the workbook's country, for invoices. Pure display; nothing reads these back.

import type { NumberPlan } from './phone.js';

/** One shape: national significant numbers starting with `prefix` and `length` digits long. */
interface NationalShape {
  prefix: string;
  length: number;
  /** Digits per group of the national form, trunk prefix included; they sum to 1 + length. */
  groups: readonly number[];
}

interface NationalFormat {
  /** Dialled before the national significant number at home ('0' in the UK). */
  trunkPrefix: string;
  shapes: readonly NationalShape[];
}

const shapes = (prefixes: readonly string[], length: number, groups: readonly number[]): NationalShape[] =>
  prefixes.map((prefix) => ({ prefix, length, groups }));

/**
 * UK: Ofcom's conventions. 02x 3+4+4; 011x and 01x1 4+3+4; the twelve six-digit codes of the
 * mixed areas 6+5 (6+4); other 01 5+6 (5+5); 03, 08, 09 4+3+4 (nine-digit 0800 4+3+3);
 * 055, 056 3+4+4; 07 5+6.
 */
const UK: NationalFormat = {
  trunkPrefix: '0',
  shapes: [
    ...shapes(['2'], 10, [3, 4, 4]),
    ...shapes(['11', '121', '131', '141', '151', '161', '191'], 10, [4, 3, 4]),
    ...shapes(['1'], 10, [5, 6]),
    ...shapes(['1'], 9, [5, 5]),
    ...[10, 9].flatMap((length) =>
      shapes(
        ['13873', '15242', '15394', '15395', '15396', '16973', '16974', '16977', '17683', '17684', '17687', '19467'],
        length,
        [6, length - 5],
      ),
    ),
    ...shapes(['3', '8', '9'], 10, [4, 3, 4]),
    ...shapes(['800'], 9, [4, 3, 3]),
    ...shapes(['55', '56'], 10, [3, 4, 4]),
    ...shapes(['7'], 10, [5, 6]),
  ],
};

/** National formats by country code. Only countries whose conventions are settled here. */
export const NATIONAL_FORMATS: Readonly<Record<string, NationalFormat>> = { '44': UK };

/**
 * `number` (normalised digits, SPEC §2) in the national format of `plan.countryCode`; unchanged
 * when it is of another country, a short code, not all digits, or of no known shape.
 */
export function formatNational(number: string, plan: Pick<NumberPlan, 'countryCode'>): string {
  const format = NATIONAL_FORMATS[plan.countryCode];
  if (!format || !/^\d+$/.test(number) || !number.startsWith(plan.countryCode)) return number;
  const nsn = number.slice(plan.countryCode.length);
  let best: NationalShape | null = null;
  for (const s of format.shapes) {
    if (s.length === nsn.length && nsn.startsWith(s.prefix) && (best === null || s.prefix.length > best.prefix.length)) best = s;
  }
  if (best === null) return number;
  const national = format.trunkPrefix + nsn;
  const parts: string[] = [];
  let at = 0;
  for (const g of best.groups) {
    parts.push(national.slice(at, at + g));
    at += g;
  }
  return parts.join(' ');
}
