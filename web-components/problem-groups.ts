// A version's problems grouped by the tab they are on (`Rates!D14` → Rates), in the order the tabs
// first appear; problems about the workbook as a whole are grouped under "Workbook".

import type { Problem, Severity } from './api-types.js';

export interface ProblemGroup {
  tab: string;
  problems: Problem[];
  counts: Record<Severity, number>;
}

export const WHOLE_WORKBOOK = 'Workbook';

export function tabOf(at: string | null): string {
  if (!at) return WHOLE_WORKBOOK;
  const bang = at.lastIndexOf('!');
  return bang > 0 ? at.slice(0, bang).replace(/^'(.*)'$/, '$1') : WHOLE_WORKBOOK;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

export function groupProblems(problems: readonly Problem[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const p of problems) {
    const tab = tabOf(p.at);
    let g = groups.get(tab);
    if (!g) groups.set(tab, (g = { tab, problems: [], counts: { error: 0, warning: 0, notice: 0 } }));
    g.problems.push(p);
    g.counts[p.severity]++;
  }
  // Within a tab, errors first; otherwise the server's order (sheet order) is kept.
  for (const g of groups.values()) g.problems = g.problems.map((p, i) => ({ p, i })).sort((a, b) => RANK[a.p.severity] - RANK[b.p.severity] || a.i - b.i).map((x) => x.p);
  return [...groups.values()];
}
