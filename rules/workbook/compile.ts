// A workbook's cells to a usable version: cell-level parsing, cross-tab checks, and — only when no
// error remains — the rating model. Everything after this trusts what it returns.

import type { RawWorkbook } from './raw.js';
import type { Issue } from '../result.js';
import { hasErrors } from '../result.js';
import type { SheetRows } from './rows.js';
import { parseWorkbook } from './parse.js';
import { checkWorkbook } from './crosscheck.js';
import { buildRatingModel, type RatingModel } from '../rating/rating-model.js';
import { contentHash } from './content-hash.js';

export interface CompiledWorkbook {
  rows: SheetRows;
  issues: Issue[];
  /** sha256 of the parsed content: the same content re-saved gives the same hash. */
  hash: string;
  /** Absent while the workbook has errors. */
  model?: RatingModel;
}

export function compileWorkbook(wb: RawWorkbook): CompiledWorkbook {
  const parsed = parseWorkbook(wb);
  const issues = [...parsed.issues];
  issues.push(...checkWorkbook(parsed.rows, parsed.positions));
  const hash = contentHash(parsed.rows);
  if (hasErrors(issues)) return { rows: parsed.rows, issues, hash };
  return { rows: parsed.rows, issues, hash, model: buildRatingModel(parsed.rows, parsed.positions) };
}
