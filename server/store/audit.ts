// The audit log (SPEC §7): every change, appended as one JSON line to DIR/audit.log and fsynced
// before the change is answered. A line torn by a crash is skipped when the log is read.

import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Role } from '../http/roles.js';

export const AUDIT_ACTIONS = ['import', 'publish', 'run', 'retry', 'rerate', 'release', 'bill', 'finalise', 'sheets', 'token-create', 'token-revoke'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  at: string;
  who: string;
  role: Role | 'system';
  action: AuditAction;
  target: string;
  version?: number;
  /** Anything else worth keeping: a release's reason, a re-rate's counts. */
  detail?: string;
}

export class AuditLog {
  private chain: Promise<unknown> = Promise.resolve();
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'audit.log');
  }

  append(entry: Omit<AuditEntry, 'at'>): Promise<AuditEntry> {
    const full: AuditEntry = { at: new Date().toISOString(), ...entry };
    const next = this.chain.then(async () => {
      const fh = await open(this.path, 'a');
      try {
        await fh.write(JSON.stringify(full) + '\n');
        await fh.sync();
      } finally {
        await fh.close();
      }
      return full;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The newest `limit` entries, newest first. */
  async read(limit: number): Promise<AuditEntry[]> {
    await this.chain;
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: AuditEntry[] = [];
    const lines = text.split('\n');
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
      if (!lines[i]) continue;
      try {
        out.push(JSON.parse(lines[i]) as AuditEntry);
      } catch {
        // a line torn by a crash
      }
    }
    return out;
  }
}
