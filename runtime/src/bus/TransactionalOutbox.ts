import type { Logger } from '../logger.ts';
import type { Bus, OutgoingRecord, TopicPartitionOffset } from './Bus.ts';
import { retryDelayMs } from './retry.ts';

interface Entry {
  records: OutgoingRecord[];
  progress: TopicPartitionOffset;
}

/**
 * Group commit for a consume-transform-produce worker: outputs are queued with the input progress
 * that produced them and committed in the background, one transaction at a time, each taking
 * everything queued so far (records in queue order, each input partition's furthest offset).
 *
 * Why not one transaction per input batch: a transactional producer cannot begin its next
 * transaction until the broker has finished the previous one, and kafkajs answers the broker's
 * CONCURRENT_TRANSACTIONS with a retry after its back-off, so back-to-back transactions cost a
 * back-off each and the queue behind them grows. Here a transaction's latency is paid once for
 * every output that arrived while the previous one ran.
 *
 * The worker's guarantees are unchanged: outputs and progress still commit together or not at
 * all. A failed transaction is aborted and the same entries are retried first (nothing queued
 * behind them commits before them), with back-off; a crash loses only what no committed progress
 * covers, which the worker produces again from its inputs.
 */
export class TransactionalOutbox {
  private queue: Entry[] = [];
  private running: Promise<void> | null = null;
  private lastStartedAt = 0;

  /**
   * `commitIntervalMs`: the least time from one transaction's start to the next one's, so that a
   * steady stream pays one transaction per interval, as Kafka Streams' commit.interval.ms (0: back
   * to back). What waits is committed a little later, never lost.
   */
  constructor(
    private readonly bus: Bus,
    private readonly transactionalId: string,
    private readonly progressGroup: string,
    private readonly logger: Logger,
    private readonly commitIntervalMs = 0,
  ) {}

  /** Entries queued and not committed yet (a caller applies back-pressure on it). */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues records with the next offset of the input they came from; they commit in this order. */
  add(records: OutgoingRecord[], progress: TopicPartitionOffset): void {
    this.queue.push({ records, progress });
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
          this.logger.warn({ err: error instanceof Error ? error.message : String(error), failures }, `transaction ${this.transactionalId} failed; retrying ${taken} entries in ${delayMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
      }
    } finally {
      this.running = null;
    }
  }

  private async commit(entries: Entry[]): Promise<void> {
    const furthest = new Map<string, TopicPartitionOffset>();
    for (const { progress } of entries) {
      const id = `${progress.topic}\u0000${progress.partition}`;
      const known = furthest.get(id);
      if (!known || BigInt(progress.offset) > BigInt(known.offset)) furthest.set(id, progress);
    }
    const transaction = await this.bus.transaction(this.transactionalId);
    try {
      await transaction.publish(entries.flatMap((entry) => entry.records));
      await transaction.commitOffsets(this.progressGroup, [...furthest.values()]);
      await transaction.commit();
    } catch (error) {
      // An abort that fails too leaves the broker to time the transaction out, which readers see as aborted.
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}
