/**
 * A fault a chaos scenario injects into the running pipeline, mid-stream:
 * - `kill`: SIGKILL to one process of the run; the supervisor restarts it.
 * - `venue-faults`: the simulated venues' own fault injection (simulator/src/Faults.ts) switched
 *   on at every venue for the rest of the load, then off.
 * - `venue-outage`: one venue refuses connections for a while (its listener closed), then reopens.
 * - `drop-sockets`: every venue drops its WebSocket connections at once.
 * - `poison`: bytes that are no record at all, published to every audited topic.
 */
export type Fault =
  | { kind: 'kill'; process: string }
  | { kind: 'venue-faults'; settings: Record<string, number | boolean> }
  | { kind: 'venue-outage'; venue: string; durationMs: number }
  | { kind: 'drop-sockets' }
  | { kind: 'poison' };

export interface Scenario {
  name: string;
  what: string;
  fault: Fault;
}

const kill = (name: string, process: string, what: string): Scenario => ({ name, what: `kill -9 of ${what}`, fault: { kind: 'kill', process } });
const venueFaults = (name: string, what: string, settings: Record<string, number | boolean>): Scenario => ({ name, what, fault: { kind: 'venue-faults', settings } });

/**
 * The scenarios `crossvenue chaos` runs, in this order unless --scenarios picks some. Not here yet
 * (a name this list does not have is refused, never run as something else): broker and registry
 * restarts, ClickHouse down, venue clock skew, and a kill during a worker's state restore.
 */
export const SCENARIOS: readonly Scenario[] = [
  kill('kill-execution', 'execution', 'the execution worker'),
  kill('kill-positions', 'positions', 'the positions worker'),
  kill('kill-router', 'router', 'the router'),
  kill('kill-connector', 'ccxt-connector.sim-binance-a.demo', 'the connector of sim-binance-a'),
  kill('kill-reconciler', 'reconciler', 'the reconciler'),
  kill('kill-audit-sink', 'audit-sink', 'the audit sink'),
  kill('kill-gateway', 'gateway', 'the gateway'),
  { name: 'venue-outage', what: 'sim-binance-a refuses connections for 10 s', fault: { kind: 'venue-outage', venue: 'sim-binance-a', durationMs: 10_000 } },
  { name: 'dropped-sockets', what: 'every venue drops its WebSockets at once', fault: { kind: 'drop-sockets' } },
  venueFaults('ack-timeouts', 'every venue executes the next 3 orders but never acknowledges them', { orderAckTimeouts: 3 }),
  venueFaults('duplicated-fills', 'every venue streams each fill twice, and out of order', { duplicateFills: true, reorderFills: true }),
  venueFaults('unstreamed-fills', "every venue leaves the next 2 fills out of its user stream (they are only in its trade history)", { loseFills: 2 }),
  venueFaults('book-gaps', "every venue skips 5 book updates' sequence numbers", { skipBookUpdates: 5 }),
  venueFaults('rate-limits', 'every venue answers the next 10 requests as rate limited', { rateLimitRequests: 10 }),
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
