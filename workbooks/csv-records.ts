// The records of a CSV file Ratebook wrote (rated.csv, exceptions.csv), streamed in batches with
// their line numbers. A quoted field may hold a line break (a CDR field can carry a CR), so a
// record runs on over physical lines while its quotes are unbalanced.

import { createReadStream } from 'node:fs';
import { splitCsvLine } from '../rules/cdr/csv-split.js';

export interface CsvRecord {
  /** The physical line the record starts on, 1 for the header. */
  line: number;
  /** Its fields, unquoted; null when a quote is never closed (the file was cut short). */
  fields: string[] | null;
}

const quotes = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
};

/** Batches of records (one per chunk read), the header first. */
export async function* csvRecords(path: string): AsyncGenerator<CsvRecord[]> {
  let carry = '';
  let lineNo = 0;
  /** A record still open across lines: its text so far, its first line and its quote count. */
  let open: { text: string; line: number; quotes: number } | null = null;
  const take = (text: string, out: CsvRecord[]): void => {
    lineNo++;
    if (open) {
      open.text += '\n' + text;
      open.quotes += quotes(text);
      if (open.quotes % 2 === 0) {
        out.push({ line: open.line, fields: splitCsvLine(open.text) });
        open = null;
      }
      return;
    }
    const q = text.indexOf('"') < 0 ? 0 : quotes(text);
    if (q % 2 === 1) open = { text, line: lineNo, quotes: q };
    else out.push({ line: lineNo, fields: splitCsvLine(text) });
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = carry + (chunk as string);
    const out: CsvRecord[] = [];
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      take(text.slice(from, nl), out);
      from = nl + 1;
    }
    carry = text.slice(from);
    if (out.length > 0) yield out;
  }
  const out: CsvRecord[] = [];
  if (carry !== '') take(carry, out);
  const last = open as { text: string; line: number } | null;
  if (last) out.push({ line: last.line, fields: null });
  if (out.length > 0) yield out;
}
