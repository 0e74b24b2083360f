import { describe, expect, it } from 'vitest';
import { takeToken, tokenFromFragment, type SessionPlace } from '../../web-components/session.js';

function place(hash: string, stored: string | null = null): SessionPlace & { replaced: string[]; store: Map<string, string> } {
  const store = new Map<string, string>(stored ? [['ratebook.token', stored]] : []);
  const replaced: string[] = [];
  return {
    location: { hash, pathname: '/', search: '' },
    history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
    replaced,
    store,
  };
}

describe('the token', () => {
  it('is read from #token=, then replaced out of the address and kept in the session', () => {
    const p = place('#token=abc%2Bdef', 'older');
    expect(takeToken(p)).toBe('abc+def');
    expect(p.replaced).toEqual(['/']);
    expect(p.store.get('ratebook.token')).toBe('abc+def');
  });
  it('keeps a screen named after it, and comes from the session when the address has none', () => {
    expect(tokenFromFragment('#token=t1&/runs/3')).toEqual({ token: 't1', rest: '#/runs/3' });
    const p = place('#/runs', 'kept');
    expect(takeToken(p)).toBe('kept');
    expect(p.replaced).toEqual([]);
    expect(takeToken(place('#/runs'))).toBeNull();
    expect(tokenFromFragment('#token=').token).toBeNull();
  });
});
