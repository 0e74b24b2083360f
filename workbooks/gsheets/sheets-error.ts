// What can go wrong talking to Google Sheets, as SPEC §7.1 answers it: 404 no such spreadsheet,
// 403 no access (share it with the service account), 429 quota still exceeded after retries,
// 502 Google unreachable or failing, 503 this machine has no credentials. Every message names the
// spreadsheet and says what to do, so the CLI prints it and the server answers it as it is.

export type SheetsStatus = 403 | 404 | 429 | 502 | 503;

export class SheetsError extends Error {
  constructor(
    readonly status: SheetsStatus,
    message: string,
  ) {
    super(message);
  }
}

/** Who the spreadsheet must be shared with, for a 403's message. */
export type SharedWith = { kind: 'service-account'; email: string } | { kind: 'token' };

/** What a failed request looked like, taken from gaxios's error without depending on its class. */
export interface FailedCall {
  /** HTTP status, when Google answered. */
  status?: number;
  /** Google's own sentence (`error.message` of its JSON answer), when it gave one. */
  googleMessage?: string;
  /** A network error's code (ECONNREFUSED, ETIMEDOUT…), when it did not answer. */
  code?: string;
  /** Google's Retry-After header, when it sent one with a 429 or 503. */
  retryAfterSeconds?: number;
}

/** Reads status, Google's message and the network code off whatever the client threw. */
export function failedCall(e: unknown): FailedCall {
  const o = (e ?? {}) as { status?: unknown; code?: unknown; response?: { status?: unknown; data?: unknown; headers?: unknown }; message?: unknown };
  const status = typeof o.response?.status === 'number' ? o.response.status : typeof o.status === 'number' ? o.status : undefined;
  const data = o.response?.data as { error?: { message?: unknown } | string } | undefined;
  const googleMessage = typeof data?.error === 'object' && typeof data.error?.message === 'string' ? data.error.message : typeof o.message === 'string' && status !== undefined ? o.message : undefined;
  const code = typeof o.code === 'string' ? o.code : undefined;
  const retryAfter = Number(header(o.response?.headers, 'retry-after'));
  return { status, googleMessage, code, ...(retryAfter >= 0 && retryAfter <= 3600 ? { retryAfterSeconds: retryAfter } : {}) };
}

/** A header from gaxios's answer: a fetch Headers object, or a plain record in older versions. */
function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => string | null } & Record<string, unknown>;
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  const v = h[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Worth another try: a rate limit, Google's own failure, or no answer at all. */
export const isRetryable = (f: FailedCall): boolean => f.status === undefined || f.status === 429 || f.status === 408 || f.status >= 500;

const said = (f: FailedCall): string => (f.googleMessage ? ` (Google said: ${f.googleMessage.replace(/\s+/g, ' ').slice(0, 200)})` : '');

function shareHint(who: SharedWith, write: boolean): string {
  const as = write ? 'Editor' : 'Viewer';
  return who.kind === 'service-account'
    ? `share it with ${who.email} (in the sheet: Share, add that address as ${as}, untick "Notify people", Send)`
    : `share it with the Google account the access token belongs to (as ${as}), or use a service account's key in GOOGLE_APPLICATION_CREDENTIALS`;
}

/** The SheetsError for a call that failed for good (retries, if any, are over). */
export function sheetsFailure(f: FailedCall, spreadsheetId: string, who: SharedWith, write: boolean, tries: number): SheetsError {
  const sheet = `spreadsheet ${spreadsheetId}`;
  if (f.status === 404) return new SheetsError(404, `Google has no ${sheet}; check the id (the part of its address between /d/ and /edit)${said(f)}`);
  if (f.status === 403) return new SheetsError(403, `Google refused access to ${sheet}: ${shareHint(who, write)}${said(f)}`);
  if (f.status === 401) {
    const fix = who.kind === 'token' ? 'RATEBOOK_GOOGLE_ACCESS_TOKEN has expired or is not valid; get a new one (gcloud auth print-access-token)' : 'the service account key was not accepted; check GOOGLE_APPLICATION_CREDENTIALS';
    return new SheetsError(403, `Google did not accept the credentials for ${sheet}: ${fix}${said(f)}`);
  }
  if (f.status === 429) return new SheetsError(429, `Google's Sheets quota is still exceeded after ${tries} tries on ${sheet}; wait a minute and try again${said(f)}`);
  if (f.status === undefined) return new SheetsError(502, `Google Sheets could not be reached for ${sheet} (${f.code ?? 'no answer'}, ${tries} tries); check the network (or RATEBOOK_SHEETS_ROOT_URL) and try again`);
  if (f.status >= 500) return new SheetsError(502, `Google Sheets failed on ${sheet} (HTTP ${f.status}, ${tries} tries); try again later${said(f)}`);
  return new SheetsError(502, `Google Sheets refused a request on ${sheet} (HTTP ${f.status})${said(f)}`);
}
