// The one error shape of the API (SPEC §7 Errors): a sentence, and where each problem is.
// Only the shell throws these; app.onError turns them into JSON with their status.

export interface ApiIssue {
  /** `Rates!D14`, `calls.csv:812` or `body.period`. */
  at: string;
  message: string;
}

export type ApiStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 502 | 503;

export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    message: string,
    readonly issues?: ApiIssue[],
  ) {
    super(message);
  }
}

export const badRequest = (message: string, issues?: ApiIssue[]): ApiError => new ApiError(400, message, issues);
export const notFound = (message: string): ApiError => new ApiError(404, message);
export const conflict = (message: string): ApiError => new ApiError(409, message);

/** The JSON body of an error answer. */
export const errorBody = (e: ApiError): { error: string; issues?: ApiIssue[] } => (e.issues && e.issues.length > 0 ? { error: e.message, issues: e.issues } : { error: e.message });
