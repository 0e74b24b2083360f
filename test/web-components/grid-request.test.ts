import { describe, expect, it } from 'vitest';
import { parseGridQuery } from '../../server/grids/grid-query.js';
import { gridRequestOf, gridSearchParams } from '../../web-components/grid-request.js';

describe('grid requests', () => {
  it("turn vaadin-grid's page into offset and limit, its sorters into sort=, the header fields into filter[]", () => {
    const req = gridRequestOf(
      { page: 3, pageSize: 100, sortOrders: [{ path: 'charge', direction: 'desc' }, { path: 'line', direction: null }] },
      { caller: ' 0113 ', account: '', duration: '>=60' },
    );
    expect(req).toEqual({ offset: 300, limit: 100, sort: [{ column: 'charge', direction: 'desc' }], filters: { caller: '0113', duration: '>=60' } });
    expect(gridSearchParams(req).toString()).toBe('offset=300&limit=100&sort=charge%3Adesc&filter%5Bcaller%5D=0113&filter%5Bduration%5D=%3E%3D60');
  });
  it("are read back by the server's grid query parser as they were meant", () => {
    const req = gridRequestOf({ page: 2, pageSize: 50, sortOrders: [{ path: 'start', direction: 'asc' }] }, { called: '07700', duration: '>=60,<=120' });
    const q = parseGridQuery(`/api/runs/1/rated?${gridSearchParams(req)}`, ['start', 'called', 'duration'], new Set(['duration']));
    expect(q).toEqual({
      offset: 100,
      limit: 50,
      sort: [{ column: 'start', desc: false }],
      filters: [
        { column: 'called', kind: 'contains', text: '07700' },
        { column: 'duration', kind: 'range', min: 60, max: 120 },
      ],
    });
  });
});
