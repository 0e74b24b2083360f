// Reads back a CSV file Ratebook wrote (rated.csv, exceptions.csv, invoices.csv…) record by
// record, streaming: RFC 4180 quotes, a quoted field may hold a line end.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { splitCsvLine } from '../../rules/cdr/csv-split.js';

/** Every record of the file, the header first. */
export async function* csvRecords(path: string): AsyncGenerator<string[]> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let pending: string | null = null;
  for await (const line of lines) {
    const text: string = pending === null ? line : `${pending}\n${line}`;
    const fields = splitCsvLine(text);
    if (fields === null) {
      pending = text; // a quoted field goes on on the next line
      continue;
    }
    pending = null;
    if (text === '') continue;
    yield fields;
  }
  if (pending !== null) {
    const fields = splitCsvLine(pending + '"');
    if (fields) yield fields;
  }
}
