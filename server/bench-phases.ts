// The measured steps of the benchmark, each run alone in a child process by bench.ts.

import { writeBenchWorkbook } from './bench-workbook.js';
import { readWorkbookFile, streamReadBaseline } from '../workbooks/workbook-reader.js';
import { parseWorkbook } from '../rules/parse.js';
import { checkWorkbook } from '../rules/crosscheck.js';
import { buildRatingModel } from '../rules/rating-model.js';
import { buildModelDb } from './model-db.js';

export type PhaseOutput = { name: string; rows?: number; extra?: Record<string, string | number> };

const timed = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const v = await f();
  return [v, Math.round(performance.now() - t0)];
};

export const benchPhases: Record<string, (args: string[]) => Promise<PhaseOutput>> = {
  'write-workbook': async ([file]) => {
    await writeBenchWorkbook(file);
    return { name: 'write bench workbook' };
  },
  'read-baseline': async ([file]) => {
    const rows = await streamReadBaseline(file);
    return { name: 'baseline: exceljs streaming read', rows };
  },
  compile: async ([file]) => {
    const [raw, readMs] = await timed(() => readWorkbookFile(file, { maxBytes: 1e9 }));
    if (!raw.ok) throw new Error(raw.error);
    const rows = raw.value.sheets.reduce((n, s) => n + s.rows.length, 0);
    const [parsed, parseMs] = await timed(() => parseWorkbook(raw.value));
    const [issues, checkMs] = await timed(() => checkWorkbook(parsed.rows, parsed.positions));
    const [, modelMs] = await timed(() => buildRatingModel(parsed.rows));
    const [, dbMs] = await timed(() => buildModelDb(parsed.rows));
    const errors = [...parsed.issues, ...issues].filter((i) => i.severity === 'error').length;
    return {
      name: 'read + validate + compile',
      rows,
      extra: { read_ms: readMs, parse_ms: parseMs, check_ms: checkMs, model_ms: modelMs, sqljs_ms: dbMs, errors },
    };
  },
};
