import { settings } from '@crossvenue/schemas';
import { demoVenue } from '../demoVenues.ts';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const simulatedVenueWorker: WorkerDefinition = {
  name: 'simulated-venue',
  description: 'a simulated venue speaking Binance spot REST on loopback, books drifting',
  settings: ['SIM_PORT (default 18090)'],
  topics: [],
  async start({ logger, env }) {
    const venue = demoVenue();
    const url = await venue.server.start(settings.port('SIM_PORT', 18_090, env));
    logger.info({ url }, `simulated Binance venue listening on ${url}`);
    return venue;
  },
};
