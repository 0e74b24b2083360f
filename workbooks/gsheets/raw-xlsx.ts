// The .xlsx a Google Sheet import keeps as its `workbook.xlsx` (SPEC §7.1): written from the values
// read, cell for cell at the same addresses, so the download reads back as the same content —
// numbers as numbers (percent ones in a percent format), dates as dates, text as text.
// A boolean and an error have no cell of their own in our writer: they are written as the text
// the sheet showed (TRUE, #N/A).

import { rawText, type RawSheet, type RawValue, type RawWorkbook } from '../../rules/workbook/raw.js';
import { sheetName, xlsxBytes, type XlsxRow } from '../xlsx-writer.js';

const DATE_FORMAT = 'yyyy-mm-dd';
const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
const PERCENT_FORMAT = '0.00%';

/** Excel's serial number of a date's clock fields (1900 system). */
const serialOf = (v: Extract<RawValue, { kind: 'date' }>): number => Date.UTC(v.y, v.m - 1, v.d, v.hh, v.mi, v.ss) / 86_400_000 + 25569;

function* sheetRows(sheet: RawSheet): Generator<XlsxRow> {
  let next = 1;
  for (const row of sheet.rows) {
    // The writer numbers rows as it goes: blank rows keep every cell at its address.
    for (; next < row.row; next++) yield { cells: [] };
    const cells: (string | number | null)[] = [];
    const formats: (string | null)[] = [];
    for (const v of row.cells) {
      let cell: string | number | null = null;
      let format: string | null = null;
      switch (v.kind) {
        case 'empty':
          break;
        case 'number':
          cell = v.value;
          format = v.percent ? PERCENT_FORMAT : null;
          break;
        case 'date':
          cell = serialOf(v);
          format = v.hh || v.mi || v.ss ? DATE_TIME_FORMAT : DATE_FORMAT;
          break;
        default:
          cell = rawText(v);
      }
      cells.push(cell);
      formats.push(format);
    }
    yield { cells, formats };
    next = row.row + 1;
  }
}

export function rawWorkbookXlsx(wb: RawWorkbook): Buffer {
  const taken = new Set<string>();
  return xlsxBytes(
    wb.sheets.map((s) => ({ name: sheetName(s.name, taken), widths: [], rows: sheetRows(s) })),
    'Ratebook (from Google Sheets)',
  );
}
