// A rating worker thread: builds the model once, then rates batches of lines with rateBatch and
// sends the results back in the order received. Dedupe and fraud stay on the main thread.

import { parentPort } from 'node:worker_threads';
import { buildRatingModel, type RatingModel } from '../../rules/rating/rating-model.js';
import type { SheetRows } from '../../rules/workbook/rows.js';
import type { ColumnPositions } from '../../rules/workbook/parse.js';
import { compileFormat } from '../../rules/cdr/cdr-format.js';
import { batchBuffers, lineContext, rateBatch, type BatchBuffers, type LineContext } from '../../rules/rating/rate-line.js';
import { RowBytes } from '../../rules/rating/row-bytes.js';
import { NOT_SPLIT, TOO_LONG } from '../../rules/cdr/csv-split.js';

export type WorkerRequest =
  | { kind: 'init'; rows: SheetRows | string; positions: ColumnPositions }
  | { kind: 'file'; name: string; format: string; header: string[] | null; lane: boolean }
  /**
   * A batch: the text its n lines are in, and `spans`: their numbers (negated for a line the reader
   * cut for its length), then where each starts in the text, then where each ends (3n in all).
   */
  | { kind: 'batch'; id: number; spans: Int32Array; block: string }
  /** A settled batch's buffers, handed back to be filled again (new buffers every batch kept V8 collecting for their external memory). */
  | { kind: 'recycle'; rows: ArrayBuffer; keys: ArrayBuffer; columns: ArrayBuffer };

let model: RatingModel | null = null;
let ctx: LineContext | null = null;
const spare: BatchBuffers[] = [];

parentPort?.on('message', (m: WorkerRequest) => {
  switch (m.kind) {
    case 'init':
      model = buildRatingModel(typeof m.rows === 'string' ? (JSON.parse(m.rows) as SheetRows) : m.rows, m.positions);
      parentPort!.postMessage({ kind: 'ready' });
      return;
    case 'file': {
      if (!model) throw new Error('worker not initialised');
      const format = compileFormat(m.format, m.header, model.rows.cdrFormats, model.zone);
      if (!format.ok) throw new Error(format.error);
      ctx = lineContext(model, { file: m.name, plan: model.plan, billable: new Set(model.settings.billableDispositions), format: format.value }, false, m.lane);
      return;
    }
    case 'batch': {
      if (!ctx) throw new Error('worker has no file');
      const n = m.spans.length / 3;
      const lines = m.spans.subarray(0, n);
      const fields = new Array<string[] | null>(n);
      for (let i = 0; i < n; i++) {
        fields[i] = lines[i] < 0 ? TOO_LONG : NOT_SPLIT;
        if (lines[i] < 0) lines[i] = -lines[i];
      }
      const texts = { source: m.block, from: m.spans.subarray(n, 2 * n), to: m.spans.subarray(2 * n) };
      const packed = rateBatch(ctx, lines, texts, fields, true, spare.pop() ?? batchBuffers());
      // The three buffers move to the main thread whole (the columns are views on one of them).
      const transfer = [...new Set([packed.columns, packed.rows.buffer as ArrayBuffer, packed.keyBytes.buffer as ArrayBuffer])];
      parentPort!.postMessage({ kind: 'results', id: m.id, results: packed }, transfer);
      return;
    }
    case 'recycle':
      spare.push({ rows: RowBytes.over(new Uint8Array(m.rows)), keys: RowBytes.over(new Uint8Array(m.keys)), columns: m.columns });
      return;
  }
});
