// Phone number normalisation N(x) (SPEC §2). Runs once per CDR side on the hot path: a char loop,
// no regular expressions.

export interface NumberPlan {
  countryCode: string;
  /** '' turns the rule off. */
  nationalPrefix: string;
  internationalPrefix: string;
  /** 0 turns short codes off. */
  shortCodeDigits: number;
}

export interface Normalised {
  digits: string;
  /** At most ShortCodeDigits digits and reached N() through none of the prefix rules. */
  shortCode: boolean;
}

/** N(x) with how it got there; null when what is left is not all digits (or is empty). */
export function normalisePhone(text: string, plan: NumberPlan): Normalised | null {
  let s = text;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // space, tab, hyphen, dot, parentheses: only then is a cleaned copy worth building
    if (c === 32 || c === 9 || c === 45 || c === 46 || c === 40 || c === 41 || c === 160) {
      s = text.replace(/[\s\-.()\u00a0]/g, '');
      break;
    }
  }
  if (s === '') return null;
  let viaRule = false;
  let international = false;
  if (s.charCodeAt(0) === 43 /* + */) {
    s = s.slice(1);
    viaRule = international = true;
  } else if (plan.internationalPrefix !== '' && s.startsWith(plan.internationalPrefix)) {
    s = s.slice(plan.internationalPrefix.length);
    viaRule = international = true;
  } else if (plan.nationalPrefix !== '' && s.startsWith(plan.nationalPrefix)) {
    s = plan.countryCode + s.slice(plan.nationalPrefix.length);
    viaRule = true;
  }
  if (
    international &&
    plan.nationalPrefix !== '' &&
    s.startsWith(plan.countryCode) &&
    s.startsWith(plan.nationalPrefix, plan.countryCode.length)
  ) {
    s = plan.countryCode + s.slice(plan.countryCode.length + plan.nationalPrefix.length);
  }
  if (s === '') return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return { digits: s, shortCode: !viaRule && plan.shortCodeDigits > 0 && s.length <= plan.shortCodeDigits };
}

export function normaliseDigits(text: string, plan: NumberPlan): string | null {
  const n = normalisePhone(text, plan);
  return n === null ? null : n.digits;
}

/**
 * A number typed into a numeric cell lost its leading 0 (SPEC §1): digits D are read as
 * CountryCode + D, unless D is already international (starts with CountryCode, longer than 10).
 */
export function numberFromNumericCell(digits: string, countryCode: string): string {
  if (digits.startsWith(countryCode) && digits.length > 10) return digits;
  return countryCode + digits;
}
