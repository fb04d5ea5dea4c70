import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import { loadMarketRules, SimulatedVenue } from '@crossvenue/simulator';
import { TRADER } from '@crossvenue/simulator/testing';

/** `../shared/data/venues` beside the repository (DESIGN.md, "Real data for tests"). */
const VENUES = fileURLToPath(new URL('../../../shared/data/venues', import.meta.url));
const BINANCE = `${VENUES}/cryptofeed/sample_data/BINANCE.0`;
const BYBIT = `${VENUES}/nautilus_trader/crates/adapters/bybit/test_data/http_get_instruments_spot.json`;
const present = existsSync(BINANCE) && existsSync(BYBIT);
if (!present) console.warn(`markets.test: skipping the recorded-market tests, ${VENUES} is absent`);

describe.skipIf(!present)('markets loaded from recorded venue payloads', () => {
  const venues: SimulatedVenue[] = [];
  afterAll(() => Promise.all(venues.map((venue) => venue.stop())));

  it("reads Binance's exchangeInfo capture (2021) with its exact filters", () => {
    const [ethbtc] = loadMarketRules(BINANCE, ['ETHBTC']);
    expect([ethbtc!.tickSize.toFixed(), ethbtc!.stepSize.toFixed(), ethbtc!.minQty.toFixed(), ethbtc!.minNotional.toFixed()]).toEqual(['0.000001', '0.0001', '0.0001', '0.0001']);
    expect(() => loadMarketRules(BINANCE, ['NOPE'])).toThrow(`${BINANCE}: no symbol NOPE`);
  });

  it("serves Bybit's recorded instrument rules to the real ccxt bybit class", async () => {
    const [btc] = loadMarketRules(BYBIT, ['BTCUSDT']);
    const venue = new SimulatedVenue({
      name: 'sim-bybit-recorded',
      dialect: 'bybit',
      markets: [{ rules: btc!, ladder: { mid: '27450', depth: 3, quantity: '0.5', quantityStep: '0.5' } }],
      fees: { maker: '0.001', taker: '0.001' },
      accounts: [TRADER],
    });
    venues.push(venue);
    const exchange = ccxtClientFor(await venue.start());
    await exchange.loadMarkets();
    const market = exchange.market('BTC/USDT');
    expect([market.precision.price, market.precision.amount, market.limits.amount?.min, market.limits.cost?.min]).toEqual([0.1, 0.0001, 0.001, 10]);
    expect((await exchange.fetchOrderBook('BTC/USDT', 1)).bids[0]).toEqual([27449.9, 0.5]);
    await exchange.close();
  });
});
