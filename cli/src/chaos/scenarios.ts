import type { RestorePhase } from './SupervisedRun.ts';

/**
 * A fault a chaos scenario injects into the running pipeline, mid-stream:
 * - `kill`: SIGKILL to one process of the run; the supervisor restarts it. `whileRestoring`: and
 *   again as soon as its restart is restoring its state (up, not yet caught up with its
 *   partitions; SupervisedRun's RESTORING says how far it must have got), then it restarts once more.
 * - `venue-faults`: the simulated venues' own fault injection (simulator/src/Faults.ts) switched
 *   on at every venue for the rest of the load, then off; `perVenue` adds settings for one venue.
 * - `venue-outage`: one venue refuses connections for a while (its listener closed), then reopens.
 * - `drop-sockets`: every venue drops its WebSocket connections at once.
 * - `server-outage`: one of the run's own servers (Kafka's broker, the schema registry, ClickHouse)
 *   stopped as an operator restarts it, kept down for a while, then started on the same ports and data.
 * - `poison`: bytes that are no record at all, published to every audited topic.
 */
export type Fault =
  | { kind: 'kill'; process: string; whileRestoring?: RestorePhase }
  | { kind: 'venue-faults'; settings: Record<string, number | boolean>; perVenue?: Record<string, Record<string, number | boolean>> }
  | { kind: 'venue-outage'; venue: string; durationMs: number }
  | { kind: 'drop-sockets' }
  | { kind: 'server-outage'; server: RunServer; durationMs: number }
  | { kind: 'poison' };

/** The servers a chaos run has of its own, and so may stop. */
export type RunServer = 'kafka' | 'registry' | 'clickhouse';

export interface Scenario {
  name: string;
  what: string;
  fault: Fault;
}

/** What one load of intents is put through: a scenario's fault, or a soak's faults one after another. */
export interface Trial {
  name: string;
  what: string;
  faults: readonly Fault[];
}

export const trialOf = ({ name, what, fault }: Scenario): Trial => ({ name, what, faults: [fault] });

/** `--soak`: one long load with every scenario's fault in it, in the order given, each at a random (seeded) time of its share of the load. */
export function soakTrial(scenarios: readonly Scenario[]): Trial {
  return { name: 'soak', what: `${scenarios.length} faults at random times: ${scenarios.map(({ name }) => name).join(', ')}`, faults: scenarios.map(({ fault }) => fault) };
}

/**
 * After which steps of a load of `total` steps each of `count` faults comes, the same for the same
 * seed: the load is cut into `count` equal shares, and each fault comes somewhere in the first 60%
 * of its share (mid-stream, with time left to go on under it). One fault: in the first 60% of the load.
 */
export function faultSteps(total: number, count: number, random: () => number): number[] {
  const share = total / count;
  return Array.from({ length: count }, (_, index) => Math.floor(index * share) + 1 + Math.floor(random() * Math.max(1, Math.floor(share * 0.6))));
}

const kill = (name: string, process: string, what: string): Scenario => ({ name, what: `kill -9 of ${what}`, fault: { kind: 'kill', process } });
const killWhileRestoring = (name: string, process: string, what: string, restores: string, phase: RestorePhase): Scenario => ({
  name,
  what: `kill -9 of ${what}, and again while its restart restores its state (${restores})`,
  fault: { kind: 'kill', process, whileRestoring: phase },
});
const outage = (name: string, server: RunServer, what: string, durationMs: number): Scenario => ({ name, what: `${what} is down for ${durationMs / 1000} s`, fault: { kind: 'server-outage', server, durationMs } });
const venueFaults = (name: string, what: string, settings: Record<string, number | boolean>): Scenario => ({ name, what, fault: { kind: 'venue-faults', settings } });

/** The scenarios `crossvenue chaos` runs, in this order unless --scenarios picks some. */
export const SCENARIOS: readonly Scenario[] = [
  kill('kill-execution', 'execution', 'the execution worker'),
  kill('kill-positions', 'positions', 'the positions worker'),
  kill('kill-router', 'router', 'the router'),
  kill('kill-connector', 'ccxt-connector.sim-binance-a.demo', 'the connector of sim-binance-a'),
  kill('kill-reconciler', 'reconciler', 'the reconciler'),
  kill('kill-audit-sink', 'audit-sink', 'the audit sink'),
  kill('kill-gateway', 'gateway', 'the gateway'),
  killWhileRestoring('kill-execution-restoring', 'execution', 'the execution worker', 'its snapshot, then its outputs read back', 'reading'),
  // Their state is a re-read of the run's few hundred records, done in milliseconds: they are killed
  // again from the moment their consumer group is joining, the first step of that re-read.
  killWhileRestoring('kill-positions-restoring', 'positions', 'the positions worker', 'its group joining, then every fill folded again', 'joining'),
  killWhileRestoring('kill-reconciler-restoring', 'reconciler', 'the reconciler', 'its group joining, then its inputs read again', 'joining'),
  outage('broker-restart', 'kafka', "the run's Kafka broker", 10_000),
  outage('registry-restart', 'registry', "the run's schema registry", 10_000),
  { name: 'venue-outage', what: 'sim-binance-a refuses connections for 10 s', fault: { kind: 'venue-outage', venue: 'sim-binance-a', durationMs: 10_000 } },
  { name: 'dropped-sockets', what: 'every venue drops its WebSockets at once', fault: { kind: 'drop-sockets' } },
  venueFaults('ack-timeouts', 'every venue executes the next 3 orders but never acknowledges them', { orderAckTimeouts: 3 }),
  venueFaults('duplicated-fills', 'every venue streams each fill twice, and out of order', { duplicateFills: true, reorderFills: true }),
  venueFaults('unstreamed-fills', "every venue leaves the next 2 fills out of its user stream (they are only in its trade history)", { loseFills: 2 }),
  venueFaults('book-gaps', "every venue skips 5 book updates' sequence numbers", { skipBookUpdates: 5 }),
  venueFaults('rate-limits', 'every venue answers the next 10 requests as rate limited', { rateLimitRequests: 10 }),
  {
    name: 'clock-skew',
    what: "the venues' clocks run apart: sim-binance-a 4 s ahead, sim-bybit 3 s ahead, sim-binance-b 4 s behind (it refuses our signed requests as too far ahead)",
    fault: { kind: 'venue-faults', settings: {}, perVenue: { 'sim-binance-a': { clockSkewMs: 4_000 }, 'sim-bybit': { clockSkewMs: 3_000 }, 'sim-binance-b': { clockSkewMs: -4_000 } } },
  },
  outage('clickhouse-down', 'clickhouse', "the run's ClickHouse", 30_000),
  { name: 'poison-records', what: 'a record that is not one, on every audited topic', fault: { kind: 'poison' } },
];

/** The scenarios named (comma-separated), in the order given; every scenario when none is. */
export function pickScenarios(names: string | undefined): Scenario[] {
  if (names === undefined) return [...SCENARIOS];
  return names.split(',').map((name) => {
    const found = SCENARIOS.find((scenario) => scenario.name === name.trim());
    if (!found) throw new Error(`unknown scenario "${name.trim()}"; known: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
    return found;
  });
}
