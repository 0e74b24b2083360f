// The zip bomb bound inside the .xlsx reader (workbooks/xlsx-parts.ts): every part counted as it
// inflates, the file refused as soon as the total passes its allowance (100 times the file, at
// least 64 MiB, at most 20 times the size limit), at once when the zip headers declare more than
// that, and a part that inflates past its declared size never parsed past it.

import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { readWorkbookBuffer } from '../../workbooks/workbook-reader.js';
import { inflationAllowance, workbookInflationBounds } from '../../workbooks/xlsx-parts.js';
import { zipBombXlsx } from '../server/http/zip-bomb.js';

const MiB = 1024 * 1024;
const sample = await readFile('workbooks/sample-uk-reseller.xlsx');

describe('the inflation bound', () => {
  it('is 100 times the file, at least 64 MiB, at most 20 times the size limit', () => {
    const b = workbookInflationBounds(50 * MiB);
    expect(inflationAllowance(50_000, b)).toBe(64 * MiB);
    expect(inflationAllowance(2 * MiB, b)).toBe(200 * MiB);
    expect(inflationAllowance(40 * MiB, b)).toBe(1000 * MiB);
  });

  it('refuses a sheet that inflates past it while lying about its size, naming the file and the part', async () => {
    const bomb = await zipBombXlsx(sample, { inflatedBytes: 100 * MiB });
    expect(bomb.length).toBeLessThan(MiB);
    const r = await readWorkbookBuffer(bomb, { name: 'bomb.xlsx' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('bomb.xlsx is refused: it would unpack to more than 64 MB (it inflates past 64 MB by xl/worksheets/sheet2.xml), far more than a workbook of its size does: it looks like a zip bomb');
  });

  it('refuses at once what the zip headers declare past it', async () => {
    const bomb = await zipBombXlsx(sample, { inflatedBytes: 100 * MiB, honestSize: true });
    const r = await readWorkbookBuffer(bomb, { name: 'honest.xlsx' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^honest\.xlsx is refused: it would unpack to more than 64 MB \(its zip headers say 100 MB\).*zip bomb$/);
  });

  it('follows the size limit it is read with', async () => {
    const bomb = await zipBombXlsx(sample, { inflatedBytes: 30 * MiB });
    // 20 times a 1 MiB limit: 20 MiB, below the 64 MiB floor.
    const r = await readWorkbookBuffer(bomb, { name: 'b.xlsx', maxBytes: MiB });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^b\.xlsx is refused: it would unpack to more than 20 MB \(it inflates past 20 MB/);
  });

  it('covers the parts read whole too (xl/workbook.xml)', async () => {
    const bomb = await zipBombXlsx(sample, { inflatedBytes: 100 * MiB, sheet: 'xl/workbook.xml', honestSize: false });
    const r = await readWorkbookBuffer(bomb, { name: 'book.xlsx' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^book\.xlsx is refused: .*by xl\/workbook\.xml\)/);
  });

  it('a part inflating past its declared size but within the bound is corrupt, and is not parsed past that size', async () => {
    const liar = await zipBombXlsx(sample, { inflatedBytes: 8 * MiB });
    const r = await readWorkbookBuffer(liar, { name: 'liar.xlsx' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('liar.xlsx is corrupt: xl/worksheets/sheet2.xml inflates to more than the 4096 bytes its zip header declares');
  });

  it('reads a real workbook as before', async () => {
    const r = await readWorkbookBuffer(sample, { name: 'sample.xlsx', maxBytes: MiB });
    expect(r.ok).toBe(true);
  });
});
