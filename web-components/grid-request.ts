// vaadin-grid's data provider request as the server's grid page query (SPEC §7 Grid pages):
// offset = page × pageSize, limit = pageSize, sort=column:asc|desc (repeatable), filter[column]=text.

export interface GridSortOrder {
  path: string;
  direction: 'asc' | 'desc' | null;
}

/** What vaadin-grid passes to its dataProvider (the parts we use). */
export interface GridProviderParams {
  page: number;
  pageSize: number;
  sortOrders: GridSortOrder[];
}

export interface GridRequest {
  offset: number;
  limit: number;
  sort: { column: string; direction: 'asc' | 'desc' }[];
  /** Column → text the user typed (blank ones are left out). */
  filters: Record<string, string>;
}

export function gridRequestOf(params: GridProviderParams, filters: Record<string, string>): GridRequest {
  return {
    offset: params.page * params.pageSize,
    limit: params.pageSize,
    sort: params.sortOrders.filter((s): s is GridSortOrder & { direction: 'asc' | 'desc' } => s.direction === 'asc' || s.direction === 'desc').map((s) => ({ column: s.path, direction: s.direction })),
    filters: Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== '')),
  };
}

export function gridSearchParams(req: GridRequest): URLSearchParams {
  const q = new URLSearchParams();
  q.set('offset', String(req.offset));
  q.set('limit', String(req.limit));
  for (const s of req.sort) q.append('sort', `${s.column}:${s.direction}`);
  for (const [column, text] of Object.entries(req.filters)) q.set(`filter[${column}]`, text);
  return q;
}
