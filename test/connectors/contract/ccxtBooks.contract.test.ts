import { createLogger } from '@crossvenue/runtime';
import { describeBookContract } from './describeBookContract.ts';
import { ccxtClientFor, CcxtMarketData, MARKET_DATA_TOPICS } from '@crossvenue/connectors';

const logger = createLogger('ccxt-books-test', { level: 'silent' });

// The ccxt market data (ccxt.pro watchOrderBook) against the simulator: the shared book contract.
// ccxt 4.5.84's bybit does not check that `u` rises by one between deltas, so a lost delta leaves
// it a wrong book (the reason for the native Bybit adapter, which resyncs).
describeBookContract(
  'ccxt market data',
  async (endpoints, messages, { instrument, depth }) => {
    await messages.prepare(MARKET_DATA_TOPICS);
    const marketData = new CcxtMarketData({ exchange: ccxtClientFor(endpoints), venue: endpoints.name, symbols: [instrument], messages, logger, bookIntervalMs: 0, bookDepth: depth, retryDelayMs: 50 });
    await marketData.start();
    return marketData;
  },
  { unsequenced: ['bybit'] },
);
