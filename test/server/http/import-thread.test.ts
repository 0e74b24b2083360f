// A big workbook imported over a real `ratebook serve` (the bundle, with .build/import-worker.mjs)
// while the server goes on answering: the upload is read, compiled and hashed on the import
// thread, so GET /api/health is answered — five times over, one after another — after the upload
// has landed and before the import answers. (That the compiling never happens on the main thread
// is asserted in test/server/model/workbook-import.test.ts; how long the main thread is held,
// before and after, is measured, not tested.)

import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBenchWorkbook } from '../../../server/bench/bench-workbook.js';
import { signal, startServerProcess, type ServerProcess } from './server-process.js';

const ADMIN = 'import-thread-admin-token-0123';
let root: string;
let dataDir: string;
let server: ServerProcess;
let workbook: Buffer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ratebook-import-thread-'));
  dataDir = join(root, 'data');
  const path = join(root, 'big.xlsx');
  // About 60,000 rows: seconds to read and compile, far over the in-thread cut.
  await writeBenchWorkbook(path, { customers: 3_000, numbers: 30_000, ranges: 1_000, destinations: 8_000, tariffs: 5, rates: 20_000 });
  workbook = await readFile(path);
  server = await startServerProcess(dataDir, { RATEBOOK_ADMIN_TOKEN: ADMIN });
}, 120_000);
afterAll(async () => {
  if (server) {
    signal(server, 'SIGTERM');
    await server.exited;
  }
  await rm(root, { recursive: true, force: true });
});

/** Resolves once the upload's temp file in DIR/uploads holds all of its bytes. */
async function landed(bytes: number): Promise<void> {
  const dir = join(dataDir, 'uploads');
  for (;;) {
    for (const name of await readdir(dir).catch(() => [])) {
      if ((await stat(join(dir, name)).catch(() => null))?.size === bytes) return;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('importing a big workbook', () => {
  it('leaves the server answering: health is answered while the import is still being read', async () => {
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(workbook)]), 'big.xlsx');
    let imported = false;
    const upload = fetch(new URL('api/versions', server.url), { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body: fd }).then((r) => {
      imported = true;
      return r;
    });
    await landed(workbook.length);
    const pendingAtHealth: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const h = await fetch(new URL('api/health', server.url));
      expect(h.status).toBe(200);
      expect(await h.json()).toEqual({ ok: true });
      pendingAtHealth.push(!imported);
    }
    expect(pendingAtHealth).toEqual([true, true, true, true, true]);
    const r = await upload;
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({ seq: 2, existing: false, errors: 0 });
    const list = (await (await fetch(new URL('api/versions/2', server.url), { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { fileName: string };
    expect(list.fileName).toBe('big.xlsx');
  }, 120_000);
});
