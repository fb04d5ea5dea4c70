import { createLogger, Decimal, InProcessBus, LocalCodec, MessageBus, TOPICS, waitFor, type BalanceSnapshot, type VenueSnapshot } from '@crossvenue/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '../simulated/ccxtClientFor.ts';
import type { SimulatedVenue } from '../simulated/SimulatedVenue.ts';
import { startTestVenue, TRADER } from '../simulated/testVenue.ts';
import { CCXT_CONNECTOR_TOPICS, CcxtConnector } from './CcxtConnector.ts';

for (const dialect of ['binance', 'bybit'] as const) {
  describe(`CcxtConnector on a simulated ${dialect} venue: the account's balances for positions`, { timeout: 15_000 }, () => {
    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('balances', { level: 'silent' }));
    const balances: BalanceSnapshot[] = [];
    const snapshots: VenueSnapshot[] = [];
    let venue: SimulatedVenue;
    let connector: CcxtConnector;

    beforeAll(async () => {
      const started = await startTestVenue({ dialect, name: `balances-${dialect}` });
      venue = started.venue;
      await messages.prepare(CCXT_CONNECTOR_TOPICS);
      await messages.subscribe({ groupId: 'balances', topics: [TOPICS.balanceSnapshots], fromBeginning: true, handle: async (batch) => void balances.push(...batch.map((m) => m.value)) });
      await messages.subscribe({ groupId: 'snapshots', topics: [TOPICS.venueSnapshots], fromBeginning: true, handle: async (batch) => void snapshots.push(...batch.map((m) => m.value)) });
      connector = new CcxtConnector({
        exchange: ccxtClientFor(started.endpoints),
        venue: dialect,
        account: 'acct',
        portfolio: 'pf',
        instruments: ['ETH/USDT'],
        messages,
        logger: createLogger('ccxt-connector', { level: 'silent' }),
        snapshotIntervalMs: 60_000,
        healthIntervalMs: 60_000,
      });
      await connector.start();
    });
    afterAll(async () => {
      await connector.stop();
      await venue.stop();
      await messages.bus.close();
    });

    const totals = (snapshot: BalanceSnapshot | VenueSnapshot) => Object.fromEntries(snapshot.balances.map((b) => [b.asset, new Decimal(b.total).toFixed()]));

    it('publishes every balance at start, complete, keyed to its portfolio', async () => {
      await waitFor('balances at start', () => balances.length === 1, 5_000);
      expect(balances[0]).toMatchObject({ venue: dialect, account: 'acct', portfolio: 'pf', complete: true });
      expect(totals(balances[0]!)).toMatchObject(Object.fromEntries(Object.entries(TRADER.balances).map(([asset, total]) => [asset, new Decimal(total).toFixed()])));
    });

    it('publishes the balances of every venue snapshot beside it', async () => {
      await connector.publishSnapshot();
      await waitFor('the second balance snapshot', () => balances.length === 2 && snapshots.length === 1, 5_000);
      expect(balances[1]!.balances).toEqual(snapshots[0]!.balances);
      expect(balances[1]!.receivedAtMs).toBe(snapshots[0]!.receivedAtMs);
    });
  });
}
