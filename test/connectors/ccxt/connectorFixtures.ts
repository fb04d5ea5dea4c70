import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { LocalCodec, type MessageOf, type TopicDefinition } from '@crossvenue/schemas';
import type { Exchange } from 'ccxt';
import { afterAll, beforeAll } from 'vitest';
import {
  ccxtClientFor,
  CCXT_CONNECTOR_TOPICS,
  CcxtConnector,
  type CcxtConnectorOptions,
} from '@crossvenue/connectors';
import type { SimulatedVenue, SimulatedVenueOptions } from '@crossvenue/simulator';
import { startTestVenue } from '@crossvenue/simulator/testing';

/** Test support: a CcxtConnector against a simulated venue, on the in-process bus. */

/**
 * A connector for ETH/USDT that stays quiet: no log lines, and snapshots and health only when the
 * test asks for them (intervals of a minute). The options given override these.
 */
export function quietConnector(options: Pick<CcxtConnectorOptions, 'exchange' | 'venue' | 'messages'> & Partial<CcxtConnectorOptions>): CcxtConnector {
  return new CcxtConnector({
    account: 'acct',
    portfolio: 'pf',
    instruments: ['ETH/USDT'],
    logger: createLogger('ccxt-connector', { level: 'silent' }),
    snapshotIntervalMs: 60_000,
    healthIntervalMs: 60_000,
    ...options,
  });
}

/** Appends every message published on `topic`, from the beginning, to `into`. */
export async function collectInto<T extends TopicDefinition>(messages: MessageBus, topic: T, into: Array<MessageOf<T>>): Promise<void> {
  // The bus cannot resolve a still-generic topic's value type; `into` is checked against the topic where it is called.
  const handle = async (batch: Array<{ value: unknown }>) => void into.push(...batch.map((m) => m.value as MessageOf<T>));
  await messages.subscribe({ groupId: `collect-${topic.name}`, topics: [topic], fromBeginning: true, handle });
}

export interface ConnectorOnSimulatedVenue {
  readonly messages: MessageBus;
  /** Set before the suite's tests run. */
  readonly venue: SimulatedVenue;
  readonly connector: CcxtConnector;
}

/**
 * Registers a suite's hooks. Before all: a simulated venue, the connector's topics on an in-process
 * bus, the suite's subscriptions, then the connector `connect` makes with a ccxt client of the
 * venue, started. After all: the connector, the venue and the bus stopped.
 */
export function connectorOnSimulatedVenue(setup: {
  venue: Partial<SimulatedVenueOptions>;
  subscribe?: (messages: MessageBus) => Promise<void>;
  connect: (exchange: Exchange, messages: MessageBus) => CcxtConnector;
}): ConnectorOnSimulatedVenue {
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('simulated-connector-test', { level: 'silent' }));
  let venue: SimulatedVenue;
  let connector: CcxtConnector;

  beforeAll(async () => {
    const started = await startTestVenue(setup.venue);
    venue = started.venue;
    await messages.prepare(CCXT_CONNECTOR_TOPICS);
    await setup.subscribe?.(messages);
    connector = setup.connect(ccxtClientFor(started.endpoints), messages);
    await connector.start();
  });
  afterAll(async () => {
    await connector.stop();
    await venue.stop();
    await messages.bus.close();
  });

  return {
    messages,
    get venue() {
      return venue;
    },
    get connector() {
      return connector;
    },
  };
}
