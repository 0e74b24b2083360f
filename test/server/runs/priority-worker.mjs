// A thread for background-priority.test.ts: lowers its own priority as the run and bill threads
// do, then says what its nice value, and that of a thread it starts, are.
import { readFileSync } from 'node:fs';
import { parentPort, Worker } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runInBackground } = await import('../../../server/runs/background-priority.ts');
const niceOfThisThread = () => Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]);

runInBackground();
const child = new Worker("require('node:worker_threads').parentPort.postMessage(Number(require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]))", { eval: true });
const childNice = await new Promise((resolve) => child.once('message', resolve));
await child.terminate();
parentPort.postMessage({ nice: niceOfThisThread(), childNice });
