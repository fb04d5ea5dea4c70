// Test support (`@crossvenue/runtime/testing`): kept out of the runtime surface.
export { waitFor } from './waitFor.ts';
export { metricValue } from './metricValue.ts';
