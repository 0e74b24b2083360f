// The shape of the contact details an invoice carries: e-mail addresses and UK VAT numbers. Each
// check takes a cell's text (trimmed, not blank) and gives what is wrong, as a message naming the
// form expected, or null. A shape check only: whether the mailbox or the VAT registration exists
// is not something a workbook can know.

/** Where several addresses share a cell. */
const EMAIL_SEPARATOR = /[;,]/;
/** One address: something, one @, then labels joined by dots (at least two), no spaces anywhere. */
const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;

const EMAIL_FORM = '(one @, a dot in the domain, no spaces; separate several with ; or ,)';

/** The items of an Email cell that are not e-mail addresses (an empty item, as after a trailing `;`, is none). */
export function badEmails(text: string): string[] {
  const items = text
    .split(EMAIL_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return [text.trim()];
  return items.filter((s) => !EMAIL.test(s));
}

/** `Email "bob@example" is not an e-mail address (…)`, or null when every address in the cell is one. */
export function emailProblem(header: string, text: string): string | null {
  const bad = badEmails(text);
  if (bad.length === 0) return null;
  const quoted = bad.map((s) => `"${s}"`);
  return bad.length === 1
    ? `${header} ${quoted[0]} is not an e-mail address ${EMAIL_FORM}`
    : `${header} ${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]} are not e-mail addresses ${EMAIL_FORM}`;
}

/** A VAT number the UK checks: GB first, in any case. */
const UK_VAT = /^gb/i;
/**
 * What follows GB, spaces dropped: 9 digits, 12 for a branch of a VAT group, or the GD/HA forms
 * HMRC gives government departments (GD000-GD499) and health authorities (HA500-HA999).
 */
const UK_VAT_BODY = /^(\d{9}|\d{12}|GD[0-4]\d\d|HA[5-9]\d\d)$/i;

/**
 * `VatNumber "GB 123 4567 890" is not a UK VAT number (…)`, or null when the number is one or is
 * not a UK number at all (other countries' numbers are not checked).
 */
export function ukVatProblem(header: string, text: string): string | null {
  const t = text.trim();
  if (!UK_VAT.test(t)) return null;
  if (UK_VAT_BODY.test(t.slice(2).replace(/\s+/g, ''))) return null;
  return `${header} "${t}" is not a UK VAT number (GB then 9 digits, or 12 for a branch; spaces allowed, as in GB 123 4567 89)`;
}
