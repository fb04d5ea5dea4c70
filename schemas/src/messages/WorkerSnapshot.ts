import { NAMESPACE, ref, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';

export const PartitionOffsetSchema = {
  type: 'record',
  name: 'PartitionOffset',
  namespace: NAMESPACE,
  doc: 'A position in one partition of a topic.',
  fields: [
    { name: 'topic', type: 'string' },
    { name: 'partition', type: 'int' },
    { name: 'offset', type: 'string', doc: 'The next offset, a non-negative integer as a decimal string (Kafka offsets are 64-bit).' },
  ],
} as const;
export type PartitionOffset = Infer<typeof PartitionOffsetSchema>;

export const WorkerSnapshotSchema = {
  type: 'record',
  name: 'WorkerSnapshot',
  namespace: NAMESPACE,
  doc: "One partition's folded state of a stateful worker, at a known point of its inputs: the instance the partition is assigned to restores it and reads only what came after, instead of all history.",
  fields: [
    field.eventId,
    { name: 'worker', type: 'string', doc: 'The worker name: its consumer group, e.g. execution.' },
    { name: 'partition', type: 'int', doc: 'The partition number of the keyed inputs whose state this is.' },
    { name: 'inputs', type: { type: 'array', items: PartitionOffsetSchema }, doc: 'For each input partition, the first offset the state has not folded.' },
    {
      name: 'outputs',
      type: { type: 'array', items: ref(PartitionOffsetSchema) },
      doc: 'The end of each output partition the worker reads back at recovery, when the snapshot was taken: what it had published before is in the state.',
    },
    { name: 'state', type: 'bytes', doc: "The state in the worker's own encoding (processors: stateSnapshot.ts); only that worker's code reads it." },
    { name: 'takenAtMs', type: 'long' },
  ],
} as const;
export type WorkerSnapshot = Infer<typeof WorkerSnapshotSchema>;
