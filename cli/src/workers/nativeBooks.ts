import { isNativeVenue, NATIVE_VENUES, NativeBookConnector } from '@crossvenue/connectors';
import { settings } from '@crossvenue/runtime';
import { TOPICS } from '@crossvenue/schemas';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const nativeBooksWorker: WorkerDefinition = {
  name: 'native-books',
  description: 'keeps venue books over the native WebSocket adapters and publishes them, with a BOOK_RESYNC alert per resync',
  settings: [
    `NATIVE_VENUE (required: ${NATIVE_VENUES.join(', ')})`,
    'VENUE (our name on the records; default NATIVE_VENUE)',
    'INSTRUMENTS (default BTC/USDT; perpetuals as BTC/USDT:USDT)',
    'VENUE_REST_URL, VENUE_WS_URL (default the live venue; a simulator: http://127.0.0.1:PORT and ws://127.0.0.1:PORT)',
    'BOOK_DEPTH (default 20)',
    'BOOK_INTERVAL_MS (default 100: at most one snapshot per instrument per interval)',
  ],
  topics: [TOPICS.bookSnapshots, TOPICS.alerts],
  async start({ messages, logger, env }) {
    const kind = env.NATIVE_VENUE?.trim() ?? '';
    if (!isNativeVenue(kind)) throw new Error(`NATIVE_VENUE: expected one of ${NATIVE_VENUES.join(', ')}, got ${JSON.stringify(kind)}`);
    const wsUrl = env.VENUE_WS_URL?.trim();
    if (wsUrl && !/^wss?:\/\//.test(wsUrl)) throw new Error(`VENUE_WS_URL: expected a ws(s) URL such as ws://127.0.0.1:8101, got ${JSON.stringify(wsUrl)}`);
    const connector = new NativeBookConnector({
      kind,
      venue: env.VENUE?.trim() || undefined,
      instruments: (env.INSTRUMENTS ?? 'BTC/USDT').split(',').map((s) => s.trim()).filter(Boolean),
      depth: settings.positiveInteger('BOOK_DEPTH', 20, env),
      bookIntervalMs: settings.positiveInteger('BOOK_INTERVAL_MS', 100, env),
      restUrl: settings.httpUrl('VENUE_REST_URL', '', env) || undefined,
      wsUrl: wsUrl?.replace(/\/+$/, '') || undefined,
      messages,
      logger,
    });
    connector.start();
    return connector;
  },
};
