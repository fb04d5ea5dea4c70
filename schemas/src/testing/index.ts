// Test support (`@crossvenue/schemas/testing`): kept out of the runtime surface.
export { waitFor } from './waitFor.ts';
export { EXAMPLES, type Example } from '../messages/examples.ts';
export { limitPlaceCommand } from './orderCommands.ts';
export { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson, recordedResponses, VENUE_DATA_DIR } from '../domain/venueMetadata/recordings.ts';
