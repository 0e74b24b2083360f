// Big CDR files for the real-socket and durability tests: the sample's calls copied over and over,
// each copy with ids of its own (so no copy is a DUPLICATE of another) and its calls moved to
// another day and minute of October (so the copies do not pile up in one minute and trip the
// fraud rule). Rated against the sample workbook like the sample itself.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SAMPLE_CALLS } from './runs-fixture.js';

export interface BigCalls {
  bytes: number;
  /** Calls (data lines) written. */
  lines: number;
}

const START = /^([^,]*),2026-10-(\d\d) (\d\d):(\d\d)(:\d\d),(.*)$/;

/**
 * Writes at least `minBytes` of calls to `path`. `tag` makes the ids (and so the file's sha256)
 * differ from another file written with another tag.
 */
export async function writeBigCalls(path: string, minBytes: number, tag: string): Promise<BigCalls> {
  const [header, ...body] = (await readFile(SAMPLE_CALLS, 'utf8')).trimEnd().split('\n');
  const parsed = body.map((l) => START.exec(l));
  const out = createWriteStream(path);
  let bytes = 0;
  let lines = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(header + '\n');
  for (let k = 0; bytes < minBytes; k++) {
    const dayShift = k % 31;
    const minuteShift = Math.floor(k / 31) % 60;
    let chunk = '';
    for (let i = 0; i < body.length; i++) {
      const m = parsed[i];
      // Lines that are not a plain call (the sample's bad records) are kept as they are, with the copy's id.
      if (!m) {
        chunk += body[i].replace(/^nwv-/, `${tag}${k}-`) + '\n';
        continue;
      }
      const day = ((Number(m[2]) - 1 + dayShift) % 31) + 1;
      const minute = (Number(m[4]) + minuteShift) % 60;
      chunk += `${m[1].replace(/^nwv-/, `${tag}${k}-`)},2026-10-${String(day).padStart(2, '0')} ${m[3]}:${String(minute).padStart(2, '0')}${m[5]},${m[6]}\n`;
    }
    lines += body.length;
    await write(chunk);
  }
  out.end();
  await once(out, 'finish');
  return { bytes, lines };
}
