import { PositionsWorker } from '@crossvenue/processors';
import { TOPICS } from '@crossvenue/schemas';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const positionsWorker: WorkerDefinition = {
  name: 'positions',
  description: 'folds exec.fills and exec.funding-payments (each exactly once) into state.positions, showing on derivatives positions the venue\'s mark, leverage, margin and liquidation price from recon.venue-snapshots, and balance snapshots into state.balances',
  settings: [],
  topics: [TOPICS.fills, TOPICS.fundingPayments, TOPICS.balanceSnapshots, TOPICS.venueSnapshots, TOPICS.positions, TOPICS.balances],
  async start({ messages, logger }) {
    const worker = new PositionsWorker({ messages, logger });
    await worker.start();
    return worker;
  },
};
