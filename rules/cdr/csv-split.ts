// Splitting one CDR line into fields (RFC 4180 quotes, one record a line). Pure, so the rating core
// can split the lines a reader handed over unsplit.

/** The fields of a line not split yet (a split always gives at least one field, so no real split is empty). */
export const NOT_SPLIT: string[] = Object.freeze([]) as unknown as string[];

/** The fields of a line the reader gave up on for its length (a distinct empty list, as NOT_SPLIT is). */
export const TOO_LONG: string[] = Object.freeze([]) as unknown as string[];

/** Characters past which a line is no CDR (a file without line ends, say): the reader keeps only its start. */
export const MAX_LINE_CHARS = 1 << 22;

/** Splits one CSV line; null when a quote is left open. Unquoted fields are taken as they are (no trimming). */
export function splitCsvLine(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line.split(',');
  return splitQuoted(line, 0, line.length);
}

/**
 * Splits s[i, end) holding at least one quote. A field is quoted only when it starts with '"';
 * inside it "" is a quote; text between the closing quote and the next comma is kept (lenient,
 * like Excel). A quote elsewhere is an ordinary character. null when a quoted field is not closed
 * before end.
 */
export function splitQuoted(s: string, i: number, end: number): string[] | null {
  const out: string[] = [];
  for (;;) {
    if (i < end && s.charCodeAt(i) === 34) {
      i++;
      let q = s.indexOf('"', i);
      if (q < 0 || q >= end) return null;
      let v: string;
      if (q + 1 < end && s.charCodeAt(q + 1) === 34) {
        v = '';
        for (;;) {
          v += s.slice(i, q);
          if (q + 1 < end && s.charCodeAt(q + 1) === 34) {
            v += '"';
            i = q + 2;
            q = s.indexOf('"', i);
            if (q < 0 || q >= end) return null;
            continue;
          }
          i = q + 1;
          break;
        }
      } else {
        v = s.slice(i, q);
        i = q + 1;
      }
      if (i === end) {
        out.push(v);
        return out;
      }
      if (s.charCodeAt(i) === 44) {
        out.push(v);
        i++;
        continue;
      }
      let c = s.indexOf(',', i);
      if (c < 0 || c > end) c = end;
      out.push(v + s.slice(i, c));
      if (c === end) return out;
      i = c + 1;
    } else {
      const c = s.indexOf(',', i);
      if (c < 0 || c >= end) {
        out.push(s.slice(i, end));
        return out;
      }
      out.push(s.slice(i, c));
      i = c + 1;
    }
  }
}
