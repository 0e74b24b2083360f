// Which versions a re-rate or a what-if may use (those without errors: a version with errors cannot
// rate calls) and which one to offer first: the newest one the run was not rated with.

import type { VersionSummary } from './api-types.js';
import { formatWhen } from './format.js';

export const ratingVersions = (versions: readonly VersionSummary[]): VersionSummary[] => versions.filter((v) => v.errors === 0).sort((a, b) => b.seq - a.seq);

export function firstChoice(versions: readonly VersionSummary[], runVersion: number | null): number | null {
  const usable = ratingVersions(versions);
  return (usable.find((v) => v.seq !== runVersion) ?? usable[0])?.seq ?? null;
}

/** `version 2 (draft, carol, 2026-10-30 09:15)`. */
export function versionText(v: VersionSummary, published: number | null, runVersion: number | null): string {
  const notes = [v.seq === published || v.published ? 'published' : 'draft'];
  if (v.seq === runVersion) notes.push("the run's");
  notes.push(v.importedBy, formatWhen(v.importedAt));
  return `version ${v.seq} (${notes.filter(Boolean).join(', ')})`;
}
