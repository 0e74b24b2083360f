// The rating benchmark's CDRs: 1,000,000 generic lines against the bench workbook, 90% rateable
// and 10% spread over the exception reasons. Deterministic.

import { seededRandom } from '../../workbooks/seeded-random.js';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { benchPrefix, benchRangeStart, benchSingle, BENCH_SIZE } from './bench-workbook.js';

export async function writeBenchCdrs(path: string, count: number): Promise<void> {
  const r = seededRandom(7);
  const out = createWriteStream(path);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const digits = (n: number): string => String(Math.floor(r() * 10 ** n)).padStart(n, '0');
  const caller = (): string => {
    if (r() < 0.3) {
      const i = Math.floor(r() * BENCH_SIZE.ranges);
      return benchRangeStart(i).slice(0, -2) + pad(Math.floor(r() * 100));
    }
    return benchSingle(Math.floor(r() * (BENCH_SIZE.numbers - BENCH_SIZE.ranges)));
  };
  let buf = 'id,start,duration,caller,called,extension,direction,cost\n';
  let last = '';
  for (let i = 0; i < count; i++) {
    const t = Math.floor(r() * 31 * 86400);
    const start = `2026-10-${pad(1 + Math.floor(t / 86400))} ${pad(Math.floor(t / 3600) % 24)}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`;
    const d = Math.floor(r() * 600);
    let line: string;
    const x = r();
    const cost = (d * 0.0002).toFixed(4);
    if (x < 0.9) line = `b${i},${start},${d},${caller()},${benchPrefix(Math.floor(r() * 5000))}${digits(5)},,out,${cost}`;
    else if (x < 0.92) line = `b${i},${start},${d},4499${digits(8)},${benchPrefix(Math.floor(r() * 5000))}${digits(5)},,out,${cost}`; // UNKNOWN_NUMBER
    else if (x < 0.94) line = `b${i},${start},${d},${caller()},999${digits(8)},,out,${cost}`; // UNKNOWN_DESTINATION
    else if (x < 0.96) line = `b${i},${start},${d},${caller()},${benchPrefix(5000 + Math.floor(r() * 5000))}${digits(5)},,out,`; // NO_RATE (fallback needs a cost)
    else if (x < 0.98) line = `b${i},${start},-${d},${caller()},${benchPrefix(1)}${digits(5)},,out,${cost}`; // INVALID_RECORD
    else line = last === '' ? `b${i},${start},${d},${caller()},${benchPrefix(2)}${digits(5)},,out,${cost}` : last; // DUPLICATE
    last = line;
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.write(buf);
  out.end();
  await once(out, 'finish');
}
