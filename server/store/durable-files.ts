// fsync, the one copy the data directory uses (SPEC §7 Durability: temp file, fsync, rename). A
// rename survives a power cut only if the file's bytes were on disk before it and the directory
// holding the new name is synced after it: callers sync each file before they rename it, and the
// directory once the renames are done.
//
// Tests spy on these through the module (vi.spyOn) to see what was synced and when, so callers
// import them rather than keeping a copy.

import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** Writes and fsyncs a new file (it must not matter if it is torn: callers write temp names). */
export async function writeSynced(path: string, data: string | Uint8Array, flag = 'wx'): Promise<void> {
  const fh = await open(path, flag);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * fsyncs a file written earlier (through another descriptor: the kernel keeps the file's dirty
 * pages, not the descriptor's). Opened for writing, as Windows flushes only such a handle; a
 * failure is thrown, since a file that may not be on disk must not be published.
 */
export async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsyncs a directory so a rename in it is durable; a no-op where directories cannot be opened or synced (Windows). */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EACCES', 'EBADF'].includes(errCode(e) ?? '')) throw e;
  } finally {
    await fh?.close();
  }
}

/** fsyncs every file under dir, then the folders, so a rename of dir publishes what is on disk. */
export async function syncTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) await syncTree(join(dir, e.name));
    else await syncFile(join(dir, e.name));
  }
  await syncDir(dir);
}
