// Test support (`@crossvenue/schemas/testing`): kept out of the runtime surface.
export { waitFor } from './waitFor.ts';
export { EXAMPLES, type Example } from '../messages/examples.ts';
export { limitPlaceCommand } from './orderCommands.ts';
