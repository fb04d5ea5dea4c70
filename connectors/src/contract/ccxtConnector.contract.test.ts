import { createLogger } from '@crossvenue/schemas';
import { CcxtConnector } from '../ccxt/CcxtConnector.ts';
import { ccxtClientFor } from '../simulated/ccxtClientFor.ts';
import type { VenueDialect } from '../simulated/SimulatedVenue.ts';
import { startTestVenue, TRADER } from '../simulated/testVenue.ts';
import { describeConnectorContract } from './describeConnectorContract.ts';

for (const dialect of ['binance', 'bybit'] as VenueDialect[]) {
  describeConnectorContract(`ccxt on a simulated ${dialect} venue`, async (messages) => {
    const { venue, endpoints } = await startTestVenue({ dialect, name: `contract-${dialect}` });
    const connector = new CcxtConnector({
      // A short timeout makes the hanging-ack fault a quick SUBMIT_UNKNOWN.
      exchange: ccxtClientFor(endpoints, { timeout: 1_000 }),
      venue: dialect,
      account: 'contract-trader',
      portfolio: 'contract-portfolio',
      instruments: ['ETH/USDT'],
      messages,
      logger: createLogger('ccxt-connector', { level: 'silent' }),
      snapshotIntervalMs: 60_000,
      healthIntervalMs: 60_000,
      reconnectDelayMs: 100,
      execution: { lookupRetryMs: 100, notFoundGraceMs: 2_000 },
    });
    return { venue, connector, simulatedAccount: TRADER.name, venueId: dialect, account: 'contract-trader', portfolio: 'contract-portfolio', symbol: 'ETHUSDT', instrument: 'ETH/USDT' };
  });
}
