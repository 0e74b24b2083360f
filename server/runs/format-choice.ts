// Which CDR format a file is in: the one named on the command line, else the one its first lines
// look like (generic, asterisk, freeswitch or a CdrFormats format of the workbook).

import { compileFormat, detectFormat, type FileFormat } from '../../rules/cdr/cdr-format.js';
import type { RatingModel } from '../../rules/rating/rating-model.js';
import { firstBatchLines, type CdrFile } from '../../workbooks/cdr-lines.js';
import { InputError } from './run-errors.js';

export interface ChosenFormat {
  format: FileFormat;
  name: string;
  /** The file's first line split into fields (a format with a header maps columns by it). */
  header: string[] | null;
}

export async function chooseFormat(file: CdrFile, model: RatingModel, named: string | undefined): Promise<ChosenFormat> {
  const { fields, texts } = await firstBatchLines(file, 5);
  const rows = model.rows.cdrFormats;
  const name = named ?? detectFormat(fields, texts, rows);
  if (!name) throw new InputError(`${file.name}: the CDR format is not one Ratebook recognises; name it with --format (generic, asterisk, freeswitch or a CdrFormats format)`);
  const compiled = compileFormat(name, fields[0] ?? null, rows, model.zone);
  if (!compiled.ok) throw new InputError(`${file.name}: ${compiled.error}`);
  return { format: compiled.value, name, header: fields[0] ?? null };
}
