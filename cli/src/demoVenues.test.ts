import { ccxtClientFor } from '@crossvenue/connectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '@crossvenue/schemas';
import { DEMO_VENUES, demoAccount, demoVenue, startVenues, type RunningVenues } from './demoVenues.ts';

describe('the demo venues', () => {
  let running: RunningVenues;

  beforeAll(async () => {
    running = await startVenues(DEMO_VENUES, { seed: 3 });
  });
  afterAll(() => running.stop());

  it('run two Binance-dialect venues and one Bybit-dialect venue with their own fees', async () => {
    expect(running.endpoints.map((v) => [v.name, v.dialect])).toEqual([
      ['sim-binance-a', 'binance'],
      ['sim-binance-b', 'binance'],
      ['sim-bybit', 'bybit'],
    ]);
    const binanceB = ccxtClientFor(running.endpoints[1]!);
    const account = (await binanceB.fetchBalance()).info as { commissionRates: { maker: string; taker: string } };
    expect(account.commissionRates).toMatchObject({ maker: '0.00080000', taker: '0.00100000' });
  });

  it('derive stable test credentials from the seed and the venue', () => {
    expect(demoAccount('sim-bybit', 3)).toEqual(demoAccount('sim-bybit', 3));
    expect(demoAccount('sim-bybit', 3).apiKey).not.toBe(demoAccount('sim-binance-a', 3).apiKey);
  });

  it('quote the same market a few bps apart with moving prices, at one mid without; with books of different depths', () => {
    const tops = DEMO_VENUES.map((plan) => demoVenue(plan, { flow: false, movingPrices: true }).engine.depth('BTCUSDT', 1));
    const mids = tops.map(({ bids, asks }) => bids[0]!.price.plus(asks[0]!.price).div(2));
    expect(new Set(mids.map(String)).size).toBe(3);
    const still = DEMO_VENUES.map((plan) => demoVenue(plan, { flow: false }).engine.depth('BTCUSDT', 1));
    expect(new Set(still.map(({ bids, asks }) => bids[0]!.price.plus(asks[0]!.price).div(2).toFixed())).size).toBe(1);
    const widest = Decimal.max(...mids).minus(Decimal.min(...mids)).div(mids[0]!).times(10_000);
    expect(widest.gt(0) && widest.lte(3)).toBe(true);
    expect(new Set(tops.map(({ bids }) => bids[0]!.total.toFixed())).size).toBe(3);
  });

  it('hold USDT and the base of every listed symbol, nothing without a market', () => {
    expect(Object.keys(demoAccount('sim-bybit', 3).balances).sort()).toEqual(['BTC', 'ETH', 'USDT']);
    expect(Object.keys(demoAccount('sim-bybit', 3, ['SOL/USDT']).balances).sort()).toEqual(['SOL', 'USDT']);
  });

  it('keep the Binance-dialect books moving', async () => {
    const depth = async () => (await fetch(`${running.endpoints[0]!.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`)).json() as Promise<{ lastUpdateId: number }>;
    const updateId = async () => (await depth()).lastUpdateId;
    const before = await updateId();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await updateId()).toBeGreaterThan(before);
  });
});
