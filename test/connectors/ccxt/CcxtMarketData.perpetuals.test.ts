import { Decimal, TOPICS, type FundingRate, type SymbolMetadata } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { describe, expect, it } from 'vitest';
import { collectInto, connectorOnSimulatedVenue, quietConnector } from './connectorFixtures.ts';

const PERPETUAL = 'BTC/USDT:USDT';
const ACCOUNT = { venue: 'perp-md', account: 'perp-trader', portfolio: 'perp-portfolio' };

/**
 * The market-data side on a perpetuals venue (the simulated Binance USD-M dialect, through the
 * real ccxt binanceusdm): what funding arbitrage and the derivatives model read. Its metadata
 * says what a contract is; its funding rate, polled, is the venue's own.
 */
describe('CcxtConnector market data on a simulated perpetuals venue (binanceusdm)', () => {
  const symbols: SymbolMetadata[] = [];
  const rates: FundingRate[] = [];
  const run = connectorOnSimulatedVenue({
    venue: { name: 'perp-md', dialect: 'binanceusdm', seed: 3 },
    subscribe: async (messages) => {
      await collectInto(messages, TOPICS.symbols, symbols);
      await collectInto(messages, TOPICS.fundingRates, rates);
    },
    connect: (exchange, messages) =>
      quietConnector({ exchange, messages, ...ACCOUNT, instruments: [PERPETUAL], reconnectDelayMs: 100, marketData: { symbols: [PERPETUAL], bookIntervalMs: 50, fundingPollMs: 100 } }),
  });

  it('publishes the perpetual\'s metadata: a linear swap of one BTC a contract, settled in USDT', () => {
    expect(symbols.map(({ instrument, assetType, settle, contractSize, inverse }) => ({ instrument, assetType, settle, contractSize: contractSize === null ? null : new Decimal(contractSize).toFixed(), inverse }))).toEqual([
      { instrument: PERPETUAL, assetType: 'PERP', settle: 'USDT', contractSize: '1', inverse: false },
    ]);
  });

  it('publishes the venue\'s funding rate, and the new one once the venue changes it', async () => {
    await waitFor('a funding rate', () => rates.length > 0, 10_000);
    expect(rates.at(-1)).toMatchObject({ venue: ACCOUNT.venue, instrument: PERPETUAL });
    run.venue.setFundingRate('BTCUSDT', '0.00031');
    await waitFor('the funding rate the venue set', () => rates.some((rate) => new Decimal(rate.rate).eq('0.00031')), 10_000);
    const latest = rates.at(-1)!;
    expect(latest.nextFundingTimeMs).toBeGreaterThan(Date.now() - 1_000);
    expect(new Decimal(latest.markPrice!).gt(0)).toBe(true);
  });
});
