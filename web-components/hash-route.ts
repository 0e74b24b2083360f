// Hash routes: `#/runs/12/exceptions?reason=X` → path `/runs/12/exceptions` and its query; a route
// pattern such as `/runs/:id/exceptions` matches it with params {id: '12'}, and `/runs/:id(\d+)`
// only when the segment is digits.

export interface HashLocation {
  path: string;
  query: URLSearchParams;
}

export function parseHash(hash: string): HashLocation {
  const h = hash.replace(/^#/, '');
  const q = h.indexOf('?');
  const path = (q < 0 ? h : h.slice(0, q)) || '/';
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)) };
}

/** The pattern's params for a path, or null when it does not match. */
export function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const p = /^:(\w+)(?:\((.+)\))?$/.exec(want[i]);
    if (p) {
      let value: string;
      try {
        value = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
      if (p[2] && !new RegExp(`^(?:${p[2]})$`).test(value)) return null;
      params[p[1]] = value;
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** `#/search?q=0113 496` for a path and query. */
export function hashOf(path: string, query?: Record<string, string>): string {
  const q = new URLSearchParams(query ?? {}).toString();
  return `#${path}${q ? `?${q}` : ''}`;
}
