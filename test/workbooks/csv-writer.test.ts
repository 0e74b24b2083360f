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

describe('CsvWriter writeBytes', () => {
  it('copies lent bytes it keeps (a large block the caller writes into again) and keeps its own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'csv-writer-lent-'));
    try {
      const path = join(dir, 'out.csv');
      const w = new CsvWriter(path);
      const block = new Uint8Array(600_000).fill(97); // 'a', over a quarter of a chunk: kept, not copied into one
      block[block.length - 1] = 10;
      w.writeBytes(block, true);
      block.fill(98); // the caller reuses its buffer at once
      block[block.length - 1] = 10;
      w.writeBytes(block.subarray(0, 10)); // small: copied into the chunk whatever the flag
      await w.close();
      const text = await readFile(path, 'latin1');
      expect(text.length).toBe(600_010);
      expect(text.slice(0, 599_999)).toBe('a'.repeat(599_999));
      expect(text.slice(600_000)).toBe('bbbbbbbbbb');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('CsvWriter chunks', () => {
  it('keeps every byte in order across many 1 MiB chunks, filling written chunks again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'csv-writer-chunks-'));
    try {
      const path = join(dir, 'out.csv');
      const w = new CsvWriter(path, ['n', 'text']);
      const expected: string[] = ['n,text\n'];
      const block = new Uint8Array(200);
      for (let i = 0; i < 200_000; i++) {
        // Lines of three kinds, so chunks fill from strings, values and bytes alike.
        if (i % 3 === 0) {
          const line = `${i},line ${i} ${'x'.repeat(i % 50)}\n`;
          w.writeLine(line);
          expected.push(line);
        } else if (i % 3 === 1) {
          w.write([i, `value, ${i}`]);
          expected.push(`${i},"value, ${i}"\n`);
        } else {
          const text = `${i},bytes ${i}\n`;
          for (let k = 0; k < text.length; k++) block[k] = text.charCodeAt(k);
          w.writeBytes(block.subarray(0, text.length), true);
          expected.push(text);
        }
        if (i % 5000 === 0) await w.ready();
      }
      await w.close();
      const got = await readFile(path, 'utf8');
      expect(got.length).toBeGreaterThan(4 << 20);
      expect(got).toBe(expected.join(''));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
