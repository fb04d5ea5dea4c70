// Test support (`@crossvenue/schemas/testing`): kept out of the contracts' surface.
export { EXAMPLES, type Example } from '../messages/examples.ts';
export { limitPlaceCommand } from './orderCommands.ts';
export { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson, recordedResponses, VENUE_DATA_DIR } from './recordings.ts';
