/** Decodes kept for groups that have not taken them yet; past this, the oldest go (and are decoded again if asked). */
const CAPACITY = 1_024;

interface Entry {
  topic: string;
  value: Promise<unknown>;
  /** Groups still expected to take it. */
  left: number;
}

/**
 * One decode of a record for every consumer group that reads it. The in-process bus hands every
 * group the same record (the same Buffer), and each group decoding it again was a quarter of a
 * backtest's time (three groups read every book). The value is then shared, hence frozen: a
 * handler that changes what it was handed throws instead of changing it under the others.
 *
 * A decode is kept only until every group reading its topic has taken it: values kept longer
 * (a fixed window of recent records) outlived the young generation, and the garbage collector
 * then cost more than the decodes saved. On Kafka every delivery has its own bytes, so nothing is
 * shared (MessageBus uses this on the in-process bus only). Bytes that fail to decode are forgotten, so
 * each group refuses (and dead-letters) them as before.
 */
export class SharedDecodes {
  private readonly entries = new Map<Buffer, Entry>();
  /** Per topic, the groups reading it, with their members (only one member of a group takes a record). */
  private readonly readers = new Map<string, Map<string, number>>();

  /** A member of `groupId` reads `topics` from now on; returns what to call when it stops. */
  join(groupId: string, topics: readonly string[]): () => void {
    const groupsOf = (topic: string) => this.readers.get(topic) ?? this.readers.set(topic, new Map()).get(topic)!;
    for (const topic of topics) groupsOf(topic).set(groupId, (groupsOf(topic).get(groupId) ?? 0) + 1);
    return () => {
      for (const topic of topics) {
        const members = groupsOf(topic).get(groupId)! - 1;
        if (members > 0) groupsOf(topic).set(groupId, members);
        else groupsOf(topic).delete(groupId);
      }
    };
  }

  decode(topic: string, bytes: Buffer, decode: () => Promise<unknown>): Promise<unknown> {
    const known = this.entries.get(bytes);
    // The same bytes can also travel to another topic (a dead letter keeps the original bytes).
    if (known?.topic === topic) {
      if (--known.left <= 0) this.entries.delete(bytes);
      return known.value;
    }
    const value = decode().then(deepFreeze);
    const left = (this.readers.get(topic)?.size ?? 1) - 1;
    if (left <= 0) return value;
    if (this.entries.size >= CAPACITY) this.entries.delete(this.entries.keys().next().value!);
    const entry = { topic, value, left };
    this.entries.set(bytes, entry);
    value.catch(() => {
      if (this.entries.get(bytes) === entry) this.entries.delete(bytes);
    });
    return value;
  }
}

/** Every object and array in `value`; a `bytes` field's Buffer cannot be frozen and is shared as it is. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const field of Object.values(value)) deepFreeze(field);
  return value;
}
