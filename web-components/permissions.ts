// What each role may do (SPEC §7 Access), so a screen offers only the controls its caller may use.
// The server decides in the end (403); this only keeps refused buttons off the page.

import type { Role } from './api-types.js';

/** Roles besides admin (admin may do everything). */
const WHO: Record<string, readonly Role[]> = {
  'import-workbook': ['commercial'],
  publish: ['commercial'],
  'upload-cdrs': ['clerk'],
  retry: ['clerk'],
  rerate: ['clerk', 'manager'],
  release: ['manager'],
  'draft-bill': ['clerk'],
  'finalise-bill': ['manager'],
  'write-sheet': ['clerk'],
};

export type Action = keyof typeof WHO;

export const may = (role: Role | undefined, action: Action): boolean => role === 'admin' || (role !== undefined && (WHO[action] ?? []).includes(role));
