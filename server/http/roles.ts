// Who may do what (SPEC §7 Access). A route names the roles it admits; admin is admitted everywhere.

export const ROLES = ['commercial', 'clerk', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Everyone may read versions, runs, bills and search. */
export const EVERYONE: readonly Role[] = ROLES;

/** The caller, as the auth middleware found it. */
export interface Caller {
  tokenId: string;
  name: string;
  role: Role;
}

export const mayDo = (role: Role, allowed: readonly Role[]): boolean => role === 'admin' || allowed.includes(role);
