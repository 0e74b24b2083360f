// The diff of two versions for GET /api/versions/:seq/diff: small ones here from the cached rows,
// big ones (both rows.json files together DIFF_IN_THREAD_BYTES or more) on the model thread, which
// reads the two files itself and sends back only the page answered — diffing 170,000 rows against
// as many takes about a second.

import { stat } from 'node:fs/promises';
import { notFound } from '../http/errors.js';
import type { Store } from '../store/store.js';
import { diffAnswer, type DiffTabAnswer } from './diff-answer.js';
import { modelWorkerScript, onModelThread, rowsPathOf } from './model-thread.js';
import { versionModel } from './version-cache.js';

/** Both rows.json files together under this size (about 8,000 rows) are diffed on the main thread. */
export const DIFF_IN_THREAD_BYTES = 2 * 1024 * 1024;

/** Version `against` -> version `seq`, per tab; 404 when either is not there. */
export async function diffVersions(ctx: { readonly store: Store }, seq: number, against: number, limit: number): Promise<DiffTabAnswer[]> {
  for (const s of [seq, against]) if (!(await ctx.store.getVersion(s))) throw notFound(`there is no version ${s}`);
  const fromPath = rowsPathOf(ctx.store, against);
  const toPath = rowsPathOf(ctx.store, seq);
  const script = modelWorkerScript();
  const bytes = (await stat(fromPath)).size + (await stat(toPath)).size;
  if (script === null || bytes < DIFF_IN_THREAD_BYTES) {
    const [to, from] = await Promise.all([versionModel(ctx, seq), versionModel(ctx, against)]);
    return diffAnswer(from.rows, to.rows, limit);
  }
  return (await onModelThread(script, { kind: 'diff', fromPath, toPath, limit })).tabs;
}
