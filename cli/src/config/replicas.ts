import { ALL_TOPICS, TOPICS } from '@crossvenue/schemas';

/** The workers a config plans, in pipeline order (`crossvenue worker <name>`). */
export const PLANNED_WORKERS = ['simulated-venue', 'ccxt-connector', 'router', 'execution', 'positions', 'reconciler', 'audit-sink', 'gateway', 'strategy', 'synchronizer', 'arbitrage'] as const;
export type PlannedWorker = (typeof PLANNED_WORKERS)[number];

/**
 * Workers whose instances share their input partitions through one consumer group, and how many
 * instances can have work: one per partition of their keyed input (more would sit idle).
 */
export const REPLICABLE: Partial<Record<PlannedWorker, { maxReplicas: number; why: string }>> = {
  router: { maxReplicas: TOPICS.intents.partitions, why: `${TOPICS.intents.name} has ${TOPICS.intents.partitions} partitions` },
  execution: { maxReplicas: TOPICS.routeDecisions.partitions, why: `${TOPICS.routeDecisions.name} has ${TOPICS.routeDecisions.partitions} partitions` },
  positions: { maxReplicas: TOPICS.fills.partitions, why: `${TOPICS.fills.name} has ${TOPICS.fills.partitions} partitions` },
  reconciler: { maxReplicas: TOPICS.venueSnapshots.partitions, why: `${TOPICS.venueSnapshots.name} has ${TOPICS.venueSnapshots.partitions} partitions` },
  'audit-sink': {
    maxReplicas: Math.max(...ALL_TOPICS.map((topic) => topic.partitions)),
    why: `its topics have at most ${Math.max(...ALL_TOPICS.map((topic) => topic.partitions))} partitions`,
  },
};

/** Why the others run one instance. */
const SINGLE: Record<Exclude<PlannedWorker, 'router' | 'execution' | 'positions' | 'reconciler' | 'audit-sink'>, string> = {
  'simulated-venue': 'it serves the demo venues on fixed ports',
  'ccxt-connector': 'there is one per account; add accounts, not replicas',
  gateway: 'one gateway listens on gateway.port',
  strategy: 'there is one per strategy; a strategy keeps its state in its one process',
  synchronizer: 'one process serves every follower; its copy state is in that process',
  arbitrage: 'there is one per arbitrage entry; its open groups and inventory are in its one process',
};

/** Why `count` instances of `worker` cannot run, or undefined. */
export function replicaProblem(worker: string, count: number): string | undefined {
  if (!(PLANNED_WORKERS as readonly string[]).includes(worker)) return `unknown worker "${worker}"; known: ${PLANNED_WORKERS.join(', ')}`;
  if (!Number.isSafeInteger(count) || count < 1) return `${count} is not a whole number of at least 1`;
  if (count === 1) return undefined;
  const shared = REPLICABLE[worker as PlannedWorker];
  if (!shared) return `${worker} runs one instance: ${SINGLE[worker as keyof typeof SINGLE]}`;
  if (count > shared.maxReplicas) return `at most ${shared.maxReplicas} ${worker} replicas (${shared.why}; more would sit idle)`;
  return undefined;
}
