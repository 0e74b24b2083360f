import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvWriter } from '../../workbooks/csv-writer.js';

describe('CsvWriter rowBytes', () => {
  it('writes rows encoded into rowBytes() in order with lines, byte arrays and the header, on close too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'csv-writer-'));
    try {
      const path = join(dir, 'out.csv');
      const w = new CsvWriter(path, ['a', 'b']);
      const rows = w.rowBytes();
      rows.field('1');
      rows.byte(10);
      w.writeLine('2\n');
      rows.field('x,"y"');
      rows.byte(10);
      w.takeRows();
      rows.field('=3');
      rows.byte(10);
      w.writeBytes(Buffer.from('4\n'));
      w.write(['5', 'é']);
      rows.field('6');
      rows.byte(10);
      await w.close();
      expect(await readFile(path, 'utf8')).toBe('a,b\n1\n2\n"x,""y"""\n\'=3\n4\n5,é\n6\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
