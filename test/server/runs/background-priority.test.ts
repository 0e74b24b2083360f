import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE } from '../../../server/runs/background-priority.js';

const niceOfThisThread = (): number => Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]);

describe('runInBackground', () => {
  it.runIf(process.platform === 'linux')('lowers the calling thread and the threads it starts, never the thread that answers requests', async () => {
    const before = niceOfThisThread();
    const worker = new Worker(new URL('./priority-worker.mjs', import.meta.url));
    const seen = await new Promise<{ nice: number; childNice: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(seen.nice).toBe(Math.min(19, before + BACKGROUND_NICE));
    expect(seen.childNice).toBe(seen.nice);
    expect(niceOfThisThread()).toBe(before);
  });
});
