import { Decimal, TOPICS, type BalanceSnapshot, type VenueSnapshot } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { describe, expect, it } from 'vitest';
import { TRADER } from '@crossvenue/simulator/testing';
import { collectInto, connectorOnSimulatedVenue, quietConnector } from './connectorFixtures.ts';

for (const dialect of ['binance', 'bybit'] as const) {
  describe(`CcxtConnector on a simulated ${dialect} venue: the account's balances for positions`, { timeout: 15_000 }, () => {
    const balances: BalanceSnapshot[] = [];
    const snapshots: VenueSnapshot[] = [];
    const run = connectorOnSimulatedVenue({
      venue: { dialect, name: `balances-${dialect}` },
      subscribe: async (messages) => {
        await collectInto(messages, TOPICS.balanceSnapshots, balances);
        await collectInto(messages, TOPICS.venueSnapshots, snapshots);
      },
      connect: (exchange, messages) => quietConnector({ exchange, venue: dialect, messages }),
    });

    const totals = (snapshot: BalanceSnapshot | VenueSnapshot) => Object.fromEntries(snapshot.balances.map((b) => [b.asset, new Decimal(b.total).toFixed()]));

    it('publishes every balance at start, complete, keyed to its portfolio', async () => {
      await waitFor('balances at start', () => balances.length === 1, 5_000);
      expect(balances[0]).toMatchObject({ venue: dialect, account: 'acct', portfolio: 'pf', complete: true });
      expect(totals(balances[0]!)).toMatchObject(Object.fromEntries(Object.entries(TRADER.balances).map(([asset, total]) => [asset, new Decimal(total).toFixed()])));
    });

    it('publishes the balances of every venue snapshot beside it', async () => {
      await run.connector.publishSnapshot();
      await waitFor('the second balance snapshot', () => balances.length === 2 && snapshots.length === 1, 5_000);
      expect(balances[1]!.balances).toEqual(snapshots[0]!.balances);
      expect(balances[1]!.receivedAtMs).toBe(snapshots[0]!.receivedAtMs);
    });
  });
}
