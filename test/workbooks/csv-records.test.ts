import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords, type CsvRecord } from '../../workbooks/csv-records.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-csv-records-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function records(text: string): Promise<CsvRecord[]> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(path, text);
  const out: CsvRecord[] = [];
  for await (const batch of csvRecords(path)) out.push(...batch);
  return out;
}

describe('csvRecords', () => {
  it('gives each record its first line number; a quoted field may hold line breaks and quotes', async () => {
    expect(await records('a,b\n1,"x\ny"\n2,"say ""hi"", then\r\ngo"\n3,\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'x\ny'] },
      { line: 4, fields: ['2', 'say "hi", then\r\ngo'] },
      { line: 6, fields: ['3', ''] },
    ]);
  });

  it('reads a last line without a newline, and marks a quote never closed', async () => {
    expect(await records('a\n1')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['1'] },
    ]);
    expect(await records('a\n"cut\nshort')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: null },
    ]);
  });

  it('reads records across the reader\'s chunks', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},"${'x'.repeat(i % 50)}\n${i}"`);
    const got = await records(['h', ...rows].join('\n') + '\n');
    expect(got).toHaveLength(30_001);
    expect(got[30_000]).toEqual({ line: 60_000, fields: ['29999', `${'x'.repeat(29_999 % 50)}\n29999`] });
  });
});
