import { createHash } from 'node:crypto';
import { CcxtConnector, ccxtClientFor } from '@crossvenue/connectors';
import type { Logger, MessageBus } from '@crossvenue/runtime';
import type { SimulatedAccount, VenueEndpoints } from '@crossvenue/simulator';

/** A simulated venue account with credentials derived from its name, holding `balances`. */
export function simulatedAccount(name: string, balances: Record<string, string>): SimulatedAccount {
  const key = (what: string) => createHash('sha256').update(`${name}:${what}`).digest('hex').slice(0, 32);
  return { name, apiKey: key('key'), secret: key('secret'), balances };
}

/**
 * A started ccxt connector of one simulated venue account for an end-to-end run, at test scale:
 * snapshots every 2 s, health every 1 s over a 10 s window (a venue back from an outage is routable
 * again within seconds, not a minute), reconnects after 0.5 s. With `marketData`, it also publishes
 * the instrument's rules and books (every 100 ms, a heartbeat every 500 ms).
 */
export async function simulatedConnector(options: { at: VenueEndpoints; account: SimulatedAccount; portfolio: string; instrument: string; marketData: boolean; messages: MessageBus; logger: Logger }): Promise<CcxtConnector> {
  const { at, account, portfolio, instrument, marketData, messages, logger } = options;
  const connector = new CcxtConnector({
    exchange: ccxtClientFor(at, { account }),
    venue: at.name,
    account: account.name,
    portfolio,
    instruments: [instrument],
    messages,
    logger,
    snapshotIntervalMs: 2_000,
    healthIntervalMs: 1_000,
    reconnectDelayMs: 500,
    health: { windowMs: 10_000 },
    ...(marketData && { marketData: { symbols: [instrument], bookIntervalMs: 100, bookHeartbeatMs: 500, bookDepth: 20 } }),
  });
  await connector.start();
  return connector;
}
