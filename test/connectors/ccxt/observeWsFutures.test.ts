import { afterAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import { startTestVenue } from '@crossvenue/simulator/testing';

describe('observeWsFutures (applied by ccxtClientFor)', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', record);
  afterAll(() => void process.off('unhandledRejection', record));

  it('leaves no unhandled rejection behind when the venue refuses the user stream, and the watch still fails', async () => {
    const { venue, endpoints } = await startTestVenue();
    const exchange = ccxtClientFor(endpoints);
    const watching = exchange.watchMyTrades();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await venue.outage();
    await expect(watching).rejects.toThrow();
    // Subscribing again by signature creates a future ccxt never awaits; the refused connection rejects it.
    await expect(exchange.watchMyTrades()).rejects.toThrow(/ECONNREFUSED/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unhandled).toEqual([]);
    await exchange.close();
    await venue.recover();
    await venue.stop();
  });

  it('leaves no unhandled rejection behind when a subscription is sent on a socket that has closed', async () => {
    const { venue, endpoints } = await startTestVenue();
    const exchange = ccxtClientFor(endpoints);
    const watching = exchange.watchOrderBook('BTC/USDT');
    await expect(watching).resolves.toBeDefined();
    const [client] = Object.values(exchange.clients) as Array<{ send(message: unknown): Promise<unknown>; connection: { close(): void } }>;
    client!.connection.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // What ccxt's watch does after its throttle: send, and never look at the outcome.
    void client!.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 7 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unhandled).toEqual([]);
    await exchange.close();
    await venue.stop();
  });
});
