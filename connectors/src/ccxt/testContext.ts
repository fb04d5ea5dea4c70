import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { LocalCodec, type TopicDefinition } from '@crossvenue/schemas';
import type { Exchange } from 'ccxt';
import { capabilitiesOf } from '../venues/capabilitiesOf.ts';
import type { ConnectorContext } from './ConnectorContext.ts';
import { VenueHealthMonitor } from './VenueHealthMonitor.ts';

/** A ccxt client's `market` for stub clients whose instruments count the base asset (spot): amounts pass as they are. */
export const baseUnitMarkets = { market: (symbol: string) => ({ symbol, contract: false, precision: {} }) };

/**
 * The context of a Bybit account `acct` of `portfolio` on an in-process bus, for unit tests, with
 * every value it publishes on `topic` collected in `published`. Tests only.
 */
export async function bybitTestContext(topic: TopicDefinition, portfolio: string): Promise<{ context: ConnectorContext; published: unknown[] }> {
  const published: unknown[] = [];
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('test', { level: 'silent' }));
  await messages.prepare([topic]);
  await messages.subscribe({ groupId: 'spy', topics: [topic], fromBeginning: true, handle: async (batch) => void published.push(...batch.map((m) => m.value)) });
  const context: ConnectorContext = {
    exchange: { id: 'bybit', ...baseUnitMarkets } as unknown as Exchange,
    capabilities: capabilitiesOf('bybit'),
    venue: 'bybit',
    account: 'acct',
    portfolio,
    instruments: ['ETH/USDT'],
    messages,
    logger: createLogger('test', { level: 'silent' }),
    health: new VenueHealthMonitor('bybit', 'acct', Date.now),
    now: Date.now,
  };
  return { context, published };
}
