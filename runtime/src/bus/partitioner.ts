import kafkajs from 'kafkajs';

/**
 * The partition of a key, exactly as Kafka's default partitioner computes it (murmur2, the same
 * as the Java client), so that the in-process bus places every key where Kafka would and
 * co-partitioning holds in both modes.
 */
const kafkaDefault = kafkajs.Partitioners.DefaultPartitioner();

/** The partition list the partitioner reads, made once per partition count: not for every record published. */
const metadataByCount = new Map<number, Array<{ partitionId: number; leader: number; partitionErrorCode: number; replicas: number[]; isr: number[] }>>();

export function partitionForKey(topic: string, key: string, partitions: number): number {
  let partitionMetadata = metadataByCount.get(partitions);
  if (!partitionMetadata) {
    partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
    metadataByCount.set(partitions, partitionMetadata);
  }
  return kafkaDefault({ topic, partitionMetadata, message: { key, value: null } });
}
