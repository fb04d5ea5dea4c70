import type { Logger } from '../logger.ts';
import type { Bus, TopicPartitionOffset } from './Bus.ts';
import { retryDelayMs } from './retry.ts';

/**
 * A worker's input progress, committed to its progress group in the background, in offsets-only
 * transactions, one at a time, each taking the furthest offset of every input partition queued so
 * far. The transactional id fences a second instance of the same name: its commits fail.
 *
 * Why transactions for offsets alone: Kafka has no other way to commit a consumer group's offsets
 * from outside the group; why in the background: a transaction costs the broker several round trips,
 * which must not stand on the path from input to output. `commitIntervalMs` is the least time from
 * one transaction's start to the next one's, so a steady stream pays one per interval (Kafka
 * Streams' commit.interval.ms); what waits is committed a little later, never lost. A failed
 * transaction is aborted and its offsets tried again first, with back-off.
 */
export class ProgressCommits {
  private queue: TopicPartitionOffset[] = [];
  private running: Promise<void> | null = null;
  private lastStartedAt = 0;

  constructor(
    private readonly bus: Bus,
    private readonly transactionalId: string,
    private readonly progressGroup: string,
    private readonly logger: Logger,
    private readonly commitIntervalMs = 0,
  ) {}

  /** Offsets queued and not committed yet (a caller applies back-pressure on it). */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues the next offset of an input partition; every output of what comes before it is published. */
  add(progress: TopicPartitionOffset): void {
    this.queue.push(progress);
    this.running ??= this.run();
  }

  /** Resolves once everything queued so far is committed. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    try {
      while (this.queue.length > 0) {
        const wait = this.lastStartedAt + this.commitIntervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        this.lastStartedAt = Date.now();
        const taken = this.queue.length;
        try {
          await this.commit(this.queue.slice(0, taken));
          this.queue.splice(0, taken);
          failures = 0;
        } catch (error) {
          failures += 1;
          const delayMs = retryDelayMs(failures);
          this.logger.warn({ err: error instanceof Error ? error.message : String(error), failures }, `transaction ${this.transactionalId} failed; retrying ${taken} offsets in ${delayMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
      }
    } finally {
      this.running = null;
    }
  }

  private async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    const furthest = new Map<string, TopicPartitionOffset>();
    for (const progress of offsets) {
      const id = `${progress.topic}\u0000${progress.partition}`;
      const known = furthest.get(id);
      if (!known || BigInt(progress.offset) > BigInt(known.offset)) furthest.set(id, progress);
    }
    const transaction = await this.bus.transaction(this.transactionalId);
    try {
      await transaction.commitOffsets(this.progressGroup, [...furthest.values()]);
      await transaction.commit();
    } catch (error) {
      // An abort that fails too leaves the broker to time the transaction out, which readers see as aborted.
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}
