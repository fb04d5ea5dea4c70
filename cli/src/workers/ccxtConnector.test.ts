import { CCXT_CONNECTOR_TOPICS } from '@crossvenue/connectors';
import { createLogger, InProcessBus, MessageBus, resolveEndpoints, WorkerMetrics } from '@crossvenue/runtime';
import { metricValue } from '@crossvenue/runtime/testing';
import { LocalCodec } from '@crossvenue/schemas';
import { startTestVenue, TRADER } from '@crossvenue/simulator/testing';
import { describe, expect, it } from 'vitest';
import { ccxtConnectorWorker } from './ccxtConnector.ts';

/** The ccxt-connector worker on the in-process bus against a simulated venue, its log lines read back. */
async function runWorker(env: Record<string, string>, use: (run: { lines: Array<{ level: number; msg: string }>; metrics: WorkerMetrics }) => Promise<void>) {
  const { venue, endpoints } = await startTestVenue({ name: 'sim-connector-worker' });
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = createLogger('ccxt-connector', { level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
  await messages.prepare(CCXT_CONNECTOR_TOPICS);
  const metrics = new WorkerMetrics('ccxt-connector');
  const worker = await ccxtConnectorWorker.start({
    messages,
    logger,
    endpoints: resolveEndpoints({}),
    metrics,
    env: {
      VENUE_ID: 'binance', VENUE_NAME: 'sim-connector-worker', ACCOUNT: 'main', PORTFOLIO: 'desk',
      VENUE_API_KEY: TRADER.apiKey, VENUE_API_SECRET: TRADER.secret, VENUE_REST_URL: endpoints.restUrl, VENUE_WS_URL: endpoints.wsUrl,
      INSTRUMENTS: 'ETH/USDT', ...env,
    },
  });
  try {
    await use({ lines, metrics });
  } finally {
    await worker.stop();
    await venue.stop();
    await messages.bus.close();
  }
}

const symbolsWarnings = (lines: Array<{ level: number; msg: string }>) => lines.filter((line) => line.level === 40 && line.msg.startsWith('SYMBOLS is not set'));

describe('ccxt-connector worker', { timeout: 30_000 }, () => {
  it('warns once at start that it publishes no books when SYMBOLS is not set', async () => {
    await runWorker({}, async ({ lines, metrics }) => {
      expect(symbolsWarnings(lines)).toHaveLength(1);
      expect(symbolsWarnings(lines)[0]!.msg).toContain('sim-connector-worker/main publishes no books');
      expect(await metricValue(metrics, 'crossvenue_book_staleness_seconds', { venue: 'sim-connector-worker' })).toBeUndefined();
    });
  });

  it('with SYMBOLS, does not warn and exposes its book staleness', async () => {
    await runWorker({ SYMBOLS: 'ETH/USDT' }, async ({ lines, metrics }) => {
      expect(symbolsWarnings(lines)).toEqual([]);
      expect(await metricValue(metrics, 'crossvenue_book_staleness_seconds', { venue: 'sim-connector-worker' })).toBeGreaterThanOrEqual(0);
    });
  });
});
