import kafkajs, { type PartitionAssigner } from 'kafkajs';

/**
 * Which member of a group owns a partition number: the same member for that number in every
 * topic the group reads. Topics with the same key and partition count (a portfolio's order events,
 * fills and snapshots; an instrument's books and intents) are then handled by one member, in order,
 * which is what co-partitioning is for. (Round-robin over topic-partitions, kafkajs's default,
 * splits them.)
 */
export function ownerOfPartition(partition: number, memberCount: number): number {
  return partition % memberCount;
}

const { AssignerProtocol } = kafkajs;
const NAME = 'CrossvenueCoPartitioned';
const VERSION = 1;

/** The kafkajs side: a group protocol that assigns by `ownerOfPartition` over sorted member ids. */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: NAME,
  version: VERSION,
  async assign({ members, topics }) {
    const memberIds = members.map(({ memberId }) => memberId).sort();
    const assignment = new Map<string, Record<string, number[]>>(memberIds.map((id) => [id, {}]));
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const owner = assignment.get(memberIds[ownerOfPartition(partitionId, memberIds.length)]!)!;
        (owner[topic] ??= []).push(partitionId);
      }
    }
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: VERSION, assignment: topicPartitions, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData: Buffer.alloc(0) }) };
  },
});
