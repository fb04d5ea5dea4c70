import type { OutgoingRecord } from './Bus.ts';

/**
 * Records in order, cut where a chunk would pass `maxBytes` (a record larger than that goes alone).
 * A Kafka client sends a partition's records as one batch, which the broker refuses above the
 * topic's max.message.bytes: a large publish goes in several sends, in order.
 */
export function chunksOf(records: OutgoingRecord[], maxBytes: number): OutgoingRecord[][] {
  const chunks: OutgoingRecord[][] = [];
  let chunk: OutgoingRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = (record.value?.length ?? 0) + Buffer.byteLength(record.key ?? '');
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(record);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
