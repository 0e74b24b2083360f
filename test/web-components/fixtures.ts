// Canned answers in SPEC §7's shapes for the component tests' fake API.

import type { GridQuery } from '../../server/grids/grid-query.js';
import { parseGridQuery } from '../../server/grids/grid-query.js';
import { pageRows } from '../../server/grids/row-grid.js';
import type { RunDetail, RunSummaryRow, VersionDetail, VersionDiff, VersionList } from '../../web-components/api-types.js';
import { RATED_COLUMNS } from '../../web-components/run-columns.js';

export const VERSIONS: VersionList = {
  published: 1,
  versions: [
    { seq: 2, hash: 'b'.repeat(64), source: 'rates-november.xlsx', importedBy: 'carol', importedAt: '2026-10-30T09:15:00.000Z', errors: 2, warnings: 1, notices: 0, published: false },
    { seq: 1, hash: 'a'.repeat(64), source: 'sample-uk-reseller.xlsx', importedBy: 'first start', importedAt: '2026-10-01T08:00:00.000Z', errors: 0, warnings: 0, notices: 3, published: true },
  ],
};

export const VERSION_2: VersionDetail = {
  ...VERSIONS.versions[0],
  problems: [
    { severity: 'warning', at: 'Customers!F7', code: 'EMAIL_INVALID', message: 'Email is not an e-mail address (got "ops at acme")' },
    { severity: 'error', at: 'Rates!E14', code: 'NUMBER_NEGATIVE', message: 'PerMinute must be a number >= 0 (got -1)' },
    { severity: 'error', at: 'Rates!E20', code: 'NOT_A_NUMBER', message: 'PerMinute must be a number >= 0 (got "abc")' },
    { severity: 'notice', at: null, code: 'EXTRA_TAB', message: 'the tab Notes is not part of the contract' },
  ],
};

export const DIFF_2_1: VersionDiff = {
  seq: 2,
  against: 1,
  tabs: [
    {
      tab: 'Rates',
      keyColumns: ['Tariff', 'Destination', 'TimeBand', 'FromSecond', 'EffectiveFrom'],
      counts: { added: 1, removed: 0, changed: 1 },
      added: [{ key: 'Standard / Mars / Peak / 0 / 2026-11-01', row: 99, cells: [{ column: 'Tariff', text: 'Standard' }, { column: 'PerMinute', text: '9.99' }] }],
      removed: [],
      changed: [{ key: 'Standard / Directory Enquiries / Peak / 0 / 2026-01-01', cells: [{ column: 'PerMinute', from: '1.5', to: '1.3' }] }],
    },
  ],
};

export const RUNS: RunSummaryRow[] = [
  { id: 2, status: 'rating', version: 1, files: ['november.csv'], createdBy: 'bob', createdAt: '2026-11-02T10:00:00.000Z', input: null, rated: null, exceptions: null, charge: null, cost: null },
  { id: 1, status: 'done', version: 1, files: ['sample-calls.csv'], createdBy: 'first start', createdAt: '2026-10-01T08:00:05.000Z', input: 3235, rated: 3100, exceptions: 135, charge: '12345.678901', cost: '8000.5' },
];

export const RUN_1: RunDetail = {
  id: 1,
  status: 'done',
  version: 1,
  files: ['sample-calls.csv'],
  createdBy: 'first start',
  createdAt: '2026-10-01T08:00:05.000Z',
  progress: { bytes: 230000, totalBytes: 230000, lines: 3235 },
  summary: { input: 3235, rated: 3100, exceptions: { UNKNOWN_NUMBER: 100, NO_RATE: 35 }, charge: '12345.678901', cost: '8000.5', workbook: 'a'.repeat(64), files: [{ name: 'sample-calls.csv', lines: 3235, format: 'default' }] },
};

/** rated.csv rows: `count` calls with a spread of values to sort and filter. */
export function ratedRows(count: number): Record<string, string | number | null>[] {
  const rows: Record<string, string | number | null>[] = [];
  for (let i = 1; i <= count; i++) {
    rows.push({
      file: 'sample-calls.csv',
      line: i + 1,
      id: `nwv-${String(i).padStart(6, '0')}`,
      start: `2026-10-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+01:00`,
      direction: 'out',
      caller: `0113 496 ${String(i % 10000).padStart(4, '0')}`,
      called: i % 3 === 0 ? '07700 900123' : '0117 3212630',
      extension: '',
      account: `ACME${(i % 5) + 1}`,
      number: '0113 496 0000',
      site: 'Leeds',
      destination: i % 3 === 0 ? 'UK Mobile' : 'UK Geographic',
      class: i % 3 === 0 ? 'mobile' : 'geographic',
      band: 'Peak',
      tariff: 'Standard',
      duration: (i * 37) % 600,
      billed_seconds: (i * 37) % 600,
      charge: `${Math.floor(i / 7)}.${String(i % 100).padStart(2, '0')}`,
      cost: `0.${String(i % 1000).padStart(4, '0')}`,
      method: 'rate',
    });
  }
  return rows;
}

const NUMERIC = new Set(RATED_COLUMNS.filter((c) => c.numeric).map((c) => c.key));

/** A grid page over rows, the way the server answers one. */
export function gridPage(url: string, rows: Record<string, string | number | null>[]): { total: number; rows: Record<string, string | number | null>[]; query: GridQuery } {
  const query = parseGridQuery(url, RATED_COLUMNS.map((c) => c.key), NUMERIC);
  return { ...pageRows(rows, query, NUMERIC), query };
}
