import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { versionRoutes } from '../../../server/http/routes/versions.js';
import { columnOf, editedSample, rowWhere, sampleBytes, uploadWorkbook } from './workbook-edits.js';
import { zipBombXlsx } from './zip-bomb.js';

interface Imported {
  seq: number;
  hash: string;
  existing: boolean;
  errors: number;
  warnings: number;
  notices: number;
}
interface DiffAnswer {
  seq: number;
  against: number;
  tabs: {
    tab: string;
    keyColumns: string[];
    counts: { added: number; removed: number; changed: number };
    added: { key: string; row: number; cells: { column: string; text: string }[] }[];
    removed: { key: string; row: number; cells: { column: string; text: string }[] }[];
    changed: { key: string; cells: { column: string; from: string; to: string }[] }[];
  }[];
}
interface TabAnswer {
  tab: string;
  columns: string[];
  total: number;
  rows: Record<string, string | number | null>[];
}

let f: ApiFixture;
let sample: Buffer;
/** The sample with a Rates price changed, a customer added and a holiday removed. */
let changed: Buffer;
/** The sample with a price that is not a number: an error. */
let broken: Buffer;

beforeAll(async () => {
  f = await apiFixture({ routers: [versionRoutes] });
  sample = await sampleBytes();
  changed = await editedSample((wb) => {
    const rates = wb.getWorksheet('Rates')!;
    rowWhere(rates, { Tariff: 'Standard', Destination: 'UK Geographic', TimeBand: 'Peak' }).getCell(columnOf(rates, 'PerMinute')).value = 0.03;
    const customers = wb.getWorksheet('Customers')!;
    const r = customers.getRow(customers.rowCount + 1);
    r.getCell(columnOf(customers, 'Account')).value = 'ZED10';
    r.getCell(columnOf(customers, 'Name')).value = 'Zed Telecom';
    r.getCell(columnOf(customers, 'Tariff')).value = 'Standard';
    r.commit();
    const holidays = wb.getWorksheet('Holidays')!;
    holidays.spliceRows(holidays.rowCount, 1);
  });
  broken = await editedSample((wb) => {
    const rates = wb.getWorksheet('Rates')!;
    rates.getRow(2).getCell(columnOf(rates, 'PerMinute')).value = 'abc';
  });
});
afterAll(() => f.close());

describe('POST /api/versions', () => {
  it('imports the sample as version 1 (201); the same content again, even re-saved, is that version (200); both audited', async () => {
    const first = await uploadWorkbook(f, sample, 'sample-uk-reseller.xlsx');
    expect(first.status).toBe(201);
    const a = (await first.json()) as Imported;
    expect(a).toMatchObject({ seq: 1, existing: false, errors: 0, warnings: 1, notices: 0 });
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);

    const again = await uploadWorkbook(f, sample, 'copy.xlsx');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ...a, existing: true });
    const resaved = await editedSample();
    expect(resaved.equals(sample)).toBe(false);
    const r = await uploadWorkbook(f, resaved, 'resaved.xlsx', 'admin');
    expect(r.status).toBe(200);
    expect(((await r.json()) as Imported).seq).toBe(1);

    const audit = await f.ctx.audit.read(10);
    expect(audit.map((e) => [e.action, e.who, e.version])).toEqual([
      ['import', 'admin-user', 1],
      ['import', 'commercial-user', 1],
      ['import', 'commercial-user', 1],
    ]);
    expect(audit[2].target).toBe('version 1 (sample-uk-reseller.xlsx)');
    const v = await f.ctx.store.getVersion(1);
    expect(v).toMatchObject({ importer: 'commercial-user', source: 'sample-uk-reseller.xlsx' });
  });

  it('is refused without a token (401) and for clerks and managers (403)', async () => {
    expect((await uploadWorkbook(f, sample, 'a.xlsx', null)).status).toBe(401);
    for (const role of ['clerk', 'manager'] as const) {
      const r = await uploadWorkbook(f, sample, 'a.xlsx', role);
      expect(r.status).toBe(403);
      expect((await r.json()).error).toMatch(/commercial/);
    }
  });

  it('a file that is not an .xlsx is 415 with the reader\'s sentence', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['calls.xlsx', Buffer.from('Account,Name\nACME01,Acme\n'), /calls\.xlsx is not an \.xlsx workbook \(it looks like CSV text\)/],
      ['locked.xlsx', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]), /password-protected/],
      ['noise.xlsx', Buffer.from([1, 2, 3, 4, 5, 0, 255, 7]), /noise\.xlsx is not an \.xlsx workbook/],
      ['cut.xlsx', sample.subarray(0, 2000), /cut\.xlsx is corrupt/],
      ['empty.xlsx', Buffer.alloc(0), /empty\.xlsx is empty/],
    ];
    for (const [name, bytes, message] of cases) {
      const r = await uploadWorkbook(f, bytes, name);
      expect(r.status, name).toBe(415);
      expect((await r.json()).error, name).toMatch(message);
    }
    expect((await f.ctx.store.listVersions()).length).toBe(1);
  });

  it('a zip bomb (a 10 MB .xlsx whose sheet inflates to 3 GB) is 415 without taking the memory', async () => {
    const bomb = await zipBombXlsx(sample, { inflatedBytes: 3 * 1024 ** 3 });
    expect(bomb.length).toBeLessThan(16 * 1024 * 1024);
    const honest = await zipBombXlsx(sample, { inflatedBytes: 3 * 1024 ** 3, honestSize: true });
    for (const b of [bomb, honest]) {
      const before = process.memoryUsage().rss;
      const r = await uploadWorkbook(f, b, 'bomb.xlsx');
      expect(r.status).toBe(415);
      expect((await r.json()).error).toMatch(/bomb\.xlsx is refused: it would unpack to more than \d+ MB.*zip bomb/);
      // Reading it would take gigabytes (200 MB of such rows took 850 MB); counting takes the upload and a megabyte.
      expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
    }
  }, 60_000);

  it('no file field is 400; a body that is not multipart is 415; nothing is left in the upload directory', async () => {
    const fd = new FormData();
    fd.append('note', 'no file here');
    const none = await f.call('POST', '/api/versions', { role: 'commercial', body: fd });
    expect(none.status).toBe(400);
    expect((await none.json()).error).toMatch(/"file"/);
    const wrongField = new FormData();
    wrongField.append('workbook', new Blob([new Uint8Array(sample)]), 'a.xlsx');
    expect((await f.call('POST', '/api/versions', { role: 'commercial', body: wrongField })).status).toBe(400);
    const json = await f.call('POST', '/api/versions', { role: 'commercial', body: { file: 'x' } });
    expect(json.status).toBe(415);
    expect(await readdir(f.ctx.uploadsDir)).toEqual([]);
  });

  it('a file over the workbook limit is 413, said in MB', async () => {
    const small = await apiFixture({ routers: [versionRoutes] }, { workbookBytes: 1024 * 1024 });
    try {
      const r = await uploadWorkbook(small, Buffer.alloc(2 * 1024 * 1024, 0x41), 'big.xlsx');
      expect(r.status).toBe(413);
      expect((await r.json()).error).toBe('a workbook may be at most 1 MB');
      expect((await uploadWorkbook(small, sample, 'ok.xlsx')).status).toBe(201);
      expect(await readdir(small.ctx.uploadsDir)).toEqual([]);
    } finally {
      await small.close();
    }
  });
});

describe('reading versions', () => {
  it('lists the versions newest first, with their counts and which is published', async () => {
    expect((await uploadWorkbook(f, broken, 'broken.xlsx')).status).toBe(201);
    const r = await f.call('GET', '/api/versions', { role: 'clerk' });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { published: number | null; versions: { seq: number; source: string; importedBy: string; errors: number; published: boolean }[] };
    expect(body.published).toBeNull();
    expect(body.versions.map((v) => [v.seq, v.source, v.importedBy, v.published])).toEqual([
      [2, 'broken.xlsx', 'commercial-user', false],
      [1, 'sample-uk-reseller.xlsx', 'commercial-user', false],
    ]);
    expect(body.versions[0].errors).toBeGreaterThan(0);
    expect((await f.call('GET', '/api/versions', { role: null })).status).toBe(401);
  });

  it("a version with its problems, each at its Tab!Cell; unknown or malformed seq is 404 or 400", async () => {
    const r = await f.call('GET', '/api/versions/1', { role: 'manager' });
    expect(r.status).toBe(200);
    const v = (await r.json()) as { seq: number; warnings: number; problems: { severity: string; at: string; code: string; message: string }[] };
    expect(v).toMatchObject({ seq: 1, warnings: 1 });
    expect(v.problems).toEqual([{ severity: 'warning', at: 'Customers!N10', code: 'NO_TARIFF_OR_MARKUP', message: expect.stringMatching(/IVY09/) }]);
    const bad = (await (await f.call('GET', '/api/versions/2')).json()) as { problems: { severity: string; at: string; message: string }[] };
    expect(bad.problems.find((p) => p.severity === 'error')).toMatchObject({ at: expect.stringMatching(/^Rates!E2$/), message: expect.stringMatching(/abc/) });
    expect((await f.call('GET', '/api/versions/99')).status).toBe(404);
    for (const seq of ['abc', '0', '-1', '1.5']) expect((await f.call('GET', `/api/versions/${seq}`)).status, seq).toBe(400);
  });
});

describe('publishing', () => {
  it('diff needs a version to compare with while none is published (409)', async () => {
    const r = await f.call('GET', '/api/versions/1/diff');
    expect(r.status).toBe(409);
    expect((await r.json()).error).toMatch(/against=SEQ/);
  });

  it('a version with errors is refused with the reason (409); clerks and managers may not publish; unknown is 404', async () => {
    const r = await f.call('POST', '/api/versions/2/publish', { role: 'commercial' });
    expect(r.status).toBe(409);
    expect((await r.json()).error).toMatch(/version 2 has \d+ error\(s\) and cannot be published/);
    for (const role of ['clerk', 'manager'] as const) expect((await f.call('POST', '/api/versions/1/publish', { role })).status).toBe(403);
    expect((await f.call('POST', '/api/versions/1/publish', { role: null })).status).toBe(401);
    expect((await f.call('POST', '/api/versions/77/publish', { role: 'commercial' })).status).toBe(404);
    expect(await f.ctx.store.published()).toBeUndefined();
  });

  it('publishes a valid version (audited) and the list says so', async () => {
    const r = await f.call('POST', '/api/versions/1/publish', { role: 'commercial' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ seq: 1, published: true });
    const list = (await (await f.call('GET', '/api/versions')).json()) as { published: number; versions: { seq: number; published: boolean }[] };
    expect(list.published).toBe(1);
    expect(list.versions.find((v) => v.seq === 1)!.published).toBe(true);
    const [last] = await f.ctx.audit.read(1);
    expect(last).toMatchObject({ action: 'publish', who: 'commercial-user', role: 'commercial', version: 1 });
  });
});

describe('diff', () => {
  it('shows a changed copy against the published version: the changed cell, the added row with its cells, the removed row', async () => {
    const up = (await (await uploadWorkbook(f, changed, 'changed.xlsx')).json()) as Imported;
    expect(up).toMatchObject({ seq: 3, existing: false, errors: 0 });
    const r = await f.call('GET', '/api/versions/3/diff', { role: 'clerk' });
    expect(r.status).toBe(200);
    const d = (await r.json()) as DiffAnswer;
    expect(d.seq).toBe(3);
    expect(d.against).toBe(1);
    expect(d.tabs.map((t) => t.tab)).toEqual(['Customers', 'Rates', 'Holidays']);
    const rates = d.tabs.find((t) => t.tab === 'Rates')!;
    expect(rates.counts).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(rates.keyColumns).toEqual(['Tariff', 'Destination', 'TimeBand', 'FromSecond', 'EffectiveFrom']);
    expect(rates.changed).toEqual([{ key: 'Standard / UK Geographic / Peak / 0 / (blank)', rowA: 2, rowB: 2, cells: [{ column: 'PerMinute', from: '0.025', to: '0.03' }] }]);
    const customers = d.tabs.find((t) => t.tab === 'Customers')!;
    expect(customers.added).toEqual([{ key: 'ZED10', row: 11, cells: expect.arrayContaining([{ column: 'Account', text: 'ZED10' }, { column: 'Name', text: 'Zed Telecom' }, { column: 'Tariff', text: 'Standard' }]) }]);
    const holidays = d.tabs.find((t) => t.tab === 'Holidays')!;
    expect(holidays.removed).toEqual([{ key: '2026-12-28', row: 9, cells: [{ column: 'Date', text: '2026-12-28' }, { column: 'Name', text: 'Boxing Day (substitute day)' }] }]);

    // The other way round, named: the added row is removed, the cell goes back.
    const back = (await (await f.call('GET', '/api/versions/1/diff?against=3')).json()) as DiffAnswer;
    expect(back.tabs.find((t) => t.tab === 'Customers')!.removed.map((x) => x.key)).toEqual(['ZED10']);
    expect(back.tabs.find((t) => t.tab === 'Rates')!.changed[0].cells).toEqual([{ column: 'PerMinute', from: '0.03', to: '0.025' }]);
    const same = (await (await f.call('GET', '/api/versions/3/diff?against=3')).json()) as DiffAnswer;
    expect(same.tabs).toEqual([]);
  });

  it('limit caps the rows listed, not the counts; bad input is 400 or 404', async () => {
    const d = (await (await f.call('GET', '/api/versions/1/diff?against=2&limit=1')).json()) as DiffAnswer;
    const rates = d.tabs.find((t) => t.tab === 'Rates')!;
    expect(rates.counts.changed + rates.counts.added + rates.counts.removed).toBeGreaterThan(0);
    for (const t of d.tabs) for (const list of [t.added, t.removed, t.changed]) expect(list.length).toBeLessThanOrEqual(1);
    expect((await f.call('GET', '/api/versions/3/diff?against=99')).status).toBe(404);
    expect((await f.call('GET', '/api/versions/99/diff')).status).toBe(404);
    const bad = await f.call('GET', '/api/versions/3/diff?against=abc');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { at: string }[] }).issues[0].at).toBe('query.against');
    expect((await f.call('GET', '/api/versions/3/diff?limit=0')).status).toBe(400);
  });
});

describe('downloads and tabs', () => {
  it('workbook.xlsx is the file as imported, as an attachment named after it', async () => {
    const r = await f.call('GET', '/api/versions/1/workbook.xlsx', { role: 'clerk' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="sample-uk-reseller\.xlsx"/);
    expect(Buffer.from(await r.arrayBuffer()).equals(sample)).toBe(true);
    expect((await f.call('GET', '/api/versions/9/workbook.xlsx')).status).toBe(404);
    expect((await f.call('GET', '/api/versions/1/workbook.xlsx', { role: null })).status).toBe(401);
  });

  it("a tab's rows as a grid page: cells as the workbook shows them, money as decimal strings, dates YYYY-MM-DD", async () => {
    const r = await f.call('GET', '/api/versions/1/tabs/Rates?limit=2', { role: 'manager' });
    expect(r.status).toBe(200);
    const p = (await r.json()) as TabAnswer;
    expect(p.tab).toBe('Rates');
    expect(p.total).toBe(50);
    expect(p.columns.slice(0, 6)).toEqual(['Row', 'Tariff', 'Destination', 'TimeBand', 'FromSecond', 'PerMinute']);
    expect(p.rows[0]).toMatchObject({ Row: 2, Tariff: 'Standard', Destination: 'UK Geographic', TimeBand: 'Peak', PerMinute: '0.025', ConnectionFee: '0.01', EffectiveFrom: '' });

    const numbers = (await (await f.call('GET', '/api/versions/1/tabs/numbers?limit=1')).json()) as TabAnswer;
    expect(numbers.rows[0]).toMatchObject({ Account: 'ACME01', Number: '442079460000', RangeEnd: '442079460099', DateSold: '2025-03-01', Status: 'Active' });
    const customers = (await (await f.call('GET', '/api/versions/1/tabs/customers?filter[Account]=acme')).json()) as TabAnswer;
    expect(customers.rows).toEqual([expect.objectContaining({ Account: 'ACME01', CreditLimit: '2500', PaymentTermsDays: '14', ZeroInvoice: 'No' })]);
    const settings = (await (await f.call('GET', '/api/versions/1/tabs/SETTINGS?filter[Key]=taxrate')).json()) as TabAnswer;
    expect(settings.rows).toEqual([{ Row: null, Key: 'TaxRate', Value: '20%' }]);
  });

  it('tab names ignore case, underscores and spaces; sort and filter work on any column, numeric ones by value', async () => {
    const a = (await (await f.call('GET', '/api/versions/1/tabs/tariff_assignments')).json()) as TabAnswer;
    const b = (await (await f.call('GET', '/api/versions/1/tabs/Tariff%20Assignments')).json()) as TabAnswer;
    expect(a.tab).toBe('TariffAssignments');
    expect(a.total).toBe(5);
    expect(b).toEqual(a);
    const dear = (await (await f.call('GET', '/api/versions/1/tabs/rates?sort=PerMinute:desc&filter[Tariff]=business&limit=3')).json()) as TabAnswer;
    expect(dear.rows.map((x) => [x.Destination, x.PerMinute])).toEqual([
      ['UK Premium', '1.2'],
      ['Directory Enquiries', '1.2'],
      ['Directory Enquiries', '0.4'],
    ]);
    const cheap = (await (await f.call('GET', '/api/versions/1/tabs/rates?filter[PerMinute]=%3E%3D0.1,%3C%3D0.12&sort=Row')).json()) as TabAnswer;
    expect(cheap.rows.map((x) => x.PerMinute)).toEqual(['0.12', '0.1', '0.12']);
  });

  it('an unknown tab is 404 (a path in its name included); bad grid requests are 400', async () => {
    for (const tab of ['Nope', '..%2F..%2Fversions', '..%2Findex.json', '..%5Cmeta.json', 'meta.json', 'rows.json']) {
      const r = await f.call('GET', `/api/versions/1/tabs/${tab}`);
      expect(r.status, tab).toBe(404);
      expect((await r.json()).error, tab).toMatch(/^a workbook has no tab .*; the tabs are Settings, Customers/);
    }
    // Dots the URL itself resolves never reach the route.
    for (const path of ['/api/versions/1/tabs/%2E%2E', '/api/versions/1/tabs/../../versions/1/workbook.xlsx']) expect((await f.call('GET', path)).status, path).toBe(404);
    expect((await f.call('GET', '/api/versions/42/tabs/Rates')).status).toBe(404);
    expect((await f.call('GET', '/api/versions/1/tabs/Rates?sort=Nope:asc')).status).toBe(400);
    expect((await f.call('GET', '/api/versions/1/tabs/Rates?filter[Secret]=x')).status).toBe(400);
    expect((await f.call('GET', '/api/versions/1/tabs/Rates?limit=5000')).status).toBe(400);
    expect((await f.call('GET', '/api/versions/1/tabs/Rates', { role: null })).status).toBe(401);
  });

  it('the OpenAPI document has every version route', async () => {
    const doc = (await (await f.call('GET', '/api/openapi.json', { role: null })).json()) as { paths: Record<string, Record<string, { description: string }>> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/versions', '/api/versions/{seq}', '/api/versions/{seq}/diff', '/api/versions/{seq}/publish', '/api/versions/{seq}/workbook.xlsx', '/api/versions/{seq}/tabs/{tab}']),
    );
    expect(doc.paths['/api/versions'].post.description).toBe('Roles: commercial, admin.');
  });
});
