import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ratedRow, writeRatedRow } from '../../../rules/rating/call-rows.js';
import { csvLine } from '../../../rules/csv.js';
import type { RatedCall } from '../../../rules/cdr/cdr.js';
import { RowBytes } from '../../../rules/rating/row-bytes.js';
import { formatMicro, formatMicroShort } from '../../../rules/money.js';
import { formatLocalIso } from '../../../rules/zone.js';
import { seededRandom } from '../../../workbooks/seeded-random.js';

const decode = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

const TEXTS = ['', 'plain', 'Côte d’Ivoire', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', '=SUM(A1)', '+44 20', '-5', '+12', '@home', '\tTab', '🙂 emoji', 'lone \ud800 surrogate', 'end \udc00', '"', ',', '=', '1e5', '-1.5e-3', '=a,"b" é', '@"q"', 'x"y"z, 🙂 "'];
const ZONES = ['Europe/London', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];

function randomCall(r: () => number): RatedCall {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const money = (): number => Math.floor((r() - 0.3) * 10 ** Math.floor(r() * 12));
  return {
    file: pick(TEXTS) || 'calls.csv', line: Math.floor(r() * 10 ** Math.floor(r() * 10)), id: pick(TEXTS),
    startMs: Math.floor((r() * 2 - 0.5) * 4_000_000_000) * 1000 + (r() < 0.5 ? 0 : Math.floor(r() * 1000)),
    direction: r() < 0.5 ? 'out' : 'in', caller: pick(TEXTS), called: pick(TEXTS), extension: pick(TEXTS), account: pick(TEXTS),
    number: pick(['442079460000', '+4420', '=1', '']), site: pick(TEXTS), destination: pick(TEXTS), callClass: pick(['National', 'Mobile', 'Inbound'] as const),
    band: pick(TEXTS), tariff: pick(TEXTS), duration: Math.floor(r() * 100_000), billedSeconds: Math.floor(r() * 100_000),
    charge: money(), chargeDecimals: Math.floor(r() * 7), cost: r() < 0.2 ? null : money(), method: pick(['rate', 'markup', 'fallback'] as const),
  };
}

describe('rated rows as bytes', () => {
  it('are byte for byte the UTF-8 of the row as csvLine writes it, for random calls, texts and zones', () => {
    const r = seededRandom(11);
    const out = new RowBytes(8); // tiny, so growing is exercised
    for (let i = 0; i < 5000; i++) {
      const c = randomCall(r);
      const zone = ZONES[i % ZONES.length];
      writeRatedRow(c, zone, out);
      expect(Buffer.from(out.take()).toString('hex')).toBe(Buffer.from(csvLine(ratedRow(c, zone)), 'utf8').toString('hex'));
    }
  });

  it('writes amounts, integers and local times as the string formatters do', () => {
    const out = new RowBytes();
    const cases: [number, number][] = [[0, 2], [5, 0], [-1, 6], [1_234_567, 4], [-999_999, 2], [Number.MAX_SAFE_INTEGER - 1, 6], [120_000_000_000, 3]];
    for (const [v, d] of cases) {
      out.micro(v, d);
      expect(decode(out.take())).toBe(formatMicro(v, d));
      out.microShort(v);
      expect(decode(out.take())).toBe(formatMicroShort(v));
    }
    for (const v of [0, 9, 10, 99, 100, 12345, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      out.int(v);
      expect(decode(out.take())).toBe(String(v));
    }
    // Both sides of the autumn clock change in London, and a half-hour zone.
    for (const [zone, iso] of [['Europe/London', '2026-10-25T00:59:59Z'], ['Europe/London', '2026-10-25T01:00:00Z'], ['Asia/Kolkata', '2026-02-28T23:59:59Z'], ['UTC', '2024-02-29T12:00:00Z']] as const) {
      out.localIso(zone, Date.parse(iso));
      expect(decode(out.take())).toBe(formatLocalIso(zone, Date.parse(iso)));
    }
    out.localIso('Europe/London', Date.parse('2026-10-25T00:59:59Z'));
    expect(decode(out.take())).toBe('2026-10-25T01:59:59+01:00');
  });

  it('writes local mean time offsets with their seconds, as formatLocalIso does, for any instant and zone', () => {
    // London kept -0:01:15 until 1847, Monrovia -0:44:30 until 1972, Amsterdam +0:19:32 until 1937.
    expect(formatLocalIso('Europe/London', Date.UTC(1840, 0, 1, 12))).toBe('1840-01-01T11:58:45-00:01:15');
    expect(formatLocalIso('Africa/Monrovia', Date.UTC(1960, 0, 1, 12))).toBe('1960-01-01T11:15:30-00:44:30');
    const out = new RowBytes();
    out.localIso('Africa/Monrovia', Date.UTC(1960, 0, 1, 12));
    expect(decode(out.take())).toBe('1960-01-01T11:15:30-00:44:30');
    const zones = ['Europe/London', 'Africa/Monrovia', 'Europe/Amsterdam', 'Asia/Kolkata', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/New_York', 'UTC'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1800, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }), (zone, s) => {
        out.localIso(zone, s * 1000);
        expect(decode(out.take())).toBe(formatLocalIso(zone, s * 1000));
      }),
      { numRuns: 3000 },
    );
  });
});
