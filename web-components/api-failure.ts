// An API error as the UI shows it where it happened: SPEC §7's `{ error, issues }` with the status.
// A request that got no answer at all is status 0.

import type { ApiErrorBody, ApiIssue } from './api-types.js';

export class ApiFailure extends Error implements ApiErrorBody {
  readonly status: number;
  readonly error: string;
  readonly issues?: ApiIssue[];

  constructor(body: ApiErrorBody) {
    super(body.error);
    this.status = body.status;
    this.error = body.error;
    if (body.issues && body.issues.length > 0) this.issues = body.issues;
  }
}

/** Reads an error answer's body: the server's JSON error, or a sentence for anything else. */
export function failureOf(status: number, text: string, statusText = ''): ApiFailure {
  try {
    const body = JSON.parse(text) as { error?: unknown; issues?: unknown };
    if (typeof body.error === 'string') {
      const issues = Array.isArray(body.issues) ? body.issues.filter(isIssue) : undefined;
      return new ApiFailure({ status, error: body.error, issues });
    }
  } catch {
    // not JSON: said below
  }
  const what = statusText ? `${status} ${statusText}` : String(status);
  return new ApiFailure({ status, error: `the server answered ${what}${text.trim() && text.length < 200 ? `: ${text.trim()}` : ''}` });
}

/** For a request that never got an answer (server down, network gone). */
export const unreachable = (what: string): ApiFailure => new ApiFailure({ status: 0, error: `the server could not be reached (${what}); check that it is running and try again` });

/** Any thrown value as a failure to show. */
export function asFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  if (e instanceof DOMException && e.name === 'AbortError') return new ApiFailure({ status: 0, error: 'cancelled' });
  return unreachable(e instanceof Error ? e.message : String(e));
}

const isIssue = (i: unknown): i is ApiIssue => typeof i === 'object' && i !== null && typeof (i as ApiIssue).message === 'string';
