import { quietConnector } from '../ccxt/connectorFixtures.ts';
import { ccxtClientFor } from '@crossvenue/connectors';
import type { VenueDialect } from '@crossvenue/simulator';
import { startTestVenue, TRADER } from '@crossvenue/simulator/testing';
import { describeConnectorContract } from './describeConnectorContract.ts';

/** The contract's instrument per dialect: ETH against USDT, the perpetual on a perpetual venue. */
const INSTRUMENTS: Record<VenueDialect, string> = { binance: 'ETH/USDT', bybit: 'ETH/USDT', okx: 'ETH/USDT', binanceusdm: 'ETH/USDT:USDT' };

for (const dialect of Object.keys(INSTRUMENTS) as VenueDialect[]) {
  describeConnectorContract(`ccxt on a simulated ${dialect} venue`, async (messages) => {
    const { venue, endpoints } = await startTestVenue({ dialect, name: `contract-${dialect}` });
    const connector = quietConnector({
      // A short timeout makes the hanging-ack fault a quick SUBMIT_UNKNOWN.
      exchange: ccxtClientFor(endpoints, { timeout: 1_000 }),
      venue: dialect,
      instruments: [INSTRUMENTS[dialect]],
      account: 'contract-trader',
      portfolio: 'contract-portfolio',
      messages,
      // Longer than placing an order takes, so a fill while the user stream is down is placed and
      // executed before it is back: the stream then cannot deliver it, only the REST catch-up.
      reconnectDelayMs: 1_000,
      execution: { lookupRetryMs: 100, notFoundGraceMs: 2_000 },
    });
    return { venue, connector, simulatedAccount: TRADER.name, venueId: dialect, account: 'contract-trader', portfolio: 'contract-portfolio', symbol: 'ETHUSDT', instrument: INSTRUMENTS[dialect] };
  });
}
