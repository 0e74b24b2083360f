// A done run's rated.csv and exceptions.csv read back a line at a time (SPEC §6 formats), for the
// closed loop: re-rate, release and what-if. One record a line: the rating never writes a field
// holding a line break (a CDR field cannot hold one), so a line is a row.

import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { CallException, RatedCall } from '../../rules/cdr/cdr.js';
import { checkRatedHeader, parseRatedRow } from '../../rules/billing/rated-row.js';
import { unguard } from '../../rules/csv.js';
import { splitCsvLine } from '../../rules/cdr/csv-split.js';
import { parseMicro } from '../../rules/money.js';
import { checkExceptionHeader, parseExceptionRow } from '../../rules/rating/exception-line.js';
import { RATED_HEADER } from '../../rules/rating/call-rows.js';
import type { RatedPart } from '../../rules/rating/what-if.js';
import { InputError } from './run-errors.js';

/**
 * Calls `visit` with every line of a text file but the first (the header, handed to `header`), and
 * its 1-based line number; a visit that answers a promise (a writer short of room) is waited for.
 * A file handle (opened while the file was the run's, so a replacement since does not matter) is
 * read from its start and closed.
 */
export async function eachCsvLine(file: string | FileHandle, header: (text: string) => void, visit: (text: string, lineNo: number) => void | Promise<void>): Promise<void> {
  const input = typeof file === 'string' ? createReadStream(file) : file.createReadStream({ start: 0 });
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

const CHARGE = RATED_HEADER.indexOf('charge');
const COST = RATED_HEADER.indexOf('cost');
const ACCOUNT = RATED_HEADER.indexOf('account');
const DESTINATION = RATED_HEADER.indexOf('destination');
const CLASS = RATED_HEADER.indexOf('class');

/**
 * What a comparison needs of every row of a rated.csv (account, class, destination, charge, cost),
 * read without building the whole call: four times quicker than eachRatedCall on a 1M-row file.
 */
export async function eachRatedPart(file: string | FileHandle, label: string, visit: (part: RatedPart) => void): Promise<void> {
  await eachCsvLine(
    file,
    (text) => {
      const h = checkRatedHeader(splitCsvLine(text) ?? [], `${label}:1`);
      if (!h.ok) throw new InputError(`${h.error.at}: ${h.error.message}`);
    },
    (text, n) => {
      const f = splitCsvLine(text);
      const charge = f && f.length === RATED_HEADER.length ? parseMicro(f[CHARGE]) : null;
      const cost = f && f[COST] !== '' ? parseMicro(f[COST]) : null;
      if (!f || !charge?.ok || (cost !== null && !cost.ok)) throw new InputError(`${label}:${n}: not a rated.csv row with a charge and cost`);
      visit({ account: unguard(f[ACCOUNT]), destination: unguard(f[DESTINATION]), callClass: f[CLASS] as RatedPart['callClass'], charge: charge.value, cost: cost === null ? null : cost.value });
    },
  );
}
