import { settings } from '@crossvenue/runtime';
import { DEMO_VENUES, describeVenues, startVenues } from '../demoVenues.ts';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const simulatedVenueWorker: WorkerDefinition = {
  name: 'simulated-venue',
  description:
    'the demo simulated venues (two Binance-dialect, one Bybit-dialect) on consecutive loopback ports, books moving; prints one JSON line on stdout with each venue\'s URLs and test account keys, as `crossvenue sim --json` does',
  settings: ['SIM_PORT (default 18090; the venues take SIM_PORT, +1, +2)'],
  topics: [],
  async start({ logger, env }) {
    // Ids from the start time on: a restarted worker never hands out a trade id it gave before, as
    // its fills of earlier runs are still on the topics (Date.now() stays far below 2^53).
    const running = await startVenues(DEMO_VENUES, { firstId: Date.now() }, settings.port('SIM_PORT', 18_090, env));
    // Test credentials of simulated venues, printed for configuring connectors with them; never logged.
    console.log(JSON.stringify(describeVenues(running)));
    for (const venue of running.endpoints) logger.info({ venue: venue.name, dialect: venue.dialect, url: venue.restUrl }, `simulated venue ${venue.name} listening on ${venue.restUrl}`);
    return running;
  },
};
