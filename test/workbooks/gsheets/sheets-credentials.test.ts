import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sheetsSettings } from '../../../workbooks/gsheets/sheets-credentials.js';
import { sheetsFailure, SheetsError } from '../../../workbooks/gsheets/sheets-error.js';

const keyFile = async (content: string): Promise<string> => {
  const p = join(await mkdtemp(join(tmpdir(), 'ratebook-key-')), 'key.json');
  await writeFile(p, content);
  return p;
};
const KEY = JSON.stringify({ type: 'service_account', client_email: 'ratebook@acme-billing.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' });

describe('credentials', () => {
  it('an access token wins over a key file; the root gets its trailing slash', async () => {
    const s = await sheetsSettings({ RATEBOOK_GOOGLE_ACCESS_TOKEN: ' tok ', GOOGLE_APPLICATION_CREDENTIALS: '/nowhere.json', RATEBOOK_SHEETS_ROOT_URL: 'http://127.0.0.1:9000' });
    expect(s).toEqual({ credentials: { kind: 'token', token: 'tok' }, rootUrl: 'http://127.0.0.1:9000/' });
  });

  it("a service account key gives the e-mail address to share the sheet with", async () => {
    const s = await sheetsSettings({ GOOGLE_APPLICATION_CREDENTIALS: await keyFile(KEY) });
    expect(s.credentials).toMatchObject({ kind: 'service-account', email: 'ratebook@acme-billing.iam.gserviceaccount.com' });
    expect(s.rootUrl).toBeUndefined();
  });

  it('no credentials, an unreadable or a wrong key file: 503 saying what to set', async () => {
    const fails = async (env: Record<string, string>): Promise<string> => {
      const e = await sheetsSettings(env).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SheetsError);
      expect((e as SheetsError).status).toBe(503);
      return (e as SheetsError).message;
    };
    expect(await fails({})).toMatch(/set RATEBOOK_GOOGLE_ACCESS_TOKEN .* or GOOGLE_APPLICATION_CREDENTIALS/);
    expect(await fails({ GOOGLE_APPLICATION_CREDENTIALS: '/no/such/key.json' })).toBe('GOOGLE_APPLICATION_CREDENTIALS names /no/such/key.json, which cannot be read');
    expect(await fails({ GOOGLE_APPLICATION_CREDENTIALS: await keyFile('{"type":"authorized_user"}') })).toMatch(/is not a service account key/);
  });
});

describe('what a failure says', () => {
  const sa = { kind: 'service-account' as const, email: 'ratebook@acme-billing.iam.gserviceaccount.com' };
  it('403 names the sheet and the address to share it with, as Editor for a write', () => {
    const e = sheetsFailure({ status: 403, googleMessage: 'The caller does not have permission' }, '1AbC', sa, true, 1);
    expect([e.status, e.message]).toEqual([
      403,
      'Google refused access to spreadsheet 1AbC: share it with ratebook@acme-billing.iam.gserviceaccount.com (in the sheet: Share, add that address as Editor, untick "Notify people", Send) (Google said: The caller does not have permission)',
    ]);
    expect(sheetsFailure({ status: 403 }, '1AbC', sa, false, 1).message).toContain('as Viewer');
  });
  it('401 is a 403 about the credentials; 5xx and no answer are 502', () => {
    expect(sheetsFailure({ status: 401 }, 'X', { kind: 'token' }, false, 1)).toMatchObject({ status: 403, message: expect.stringMatching(/RATEBOOK_GOOGLE_ACCESS_TOKEN has expired/) });
    expect(sheetsFailure({ status: 503 }, 'X', sa, false, 5)).toMatchObject({ status: 502, message: 'Google Sheets failed on spreadsheet X (HTTP 503, 5 tries); try again later' });
    expect(sheetsFailure({ code: 'ETIMEDOUT' }, 'X', sa, false, 5).status).toBe(502);
  });
});
