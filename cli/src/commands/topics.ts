import { ALL_TOPICS } from '@crossvenue/schemas';
import { parseArgs } from '../args.ts';

/** `crossvenue topics [--json]`: the catalogue every worker creates or verifies its topics from. */
export async function topicsCommand(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  const catalogue = ALL_TOPICS.map((topic) => ({
    name: topic.name,
    key: topic.keyDoc,
    partitions: topic.partitions,
    cleanupPolicy: topic.compacted ? 'compact' : 'delete',
    retentionMs: topic.retentionMs ?? null,
    valueSchema: `${topic.schema.namespace}.${topic.schema.name}`,
    subject: `${topic.name}-value`,
    deadLetter: topic.deadLetter.name,
  }));
  if (flags.has('json')) console.log(JSON.stringify(catalogue, null, 2));
  else for (const t of catalogue) console.log(`${t.name.padEnd(32)} ${String(t.partitions).padStart(3)}  ${t.cleanupPolicy.padEnd(7)}  key: ${t.key}`);
  return 0;
}
