import {
  Decimal,
  LocalCodec,
  TOPICS,
  type ReconciliationDiscrepancy,
  type VenueSnapshot,
} from '@crossvenue/schemas';
import { InProcessBus, MessageBus, createLogger } from '@crossvenue/runtime';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { waitFor } from '@crossvenue/runtime/testing';
import { describe, expect, it } from 'vitest';
import { ReconcilerWorker } from './ReconcilerWorker.ts';

describe('ReconcilerWorker', () => {
  it('reports a venue account whose snapshots stopped coming, once per outage', async () => {
    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('test', { level: 'silent' }));
    await messages.prepare([TOPICS.orderEvents, TOPICS.fills, TOPICS.venueSnapshots, TOPICS.discrepancies, TOPICS.alerts]);
    let now = 1_800_000_000_000;
    const worker = new ReconcilerWorker(messages, { graceMs: 1_000, maxSnapshotAgeMs: 10_000, balanceTolerance: new Decimal(0) }, createLogger('test', { level: 'silent' }), () => now);
    const discrepancies: ReconciliationDiscrepancy[] = [];
    await messages.subscribe({ groupId: 'spy', topics: [TOPICS.discrepancies], fromBeginning: true, handle: async (batch) => void discrepancies.push(...batch.map((m) => m.value)) });
    await worker.start();

    const snapshot = EXAMPLES.find((e) => e.schema === TOPICS.venueSnapshots.schema)!.value as VenueSnapshot;
    const quiet: VenueSnapshot = { ...snapshot, openOrders: [], trades: [], positions: [], receivedAtMs: now };
    await messages.publish(TOPICS.venueSnapshots, [quiet]);
    // No order events or fills pass the snapshot's time on a quiet bus: it is held for holdMs.
    await waitFor('the snapshot reconciled', () => {
      now += 100;
      return worker.sync.size === 1;
    });
    now = worker.sync.values().next().value!.lastReconciledMs;

    now += 4_000;
    await worker.reportStaleAccounts();
    now += 10_000;
    await worker.reportStaleAccounts();
    await worker.reportStaleAccounts();
    await waitFor('the stale report', () => discrepancies.length > 0);
    await worker.stop();
    expect(discrepancies).toEqual([expect.objectContaining({ kind: 'STALE_VENUE', venue: 'binance', account: 'acct-binance-1', subject: expect.stringMatching(/^no snapshot for \d+ ms$/) })]);
  });
});
