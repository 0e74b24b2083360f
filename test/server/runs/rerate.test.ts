import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CdrFormatRow, SheetRows } from '../../../rules/workbook/rows.js';
import { releaseCalls } from '../../../server/runs/release.js';
import { rerateRun } from '../../../server/runs/rerate.js';
import { InputError } from '../../../server/runs/run-errors.js';
import { sampleSlice } from '../http/runs-fixture.js';
import { loopEnv, rowsOf, type LoopEnv } from './closed-loop-env.js';

let env: LoopEnv;
beforeEach(async () => {
  env = await loopEnv();
});
afterEach(() => env.close());

const GENERIC = 'id,start,duration,caller,called,extension,direction,cost';
const total = (counts: Record<string, number | undefined>): number => Object.values(counts).reduce<number>((a, b) => a + (b ?? 0), 0);

/** 020 7946 1234, unknown to the sample, given to BRIGHT02. */
const addNumber = (rows: SheetRows): SheetRows => {
  const like = rows.numbers.find((n) => n.account === 'BRIGHT02' && n.status === 'Active')!;
  rows.numbers.push({ ...like, number: '442079461234', row: rows.numbers.length + 2 });
  return rows;
};

describe('re-rating and the fraud rules', () => {
  it('holds the calls that now have an owner and break a fraud rule; a release with the re-rate\'s version frees them', async () => {
    // Twelve calls in 44 seconds from a number version 1 does not know (the limit is 10 a minute).
    const calls = Array.from({ length: 12 }, (_, i) => `f${i},2026-10-09 09:00:${String(i * 4).padStart(2, '0')},30,020 7946 1234,0161 496 1111,,out,0.0100`);
    const run = await env.run([GENERIC, ...calls].join('\n') + '\n');
    expect(run.summary!.exceptions).toEqual({ UNKNOWN_NUMBER: 12 });
    const v2 = await env.version(addNumber);

    const r = await rerateRun(env, run.id, v2);
    expect(r).toMatchObject({ moved: 10, byReason: { UNKNOWN_NUMBER: 10 }, remaining: 2 });
    const held = rowsOf(await env.file(run.id, 'exceptions.csv'));
    expect(held.map((e) => [e[1], e[7]])).toEqual([
      ['12', 'SUSPECTED_FRAUD'],
      ['13', 'SUSPECTED_FRAUD'],
    ]);
    expect(held[0][8]).toContain('442079461234 made 11 calls within a minute');
    const s = env.service.runs.get(run.id)!.summary!;
    expect(s).toMatchObject({ input: 12, rated: 10, exceptions: { SUSPECTED_FRAUD: 2 } });

    // Released with the run's own version, the calls fail the owner step again: they stay, under that reason.
    const own = await releaseCalls(env, run.id, { lines: [{ file: run.files[0].name, line: 12 }] });
    expect(own).toMatchObject({ moved: 0, held: 1, failed: { UNKNOWN_NUMBER: 1 }, remaining: 2 });
    // With the re-rate's version the last one rates.
    const withV2 = await releaseCalls(env, run.id, { all: true }, v2);
    expect(withV2).toMatchObject({ moved: 1, held: 0, remaining: 1 });
    const after = env.service.runs.get(run.id)!.summary!;
    expect(after).toMatchObject({ rated: 11, exceptions: { UNKNOWN_NUMBER: 1 } });
    expect(after.input).toBe(after.rated + total(after.exceptions));
    expect(rowsOf(await env.file(run.id, 'rated.csv')).map((c) => c[1])).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '13']);
  });

  it('a held call that fails another step once released stays an exception under that reason', async () => {
    // IVY09 has no tariff: its twelve calls in a minute are NO_TARIFF, and the last two are held first.
    const calls = Array.from({ length: 12 }, (_, i) => `v${i},2026-10-09 09:00:${String(i * 4).padStart(2, '0')},30,0113 496 0090,0161 496 1111,,out,0.0100`);
    const run = await env.run([GENERIC, ...calls].join('\n') + '\n');
    expect(run.summary!.exceptions).toEqual({ NO_TARIFF: 10, SUSPECTED_FRAUD: 2 });
    const r = await releaseCalls(env, run.id, { all: true });
    expect(r).toEqual({ moved: 0, remaining: 12, held: 0, failed: { NO_TARIFF: 2 }, charge: '0.00' });
    expect(env.service.runs.get(run.id)!.summary!.exceptions).toEqual({ NO_TARIFF: 12 });
    const summary = JSON.parse(await env.file(run.id, 'exception-summary.json')) as { reasons: { reason: string; count: number; cost: string }[] };
    // The carrier cost is counted again from the kept file (exceptions.csv does not carry it).
    expect(summary.reasons).toEqual([expect.objectContaining({ reason: 'NO_TARIFF', count: 12, cost: '0.1200' })]);
  });
});

describe('re-rating and dedupe', () => {
  /** A CdrFormats format `pbx` (its own header), whose direction reads as given, or through a Transform. */
  const pbx = (transform: string) => (rows: SheetRows): SheetRows => {
    const row = (field: string, column: string, t = '', timeFormat = ''): CdrFormatRow => ({ row: 2, format: 'pbx', field, column, transform: t, timeFormat });
    rows.cdrFormats = [row('id', 'callid'), row('start', 'when', '', 'iso'), row('duration', 'secs'), row('caller', 'from'), row('called', 'to'), row('direction', 'dir', transform), row('cost', 'price')];
    return rows;
  };
  const file = [
    'callid,when,secs,from,to,dir,price',
    // t1 twice: the first with a direction version 1 cannot read, so the second was rated.
    't1,2026-10-09T10:00:00,60,020 7946 0001,0161 496 1111,O,0.01',
    't1,2026-10-09T10:00:00,60,020 7946 0001,0161 496 1111,out,0.01',
    't2,2026-10-09T10:05:00,60,020 7946 0001,0161 496 2222,O,0.01',
    't3,2026-10-09T10:10:00,60,020 7946 0001,0161 496 3333,out,0.01',
  ].join('\n');

  it('a record that becomes valid but repeats a call already rated turns DUPLICATE of it, never rated twice', async () => {
    const v1 = await env.version(pbx(''));
    const run = await env.run(file + '\n', v1);
    expect(run.summary).toMatchObject({ rated: 2, exceptions: { INVALID_RECORD: 2 } });
    const v2 = await env.version(pbx('value == "O" ? "out" : value'));
    const r = await rerateRun(env, run.id, v2);
    expect(r).toMatchObject({ moved: 1, byReason: { INVALID_RECORD: 1 }, remaining: 1 });
    const name = run.files[0].name;
    expect(rowsOf(await env.file(run.id, 'exceptions.csv')).map((e) => [e[1], e[7], e[8]])).toEqual([['2', 'DUPLICATE', `same call as ${name}:3`]]);
    expect(rowsOf(await env.file(run.id, 'rated.csv')).map((c) => [c[1], c[2]])).toEqual([
      ['3', 't1'],
      ['4', 't2'],
      ['5', 't3'],
    ]);
  });

  it('refuses a version that reads the files in another format, leaving the run and no stage folder behind', async () => {
    const v1 = await env.version(pbx(''));
    const run = await env.run(file + '\n', v1);
    const before = { rated: await env.file(run.id, 'rated.csv'), exceptions: await env.file(run.id, 'exceptions.csv'), entries: await env.entries(run.id) };
    // Version 1 of the store (the sample) has no pbx format: it cannot even read the file.
    await expect(rerateRun(env, run.id, 1)).rejects.toBeInstanceOf(InputError);
    expect(await env.entries(run.id)).toEqual(before.entries);
    expect(await env.file(run.id, 'rated.csv')).toBe(before.rated);
    expect(await env.file(run.id, 'exceptions.csv')).toBe(before.exceptions);
    expect(env.service.runs.get(run.id)!.revision).toBe(0);
  });
});

describe('changes to one run', () => {
  it('take turns: a re-rate and a release sent together both apply, input = rated + exceptions', async () => {
    const run = await env.run(await sampleSlice(0, 3235));
    const v2 = await env.version(addNumber);
    const before = run.summary!;
    const [r, rel] = await Promise.all([rerateRun(env, run.id, v2), releaseCalls(env, run.id, { all: true })]);
    expect(r).toMatchObject({ moved: 1, byReason: { UNKNOWN_NUMBER: 1 } });
    expect(rel.moved).toBe(before.exceptions.SUSPECTED_FRAUD);
    const s = env.service.runs.get(run.id)!;
    expect(s.revision).toBe(2);
    expect(s.summary!.rated).toBe(before.rated + 1 + rel.moved);
    expect(s.summary!.exceptions.SUSPECTED_FRAUD).toBeUndefined();
    expect(s.summary!.exceptions.UNKNOWN_NUMBER).toBe(1);
    expect(s.summary!.input).toBe(s.summary!.rated + total(s.summary!.exceptions));
    expect(rowsOf(await env.file(run.id, 'rated.csv'))).toHaveLength(s.summary!.rated);
    expect((await env.entries(run.id)).filter((e) => e.startsWith('.'))).toEqual([]);
  }, 60_000);
});
