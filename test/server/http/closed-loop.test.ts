import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitCsvLine } from '../../../rules/cdr/csv-split.js';
import { parseMicro } from '../../../rules/money.js';
import { RATED_HEADER } from '../../../rules/rating/call-rows.js';
import type { Role } from '../../../server/http/roles.js';
import { closedLoopFixture, importEdited, type ClosedLoopFixture } from './closed-loop-fixture.js';
import { columnOf, rowWhere } from './workbook-edits.js';

let f: ClosedLoopFixture;
beforeAll(async () => {
  f = await closedLoopFixture();
}, 120_000);
afterAll(() => f.close());

type Summary = { input: number; rated: number; exceptions: Record<string, number>; charge: string; cost: string };
type Change = { before: string; after: string; change: string; callsBefore: number; callsAfter: number };
type Totals = { input: number; rated: number; exceptions: number; byReason: Record<string, number>; charge: string; cost: string };
type WhatIf = { before: Totals; after: Totals; byCustomer: (Change & { account: string })[]; byClass: (Change & { class: string })[]; byDestination: (Change & { destination: string })[] };

const json = async <T = Record<string, unknown>>(r: Response): Promise<T> => (await r.json()) as T;
const micro = (text: string): number => {
  const m = parseMicro(text);
  if (!m.ok) throw new Error(`not an amount: ${text}`);
  return m.value;
};
const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
const post = (path: string, body: unknown, role: Role | null = 'admin'): Promise<Response> => f.call('POST', path, { role, body });
const summaryOf = async (id = f.run): Promise<Summary> => (await json<{ summary: Summary }>(await f.call('GET', `/api/runs/${id}`))).summary;
const runFile = (name: string, id = f.run): Promise<string> => readFile(join(f.ctx.dataDir, 'runs', String(id), name), 'utf8');
/** rated.csv's rows by file:line. */
const ratedRows = async (): Promise<Map<string, string[]>> => {
  const lines = (await runFile('rated.csv')).trimEnd().split('\n');
  expect(lines[0]).toBe(RATED_HEADER.join(','));
  return new Map(lines.slice(1).map((l) => splitCsvLine(l)!).map((r) => [`${r[0]}:${r[1]}`, r]));
};
const chargeOf = (rows: Iterable<string[]>): number => [...rows].reduce((n, r) => n + micro(r[17]), 0);
/** Every file a run's folder holds, with its bytes (nothing may change under a what-if). */
const snapshot = async (id = f.run): Promise<Record<string, string>> => {
  const dir = join(f.ctx.dataDir, 'runs', String(id));
  const out: Record<string, string> = {};
  for (const e of await readdir(dir)) if (e !== 'cdrs') out[e] = await readFile(join(dir, e), 'utf8').catch(() => '(a folder)');
  return out;
};
const audit = async (): Promise<{ action: string; who: string; role: string; target: string; version?: number; detail?: string }[]> =>
  (await json<{ entries: { action: string; who: string; role: string; target: string; version?: number; detail?: string }[] }>(await f.call('GET', '/api/audit?limit=50'))).entries;

/** IVY09's whole change in the what-if against version 2, kept for the re-rate to match. */
let ivyChange = 0;

describe('POST /api/runs/:id/whatif', () => {
  it('rates the run with version 2 and compares by customer, class and destination, changing nothing', async () => {
    const before = await snapshot();
    const r = await post(`/api/runs/${f.run}/whatif`, { version: f.v2 }, 'commercial');
    expect(r.status).toBe(200);
    const w = await json<WhatIf>(r);
    const s = await summaryOf();
    expect(w.before).toEqual({ input: 3235, rated: s.rated, exceptions: sum(s.exceptions), byReason: s.exceptions, charge: s.charge, cost: s.cost });
    // Version 2 rates IVY09's calls that had no tariff (one now lacks a rate) and the unknown number.
    expect(w.after.rated).toBe(w.before.rated + 43);
    expect(w.after.byReason.NO_TARIFF).toBeUndefined();
    expect(w.after.byReason.NO_RATE).toBe(s.exceptions.NO_RATE + 1);
    expect(w.after.byReason.UNKNOWN_NUMBER).toBe(1);
    expect(w.after.input).toBe(w.after.rated + w.after.exceptions);
    const ivy = w.byCustomer.find((c) => c.account === 'IVY09')!;
    expect(ivy).toMatchObject({ before: '0.00', callsBefore: 0, callsAfter: 42 });
    expect(micro(ivy.change)).toBe(micro(ivy.after));
    expect(micro(ivy.after)).toBeGreaterThan(0);
    ivyChange = micro(ivy.change);
    // Biggest change first; every group's change is after − before; the changes add up to the total's, exactly.
    expect(w.byCustomer[0].account).toBe('IVY09');
    for (const groups of [w.byCustomer, w.byClass, w.byDestination] as Change[][]) {
      for (const g of groups) expect(micro(g.change)).toBe(micro(g.after) - micro(g.before));
      expect(groups.reduce((n, g) => n + micro(g.change), 0)).toBe(micro(w.after.charge) - micro(w.before.charge));
      expect(groups.reduce((n, g) => n + g.callsAfter, 0)).toBe(w.after.rated);
    }
    expect(w.byCustomer.find((c) => c.account === 'ACME01')!.change).toBe('0.00');
    // Nothing in the run changed, and the pass's folder is gone.
    expect(await snapshot()).toEqual(before);
    expect(Object.keys(before).some((n) => n.startsWith('.stage-'))).toBe(false);
  }, 60_000);

  it('401 without a token; 404 for an unknown run or version; 400 for a version that is not a number; 409 for a run not done', async () => {
    expect((await post(`/api/runs/${f.run}/whatif`, { version: f.v2 }, null)).status).toBe(401);
    expect((await post('/api/runs/99/whatif', { version: f.v2 })).status).toBe(404);
    const noVersion = await post(`/api/runs/${f.run}/whatif`, { version: 99 });
    expect(noVersion.status).toBe(404);
    expect((await json<{ error: string }>(noVersion)).error).toContain('version 99');
    const text = await post(`/api/runs/${f.run}/whatif`, { version: String(f.v2) });
    expect(text.status).toBe(400);
    expect((await json<{ issues: { at: string }[] }>(text)).issues[0].at).toBe('body.version');
    expect((await post(`/api/runs/${f.run}/whatif`, { version: 0 })).status).toBe(400);
    expect((await post(`/api/runs/${f.run}/whatif`, { version: f.v2, extra: 1 })).status).toBe(400);
    expect((await f.call('POST', `/api/runs/${f.run}/whatif`, { body: '{"version":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await post(`/api/runs/${await queuedRun()}/whatif`, { version: f.v2 })).status).toBe(409);
  });
});

describe('POST /api/runs/:id/rerate', () => {
  it('refuses commercial (403) and callers without a token (401); 404 unknown run or version; 409 a run not done; 400 wrong types', async () => {
    const path = `/api/runs/${f.run}/rerate`;
    expect((await post(path, { version: f.v2 }, 'commercial')).status).toBe(403);
    expect((await post(path, { version: f.v2 }, null)).status).toBe(401);
    expect((await post('/api/runs/99/rerate', { version: f.v2 }, 'clerk')).status).toBe(404);
    expect((await post('/api/runs/abc/rerate', { version: f.v2 }, 'clerk')).status).toBe(400);
    expect((await post(path, { version: 99 }, 'clerk')).status).toBe(404);
    expect((await post(path, { version: 'two' }, 'clerk')).status).toBe(400);
    expect((await post(path, {}, 'clerk')).status).toBe(400);
    expect((await post(`/api/runs/${await queuedRun()}/rerate`, { version: f.v2 }, 'clerk')).status).toBe(409);
    // None of these changed the run.
    expect((await summaryOf()).rated).toBe(3049);
  });

  it('409 for a version with errors, which cannot rate', async () => {
    const broken = await importEdited(
      f.ctx.store,
      (wb) => {
        const ws = wb.getWorksheet('Customers')!;
        rowWhere(ws, { Account: 'IVY09' }).getCell(columnOf(ws, 'Tariff')).value = 'NoSuchTariff';
      },
      'broken.xlsx',
    );
    expect((await f.ctx.store.getVersion(broken))!.counts.error).toBeGreaterThan(0);
    const r = await post(`/api/runs/${f.run}/rerate`, { version: broken }, 'clerk');
    expect(r.status).toBe(409);
    expect((await json<{ error: string }>(r)).error).toContain('error');
  });

  it('moves the exceptions version 2 rates into the rated calls: input = rated + exceptions, the charge up by exactly theirs', async () => {
    const before = await summaryOf();
    const oldRows = await ratedRows();
    const r = await post(`/api/runs/${f.run}/rerate`, { version: f.v2 }, 'clerk');
    expect(r.status).toBe(200);
    const body = await json<{ moved: number; byReason: Record<string, number>; remaining: number; charge: string }>(r);
    expect(body).toMatchObject({ moved: 43, byReason: { NO_TARIFF: 42, UNKNOWN_NUMBER: 1 }, remaining: sum(before.exceptions) - 43 });

    const after = await summaryOf();
    expect(after.input).toBe(3235);
    expect(after.input).toBe(after.rated + sum(after.exceptions));
    expect(after.rated).toBe(before.rated + 43);
    expect(after.exceptions.NO_TARIFF).toBeUndefined();
    expect(after.exceptions.UNKNOWN_NUMBER).toBe(1);
    // The call IVY09 has no rate for stays, under its new reason.
    expect(after.exceptions.NO_RATE).toBe(before.exceptions.NO_RATE + 1);
    // Duplicates stay duplicates, and held calls stay held.
    expect(after.exceptions.DUPLICATE).toBe(before.exceptions.DUPLICATE);
    expect(after.exceptions.SUSPECTED_FRAUD).toBe(before.exceptions.SUSPECTED_FRAUD);

    // The rows that joined rated.csv are the moved calls; the old rows are untouched.
    const newRows = await ratedRows();
    const added = [...newRows].filter(([k]) => !oldRows.has(k)).map(([, row]) => row);
    expect(added).toHaveLength(43);
    for (const [k, row] of oldRows) expect(newRows.get(k)).toEqual(row);
    expect(micro(after.charge) - micro(before.charge)).toBe(chargeOf(added));
    expect(micro(body.charge)).toBe(chargeOf(added));
    expect(micro(after.cost) - micro(before.cost)).toBe(added.reduce((n, row) => n + (row[18] ? micro(row[18]) : 0), 0));
    // What the what-if said IVY09 would gain is what the re-rate added for IVY09.
    expect(chargeOf(added.filter((row) => row[8] === 'IVY09'))).toBe(ivyChange);
    // rated.csv stays in line order, as a fresh run writes it.
    const lines = [...newRows.values()].map((row) => Number(row[1]));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));

    // The grids, the exception summary and the download agree with summary.json.
    const rated = await json<{ total: number }>(await f.call('GET', `/api/runs/${f.run}/rated?limit=1`));
    expect(rated.total).toBe(after.rated);
    const ivyGrid = await json<{ total: number }>(await f.call('GET', `/api/runs/${f.run}/rated?limit=1&filter[account]=IVY09`));
    expect(ivyGrid.total).toBe(42);
    const exc = await json<{ total: number }>(await f.call('GET', `/api/runs/${f.run}/exceptions?limit=1`));
    expect(exc.total).toBe(body.remaining);
    expect((await json<{ total: number }>(await f.call('GET', `/api/runs/${f.run}/exceptions?limit=1&filter[reason]=NO_TARIFF`))).total).toBe(0);
    const { reasons } = await json<{ reasons: { reason: string; count: number }[] }>(await f.call('GET', `/api/runs/${f.run}/exceptions/summary`));
    expect(Object.fromEntries(reasons.map((x) => [x.reason, x.count]))).toEqual(after.exceptions);
    expect(JSON.parse(await (await f.call('GET', `/api/runs/${f.run}/files/summary.json`)).text())).toMatchObject({ rated: after.rated, charge: after.charge });
    const xlsx = await f.call('GET', `/api/runs/${f.run}/files/exceptions.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(Number(xlsx.headers.get('content-length'))).toBeGreaterThan(1000);
    const list = await json<{ runs: { id: number; rated: number; exceptions: number; charge: string }[] }>(await f.call('GET', '/api/runs'));
    expect(list.runs.find((x) => x.id === f.run)).toMatchObject({ rated: after.rated, exceptions: body.remaining, charge: after.charge });

    const entry = (await audit()).find((e) => e.action === 'rerate');
    expect(entry).toMatchObject({ who: 'clerk-user', role: 'clerk', target: `run ${f.run}`, version: f.v2 });
    expect(entry!.detail).toContain('moved 43');
    expect(f.ctx.runs.runs.get(f.run)!.revision).toBe(1);
  }, 60_000);

  it('again with the same version: nothing moves and the outputs are not rewritten; a manager may re-rate too', async () => {
    const before = await snapshot();
    const r = await post(`/api/runs/${f.run}/rerate`, { version: f.v2 }, 'manager');
    expect(r.status).toBe(200);
    expect(await json(r)).toMatchObject({ moved: 0, byReason: {}, charge: '0.00' });
    expect(await snapshot()).toEqual(before);
    expect(f.ctx.runs.runs.get(f.run)!.revision).toBe(1);
    expect((await audit()).filter((e) => e.action === 'rerate')).toHaveLength(2);
  }, 60_000);
});

describe('POST /api/runs/:id/release', () => {
  const path = (): string => `/api/runs/${f.run}/release`;
  const heldLines = async (): Promise<{ file: string; line: number }[]> =>
    (await json<{ rows: { file: string; line: number }[] }>(await f.call('GET', `/api/runs/${f.run}/exceptions?limit=1000&filter[reason]=SUSPECTED_FRAUD&sort=line:asc`))).rows.map((x) => ({ file: x.file, line: x.line }));

  it('is for managers: clerk and commercial 403, no token 401', async () => {
    const body = { all: true, reason: 'checked' };
    expect((await post(path(), body, 'clerk')).status).toBe(403);
    expect((await post(path(), body, 'commercial')).status).toBe(403);
    expect((await post(path(), body, null)).status).toBe(401);
  });

  it('400 without a reason, with a blank one, with both or neither of lines and all, or naming calls that are not held; nothing changes', async () => {
    const before = await snapshot();
    const held = await heldLines();
    const noReason = await post(path(), { all: true }, 'manager');
    expect(noReason.status).toBe(400);
    expect((await json<{ issues: { at: string }[] }>(noReason)).issues.map((i) => i.at)).toContain('body.reason');
    expect((await post(path(), { all: true, reason: '   ' }, 'manager')).status).toBe(400);
    expect((await post(path(), { all: true, lines: held.slice(0, 1), reason: 'x' }, 'manager')).status).toBe(400);
    expect((await post(path(), { reason: 'x' }, 'manager')).status).toBe(400);
    expect((await post(path(), { lines: [], reason: 'x' }, 'manager')).status).toBe(400);
    expect((await post(path(), { lines: [{ file: 'sample-calls.csv', line: '12' }], reason: 'x' }, 'manager')).status).toBe(400);
    // A rated call, a DUPLICATE, a file the run does not have: each named; the held call beside them is not released either.
    const r = await post(path(), { lines: [held[0], { file: 'sample-calls.csv', line: 2 }, { file: 'sample-calls.csv', line: 3172 }, { file: '../x.csv', line: 5 }], reason: 'x' }, 'manager');
    expect(r.status).toBe(400);
    const e = await json<{ error: string; issues: { at: string; message: string }[] }>(r);
    expect(e.issues.map((i) => i.at)).toEqual(['body.lines.1', 'body.lines.2', 'body.lines.3']);
    expect(e.issues[1].message).toContain('DUPLICATE');
    expect(e.issues[2].message).toContain('../x.csv');
    expect(await snapshot()).toEqual(before);
    expect((await post('/api/runs/99/release', { all: true, reason: 'x' }, 'manager')).status).toBe(404);
    expect((await post(path(), { all: true, reason: 'x', version: 99 }, 'manager')).status).toBe(404);
    expect((await post(`/api/runs/${await queuedRun()}/release`, { all: true, reason: 'x' }, 'manager')).status).toBe(409);
  });

  it('releases two held calls: they join the rated calls, rated as if no fraud rule had fired; the reason goes to the audit log', async () => {
    const before = await summaryOf();
    const oldRows = await ratedRows();
    const two = (await heldLines()).slice(0, 2);
    const r = await post(path(), { lines: two, reason: 'customer confirmed the Lagos calls' }, 'manager');
    expect(r.status).toBe(200);
    const body = await json<{ moved: number; remaining: number; held: number; failed: Record<string, number>; charge: string }>(r);
    expect(body).toMatchObject({ moved: 2, held: before.exceptions.SUSPECTED_FRAUD - 2, failed: {}, remaining: sum(before.exceptions) - 2 });
    const after = await summaryOf();
    expect(after.rated).toBe(before.rated + 2);
    expect(after.exceptions.SUSPECTED_FRAUD).toBe(before.exceptions.SUSPECTED_FRAUD - 2);
    expect(after.input).toBe(after.rated + sum(after.exceptions));
    const newRows = await ratedRows();
    const added = [...newRows].filter(([k]) => !oldRows.has(k)).map(([, row]) => row);
    expect(added.map((row) => `${row[0]}:${row[1]}`)).toEqual(two.map((x) => `${x.file}:${x.line}`));
    expect(micro(after.charge) - micro(before.charge)).toBe(chargeOf(added));
    expect(micro(body.charge)).toBe(chargeOf(added));
    const entry = (await audit()).find((e) => e.action === 'release');
    expect(entry).toMatchObject({ who: 'manager-user', role: 'manager', target: `run ${f.run}`, version: 1 });
    expect(entry!.detail).toContain('customer confirmed the Lagos calls');
  }, 60_000);

  it('releases all the rest; then there is nothing left to release', async () => {
    const before = await summaryOf();
    const r = await post(path(), { all: true, reason: 'all reviewed' }, 'manager');
    expect(r.status).toBe(200);
    const body = await json<{ moved: number; held: number }>(r);
    expect(body).toMatchObject({ moved: before.exceptions.SUSPECTED_FRAUD, held: 0 });
    const after = await summaryOf();
    expect(after.exceptions.SUSPECTED_FRAUD).toBeUndefined();
    expect(after.input).toBe(after.rated + sum(after.exceptions));
    expect((await json<{ total: number }>(await f.call('GET', `/api/runs/${f.run}/rated?limit=1`))).total).toBe(after.rated);
    expect(await json(await post(path(), { all: true, reason: 'again' }, 'manager'))).toMatchObject({ moved: 0, held: 0 });
    // A re-rate afterwards leaves the released calls rated.
    expect(await json(await post(`/api/runs/${f.run}/rerate`, { version: f.v2 }, 'clerk'))).toMatchObject({ moved: 0 });
    expect((await summaryOf()).rated).toBe(after.rated);
  }, 60_000);
});

describe('openapi.json', () => {
  it('documents the three routes with their roles and bodies', async () => {
    const doc = (await (await f.call('GET', '/api/openapi.json', { role: null })).json()) as { paths: Record<string, Record<string, { description: string; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
    for (const [p, roles] of [['rerate', /clerk.*manager/], ['release', /manager/], ['whatif', /commercial/]] as const) {
      const op = doc.paths[`/api/runs/{id}/${p}`].post;
      expect(op.description, p).toMatch(roles);
      expect(Object.keys(op.requestBody!.content['application/json'].schema.properties), p).toContain(p === 'release' ? 'reason' : 'version');
    }
  });
});

/** A run recorded as queued that the queue was never told of: it stays queued (not done). */
async function queuedRun(): Promise<number> {
  const existing = f.ctx.runs.runs.list().find((r) => r.status === 'queued');
  if (existing) return existing.id;
  const path = join(f.ctx.dataDir, 'queued.csv');
  await writeFile(path, 'id,start,duration,caller,called,extension,direction,cost\n');
  const rec = await f.ctx.runs.runs.create({ version: 1, format: null, files: [{ path, name: 'queued.csv', sha256: 'q'.repeat(64), bytes: 60, gzip: false }], createdBy: 'test', move: false });
  return rec.id;
}
