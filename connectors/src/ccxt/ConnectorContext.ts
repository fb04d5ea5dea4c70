import type { Logger, MessageBus, VenueOrderMetrics } from '@crossvenue/runtime';
import type { Exchange } from 'ccxt';
import type { VenueCapabilities } from './VenueCapabilities.ts';
import type { VenueHealthMonitor } from './VenueHealthMonitor.ts';

/** The one venue account a connector owns, and what its parts share. */
export interface ConnectorContext {
  /** A ccxt pro instance (REST and WebSocket), rate limited per venue (`enableRateLimit`). */
  exchange: Exchange;
  capabilities: VenueCapabilities;
  /** Our venue id (the `venue` field of commands and events). */
  venue: string;
  account: string;
  portfolio: string;
  instruments: readonly string[];
  messages: MessageBus;
  logger: Logger;
  health: VenueHealthMonitor;
  /** Orders sent, answered and unknown, and fills, counted for the worker's /metrics; absent, nothing is counted. */
  metrics?: VenueOrderMetrics;
  /** The one clock (epoch ms), injected so a run can be replayed. */
  now: () => number;
}
