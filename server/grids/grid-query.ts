// A grid page request as vaadin-grid's data provider asks for it (SPEC §7 Grid pages):
// offset, limit (<= 1000, default 100), sort=column:asc|desc (repeatable), filter[column]=text
// (a case-insensitive substring; for numeric columns also >=x, <=x).

import { badRequest, type ApiIssue } from '../http/errors.js';

export interface GridSort {
  column: string;
  desc: boolean;
}

export type GridFilter =
  | { column: string; kind: 'contains'; text: string }
  | { column: string; kind: 'range'; min: number | null; max: number | null };

export interface GridQuery {
  offset: number;
  limit: number;
  sort: GridSort[];
  filters: GridFilter[];
}

export interface GridPage<Row = Record<string, string | number | null>> {
  total: number;
  rows: Row[];
}

export const MAX_GRID_LIMIT = 1000;

/**
 * Reads a grid page request from a URL; `numeric` columns take `>=x`, `<=x` (both may be given,
 * separated by a comma: `>=10,<=20`). Unknown columns and bad numbers are 400s naming the parameter.
 */
export function parseGridQuery(url: string, columns: readonly string[], numeric: ReadonlySet<string> = new Set()): GridQuery {
  const params = new URL(url, 'http://x').searchParams;
  const issues: ApiIssue[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const v = params.get(name);
    if (v === null || v === '') return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      issues.push({ at: `query.${name}`, message: `must be a whole number from ${min} to ${max}` });
      return fallback;
    }
    return Number(v);
  };
  const offset = int('offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = int('limit', 100, 1, MAX_GRID_LIMIT);
  const known = new Set(columns);
  const sort: GridSort[] = [];
  for (const s of params.getAll('sort')) {
    for (const part of s.split(',').filter(Boolean)) {
      const m = /^([^:]+)(?::(asc|desc))?$/i.exec(part.trim());
      if (!m || !known.has(m[1])) {
        issues.push({ at: 'query.sort', message: `"${part}" is not column:asc or column:desc with a column of this grid` });
        continue;
      }
      sort.push({ column: m[1], desc: (m[2] ?? 'asc').toLowerCase() === 'desc' });
    }
  }
  const filters: GridFilter[] = [];
  for (const [key, value] of params) {
    const m = /^filter\[(.+)\]$/.exec(key);
    if (!m) continue;
    const column = m[1];
    if (!known.has(column)) {
      issues.push({ at: `query.${key}`, message: `this grid has no column "${column}"` });
      continue;
    }
    if (value === '') continue;
    if (numeric.has(column) && /^\s*[<>]=/.test(value)) {
      let min: number | null = null;
      let max: number | null = null;
      for (const part of value.split(',')) {
        const r = /^\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(part);
        if (!r) {
          issues.push({ at: `query.${key}`, message: `"${part}" is not >=number or <=number` });
          continue;
        }
        if (r[1] === '>=') min = Number(r[2]);
        else max = Number(r[2]);
      }
      filters.push({ column, kind: 'range', min, max });
    } else {
      filters.push({ column, kind: 'contains', text: value.toLowerCase() });
    }
  }
  if (issues.length > 0) throw badRequest(`the grid request is not valid: ${issues.map((i) => `${i.at}: ${i.message}`).join('; ')}`, issues);
  return { offset, limit, sort, filters };
}
