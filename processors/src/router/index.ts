// The pure routing surface (@crossvenue/processors/router): what the gateway needs to preview a
// route over its own view of the market. No worker and nothing that reads or writes the bus.
export { MarketView } from './MarketView.ts';
export { routeIntent } from './routeIntent.ts';
