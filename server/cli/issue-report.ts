// Validation problems as people read them on a terminal: grouped by tab, errors first.

import type { Issue, Severity } from '../../rules/result.js';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

export function countBySeverity(issues: readonly Issue[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const i of issues) c[i.severity]++;
  return c;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summariseIssues(issues: readonly Issue[]): string {
  const c = countBySeverity(issues);
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.notice, 'notice')}`;
}

/** Issues grouped by the tab in their address (`Rates!D14` -> Rates); workbook-wide ones first. */
export function formatIssues(issues: readonly Issue[], maxPerTab = 200): string {
  const groups = new Map<string, Issue[]>();
  for (const i of issues) {
    const tab = i.at?.includes('!') ? i.at.slice(0, i.at.indexOf('!')) : (i.at ?? 'Workbook');
    const g = groups.get(tab) ?? [];
    g.push(i);
    groups.set(tab, g);
  }
  const lines: string[] = [];
  for (const [tab, list] of groups) {
    list.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
    lines.push(`${tab} (${summariseIssues(list)})`);
    for (const i of list.slice(0, maxPerTab)) {
      lines.push(`  ${i.severity.padEnd(7)} ${i.at ? i.at + ': ' : ''}${i.message}`);
    }
    if (list.length > maxPerTab) lines.push(`  … and ${list.length - maxPerTab} more in ${tab}`);
  }
  return lines.join('\n');
}
