import type { Bus, ConsumeOptions, Consumer, OutgoingRecord, TopicPartitionOffset, TopicSpec, Transaction } from './Bus.ts';

/**
 * A bus whose implementation is still loading (a dynamic import): every call waits for it, then
 * goes to it. Lets a synchronous construction site (kafkaMessageBus) offer a bus whose library is
 * imported only when chosen.
 */
export class LazyBus implements Bus {
  readonly kind = 'kafka' as const;

  constructor(private readonly loading: Promise<Bus>) {
    // A failed load is reported by the first call that needs the bus, not as an unhandled rejection.
    loading.catch(() => undefined);
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    return (await this.loading).ensureTopics(specs);
  }

  async deleteTopics(names: string[]): Promise<void> {
    return (await this.loading).deleteTopics(names);
  }

  async publish(records: OutgoingRecord[]): Promise<void> {
    return (await this.loading).publish(records);
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    return (await this.loading).consume(options);
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    return (await this.loading).committedOffsets(groupId, topic);
  }

  async endOffsets(topic: string): Promise<TopicPartitionOffset[]> {
    return (await this.loading).endOffsets(topic);
  }

  async offsetsAt(topic: string, timestampMs: number): Promise<TopicPartitionOffset[]> {
    return (await this.loading).offsetsAt(topic, timestampMs);
  }

  async transaction(transactionalId: string): Promise<Transaction> {
    return (await this.loading).transaction(transactionalId);
  }

  async close(): Promise<void> {
    const bus = await this.loading.catch(() => undefined);
    await bus?.close();
  }
}
