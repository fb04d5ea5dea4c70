import { setTimeout as sleep } from 'node:timers/promises';
import type { PrivateClickhouse, PrivateKafka, PrivateRegistry } from '@crossvenue/infra';
import type { MessageBus } from '@crossvenue/runtime';
import { AUDITED_TOPICS } from '@crossvenue/schemas';
import type { Fault, RunServer } from './scenarios.ts';
import type { SimulatedVenue } from './simulatedRun.ts';
import type { SupervisedRun } from './SupervisedRun.ts';

/** A fault under way: `end` lifts what the fault left switched on, waits until it is over, and says when it was. */
export interface InjectedFault {
  what: string;
  end(): Promise<number>;
}

export interface FaultTargets {
  run: SupervisedRun;
  venues: readonly SimulatedVenue[];
  /** The run's bus: where poison goes. */
  messages: MessageBus;
  /** The run's own servers: its Kafka broker and registry, which every worker uses, and its ClickHouse, which the audit sink writes to. */
  servers: RunServers;
}

export interface RunServers {
  kafka: PrivateKafka;
  registry: PrivateRegistry;
  clickhouse: PrivateClickhouse;
}

const SERVER_NAMES: Record<RunServer, (servers: RunServers) => string> = {
  kafka: ({ kafka }) => `Kafka (${kafka.brokers.join(',')})`,
  registry: ({ registry }) => `the schema registry (${registry.url})`,
  clickhouse: ({ clickhouse }) => `ClickHouse (${clickhouse.url})`,
};

/** How long a killed process may take to run healthy and ready again, or a venue to reopen. */
const BACK_TIMEOUT_MS = 240_000;
const POISON = Buffer.from('chaos: these bytes are not a record of any schema');

export async function injectFault(fault: Fault, { run, venues, messages, servers }: FaultTargets): Promise<InjectedFault> {
  const startedAtMs = Date.now();
  const admin = (venue: SimulatedVenue, path: string, method: string, body?: object) =>
    fetch(`http://127.0.0.1:${venue.port}/__admin/${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body && { body: JSON.stringify(body) }) }).then((response) => {
      if (!response.ok) throw new Error(`${venue.venue} /__admin/${path} answered ${response.status}`);
    });
  switch (fault.kind) {
    case 'kill': {
      let pid = run.kill(fault.process);
      let what = `killed ${fault.process} (pid ${pid})`;
      if (fault.whileRestoring) {
        const restoring = await run.untilRestoring(fault.process, pid, BACK_TIMEOUT_MS, fault.whileRestoring);
        pid = run.kill(fault.process);
        what += `, then its restart (pid ${pid}) while restoring ("${restoring}")`;
      }
      const back = run.untilBack(fault.process, pid, BACK_TIMEOUT_MS);
      back.catch(() => undefined);
      return { what, end: async () => (await back, Date.now()) };
    }
    case 'venue-faults': {
      const settingsOf = (venue: SimulatedVenue) => ({ ...fault.settings, ...fault.perVenue?.[venue.venue] });
      await Promise.all(venues.map((venue) => admin(venue, 'faults', 'POST', settingsOf(venue))));
      return {
        what: `faults ${venues.map((venue) => `${venue.venue} ${JSON.stringify(settingsOf(venue))}`).join(', ')}`,
        // Only what the scenario switched on is switched off: a venue's usual latency stays.
        end: async () => (await Promise.all(venues.map((venue) => admin(venue, 'faults', 'POST', Object.fromEntries(Object.keys(settingsOf(venue)).map((key) => [key, null]))))), Date.now()),
      };
    }
    case 'venue-outage': {
      const venue = venues.find((candidate) => candidate.venue === fault.venue);
      if (!venue) throw new Error(`no simulated venue ${fault.venue}`);
      await admin(venue, 'outage', 'POST', { durationMs: fault.durationMs });
      return {
        what: `${venue.venue} down for ${fault.durationMs} ms`,
        end: async () => {
          await sleep(Math.max(0, startedAtMs + fault.durationMs - Date.now()));
          // Open again once its own port answers.
          const deadline = Date.now() + BACK_TIMEOUT_MS;
          while (!(await admin(venue, 'faults', 'GET').then(() => true, () => false))) {
            if (Date.now() > deadline) throw new Error(`${venue.venue} did not reopen ${BACK_TIMEOUT_MS} ms after its outage`);
            await sleep(250);
          }
          return Date.now();
        },
      };
    }
    case 'drop-sockets':
      await Promise.all(venues.map((venue) => admin(venue, 'drop-connections', 'POST')));
      return { what: `every WebSocket of ${venues.map(({ venue }) => venue).join(', ')} dropped`, end: async () => startedAtMs };
    case 'server-outage': {
      const server = servers[fault.server];
      await server.pause();
      // Back on its own time, as an operator's restart is: the load may be waiting for it (Kafka).
      const back = sleep(fault.durationMs).then(() => server.resume());
      back.catch(() => undefined);
      return { what: `${SERVER_NAMES[fault.server](servers)} stopped for ${fault.durationMs} ms`, end: async () => (await back, Date.now()) };
    }
    case 'poison':
      await messages.bus.publish(AUDITED_TOPICS.map((topic) => ({ topic: topic.name, key: 'chaos-poison', value: POISON })));
      return { what: `poison on ${AUDITED_TOPICS.length} topics`, end: async () => startedAtMs };
  }
}

/** The dead-letter topics a fault must have fed: poison must reach the dead letters of every topic it was put on. */
export function expectedDeadLetters(fault: Fault): string[] {
  return fault.kind === 'poison' ? AUDITED_TOPICS.map((topic) => topic.deadLetter.name) : [];
}
