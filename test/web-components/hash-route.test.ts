import { describe, expect, it } from 'vitest';
import { hashOf, matchPattern, parseHash } from '../../web-components/hash-route.js';

describe('hash routes', () => {
  it('split the fragment into a path and its query', () => {
    const h = parseHash('#/search?q=0113%20496');
    expect(h.path).toBe('/search');
    expect(h.query.get('q')).toBe('0113 496');
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#runs').path).toBe('/runs');
  });
  it('match patterns with params, and digits-only params only digits', () => {
    expect(matchPattern('/runs/:id(\\d+)/exceptions', '/runs/12/exceptions')).toEqual({ id: '12' });
    expect(matchPattern('/runs/:id(\\d+)', '/runs/x1')).toBeNull();
    expect(matchPattern('/runs/:id(\\d+)', '/runs/12/exceptions')).toBeNull();
    expect(matchPattern('/numbers/:n', '/numbers/0113%20496')).toEqual({ n: '0113 496' });
    expect(matchPattern('/numbers/:n', '/numbers/%E0%A4%A')).toBeNull();
    expect(matchPattern('/runs', '/workbooks')).toBeNull();
  });
  it('write a hash for a path and query', () => {
    expect(hashOf('/search', { q: '0113 496' })).toBe('#/search?q=0113+496');
    expect(hashOf('/runs')).toBe('#/runs');
  });
});
