import { createLogger, InProcessBus, MessageBus, resolveEndpoints, WorkerMetrics } from '@crossvenue/runtime';
import { metricValue, waitFor } from '@crossvenue/runtime/testing';
import { LocalCodec, TOPICS, type ReconciliationDiscrepancy, type VenueSnapshot } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { reconcilerWorker } from './reconciler.ts';

describe('reconciler worker metrics', () => {
  it('shows position drift: the discrepancies of each venue account’s latest reconciliation', async () => {
    const logger = createLogger('reconciler-test', { level: 'silent' });
    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
    await messages.prepare(reconcilerWorker.topics);
    const discrepancies: ReconciliationDiscrepancy[] = [];
    await messages.subscribe({ groupId: 'spy', topics: [TOPICS.discrepancies], fromBeginning: true, handle: async (batch) => void discrepancies.push(...batch.map((m) => m.value)) });
    const metrics = new WorkerMetrics('reconciler');
    const worker = await reconcilerWorker.start({ messages, logger, endpoints: resolveEndpoints({}), env: { RECON_GRACE_MS: '1' }, metrics });
    const drift = () => metricValue(metrics, 'crossvenue_reconcile_discrepancies', { venue: snapshot.venue, account: snapshot.account });

    const snapshot = EXAMPLES.find((e) => e.schema === TOPICS.venueSnapshots.schema)!.value as VenueSnapshot;
    try {
      expect(await drift()).toBeUndefined();
      // The venue shows nothing we do not know of: no drift.
      await messages.publish(TOPICS.venueSnapshots, [{ ...snapshot, eventId: 'quiet', openOrders: [], trades: [], positions: [], receivedAtMs: Date.now() }]);
      await waitFor('the quiet snapshot reconciled', async () => (await drift()) === 0);

      // The venue shows orders, trades and a position we never heard of.
      await messages.publish(TOPICS.venueSnapshots, [{ ...snapshot, eventId: 'busy', receivedAtMs: Date.now() }]);
      const found = () => discrepancies.filter((d) => d.eventId.startsWith('recon:busy:')).length;
      await waitFor('the busy snapshot reconciled', async () => found() > 0 && (await drift()) === found());
    } finally {
      await worker.stop();
      await messages.bus.close();
    }
  });
});
