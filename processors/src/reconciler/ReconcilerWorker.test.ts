import {
  Decimal,
  LocalCodec,
  TOPICS,
  type ReconciliationDiscrepancy,
  type VenueSnapshot,
} from '@crossvenue/schemas';
import { InProcessBus, MessageBus, createLogger, partitionForKey } from '@crossvenue/runtime';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { waitFor } from '@crossvenue/runtime/testing';
import { describe, expect, it } from 'vitest';
import { ReconcilerWorker, snapshotReady } from './ReconcilerWorker.ts';

describe('snapshotReady', () => {
  it('compares a snapshot once its inputs are read past it, or after the hold, but never on a hold alone while re-reading', () => {
    const held = { inputsPassed: false, caughtUp: true, heldMs: 999, holdMs: 1_000 };
    expect(snapshotReady(held)).toBe(false);
    expect(snapshotReady({ ...held, heldMs: 1_000 })).toBe(true);
    expect(snapshotReady({ ...held, inputsPassed: true, heldMs: 0 })).toBe(true);
    // A restarted instance still reading its backlog: its fills may lag its snapshots by seconds.
    expect(snapshotReady({ ...held, caughtUp: false, heldMs: 60_000 })).toBe(false);
    expect(snapshotReady({ ...held, caughtUp: false, inputsPassed: true })).toBe(true);
  });
});

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

  it('instances share the accounts by partition, and one takes the other\'s over when it stops', async () => {
    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('test', { level: 'silent' }));
    await messages.prepare([TOPICS.orderEvents, TOPICS.fills, TOPICS.venueSnapshots, TOPICS.discrepancies, TOPICS.alerts]);
    const policy = { graceMs: 1_000, maxSnapshotAgeMs: 60_000, balanceTolerance: new Decimal(0) };
    const workers = [0, 1].map(() => new ReconcilerWorker(messages, policy, createLogger('test', { level: 'silent' }), Date.now, 10, 'shared-reconciler'));
    // One portfolio (the key) on an even partition and one on an odd: with two members, one each.
    const portfolioOn = (parity: number) => {
      for (let i = 0; ; i++) if (partitionForKey(TOPICS.venueSnapshots.name, `pf-${i}`, TOPICS.venueSnapshots.partitions) % 2 === parity) return `pf-${i}`;
    };
    const example = EXAMPLES.find((e) => e.schema === TOPICS.venueSnapshots.schema)!.value as VenueSnapshot;
    const snapshotOf = (portfolio: string, account: string): VenueSnapshot => ({ ...example, eventId: `snap-${account}`, portfolio, account, openOrders: [], trades: [], positions: [], receivedAtMs: Date.now() });
    await messages.publish(TOPICS.venueSnapshots, [snapshotOf(portfolioOn(0), 'even'), snapshotOf(portfolioOn(1), 'odd')]);
    const accounts = (worker: ReconcilerWorker) => [...worker.sync.values()].map(({ account }) => account).sort();

    await workers[0]!.start();
    await waitFor('one instance reconciled both accounts', () => workers[0]!.sync.size === 2);
    // A second instance takes half the partitions: the first forgets the accounts it gave away.
    await workers[1]!.start();
    await waitFor('each instance holds one account', () => workers.every((worker) => worker.sync.size === 1));
    expect(workers.map(accounts)).toEqual([['even'], ['odd']]);

    await workers[0]!.stop();
    await waitFor('the other instance took both accounts', () => workers[1]!.sync.size === 2);
    expect(accounts(workers[1]!)).toEqual(['even', 'odd']);
    await workers[1]!.stop();
  });
});
