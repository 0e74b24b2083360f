// Runs a model job (model-worker.ts: a version's sql.js model, a diff) on a thread of its own and
// waits for its one answer. The callers decide what is big enough to go there; without the worker
// script (a bundle built without it) they do the work on the main thread, as before.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store/store.js';
import type { ModelAnswer, ModelJob } from './model-worker.js';

/** The bundled worker beside the bundled server; under tsx/vitest, the TypeScript source; null when neither is there. */
export function modelWorkerScript(): URL | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return new URL('./model-worker-dev.mjs', import.meta.url);
  const url = new URL('./model-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Where a version's rows are kept (store.ts: DIR/versions/<seq>/rows.json): the thread reads them itself. */
export const rowsPathOf = (store: Store, seq: number): string => join(store.versionsDir, String(seq), 'rows.json');

export function onModelThread<K extends ModelJob['kind']>(script: URL, job: Extract<ModelJob, { kind: K }>): Promise<Extract<ModelAnswer, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    let answered = false;
    worker.once('message', (m: ModelAnswer) => {
      answered = true;
      if (m.kind === 'failed') reject(new Error(`the model thread failed: ${m.error}`));
      else resolve(m as Extract<ModelAnswer, { kind: K }>);
      void worker.terminate();
    });
    worker.once('error', (e) => {
      answered = true;
      reject(new Error(`the model thread failed: ${e.stack ?? e.message}`));
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the model thread stopped (exit code ${code}) before it answered`));
    });
  });
}
