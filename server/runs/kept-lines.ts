// Some lines of a run rated again from its kept CDR files (SPEC §7 release): each file read once,
// in the CDR format the run read it in (summary.json's files[].format), and only the lines asked
// for rated — one at a time, the full path of rateLine (mediation, owner, price), as the run's own
// rating gives them. What needs the whole run (dedupe, fraud) is the caller's to decide.

import type { MediationContext } from '../../rules/cdr/mediate.js';
import { emptyResult, lineContext, rateLine, type LineResult } from '../../rules/rating/rate-line.js';
import type { RatingModel } from '../../rules/rating/rating-model.js';
import { openCdrFile, splitCsvLine, TOO_LONG } from '../../workbooks/cdr-lines.js';
import type { RunRecord } from '../store/runs.js';
import { chooseFormat } from './format-choice.js';
import { lineKey } from './late-fraud.js';
import { InputError } from './run-errors.js';

/**
 * The results of the lines `wanted` names (lineKey(file index, line)) of the run's files, rated
 * with `model` (the call kept: result.call for a rated line). A line not in its file is left out.
 */
export async function rateKeptLines(rec: RunRecord, files: { path: string; name: string }[], model: RatingModel, wanted: Set<number>): Promise<Map<number, LineResult>> {
  const out = new Map<number, LineResult>();
  const billable = new Set(model.settings.billableDispositions);
  for (let fi = 0; fi < files.length; fi++) {
    let left = 0;
    for (const k of wanted) if (Math.floor(k / 2 ** 32) === fi) left++;
    if (left === 0) continue;
    const { path, name } = files[fi];
    let file;
    try {
      file = await openCdrFile(path, { name });
    } catch {
      throw new InputError(`${name}: cannot read the run's kept file`);
    }
    const chosen = await chooseFormat(file, model, rec.summary?.files[fi]?.format ?? rec.format ?? undefined);
    const mediation: MediationContext = { file: name, plan: model.plan, billable, format: chosen.format };
    const ctx = lineContext(model, mediation, true, false);
    // Read unsplit: only the lines asked for are split (splitting every line was most of the time).
    const reader = await openCdrFile(path, { name, split: false });
    for await (const batch of reader.batches()) {
      const { lines, fields, source, from, to } = batch;
      for (let i = 0; i < lines.length; i++) {
        const k = lineKey(fi, lines[i]);
        if (!wanted.has(k)) continue;
        const split = fields[i] === TOO_LONG ? TOO_LONG : splitCsvLine(source.slice(from[i], to[i]));
        out.set(k, rateLine(ctx, lines[i], split, emptyResult()));
        left--;
      }
      // Every line asked for is read: the rest of the file is not.
      if (left === 0) break;
    }
  }
  return out;
}
