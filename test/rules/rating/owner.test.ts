// SPEC §2 steps 3–4: the owner of a call — numbers, ranges, alternates, Direction, extensions and the
// catch-all, active windows in local days, Archived customers — and details that say what to change.

import { describe, expect, it } from 'vitest';
import type { Cdr } from '../../../rules/cdr/cdr.js';
import { findOwner } from '../../../rules/rating/owner.js';
import { buildRatingModel, type RatingModel } from '../../../rules/rating/rating-model.js';
import { utcToLocalMs } from '../../../rules/zone.js';
import { cdr, customer, day, model, numberRow, sheet, UK_DESTINATIONS, tariff, rate, ZONE } from './fixture-model.js';

const base = {
  customers: [customer('ACME01'), customer('BETA02')],
  destinations: UK_DESTINATIONS,
  tariffs: [tariff('Business')],
  rates: [rate('Business', 'UK Geographic', '0.06')],
};

/** `ACCOUNT number site`, or `REASON: detail`. */
function own(m: RatingModel, call: Cdr): string {
  const o = findOwner(m, call);
  return o.kind === 'owner' ? `${o.account} ${o.number} ${o.site}` : `${o.reason}: ${o.detail}`;
}
const out = (caller: string, at = '2026-10-05 10:00:00', over: Partial<Cdr> = {}): Cdr => cdr(caller, '0161 496 0000', at, 60, over);
const inbound = (called: string, at = '2026-10-05 10:00:00'): Cdr => cdr('withheld', called, at, 60, { direction: 'in' });

describe('numbers (step 3)', () => {
  it('owns a call by N(caller) and says where the owner is', () => {
    const m = model({ ...base, numbers: [numberRow('BETA02', '0113 496 0000'), numberRow('ACME01', '020 7946 0000', { site: 'London' })] });
    const o = findOwner(m, out('+44 (0)20 7946 0000'));
    expect(o.kind).toBe('owner');
    if (o.kind !== 'owner') return;
    expect([o.account, o.number, o.site, o.rowIndex, o.row.row, o.customer.account]).toEqual(['ACME01', '442079460000', 'London', 1, 3, 'ACME01']);
    expect(o.row).toBe(m.rows.numbers[1]);
    // the local start: 10:00 BST on Monday 2026-10-05
    expect([o.day, new Date(o.localMs).toISOString()]).toEqual([day('2026-10-05'), '2026-10-05T10:00:00.000Z']);
  });

  it('asks for a number nobody owns to be added', () => {
    const m = model({ ...base, numbers: [numberRow('ACME01', '020 7946 0000')] });
    expect(own(m, out('020 7946 1234'))).toBe('UNKNOWN_NUMBER: add 442079461234 to Numbers');
  });

  it('finds a number inside a range without expanding it, the matched number owning the call', () => {
    const m = model({ ...base, numbers: [numberRow('ACME01', '020 7946 0000', { rangeEnd: '020 7946 0099', site: 'DDI' }), numberRow('BETA02', '020 7946 0100')] });
    expect([own(m, out('020 7946 0000')), own(m, out('020 7946 0042')), own(m, out('020 7946 0099')), own(m, out('020 7946 0100'))]).toEqual([
      'ACME01 442079460000 DDI',
      'ACME01 442079460042 DDI',
      'ACME01 442079460099 DDI',
      'BETA02 442079460100 HQ',
    ]);
    // [Number, RangeEnd] holds numbers of the same length only
    expect(own(m, out('+44 20 7946 004'))).toBe('UNKNOWN_NUMBER: add 44207946004 to Numbers');
    expect(own(m, out('+44 20 7946 00420'))).toBe('UNKNOWN_NUMBER: add 4420794600420 to Numbers');
  });

  it('bills a range that moved between customers to whoever had it on the day', () => {
    const m = model({
      ...base,
      numbers: [
        numberRow('ACME01', '020 7946 0000', { rangeEnd: '020 7946 0099', droppedDate: '2026-10-14' }),
        numberRow('BETA02', '020 7946 0050', { rangeEnd: '020 7946 0149', dateSold: '2026-10-15' }),
      ],
    });
    expect([own(m, out('020 7946 0060', '2026-10-14 12:00:00')), own(m, out('020 7946 0060', '2026-10-15 12:00:00'))]).toEqual(['ACME01 442079460060 HQ', 'BETA02 442079460060 HQ']);
    expect(own(m, out('020 7946 0120', '2026-10-14 12:00:00'))).toBe('NUMBER_INACTIVE: 442079460120 (BETA02) is not active on 2026-10-14: DateSold 2026-10-15 (Numbers!I3)');
  });

  it("bills an alternate CDR number as the row's Number", () => {
    const m = model({
      ...base,
      numbers: [
        numberRow('ACME01', '020 7946 0000', { altCdrNumbers: ['020 7946 5555', '+44 20 7946 5556'] }),
        numberRow('BETA02', '0113 496 0000', { rangeEnd: '0113 496 0099', altCdrNumbers: ['0113 496 7777'] }),
      ],
    });
    expect([own(m, out('020 7946 5555')), own(m, out('020 7946 5556')), own(m, out('0113 496 7777'))]).toEqual(['ACME01 442079460000 HQ', 'ACME01 442079460000 HQ', 'BETA02 441134960000 HQ']);
  });

  it('keeps numbers of different lengths apart (0123456 is not 123456), and finds numbers longer than 15 digits', () => {
    const long = { ...numberRow('ACME01', '020 7946 0000'), number: '4412345678901234' };
    const longRange = { ...numberRow('BETA02', '020 7946 0000'), number: '4499000000000000', rangeEnd: '4499000000000099' };
    const zero = { ...numberRow('BETA02', '020 7946 0000'), number: '0123456' };
    const m = model({ ...base, numbers: [long, longRange, zero] });
    const as = (digits: string): string => own(m, { ...out('020 7946 0000'), callerN: digits });
    expect([as('4412345678901234'), as('4499000000000042'), as('4499000000000100'), as('0123456'), as('123456')]).toEqual([
      'ACME01 4412345678901234 HQ',
      'BETA02 4499000000000042 HQ',
      'UNKNOWN_NUMBER: add 4499000000000100 to Numbers',
      'BETA02 0123456 HQ',
      'UNKNOWN_NUMBER: add 123456 to Numbers',
    ]);
  });
});

describe('Direction', () => {
  it('owns outbound calls by the caller and inbound calls by the called number, as each row allows', () => {
    const m = model({
      ...base,
      numbers: [
        numberRow('ACME01', '020 7946 0000'),
        numberRow('ACME01', '0800 123 4567', { direction: 'Inbound' }),
        numberRow('ACME01', '020 7946 0001', { direction: 'Both' }),
        // an Outbound and an Inbound row of one number do not collide: two owners, one per direction
        numberRow('ACME01', '020 7946 0002', { direction: 'Outbound' }),
        numberRow('BETA02', '020 7946 0002', { direction: 'Inbound' }),
      ],
    });
    expect([own(m, inbound('0800 123 4567')), own(m, inbound('020 7946 0001')), own(m, out('020 7946 0001'))]).toEqual([
      'ACME01 448001234567 HQ',
      'ACME01 442079460001 HQ',
      'ACME01 442079460001 HQ',
    ]);
    expect([own(m, out('020 7946 0002')), own(m, inbound('020 7946 0002'))]).toEqual(['ACME01 442079460002 HQ', 'BETA02 442079460002 HQ']);
    expect(own(m, inbound('020 7946 0000'))).toBe(
      'UNKNOWN_NUMBER: 442079460000 is in Numbers (Numbers!B2, ACME01) for outbound calls only: set Direction (Numbers!M2) to Both to bill inbound calls',
    );
    expect(own(m, out('0800 123 4567'))).toBe(
      'UNKNOWN_NUMBER: 448001234567 is in Numbers (Numbers!B3, ACME01) for inbound calls only: set Direction (Numbers!M3) to Both to bill outbound calls',
    );
  });
});

describe('extensions and the catch-all (step 4)', () => {
  const rows = [
    numberRow('ACME01', '020 7946 0000', { site: 'Main' }),
    numberRow('ACME01', '020 7946 0000', { extension: '201', site: 'Office' }),
    numberRow('ACME01', '020 7946 0000', { extension: '202', site: 'Warehouse', droppedDate: '2026-09-30' }),
  ];
  const m = model({ ...base, numbers: rows });
  const site = (ext: string): string => own(m, out('020 7946 0000', '2026-10-05 10:00:00', { extension: ext }));

  it("takes the row of the CDR's extension, else the blank-Extension catch-all", () => {
    expect([site('201'), site('203'), site('')]).toEqual(['ACME01 442079460000 Office', 'ACME01 442079460000 Main', 'ACME01 442079460000 Main']);
  });

  it("falls to the catch-all when the extension's row is not active", () => {
    expect(site('202')).toBe('ACME01 442079460000 Main');
  });

  it('owns nothing when neither the extension nor a catch-all row is there', () => {
    const m2 = model({ ...base, numbers: rows.slice(1) });
    expect(own(m2, out('020 7946 0000', '2026-10-05 10:00:00', { extension: '203' }))).toBe(
      'NUMBER_INACTIVE: 442079460000 (ACME01) has no row for extension 203 and no catch-all row with a blank Extension (Numbers!D2): add one to Numbers',
    );
    // the extension's own row, dropped, is the one to look at
    expect(own(m2, out('020 7946 0000', '2026-10-05 10:00:00', { extension: '202' }))).toBe(
      'NUMBER_INACTIVE: 442079460000 (ACME01) is not active on 2026-10-05: DroppedDate 2026-09-30 (Numbers!K3)',
    );
  });

  it('matches an extension inside a range too, with the range as catch-all', () => {
    const m2 = model({ ...base, numbers: [numberRow('ACME01', '020 7946 0000', { rangeEnd: '020 7946 0099', site: 'DDI' }), numberRow('BETA02', '020 7946 0042', { extension: '7', site: 'Desk' })] });
    expect([own(m2, out('020 7946 0042', '2026-10-05 10:00:00', { extension: '7' })), own(m2, out('020 7946 0042', '2026-10-05 10:00:00', { extension: '8' }))]).toEqual([
      'BETA02 442079460042 Desk',
      'ACME01 442079460042 DDI',
    ]);
  });
});

describe('active windows (step 4)', () => {
  it('runs from CallsStartDate (else DateSold) 00:00 to DroppedDate 24:00, local time', () => {
    const m = model({
      ...base,
      numbers: [numberRow('ACME01', '020 7946 0000', { droppedDate: '2026-10-14' }), numberRow('BETA02', '020 7946 0000', { dateSold: '2026-10-15' })],
    });
    expect([own(m, out('020 7946 0000', '2026-10-14 23:59:59')), own(m, out('020 7946 0000', '2026-10-15 00:00:00'))]).toEqual(['ACME01 442079460000 HQ', 'BETA02 442079460000 HQ']);
    // 23:30 UTC on the 14th is 00:30 BST on the 15th: the new owner's
    expect(own(m, out('020 7946 0000', '2026-10-14T23:30:00Z'))).toBe('BETA02 442079460000 HQ');
  });

  it('names the date and the cell to change', () => {
    const m = model({
      ...base,
      numbers: [
        numberRow('ACME01', '020 7946 0001', { dateSold: '2026-10-01', callsStartDate: '2026-10-10' }),
        numberRow('ACME01', '020 7946 0002', { dateSold: '2026-10-01' }),
        numberRow('ACME01', '020 7946 1234', { dateSold: '2025-01-01', droppedDate: '2026-09-30', row: 7 }),
      ],
    });
    expect(own(m, out('020 7946 0001', '2026-10-09 23:59:59'))).toBe('NUMBER_INACTIVE: 442079460001 (ACME01) is not active on 2026-10-09: CallsStartDate 2026-10-10 (Numbers!J2)');
    expect(own(m, out('020 7946 0001', '2026-10-10 00:00:00'))).toBe('ACME01 442079460001 HQ');
    expect(own(m, out('020 7946 0002', '2026-09-30 12:00:00'))).toBe('NUMBER_INACTIVE: 442079460002 (ACME01) is not active on 2026-09-30: DateSold 2026-10-01 (Numbers!I3)');
    expect(own(m, out('020 7946 1234', '2026-10-03 12:00:00'))).toBe('NUMBER_INACTIVE: 442079461234 (ACME01) is not active on 2026-10-03: DroppedDate 2026-09-30 (Numbers!K7)');
  });

  it("names the workbook's own columns when the model knows them", () => {
    const rows = sheet({ ...base, numbers: [numberRow('ACME01', '020 7946 1234', { droppedDate: '2026-09-30' })] });
    const m = buildRatingModel(rows, { numbers: { droppedDate: 3 } });
    expect(own(m, out('020 7946 1234', '2026-10-03 12:00:00'))).toBe('NUMBER_INACTIVE: 442079461234 (ACME01) is not active on 2026-10-03: DroppedDate 2026-09-30 (Numbers!D2)');
  });

  it('owns nothing for an Archived customer after its ArchivedDate, and nothing at all without one', () => {
    const m = model({
      ...base,
      customers: [customer('ACME01', { status: 'Archived', archivedDate: day('2026-09-30') }), customer('BETA02', { status: 'Archived' })],
      numbers: [numberRow('ACME01', '020 7946 0000'), numberRow('BETA02', '020 7946 0001')],
    });
    expect(own(m, out('020 7946 0000', '2026-09-30 23:59:59'))).toBe('ACME01 442079460000 HQ');
    expect(own(m, out('020 7946 0000', '2026-10-01 00:00:00'))).toBe(
      'NUMBER_INACTIVE: 442079460000 (ACME01) is not active on 2026-10-01: the customer is Archived since 2026-09-30 (Customers!M2); give the number a DroppedDate and a row for its new owner',
    );
    expect(own(m, out('020 7946 0001', '2025-06-01 12:00:00'))).toBe(
      'NUMBER_INACTIVE: 442079460001 (BETA02) is not active on 2025-06-01: the customer is Archived (Customers!L3); give the number a DroppedDate and a row for its new owner',
    );
  });

  it('takes the local start from the model when not given one', () => {
    const m = model({ ...base, numbers: [numberRow('ACME01', '020 7946 0000')] });
    const call = out('020 7946 0000', '2026-10-25T01:30:00Z');
    const a = findOwner(m, call);
    const b = findOwner(m, call, utcToLocalMs(ZONE, call.startMs));
    expect(a.kind === 'owner' && b.kind === 'owner' && [a.localMs, a.day]).toEqual([b.kind === 'owner' && b.localMs, day('2026-10-25')]);
    // 01:30 UTC after the autumn change is 01:30 GMT
    expect(a.kind === 'owner' && new Date(a.localMs).toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });
});
