import { settings } from '@crossvenue/runtime';
import { DEMO_VENUES, startVenues } from '../demoVenues.ts';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const simulatedVenueWorker: WorkerDefinition = {
  name: 'simulated-venue',
  description: 'the demo simulated venues (two Binance-dialect, one Bybit-dialect) on consecutive loopback ports, books moving',
  settings: ['SIM_PORT (default 18090; the venues take SIM_PORT, +1, +2)'],
  topics: [],
  async start({ logger, env }) {
    const running = await startVenues(DEMO_VENUES, {}, settings.port('SIM_PORT', 18_090, env));
    for (const venue of running.endpoints) logger.info({ venue: venue.name, dialect: venue.dialect, url: venue.restUrl }, `simulated venue ${venue.name} listening on ${venue.restUrl}`);
    return running;
  },
};
