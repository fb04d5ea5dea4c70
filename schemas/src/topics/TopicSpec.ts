/** What the broker must hold for a topic: a bus creates or verifies exactly this. */
export interface TopicSpec {
  name: string;
  partitions: number;
  /** Compacted topics keep the latest value per key (state topics). */
  compacted: boolean;
  /** Undefined keeps the broker default; -1 keeps forever. */
  retentionMs?: number;
  /** The largest record the topic takes; undefined keeps the broker default (1 MiB). */
  maxMessageBytes?: number;
}
