// Which credentials reach Google Sheets (SPEC §7.1): RATEBOOK_GOOGLE_ACCESS_TOKEN, an OAuth access
// token used as it is, wins; else GOOGLE_APPLICATION_CREDENTIALS, a service account's key file,
// whose e-mail address is what the spreadsheet must be shared with. RATEBOOK_SHEETS_ROOT_URL is
// another API root (a proxy, or the local fake the tests run).

import { readFile } from 'node:fs/promises';
import { SheetsError, type SharedWith } from './sheets-error.js';

export type SheetsCredentials =
  | { kind: 'token'; token: string }
  | { kind: 'service-account'; keyFile: string; email: string; privateKey: string };

export interface SheetsSettings {
  credentials: SheetsCredentials;
  /** An API root such as `http://127.0.0.1:9000/`, or undefined for Google's. */
  rootUrl?: string;
}

export type SheetsEnv = Partial<Record<'RATEBOOK_GOOGLE_ACCESS_TOKEN' | 'GOOGLE_APPLICATION_CREDENTIALS' | 'RATEBOOK_SHEETS_ROOT_URL', string | undefined>>;

const NOT_SET_UP =
  'Google Sheets is not set up here: set RATEBOOK_GOOGLE_ACCESS_TOKEN to an access token (gcloud auth print-access-token) or GOOGLE_APPLICATION_CREDENTIALS to a service account key file';

/** The settings the environment gives; 503 when it gives no credentials or an unusable key file. */
export async function sheetsSettings(env: SheetsEnv = process.env): Promise<SheetsSettings> {
  const root = env.RATEBOOK_SHEETS_ROOT_URL?.trim();
  const rootUrl = root ? (root.endsWith('/') ? root : root + '/') : undefined;
  const token = env.RATEBOOK_GOOGLE_ACCESS_TOKEN?.trim();
  if (token) return { credentials: { kind: 'token', token }, rootUrl };
  const keyFile = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (!keyFile) throw new SheetsError(503, NOT_SET_UP);
  return { credentials: await serviceAccount(keyFile), rootUrl };
}

async function serviceAccount(keyFile: string): Promise<SheetsCredentials> {
  let text: string;
  try {
    text = await readFile(keyFile, 'utf8');
  } catch {
    throw new SheetsError(503, `GOOGLE_APPLICATION_CREDENTIALS names ${keyFile}, which cannot be read`);
  }
  let key: { type?: unknown; client_email?: unknown; private_key?: unknown };
  try {
    key = JSON.parse(text) as typeof key;
  } catch {
    throw new SheetsError(503, `${keyFile} (GOOGLE_APPLICATION_CREDENTIALS) is not a JSON key file`);
  }
  if (typeof key?.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new SheetsError(503, `${keyFile} (GOOGLE_APPLICATION_CREDENTIALS) is not a service account key: it has no client_email and private_key (download one from the service account's Keys tab)`);
  }
  return { kind: 'service-account', keyFile, email: key.client_email, privateKey: key.private_key };
}

export const sharedWith = (c: SheetsCredentials): SharedWith => (c.kind === 'service-account' ? { kind: 'service-account', email: c.email } : { kind: 'token' });
