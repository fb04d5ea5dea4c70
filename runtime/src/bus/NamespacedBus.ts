import type { Bus, ConsumedBatch, ConsumeOptions, Consumer, OutgoingRecord, TopicPartitionOffset, TopicSpec, Transaction } from './Bus.ts';

/**
 * A bus whose topics, consumer groups and transactional ids all live under a prefix of their own,
 * while the code on top keeps using the catalogue's names: what it publishes is renamed on the
 * way in, what it consumes is renamed back on the way out. Several whole pipelines can then share
 * one Kafka cluster without reading one another's records or offsets (an end-to-end test beside
 * a developer's running stack, two demo pipelines). Schema subjects are not prefixed: the
 * schemas are the same.
 */
export class NamespacedBus implements Bus {
  readonly kind: Bus['kind'];

  constructor(
    private readonly inner: Bus,
    /** Prepended to every name, e.g. "e2e-1a2b."; ends with a separator Kafka allows (".", "_", "-"). */
    private readonly prefix: string,
  ) {
    if (!/^[A-Za-z0-9._-]+$/.test(prefix)) throw new Error(`namespace "${prefix}": use letters, digits, ".", "_" or "-"`);
    this.kind = inner.kind;
  }

  private named(name: string): string {
    return `${this.prefix}${name}`;
  }

  private unnamed(name: string): string {
    return name.startsWith(this.prefix) ? name.slice(this.prefix.length) : name;
  }

  private records(records: OutgoingRecord[]): OutgoingRecord[] {
    return records.map((record) => ({ ...record, topic: this.named(record.topic) }));
  }

  private offsets(offsets: TopicPartitionOffset[], rename: (name: string) => string): TopicPartitionOffset[] {
    return offsets.map((offset) => ({ ...offset, topic: rename(offset.topic) }));
  }

  ensureTopics(specs: TopicSpec[]): Promise<void> {
    return this.inner.ensureTopics(specs.map((spec) => ({ ...spec, name: this.named(spec.name) })));
  }

  deleteTopics(names: string[]): Promise<void> {
    return this.inner.deleteTopics(names.map((name) => this.named(name)));
  }

  publish(records: OutgoingRecord[]): Promise<void> {
    return this.inner.publish(this.records(records));
  }

  consume(options: ConsumeOptions): Promise<Consumer> {
    const outside = (batch: ConsumedBatch): ConsumedBatch => {
      const topic = this.unnamed(batch.topic);
      return { ...batch, topic, records: batch.records.map((record) => ({ ...record, topic })) };
    };
    return this.inner
      .consume({
        ...options,
        groupId: this.named(options.groupId),
        topics: options.topics.map((topic) => this.named(topic)),
        handleBatch: (batch) => options.handleBatch(outside(batch)),
        onBatchError: options.onBatchError && ((error, batch) => options.onBatchError!(error, outside(batch))),
        onAssigned: options.onAssigned && ((partitions) => options.onAssigned!(partitions.map(({ topic, partition }) => ({ topic: this.unnamed(topic), partition })))),
      })
      .then((consumer) => ({
        seek: (topic: string, partition: number, offset: string) => consumer.seek(this.named(topic), partition, offset),
        catchUp: () => consumer.catchUp(),
        stop: () => consumer.stop(),
      }));
  }

  async endOffsets(topic: string): Promise<TopicPartitionOffset[]> {
    return this.offsets(await this.inner.endOffsets(this.named(topic)), (name) => this.unnamed(name));
  }

  async offsetsAt(topic: string, timestampMs: number): Promise<TopicPartitionOffset[]> {
    return this.offsets(await this.inner.offsetsAt(this.named(topic), timestampMs), (name) => this.unnamed(name));
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    return this.offsets(await this.inner.committedOffsets(this.named(groupId), this.named(topic)), (name) => this.unnamed(name));
  }

  async transaction(transactionalId: string): Promise<Transaction> {
    const transaction = await this.inner.transaction(this.named(transactionalId));
    return {
      publish: (records) => transaction.publish(this.records(records)),
      commitOffsets: (groupId, offsets) => transaction.commitOffsets(this.named(groupId), this.offsets(offsets, (name) => this.named(name))),
      commit: () => transaction.commit(),
      abort: () => transaction.abort(),
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
