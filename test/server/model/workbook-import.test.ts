// Importing on the import thread (server/model/workbook-import.ts): the same plain data as reading
// on this thread (rows key for key and in order, issues, hashes), the long lists sent back in slices;
// the reader's refusals as 415; a workbook that needs more memory than the thread may take as 413,
// with the process going on. And the command line's loadWorkbookFile has the zip bomb bound too.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileWorkbook } from '../../../rules/workbook/compile.js';
import { writeBenchWorkbook } from '../../../server/bench/bench-workbook.js';
import { loadWorkbookBytes, loadWorkbookFile } from '../../../server/model/workbook-file.js';
import { importWorkbookBytes, IN_THREAD_BYTES } from '../../../server/model/workbook-import.js';
import { SLICE_ITEMS } from '../../../server/model/import-protocol.js';
import { zipBombXlsx } from '../http/zip-bomb.js';

// Watched on this thread only: the import thread loads its own, untouched copy.
vi.mock('../../../rules/workbook/compile.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../rules/workbook/compile.js')>();
  return { ...real, compileWorkbook: vi.fn(real.compileWorkbook) };
});

const MiB = 1024 * 1024;
let dir: string;
let big: Buffer;
const sample = await readFile('workbooks/sample-uk-reseller.xlsx');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-import-'));
  // Over the in-thread cut, and Numbers longer than a slice.
  const path = join(dir, 'big.xlsx');
  await writeBenchWorkbook(path, { customers: 500, numbers: SLICE_ITEMS * 2 + 500, ranges: 100, destinations: 1000, tariffs: 3, rates: 1500 });
  big = await readFile(path);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('importWorkbookBytes', () => {
  it('compiles a big workbook on the import thread, never on this one; a small one here', async () => {
    vi.mocked(compileWorkbook).mockClear();
    const there = await importWorkbookBytes(big, 'big.xlsx', 50 * MiB);
    expect(there.ok).toBe(true);
    expect(compileWorkbook).not.toHaveBeenCalled();
    expect(sample.length).toBeLessThanOrEqual(IN_THREAD_BYTES);
    const here = await importWorkbookBytes(sample, 'sample.xlsx', 50 * MiB);
    expect(here.ok).toBe(true);
    expect(compileWorkbook).toHaveBeenCalledTimes(1);
  });

  it('on the import thread gives what reading here gives, lists in slices put back in order', async () => {
    expect(big.length).toBeGreaterThan(IN_THREAD_BYTES);
    const here = await loadWorkbookBytes(big, 'big.xlsx');
    if (!here.ok) throw new Error(here.error);
    const there = await importWorkbookBytes(big, 'big.xlsx', 50 * MiB);
    if (!there.ok) throw new Error(there.error);
    expect(there.value.rows.numbers.length).toBe(SLICE_ITEMS * 2 + 500);
    expect(JSON.stringify(there.value.rows)).toBe(JSON.stringify(here.value.rows));
    expect(there.value.issues).toEqual(here.value.issues);
    expect(there.value.hash).toBe(here.value.hash);
    expect(there.value.fileSha256).toBe(here.value.fileSha256);
    expect(there.value.bytes).toBe(big);
    expect(there.value.fileName).toBe('big.xlsx');
  });

  it('sends a long list of problems back in slices too, in order', async () => {
    // No customers: every one of 12,000 numbers names an unknown account.
    const path = join(dir, 'problems.xlsx');
    await writeBenchWorkbook(path, { customers: 0, numbers: SLICE_ITEMS + 2_000, ranges: 0, destinations: 100, tariffs: 1, rates: 100 });
    const bytes = await readFile(path);
    const here = await loadWorkbookBytes(bytes, 'problems.xlsx');
    if (!here.ok) throw new Error(here.error);
    const there = await importWorkbookBytes(bytes, 'problems.xlsx', 50 * MiB);
    if (!there.ok) throw new Error(there.error);
    expect(there.value.issues.length).toBeGreaterThan(SLICE_ITEMS);
    expect(there.value.issues).toEqual(here.value.issues);
    expect(there.value.hash).toBe(here.value.hash);
  });

  it("answers the reader's refusals as 415 from either thread", async () => {
    const bomb = await zipBombXlsx(sample, { inflatedBytes: 100 * MiB });
    expect(bomb.length).toBeGreaterThan(IN_THREAD_BYTES);
    expect(await importWorkbookBytes(bomb, 'bomb.xlsx', 50 * MiB)).toMatchObject({ ok: false, status: 415, error: expect.stringMatching(/^bomb\.xlsx is refused: it would unpack to more than 64 MB.*zip bomb$/) });
    const csv = Buffer.from('Account,Name\n' + 'ACME01,Acme\n'.repeat(10_000));
    expect(csv.length).toBeGreaterThan(IN_THREAD_BYTES);
    expect(await importWorkbookBytes(csv, 'calls.xlsx', 50 * MiB)).toMatchObject({ ok: false, status: 415, error: expect.stringMatching(/calls\.xlsx is not an \.xlsx workbook \(it looks like CSV text\)/) });
    expect(await importWorkbookBytes(csv.subarray(0, 1000), 'small.xlsx', 50 * MiB)).toMatchObject({ ok: false, status: 415 });
  });

  it('a workbook that needs more memory than the import thread may take is 413, and the next import works', async () => {
    const r = await importWorkbookBytes(big, 'big.xlsx', 50 * MiB, { heapMb: 16 });
    expect(r).toEqual({ ok: false, status: 413, error: 'big.xlsx is too big to read: it needs more than the 16 MB of memory an import may take' });
    const again = await importWorkbookBytes(big, 'big.xlsx', 50 * MiB);
    expect(again.ok).toBe(true);
  });
});

describe("the command line's loadWorkbookFile", () => {
  it('refuses a zip bomb as it inflates, naming the file', async () => {
    const path = join(dir, 'bomb.xlsx');
    await writeFile(path, await zipBombXlsx(sample, { inflatedBytes: 3 * 1024 * MiB }));
    const r = await loadWorkbookFile(path);
    expect(r.ok).toBe(false);
    // A 3 MB file may unpack to 100 times its size.
    if (!r.ok) expect(r.error).toMatch(/^bomb\.xlsx is refused: it would unpack to more than \d+ MB \(it inflates past \d+ MB by xl\/worksheets\/sheet2\.xml\), .*zip bomb$/);
  });
});
