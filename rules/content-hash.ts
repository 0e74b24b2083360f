// The identity of a workbook's content: sha256 of its parsed rows without their sheet positions,
// so the same content re-saved (other styling, a number typed as text) is the same version.

import { createHash } from 'node:crypto';
import type { SheetRows } from './rows.js';

export function contentHash(rows: SheetRows): string {
  const json = JSON.stringify(rows, (key, value: unknown) => (key === 'row' ? undefined : value));
  return createHash('sha256').update(json).digest('hex');
}
