// The last few things a grid computed (orders, filter masks, views), by key: a hit becomes the
// most recent, and the least recent goes when there are more than `size`.

export class Lru<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly size: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }

  /** The entries, least recent first (without making any of them recent). */
  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }
}
