// Test support (`@crossvenue/simulator/testing`): a funded trader and a still venue on a free port.
export { startTestVenue, TRADER } from './venueFixtures.ts';
