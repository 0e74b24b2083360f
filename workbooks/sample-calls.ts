// A month of calls (October 2026) for the sample reseller in the generic CDR format: ordinary
// traffic from every customer, plus the lines a billing team meets in real life, so the sample
// run shows every exception reason at least once. Deterministic: a seeded generator, no clock.

import { seededRandom } from './seeded-random.js';

export const SAMPLE_CALLS_HEADER = 'id,start,duration,caller,called,extension,direction,cost';

interface Caller {
  number: string;
  /** Calls a month. */
  weight: number;
  extensions?: string[];
  /** First and last day of October it makes calls. */
  from?: number;
  to?: number;
}

const CALLERS: Caller[] = [
  ...Array.from({ length: 20 }, (_, i) => ({ number: `020 7946 00${String(i * 5).padStart(2, '0')}`, weight: 60 })),
  { number: '0113 496 0000', weight: 60, from: 4 }, // live from the 6th: two days of calls before are inactive
  { number: '0121 496 0010', weight: 220 },
  { number: '0121 496 0011', weight: 20 },
  { number: '0131 496 0020', weight: 200 },
  { number: '0131 496 0021', weight: 40 }, // dropped on the 10th
  { number: '0161 496 0050', weight: 160 }, // moves from Carter & Sons to Greenfield on the 15th
  { number: '0151 496 0060', weight: 160 },
  { number: '029 2018 0100', weight: 260, extensions: ['', '201', '202', '203'] },
  { number: '0117 496 0030', weight: 120 },
  { number: '0117 496 0031', weight: 30 },
  { number: '0118 496 0040', weight: 12 }, // the customer left in September
  { number: '0191 498 0070', weight: 120 },
  { number: '0191 498 0071', weight: 40 }, // the hotel's other line as its switch presents it
  { number: '0113 496 0090', weight: 40 }, // new customer, no tariff agreed yet
];

interface Target {
  weight: number;
  make: (r: () => number) => string;
  /** Carrier cost per minute. */
  cost: number;
}

const digits = (r: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const TARGETS: Target[] = [
  { weight: 520, cost: 0.004, make: (r) => `0${pick(r, ['20', '113', '121', '131', '161', '117', '191', '1632', '29'])} ${digits(r, 7)}` },
  { weight: 250, cost: 0.012, make: (r) => `07${pick(r, ['700', '400', '500', '800', '900', '123'])} ${digits(r, 6)}` },
  { weight: 50, cost: 0.004, make: (r) => `0300 ${digits(r, 7)}` },
  { weight: 20, cost: 0.0, make: (r) => `0800 ${digits(r, 7)}` },
  { weight: 20, cost: 0.02, make: (r) => `0845 ${digits(r, 7)}` },
  { weight: 10, cost: 0.03, make: (r) => `0870 ${digits(r, 7)}` },
  { weight: 12, cost: 0.5, make: (r) => `0909 ${digits(r, 7)}` },
  { weight: 6, cost: 0.2, make: (r) => `070 ${digits(r, 8)}` },
  { weight: 10, cost: 0.3, make: () => '118 118' },
  { weight: 4, cost: 0, make: () => '999' },
  { weight: 6, cost: 0, make: () => '111' },
  { weight: 4, cost: 0.05, make: () => '101' },
  { weight: 16, cost: 0.01, make: (r) => `001 212 ${digits(r, 7)}` },
  { weight: 12, cost: 0.012, make: (r) => `+33 1 ${digits(r, 8)}` },
  { weight: 10, cost: 0.012, make: (r) => `0034 9${digits(r, 8)}` },
  { weight: 8, cost: 0.012, make: (r) => `+49 30 ${digits(r, 8)}` },
  { weight: 10, cost: 0.015, make: (r) => `00353 1 ${digits(r, 7)}` },
  { weight: 6, cost: 0.06, make: (r) => `+353 87 ${digits(r, 7)}` },
  { weight: 6, cost: 0.05, make: (r) => `+61 2 ${digits(r, 8)}` },
  { weight: 6, cost: 0.06, make: (r) => `+91 22 ${digits(r, 8)}` },
  // Numbers no Destinations row covers: a UK 056 VoIP number and an international network.
  { weight: 3, cost: 0.02, make: (r) => `056 ${digits(r, 8)}` },
  { weight: 2, cost: 0.8, make: (r) => `+882 16 ${digits(r, 6)}` },
];

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const localText = (day: number, secOfDay: number): string =>
  `2026-10-${pad(day)} ${pad(Math.floor(secOfDay / 3600))}:${pad(Math.floor(secOfDay / 60) % 60)}:${pad(secOfDay % 60)}`;

function weighted<T extends { weight: number }>(r: () => number, xs: readonly T[]): T {
  const total = xs.reduce((s, x) => s + x.weight, 0);
  let x = r() * total;
  for (const t of xs) {
    x -= t.weight;
    if (x < 0) return t;
  }
  return xs[xs.length - 1];
}

/** Business-hours-heavy start: mostly 08:00–18:00 on weekdays. */
function startOf(r: () => number, from: number, to: number): { day: number; sec: number } {
  const day = from + Math.floor(r() * (to - from + 1));
  const weekday = (day + 2) % 7; // 2026-10-01 is a Thursday: 0 = Mon
  const busy = weekday < 5 ? 0.85 : 0.3;
  const sec = r() < busy ? 8 * 3600 + Math.floor(r() * 10 * 3600) : Math.floor(r() * 86400);
  return { day, sec };
}

function duration(r: () => number): number {
  if (r() < 0.08) return 0; // unanswered
  return 3 + Math.floor(-Math.log(1 - r()) * 150);
}

const money4 = (x: number): string => (Math.round(x * 10000) / 10000).toFixed(4);

export function generateSampleCalls(): string {
  const r = seededRandom(20261031);
  const lines: string[] = [SAMPLE_CALLS_HEADER];
  let seq = 0;
  const id = (): string => `nwv-${pad(++seq, 6)}`;
  const push = (start: string, dur: string | number, caller: string, called: string, ext = '', dir = 'out', cost = ''): string => {
    const line = [id(), start, String(dur), caller, called, ext, dir, cost].join(',');
    lines.push(line);
    return line;
  };

  const callers = CALLERS;
  const total = 3000;
  for (let i = 0; i < total; i++) {
    const c = weighted(r, callers);
    const t = weighted(r, TARGETS);
    const { day, sec } = startOf(r, c.from ?? 1, c.to ?? 31);
    const d = duration(r);
    const ext = c.extensions ? pick(r, c.extensions) : '';
    push(localText(day, sec), d, c.number, t.make(r), ext, 'out', money4((t.cost * d) / 60));
  }
  // Calls received on the hotel's freephone number, billed to the hotel.
  for (let i = 0; i < 160; i++) {
    const { day, sec } = startOf(r, 1, 31);
    const d = duration(r);
    const caller = r() < 0.1 ? pick(r, ['', 'anonymous', 'withheld']) : `07${digits(r, 9)}`;
    push(localText(day, sec), d, caller, '0808 157 0000', '', 'in', money4((0.008 * d) / 60));
  }

  // Lines a billing team meets in real life.
  push('2026-10-25 01:30:00', 95, '020 7946 0010', '0161 496 7777', '', 'out', '0.0063'); // the clock-change hour, first occurrence
  push('2026-10-05T09:14:00+01:00', 300, '020 7946 0020', '07700 900123', '', 'OUT', '0.0600'); // explicit offset, direction in capitals
  push('2026-10-06 10:00:00', 60, 'anonymous', '020 7946 0001', '', 'out', '0.0040'); // INVALID_RECORD: no caller
  push('2026-10-32 10:00:00', 60, '0121 496 0010', '020 7946 0001', '', 'out', '0.0040'); // INVALID_RECORD: bad date
  push('2026-10-07 11:00:00', -5, '0121 496 0010', '020 7946 0001', '', 'out', '0.0040'); // INVALID_RECORD: negative duration
  push('2026-10-07 11:05:00', 60, '0121 496 0010', '020 7946 0001', '', 'sideways', '0.0040'); // INVALID_RECORD: direction
  push('2026-10-07 11:06:00', 60, '0121 496 0010', '020 7946 0001', '', 'out', 'free'); // INVALID_RECORD: cost
  lines.push(`${id()},2026-10-07 11:07:00,60,"0121 496 0010,020 7946 0001,,out,0.0040`); // INVALID_RECORD: unterminated quote
  lines.push(`${id()},2026-10-07 11:08:00,60`); // INVALID_RECORD: missing columns
  const dup = push('2026-10-08 14:20:00', 187, '0131 496 0020', '020 7946 0555', '', 'out', '0.0125');
  lines.push(dup); // DUPLICATE: the switch sent the record twice (same id)
  // DUPLICATE: a call from a feed that carries no id, sent twice with its numbers written differently.
  lines.push(',2026-10-08 16:45:10,92,0131 496 0020,0161 496 3333,,out,0.0061');
  lines.push(',2026-10-08 16:45:10,92,+44 131 496 0020,01614963333,,out,0.0061');
  push('2026-10-09 09:00:00', 120, '020 7946 1234', '0161 496 1111', '', 'out', '0.0080'); // UNKNOWN_NUMBER: outside the DDI range
  push('2026-10-09 09:05:00', 45, '0113 496 5555', '07700 900555', '', 'out', '0.0090'); // UNKNOWN_NUMBER
  // SUSPECTED_FRAUD: a burst of 14 international calls in one minute at 03:12 on a Saturday.
  for (let i = 0; i < 14; i++) {
    push(`2026-10-17 03:12:${pad(i * 4)}`, 40 + i, '020 7946 0042', `+234 1 ${digits(r, 7)}`, '', 'out', '0.0500');
  }
  // SUSPECTED_FRAUD: 45 one-second calls in a day from one line (wangiri-style probing).
  for (let i = 0; i < 45; i++) {
    push(`2026-10-21 ${pad(2 + Math.floor(i / 20))}:${pad((i * 3) % 60)}:${pad(i % 60)}`, 1, '020 7946 0077', `07700 9${digits(r, 5)}`, '', 'out', '0.0002');
  }
  // A late September call: a bare bill of October leaves it out; with history it joins the next invoice.
  push('2026-09-30 23:50:00', 240, '0121 496 0010', '0121 496 2222', '', 'out', '0.0160');
  return lines.join('\n') + '\n';
}
