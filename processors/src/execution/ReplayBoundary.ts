import type { Bus } from '@crossvenue/runtime';

/**
 * Where the previous run of a worker stopped publishing: per input partition, the offset up to
 * which every record's outputs were published, read once at start from a consumer group the
 * worker commits to only inside the transactions that publish those outputs. A record below it is
 * replayed to rebuild state and must not send anything again; from it on, the worker is live.
 */
export class ReplayBoundary {
  private constructor(private readonly next: ReadonlyMap<string, bigint>) {}

  static async load(bus: Bus, progressGroup: string, topics: readonly string[]): Promise<ReplayBoundary> {
    const next = new Map<string, bigint>();
    for (const topic of topics) {
      for (const { partition, offset } of await bus.committedOffsets(progressGroup, topic)) next.set(key(topic, partition), BigInt(offset));
    }
    return new ReplayBoundary(next);
  }

  isReplay(topic: string, partition: number, offset: string): boolean {
    return BigInt(offset) < (this.next.get(key(topic, partition)) ?? 0n);
  }
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
