import { ReconcilerWorker } from '@crossvenue/processors';
import { Decimal, TOPICS } from '@crossvenue/schemas';
import { SettingError, settings } from '@crossvenue/runtime';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const reconcilerWorker: WorkerDefinition = {
  name: 'reconciler',
  description: 'compares venue snapshots with our orders, fills, positions and balances; the venue wins',
  settings: ['RECON_GRACE_MS (default 3000)', 'RECON_MAX_SNAPSHOT_AGE_MS (default 60000)', 'RECON_BALANCE_TOLERANCE (default 0)'],
  topics: [TOPICS.orderEvents, TOPICS.fills, TOPICS.venueSnapshots, TOPICS.discrepancies, TOPICS.alerts],
  async start({ messages, logger, env, metrics }) {
    const tolerance = env.RECON_BALANCE_TOLERANCE?.trim() || '0';
    if (!/^\d+(\.\d+)?$/.test(tolerance)) throw new SettingError('RECON_BALANCE_TOLERANCE', 'a non-negative decimal', tolerance);
    const worker = new ReconcilerWorker(
      messages,
      {
        graceMs: settings.positiveInteger('RECON_GRACE_MS', 3_000, env),
        maxSnapshotAgeMs: settings.positiveInteger('RECON_MAX_SNAPSHOT_AGE_MS', 60_000, env),
        balanceTolerance: new Decimal(tolerance),
      },
      logger,
    );
    metrics.watchDrift(() => worker.sync.values());
    await worker.start();
    return worker;
  },
};
