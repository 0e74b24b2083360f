// Longest-prefix match over Destinations as a digit trie: one array hop per digit, no slicing.

import type { DestinationRow } from './rows.js';

interface Node {
  next: (Node | undefined)[];
  dest: DestinationRow | undefined;
}

const node = (): Node => ({ next: new Array<Node | undefined>(10), dest: undefined });

export class PrefixIndex {
  private readonly root = node();

  constructor(rows: Iterable<DestinationRow>) {
    for (const r of rows) {
      let n = this.root;
      for (let i = 0; i < r.prefix.length; i++) {
        const d = r.prefix.charCodeAt(i) - 48;
        n = n.next[d] ??= node();
      }
      n.dest = r;
    }
  }

  /** The destination of the longest prefix of `digits`, if any. */
  longest(digits: string): DestinationRow | undefined {
    let n: Node | undefined = this.root;
    let best: DestinationRow | undefined;
    for (let i = 0; i < digits.length && n; i++) {
      n = n.next[digits.charCodeAt(i) - 48];
      if (n?.dest) best = n.dest;
    }
    return best;
  }
}
