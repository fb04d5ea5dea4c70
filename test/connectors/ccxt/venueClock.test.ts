import ccxt from 'ccxt';
import { createLogger } from '@crossvenue/runtime';
import { ccxtClientFor, followVenueClock } from '@crossvenue/connectors';
import { startTestVenue } from '@crossvenue/simulator/testing';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A venue whose clock runs behind ours refuses our signed requests (Binance -1021). The connector's
 * client, told once, reads the venue's time and signs with it: the next request goes through.
 */
describe('following a venue clock that differs from ours', () => {
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it.each(['binance', 'binanceusdm'] as const)('%s: refused once for a timestamp 4 s ahead of the venue, then signed on its clock', async (dialect) => {
    const { venue, endpoints } = await startTestVenue({ dialect, name: `clock-${dialect}` });
    const exchange = ccxtClientFor(endpoints);
    stops.push(async () => {
      await exchange.close();
      await venue.stop();
    });
    followVenueClock(exchange, createLogger('venue-clock-test', { level: 'silent' }));
    await exchange.loadMarkets();
    venue.faults.set({ clockSkewMs: -4_000 });
    await expect(exchange.fetchBalance()).rejects.toBeInstanceOf(ccxt.InvalidNonce);
    expect(Number(exchange.options.timeDifference)).toBeGreaterThanOrEqual(3_000);
    await expect(exchange.fetchBalance()).resolves.toBeDefined();
    // Back in step: the difference is read again only when the venue refuses again.
    venue.faults.set({ clockSkewMs: 0 });
    await expect(exchange.fetchBalance()).resolves.toBeDefined();
  });
});
