import { CcxtConnector, ccxtClientFor } from '@crossvenue/connectors';
import { type VenueEndpoints } from '@crossvenue/simulator';
import type { Logger, MessageBus } from '@crossvenue/runtime';

export interface VenueAccount {
  venue: string;
  account: string;
}

export interface ConnectorSettings {
  portfolio: string;
  instruments: readonly string[];
  messages: MessageBus;
  logger: Logger;
  /** At most one book snapshot per instrument per interval. */
  bookIntervalMs: number;
  /** A still book is published again after this long (the stream vouches for it). */
  bookHeartbeatMs: number;
  snapshotIntervalMs: number;
  healthIntervalMs: number;
  /** How often a perpetual's funding rate is polled. */
  fundingPollMs: number;
}

/** Book levels per side the router and the dashboard get. */
const BOOK_DEPTH = 20;

/** The account a demo venue opens for the run (see demoAccount). */
export function accountOf(venue: VenueEndpoints): VenueAccount {
  const account = venue.accounts[0];
  if (!account) throw new Error(`${venue.name}: the simulated venue has no account to trade with`);
  return { venue: venue.name, account: account.name };
}

/**
 * The ccxt connector of a venue's account: the real ccxt class of the venue's dialect pointed at
 * the simulator, signing with the account's demo credentials. It is the venue's whole connection:
 * the account side (order commands in; order events, fills, venue snapshots and health out) and
 * the market data (symbol metadata on `ref.symbols`, books, public trades), over one client.
 */
export async function startVenueConnector(venue: VenueEndpoints, settings: ConnectorSettings): Promise<CcxtConnector> {
  const { bookIntervalMs, bookHeartbeatMs, fundingPollMs, instruments, ...rest } = settings;
  const connector = new CcxtConnector({
    exchange: ccxtClientFor(venue),
    ...accountOf(venue),
    ...rest,
    instruments: [...instruments],
    marketData: { symbols: [...instruments], bookIntervalMs, bookHeartbeatMs, bookDepth: BOOK_DEPTH, fundingPollMs },
  });
  await connector.start();
  return connector;
}
