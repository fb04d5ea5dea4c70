import { ALL_TOPICS } from '@crossvenue/schemas';
import { parseArgs, UsageError } from '../args.ts';

export const HELP = `usage: crossvenue topics [--json]

The topic catalogue every worker creates or verifies its topics from: name, key, partitions,
cleanup policy, retention, value schema, registry subject and dead-letter topic.`;

/** `crossvenue topics [--json]`: the catalogue every worker creates or verifies its topics from. */
export async function topicsCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { flags: ['json'] });
  if (positionals.length > 0) throw new UsageError(`topics takes no arguments, got "${positionals[0]}"`);
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
