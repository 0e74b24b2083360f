// The shapes every part of the core returns instead of throwing on user data.

export type Result<T, E = Issue[]> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

export type Severity = 'error' | 'warning' | 'notice';

/** One problem found in user data: `code` for machines, `message` for people, `at` where (`Rates!D14`, `calls.csv:812`). */
export interface Issue {
  severity: Severity;
  code: string;
  message: string;
  at?: string;
}

export const issue = (severity: Severity, code: string, message: string, at?: string): Issue =>
  at === undefined ? { severity, code, message } : { severity, code, message, at };

export const hasErrors = (issues: readonly Issue[]): boolean => issues.some((i) => i.severity === 'error');

/** For switches on a `kind`: the compiler proves this is unreachable. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
