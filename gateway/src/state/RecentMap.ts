/**
 * A map that keeps only the `capacity` most recently written entries, so that a long-running
 * gateway's reporting view has bounded memory. Writing a key again makes it the newest.
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** The newest entries first, at most `limit` of them. */
  newestFirst(limit = this.capacity): V[] {
    return [...this.entries.values()].reverse().slice(0, limit);
  }
}
