import kafkajs from 'kafkajs';

/**
 * The partition of a key, exactly as Kafka's default partitioner computes it (murmur2, the same
 * as the Java client), so that the in-process bus places every key where Kafka would and
 * co-partitioning holds in both modes.
 */
const kafkaDefault = kafkajs.Partitioners.DefaultPartitioner();

export function partitionForKey(topic: string, key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  return kafkaDefault({ topic, partitionMetadata, message: { key, value: null } });
}
