// Reads back a CSV file Ratebook wrote (rated.csv, exceptions.csv, invoices.csv…) record by
// record, as the rows a tab is written from: the shared reader (workbooks/csv-records.ts), less
// blank lines and a record a cut-short file leaves open (files Ratebook wrote are renamed
// into place whole, so neither is expected).

import { csvRecords as csvBatches } from '../csv-records.js';

/** Every record of the file, the header first. */
export async function* csvRecords(path: string): AsyncGenerator<string[]> {
  for await (const batch of csvBatches(path)) {
    for (const r of batch) {
      const fields = r.fields;
      if (fields === null || (fields.length === 1 && fields[0] === '')) continue;
      yield fields;
    }
  }
}
