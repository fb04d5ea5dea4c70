import { InvalidInputError, type TopicDefinition } from '@crossvenue/schemas';
import type { Delivered, Logger, MessageBus } from '@crossvenue/runtime';

/**
 * How every worker applies a batch: each record in order through `apply`. A record that decoded
 * but breaks a domain rule (`apply` throws InvalidInputError) goes to `topic`'s dead-letter topic
 * with its original bytes and the reason, is logged by the worker, and the rest of the batch goes
 * on: bad input never stops a worker and is never lost (DESIGN.md, invariant 8). Any other error
 * is thrown, so the bus delivers the batch again. (Records that do not decode at all MessageBus
 * dead-letters itself.)
 *
 * `replayed` names records an earlier run has handled and dead-lettered already (ExecutionWorker's
 * replay boundary): they are applied again to rebuild state, and not dead-lettered twice. A worker
 * that rebuilds its state from the beginning with no such boundary dead-letters an invalid record
 * again at each start; the letter names its source offset, so a reader can tell.
 */
export async function applyOrDeadLetter<V>(
  worker: { messages: MessageBus; logger: Logger },
  topic: TopicDefinition,
  batch: ReadonlyArray<Delivered<V>>,
  apply: (record: Delivered<V>) => void,
  replayed: (record: Delivered<V>) => boolean = () => false,
): Promise<void> {
  for (const record of batch) {
    try {
      apply(record);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      if (replayed(record)) continue;
      await worker.messages.deadLetterDelivered(topic, record, error.message);
      const { partition, offset } = record;
      worker.logger.error({ topic: record.topic, partition, offset }, `${record.topic}[${partition}]@${offset}: ${error.message}; sent to ${topic.deadLetter.name}`);
    }
  }
}
