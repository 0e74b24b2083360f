// The calls a manager lists for release, one `file:line` a line (as exceptions.csv names them), read
// into the body of POST /api/runs/:id/release — or the lines that are not that, each named.

import type { ApiIssue } from './api-types.js';

export type ReleaseLines = { ok: true; lines: { file: string; line: number }[] } | { ok: false; issues: ApiIssue[] };

export function readReleaseLines(text: string): ReleaseLines {
  const lines: { file: string; line: number }[] = [];
  const issues: ApiIssue[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.trim();
    if (t === '') return;
    // The file name may hold a colon: the line number is after the last one.
    const m = /^(.+):\s*(\d+)$/.exec(t);
    if (!m || Number(m[2]) < 1) issues.push({ at: `line ${i + 1}`, message: `"${t}" is not file:line (e.g. calls.csv:812)` });
    else lines.push({ file: m[1].trim(), line: Number(m[2]) });
  });
  if (issues.length) return { ok: false, issues };
  if (lines.length === 0) return { ok: false, issues: [{ at: 'line 1', message: 'list at least one call as file:line' }] };
  return { ok: true, lines };
}
