import { BinanceRest, BinanceSnapshotConnector } from '@crossvenue/connectors';
import { settings } from '@crossvenue/runtime';
import { TOPICS } from '@crossvenue/schemas';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const binanceConnectorWorker: WorkerDefinition = {
  name: 'connector-binance',
  description: 'publishes book snapshots of a Binance-dialect venue (live or simulated)',
  settings: [
    'BINANCE_REST_URL (required, e.g. the simulated venue http://127.0.0.1:18090)',
    'VENUE (default binance)',
    'INSTRUMENTS (default BTC/USDT,ETH/USDT)',
    'BOOK_DEPTH (default 20)',
    'POLL_INTERVAL_MS (default 1000)',
  ],
  topics: [TOPICS.bookSnapshots],
  async start({ messages, logger, env }) {
    const baseUrl = settings.httpUrl('BINANCE_REST_URL', '', env);
    if (!baseUrl) throw new Error('BINANCE_REST_URL: expected the venue REST base URL, got nothing');
    const connector = new BinanceSnapshotConnector({
      venue: env.VENUE?.trim() || 'binance',
      rest: new BinanceRest(baseUrl),
      instruments: (env.INSTRUMENTS ?? 'BTC/USDT,ETH/USDT').split(',').map((s) => s.trim()),
      depth: settings.positiveInteger('BOOK_DEPTH', 20, env),
      intervalMs: settings.positiveInteger('POLL_INTERVAL_MS', 1_000, env),
      messages,
      logger,
    });
    await connector.start();
    return connector;
  },
};
