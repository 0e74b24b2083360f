// The few Sheets v4 calls Ratebook makes, through googleapis' own client (@googleapis/sheets: the
// same client as googleapis' sheets, 0.2 s and 59 MB to import instead of 1.5–3 s and 156 MB). It
// is imported on the first call, so a command that never touches Google never pays for it.
//
// Retries are ours, not gaxios's (turned off per request): a 429, a 5xx or no answer at all is
// tried again after 1, 2, 4, 8 s (or Google's Retry-After), and whatever is left is a SheetsError
// naming the spreadsheet. Every call is counted and timed, for the notes and the tests.

import type { sheets_v4 } from '@googleapis/sheets';
import { failedCall, isRetryable, sheetsFailure, type FailedCall } from './sheets-error.js';
import { sharedWith, sheetsSettings, type SheetsEnv, type SheetsSettings } from './sheets-credentials.js';

export type Schema$Spreadsheet = sheets_v4.Schema$Spreadsheet;
export type Schema$Request = sheets_v4.Schema$Request;
export type Schema$ValueRange = sheets_v4.Schema$ValueRange;

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first wait; each next one doubles, with up to a quarter more at random. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 1000, maxMs: 16_000 };
/** A request that takes longer than this is given up on (Google's own limit is 180 s). */
const REQUEST_TIMEOUT_MS = 180_000;

export interface SheetsApiOptions {
  /** Where credentials and the API root come from (default: process.env). */
  env?: SheetsEnv;
  /** Or the settings themselves. */
  settings?: SheetsSettings;
  retry?: Partial<RetryPolicy>;
  /** Read-only scope is enough for an import. */
  write: boolean;
}

export interface CallRecord {
  call: string;
  ms: number;
  tries: number;
}

const READ_SCOPE = 'https://www.googleapis.com/auth/spreadsheets.readonly';
const WRITE_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

/** A client for one spreadsheet. */
export class SheetsApi {
  /** Each call made, in order: what the notes count. */
  readonly calls: CallRecord[] = [];

  private constructor(
    readonly spreadsheetId: string,
    private readonly client: sheets_v4.Sheets,
    private readonly settings: SheetsSettings,
    private readonly retry: RetryPolicy,
    private readonly write: boolean,
  ) {}

  static async open(spreadsheetId: string, options: SheetsApiOptions): Promise<SheetsApi> {
    const settings = options.settings ?? (await sheetsSettings(options.env));
    const { sheets, auth } = await import('@googleapis/sheets');
    const c = settings.credentials;
    const scopes = [options.write ? WRITE_SCOPE : READ_SCOPE];
    let client;
    if (c.kind === 'token') {
      client = new auth.OAuth2();
      // No expiry and no refresh token: the token is sent as it is until Google says otherwise.
      client.setCredentials({ access_token: c.token });
    } else client = new auth.JWT({ email: c.email, key: c.privateKey, scopes });
    const api = sheets({ version: 'v4', auth: client, ...(settings.rootUrl ? { rootUrl: settings.rootUrl } : {}) });
    return new SheetsApi(spreadsheetId, api, settings, { ...DEFAULT_RETRY, ...options.retry }, options.write);
  }

  /** spreadsheets.get: `fields` keeps the answer to what is needed; `ranges` with grid data reads cells. */
  async get(params: { fields: string; ranges?: string[]; includeGridData?: boolean }): Promise<Schema$Spreadsheet> {
    return this.run('get', (opts) => this.client.spreadsheets.get({ spreadsheetId: this.spreadsheetId, ...params }, opts));
  }

  /** spreadsheets.batchUpdate: structural changes (tabs added, resized, frozen, cleared), all or none. */
  async batchUpdate(requests: Schema$Request[]): Promise<void> {
    await this.run('batchUpdate', (opts) => this.client.spreadsheets.batchUpdate({ spreadsheetId: this.spreadsheetId, requestBody: { requests } }, opts));
  }

  /** values.batchUpdate with valueInputOption RAW: text stays text (`=1+1` is not a formula). */
  async writeValues(data: Schema$ValueRange[]): Promise<void> {
    await this.run('values.batchUpdate', (opts) =>
      this.client.spreadsheets.values.batchUpdate({ spreadsheetId: this.spreadsheetId, requestBody: { valueInputOption: 'RAW', data } }, opts),
    );
  }

  private async run<T>(call: string, send: (opts: { retry: false; timeout: number }) => Promise<{ data: T }>): Promise<T> {
    const started = performance.now();
    let last: FailedCall = {};
    let tries = 0;
    for (; tries < this.retry.attempts; tries++) {
      if (tries > 0) await sleep(this.delay(tries, last));
      try {
        const res = await send({ retry: false, timeout: REQUEST_TIMEOUT_MS });
        this.calls.push({ call, ms: performance.now() - started, tries: tries + 1 });
        return res.data;
      } catch (e) {
        last = failedCall(e);
        if (!isRetryable(last)) {
          tries++;
          break;
        }
      }
    }
    this.calls.push({ call, ms: performance.now() - started, tries });
    throw sheetsFailure(last, this.spreadsheetId, sharedWith(this.settings.credentials), this.write, tries);
  }

  private delay(retry: number, last: FailedCall): number {
    if (last.retryAfterSeconds !== undefined) return Math.min(this.retry.maxMs, last.retryAfterSeconds * 1000);
    const base = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (retry - 1));
    return base + Math.random() * base * 0.25;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
