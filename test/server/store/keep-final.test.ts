// A period made final (by the server or by `ratebook bill --data --final`) is kept whole and on
// disk before the ledger names it: the files are fsynced in a .keep- folder, that folder renamed
// into history/<period>, the history folder fsynced, and the ledger written last.

import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepFinalRun, loadHistory } from '../../../server/store/billing-history.js';
import * as durable from '../../../server/store/durable-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ratebook-keep-final-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function billFiles(at: string, text: string): Promise<void> {
  await mkdir(join(at, 'invoices'), { recursive: true });
  await writeFile(join(at, 'invoices.csv'), `invoice,total\nNWV-000001,${text}\n`);
  await writeFile(join(at, 'invoices', 'NWV-000001.html'), `<p>${text}</p>`);
}

describe('keepFinalRun', () => {
  it('syncs the files before they are in history/<period>, the history folder after, and writes the ledger last', async () => {
    const data = join(dir, 'data');
    const out = join(dir, 'out');
    await billFiles(out, '12.00');
    const steps: string[] = [];
    const history = join(data, 'history');
    const { syncTree, syncDir } = durable;
    vi.spyOn(durable, 'syncTree').mockImplementation(async (path) => {
      steps.push(`tree ${path.startsWith(join(history, '.keep-')) ? '.keep' : path} kept=${existsSync(join(history, '2026-10'))}`);
      expect(readdirSync(path).sort()).toEqual(['invoices', 'invoices.csv']);
      return syncTree(path);
    });
    vi.spyOn(durable, 'syncDir').mockImplementation(async (path) => {
      if (path === history) steps.push(`dir history kept=${existsSync(join(history, '2026-10'))} ledger=${existsSync(join(history, 'ledger.json'))}`);
      return syncDir(path);
    });
    const next = await keepFinalRun(data, '2026-10', out, ['invoices.csv', 'invoices'], { period: '2026-10', nextSequence: 2, billedCalls: ['a.csv:2'], features: [] });
    expect(steps[0]).toBe('tree .keep kept=false');
    expect(steps).toContain('dir history kept=true ledger=false');
    expect(next.finalPeriods).toEqual(['2026-10']);
    expect((await loadHistory(data)).finalPeriods).toEqual(['2026-10']);
    expect(await readFile(join(history, '2026-10', 'invoices', 'NWV-000001.html'), 'utf8')).toBe('<p>12.00</p>');
    expect(readdirSync(history).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it('replaces what an earlier, interrupted attempt left in history/<period>', async () => {
    const data = join(dir, 'data');
    await billFiles(join(data, 'history', '2026-10'), 'half written');
    await writeFile(join(data, 'history', '2026-10', 'stray.csv'), 'x');
    const out = join(dir, 'out');
    await billFiles(out, '12.00');
    await keepFinalRun(data, '2026-10', out, ['invoices.csv', 'invoices'], { period: '2026-10', nextSequence: 2, billedCalls: [], features: [] });
    expect(readdirSync(join(data, 'history', '2026-10')).sort()).toEqual(['invoices', 'invoices.csv']);
    expect(await readFile(join(data, 'history', '2026-10', 'invoices.csv'), 'utf8')).toContain('12.00');
  });
});
