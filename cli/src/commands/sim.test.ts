import { ccxtClientFor } from '@crossvenue/connectors';
import { type VenueEndpoints } from '@crossvenue/simulator';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../args.ts';
import { simCommand } from './sim.ts';

const run = (...words: string[]) => simCommand(words);

describe('crossvenue sim', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints one JSON line describing the venues, serves ccxt clients with those credentials, and stops on a signal', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const exit = run('--venues', 'binance,bybit', '--symbols', 'eth/usdt', '--fees', '0.0002:0.0005', '--seed', '9', '--still', '--json');
    await waitFor('the JSON line', () => printed.mock.calls.length > 0, 10_000);
    const { venues } = JSON.parse(String(printed.mock.calls[0]![0])) as { venues: Array<VenueEndpoints & { symbols: string[] }> };
    expect(venues.map((v) => [v.name, v.dialect, v.symbols])).toEqual([
      ['sim-binance', 'binance', ['ETH/USDT']],
      ['sim-bybit', 'bybit', ['ETH/USDT']],
    ]);
    for (const venue of venues) {
      const exchange = ccxtClientFor({ ...venue, accounts: venue.accounts.map((a) => ({ ...a, balances: {} })) });
      await exchange.loadMarkets();
      await exchange.createOrder('ETH/USDT', 'market', 'buy', 1, undefined, { marketUnit: 'baseCoin' });
      const [trade] = await exchange.fetchMyTrades('ETH/USDT');
      expect(trade?.fee?.cost).toBeCloseTo(0.0005, 10); // the taker fee of --fees, in ETH
      await exchange.close();
    }
    process.emit('SIGINT', 'SIGINT');
    expect(await exit).toBe(0);
  });

  it('serves OKX v5 spot (a key with its passphrase) and Binance USD-M perpetuals (the symbols as linear perpetuals) to real ccxt clients', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const exit = run('--venues', 'okx,binanceusdm', '--symbols', 'ETH/USDT', '--still', '--json');
    await waitFor('the JSON line', () => printed.mock.calls.length > 0, 10_000);
    const { venues } = JSON.parse(String(printed.mock.calls[0]![0])) as { venues: Array<VenueEndpoints & { symbols: string[] }> };
    expect(venues.map((v) => [v.name, v.dialect, v.symbols, typeof v.accounts[0]?.passphrase])).toEqual([
      ['sim-okx', 'okx', ['ETH/USDT'], 'string'],
      ['sim-binanceusdm', 'binanceusdm', ['ETH/USDT:USDT'], 'undefined'],
    ]);
    for (const venue of venues) {
      const exchange = ccxtClientFor({ ...venue, accounts: venue.accounts.map((a) => ({ ...a, balances: {} })) });
      await exchange.loadMarkets();
      const [symbol] = venue.symbols;
      await exchange.createOrder(symbol!, 'limit', 'buy', 0.5, 4_000, { clientOrderId: `sim${venue.dialect}1` });
      const [trade] = await exchange.fetchMyTrades(symbol!);
      expect([trade?.symbol, trade?.amount]).toEqual([symbol, 0.5]);
      await exchange.close();
    }
    process.emit('SIGINT', 'SIGINT');
    expect(await exit).toBe(0);
  });

  it.each([
    [['--venues', 'kraken'], '--venues: "kraken" is not a dialect'],
    [['--fees', '0.1'], '--fees: "0.1" must be <maker>:<taker>'],
    [['--port', '99999'], '--port: "99999" must be a whole number'],
    [['--seed', '-1'], '--seed: "-1" must be a whole number'],
    [['--symbols', 'DOGE/USDT'], '--symbols: "DOGE/USDT" is not simulated'],
    [['--loud'], 'unknown option --loud; known: --venues, --symbols, --fees, --port, --seed, --json, --still'],
    [['extra'], 'sim: unexpected argument "extra"'],
  ])('refuses %j with one line', async (words, message) => {
    await expect(run(...words)).rejects.toThrow(UsageError);
    await expect(run(...words)).rejects.toThrow(message);
  });
});
