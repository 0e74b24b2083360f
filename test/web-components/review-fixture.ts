// For the review tour against the real server: the sample workbook with two fixes a billing team
// makes after reading run 1's exceptions — IVY09 given a tariff (its NO_TARIFF calls) and
// 020 7946 1234 added to Numbers (an UNKNOWN_NUMBER call) — as .xlsx bytes to upload.

import { editedSample, fixSample } from '../server/http/workbook-edits.js';

export const fixedSample = (): Promise<Buffer> => editedSample(fixSample);

/** POST /api/versions with the fixed sample, then publish it: its seq. */
export async function publishFixedSample(url: string, token: string, publish = true): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await fixedSample())]), 'sample-fixed.xlsx');
  const auth = { Authorization: `Bearer ${token}` };
  const r = await fetch(new URL('api/versions', url), { method: 'POST', headers: auth, body: form });
  const body = (await r.json()) as { seq?: number; errors?: number; error?: string };
  if (!r.ok || typeof body.seq !== 'number') throw new Error(`POST /api/versions: ${r.status} ${JSON.stringify(body)}`);
  if (body.errors) throw new Error(`the fixed sample has ${body.errors} error(s)`);
  if (publish) {
    const p = await fetch(new URL(`api/versions/${body.seq}/publish`, url), { method: 'POST', headers: auth });
    if (!p.ok) throw new Error(`publish ${body.seq}: ${p.status} ${await p.text()}`);
  }
  return body.seq;
}
