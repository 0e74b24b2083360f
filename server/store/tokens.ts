// API tokens (SPEC §7 Access): stored only as sha256 hashes in DIR/tokens.json, replaced
// atomically. The secret is shown once, when it is made. Revoking takes effect on the next
// request: the server's lookups read the in-memory copy this module keeps current.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Role } from '../http/roles.js';
import { writeJsonAtomic } from './store.js';

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
}

interface TokenRecord extends TokenInfo {
  /** sha256 of the secret, hex. */
  hash: string;
}

const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export class TokenStore {
  private records: TokenRecord[] = [];
  private byHash = new Map<string, TokenRecord>();
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly path: string) {}

  static async open(dataDir: string): Promise<TokenStore> {
    const t = new TokenStore(join(dataDir, 'tokens.json'));
    try {
      const file = JSON.parse(await readFile(t.path, 'utf8')) as { tokens: TokenRecord[] };
      t.records = file.tokens;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${t.path} is damaged (${(e as Error).message}); restore it from a backup`);
    }
    t.reindex();
    return t;
  }

  /** The live token holding this secret, or undefined. */
  find(secret: string): TokenInfo | undefined {
    const h = hashOf(secret);
    const r = this.byHash.get(h);
    // The map lookup is by hash already; compare in constant time all the same.
    if (!r || r.revokedAt || !timingSafeEqual(Buffer.from(r.hash, 'hex'), Buffer.from(h, 'hex'))) return undefined;
    return strip(r);
  }

  list(): TokenInfo[] {
    return this.records.map(strip).reverse();
  }

  hasAdmin(): boolean {
    return this.records.some((r) => r.role === 'admin' && !r.revokedAt);
  }

  /** A new token; `secret` given only for the first admin's RATEBOOK_ADMIN_TOKEN. */
  create(name: string, role: Role, createdBy: string, secret = 'rb_' + randomBytes(24).toString('base64url')): Promise<TokenInfo & { token: string }> {
    return this.write(async () => {
      const id = String(this.records.reduce((m, r) => Math.max(m, Number(r.id)), 0) + 1);
      const record: TokenRecord = { id, name, role, createdAt: new Date().toISOString(), createdBy, hash: hashOf(secret) };
      await this.save([...this.records, record]);
      return { ...strip(record), token: secret };
    });
  }

  /** Revokes a token: undefined when there is no such token. */
  revoke(id: string): Promise<TokenInfo | undefined> {
    return this.write(async () => {
      const r = this.records.find((x) => x.id === id);
      if (!r) return undefined;
      if (r.revokedAt) return strip(r);
      const next = this.records.map((x) => (x === r ? { ...x, revokedAt: new Date().toISOString() } : x));
      await this.save(next);
      return strip(next.find((x) => x.id === id)!);
    });
  }

  private async save(records: TokenRecord[]): Promise<void> {
    await writeJsonAtomic(this.path, { tokens: records });
    this.records = records;
    this.reindex();
  }

  private reindex(): void {
    this.byHash = new Map(this.records.map((r) => [r.hash, r]));
  }

  private write<T>(f: () => Promise<T>): Promise<T> {
    const next = this.chain.then(f);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

const strip = ({ hash: _, ...info }: TokenRecord): TokenInfo => info;
