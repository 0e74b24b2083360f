// The seconds-long work on a version's rows, on a thread of its own so the server's main thread
// goes on answering (model-thread.ts is the other side): its sql.js model built and sent back as
// the bytes of the database file, which the main thread opens in tens of ms; or the diff of two
// versions, sent back as the page the route answers. Each job reads the rows.json files itself.

import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { SheetRows } from '../../rules/workbook/rows.js';
import { runInBackground } from '../runs/background-priority.js';
import { diffAnswer, type DiffTabAnswer } from './diff-answer.js';
import { modelDbBytes } from './model-db.js';

export type ModelJob =
  /** The sql.js model of DIR/versions/<seq>/rows.json. */
  | { kind: 'db'; rowsPath: string }
  /** The diff from one rows.json to another, at most `limit` rows per tab and kind. */
  | { kind: 'diff'; fromPath: string; toPath: string; limit: number };

export type ModelAnswer = { kind: 'db'; bytes: Uint8Array } | { kind: 'diff'; tabs: DiffTabAnswer[] } | { kind: 'failed'; error: string };

const rowsAt = async (path: string): Promise<SheetRows> => JSON.parse(await readFile(path, 'utf8')) as SheetRows;

async function run(job: ModelJob): Promise<void> {
  if (job.kind === 'db') {
    const bytes = await modelDbBytes(await rowsAt(job.rowsPath));
    parentPort!.postMessage({ kind: 'db', bytes } satisfies ModelAnswer, [bytes.buffer as ArrayBuffer]);
  } else {
    const [from, to] = await Promise.all([rowsAt(job.fromPath), rowsAt(job.toPath)]);
    parentPort!.postMessage({ kind: 'diff', tabs: diffAnswer(from, to, job.limit) } satisfies ModelAnswer);
  }
}

runInBackground();
run(workerData as ModelJob).catch((e: unknown) => parentPort!.postMessage({ kind: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies ModelAnswer));
