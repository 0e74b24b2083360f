// Download links' keys (routes/downloads.ts): random, short-lived, used once, and held in memory
// only — a restart forgets them, which costs a click, since the UI asks for a link just before it
// follows it. A bounded number live at once, so asking in a loop cannot grow the server.

import { randomBytes } from 'node:crypto';

export interface LinkOptions {
  /** How long a link may wait to be followed (default 60 s). */
  lifetimeMs?: number;
  /** Links alive at once (default 1024); past it the oldest is dropped. */
  maxLinks?: number;
  /** The clock, in ms: tests move it on instead of waiting. */
  now?: () => number;
}

export class LinkStore<T> {
  private readonly links = new Map<string, { value: T; expires: number }>();
  private readonly lifetimeMs: number;
  private readonly maxLinks: number;
  private readonly now: () => number;

  constructor(options: LinkOptions = {}) {
    this.lifetimeMs = options.lifetimeMs ?? 60_000;
    this.maxLinks = Math.max(1, options.maxLinks ?? 1024);
    this.now = options.now ?? Date.now;
  }

  /** A new key for `value`: 32 random bytes, URL-safe. */
  mint(value: T): { key: string; expires: number } {
    const now = this.now();
    // Insertion order is expiry order: the expired are at the front.
    for (const [key, link] of this.links) {
      if (link.expires > now) break;
      this.links.delete(key);
    }
    // Full of live links: the oldest goes. A link is followed within moments of being made, so
    // only one left unfollowed is lost — a refusal instead would let one caller block everyone's.
    while (this.links.size >= this.maxLinks) this.links.delete(this.links.keys().next().value!);
    const key = randomBytes(32).toString('base64url');
    const expires = now + this.lifetimeMs;
    this.links.set(key, { value, expires });
    return { key, expires };
  }

  /** The value of a live key, which is used up by this; undefined for a key unknown, used or expired. */
  take(key: string): T | undefined {
    const link = this.links.get(key);
    this.links.delete(key);
    return link && link.expires > this.now() ? link.value : undefined;
  }

  /** Whether a key is live, without using it up. */
  has(key: string): boolean {
    const link = this.links.get(key);
    return link !== undefined && link.expires > this.now();
  }

  get size(): number {
    return this.links.size;
  }
}
