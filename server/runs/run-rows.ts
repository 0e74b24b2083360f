// A done run's rated.csv and exceptions.csv read back a line at a time (SPEC §6 formats), for the
// closed loop: re-rate, release and what-if. One record a line: the rating never writes a field
// holding a line break (a CDR field cannot hold one), so a line is a row.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CallException, RatedCall } from '../../rules/cdr/cdr.js';
import { checkRatedHeader, parseRatedRow, unguard } from '../../rules/billing/rated-row.js';
import { splitCsvLine } from '../../rules/cdr/csv-split.js';
import { checkExceptionHeader, parseExceptionRow } from '../../rules/rating/exception-line.js';
import { InputError } from './run-errors.js';

/**
 * Calls `visit` with every line of a text file but the first (the header, handed to `header`), and
 * its 1-based line number; a visit that answers a promise (a writer short of room) is waited for.
 */
export async function eachCsvLine(path: string, header: (text: string) => void, visit: (text: string, lineNo: number) => void | Promise<void>): Promise<void> {
  const input = createReadStream(path);
  let n = 0;
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      n++;
      if (n === 1) header(text);
      else if (text !== '') {
        const wait = visit(text, n);
        if (wait) await wait;
      }
    }
  } finally {
    input.destroy();
  }
}

/** Where a rated.csv row's call comes from: its first two fields, read without splitting the rest. */
export function placeOfRow(text: string): { file: string; line: number } | null {
  let file: string;
  let lineText: string;
  if (text.charCodeAt(0) === 34) {
    const f = splitCsvLine(text);
    if (!f || f.length < 2) return null;
    [file, lineText] = f;
  } else {
    const a = text.indexOf(',');
    if (a < 0) return null;
    const b = text.indexOf(',', a + 1);
    file = text.slice(0, a);
    lineText = text.slice(a + 1, b < 0 ? text.length : b);
  }
  if (!/^\d{1,15}$/.test(lineText)) return null;
  return { file: unguard(file), line: Number(lineText) };
}

/** Every row of a run's exceptions.csv, in file order (InputError for a damaged file, naming the row). */
export async function readExceptions(path: string, label: string): Promise<CallException[]> {
  const out: CallException[] = [];
  await eachCsvLine(
    path,
    (text) => {
      const h = checkExceptionHeader(splitCsvLine(text), `${label}:1`);
      if (!h.ok) throw new InputError(`${h.error.at}: ${h.error.message}`);
    },
    (text, n) => {
      const r = parseExceptionRow(splitCsvLine(text), `${label}:${n}`);
      if (!r.ok) throw new InputError(`${r.error.at}: ${r.error.message}`);
      out.push(r.value);
    },
  );
  return out;
}

/** Calls `visit` with every rated call of a rated.csv and its row's text (InputError for a damaged file, naming the row). */
export async function eachRatedCall(path: string, label: string, visit: (call: RatedCall, text: string) => void): Promise<void> {
  await eachCsvLine(
    path,
    (text) => {
      const h = checkRatedHeader(splitCsvLine(text) ?? [], `${label}:1`);
      if (!h.ok) throw new InputError(`${h.error.at}: ${h.error.message}`);
    },
    (text, n) => {
      const r = parseRatedRow(splitCsvLine(text) ?? [], `${label}:${n}`);
      if (!r.ok) throw new InputError(`${r.error.at}: ${r.error.message}`);
      visit(r.value, text);
    },
  );
}
