import { describe, expect, it } from 'vitest';
import { diffGrid } from '../../web-components/diff-rows.js';
import { groupProblems, tabOf } from '../../web-components/problem-groups.js';
import { DIFF_2_1, VERSION_2 } from './fixtures.js';

describe('problems by tab', () => {
  it('groups by the tab of Tab!Cell in the order tabs appear, errors first within a tab', () => {
    const g = groupProblems(VERSION_2.problems);
    expect(g.map((x) => x.tab)).toEqual(['Customers', 'Rates', 'Workbook']);
    expect(g[1].problems.map((p) => p.at)).toEqual(['Rates!E14', 'Rates!E20']);
    expect(g[1].counts).toEqual({ error: 2, warning: 0, notice: 0 });
    expect(tabOf("'Time Bands'!C3")).toBe('Time Bands');
    expect(tabOf('calls.csv:812')).toBe('Workbook');
  });
});

describe('a tab diff as grid rows', () => {
  it('has a column per cell either side wrote, changed rows holding from and to', () => {
    const g = diffGrid(DIFF_2_1.tabs[0]);
    expect(g.columns).toEqual(['PerMinute', 'Tariff']);
    expect(g.rows).toEqual([
      { kind: 'changed', key: 'Standard / Directory Enquiries / Peak / 0 / 2026-01-01', cells: { PerMinute: { from: '1.5', to: '1.3' } } },
      { kind: 'added', key: 'Standard / Mars / Peak / 0 / 2026-11-01', cells: { Tariff: { text: 'Standard' }, PerMinute: { text: '9.99' } } },
    ]);
  });
});
