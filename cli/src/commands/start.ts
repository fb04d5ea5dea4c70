import { BinanceRest, BinanceSnapshotConnector } from '@crossvenue/connectors';
import { randomBytes } from 'node:crypto';
import { ApiKeys, GatewayServer, IdempotencyKeys, LIVE_TOPICS, LiveState, apiRoutes } from '@crossvenue/gateway';
import { InProcessBus, LocalCodec, MessageBus, TOPICS, createLogger, settings } from '@crossvenue/schemas';
import { DEMO_SYMBOLS, DEMO_VENUES, startVenues } from '../demoVenues.ts';
import { untilSignal } from '../untilSignal.ts';

/**
 * `crossvenue start` (`npm start`): the embedded run. Every worker in one process over the
 * in-process bus, the demo simulated venues (two Binance-dialect, one Bybit-dialect), and the
 * gateway with its dashboard. No Kafka, registry or ClickHouse is needed, and no live venue is
 * ever contacted.
 */
export async function startCommand(): Promise<number> {
  const logger = createLogger('embedded');
  const port = settings.port('GATEWAY_PORT', 8080);
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
  await messages.prepare([TOPICS.intents, TOPICS.controlCommands, ...LIVE_TOPICS]);

  logger.info('starting the simulated venues');
  const venues = await startVenues(DEMO_VENUES);

  // A local admin key for this run, unless keys are configured; it is printed once, never logged.
  const localKey = process.env.CROSSVENUE_API_KEYS || process.env.CROSSVENUE_SECRETS_FILE ? undefined : randomBytes(24).toString('hex');
  const keys = localKey ? new ApiKeys([{ name: 'local', role: 'admin', key: localKey }]) : ApiKeys.fromEnvironment();
  const state = new LiveState();
  await state.start(messages, 'gateway');
  const gateway = new GatewayServer(apiRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: Date.now }), keys, state, logger);
  const gatewayUrl = await gateway.start(port);

  // The connector reads Binance REST depth only; the Bybit-dialect venue serves ccxt clients.
  const connectors = venues.endpoints
    .filter((venue) => venue.dialect === 'binance')
    .map(
      (venue) =>
        new BinanceSnapshotConnector({
          venue: venue.name,
          rest: new BinanceRest(venue.restUrl),
          instruments: DEMO_SYMBOLS,
          depth: 20,
          intervalMs: 1_000,
          messages,
          logger,
        }),
    );
  for (const venue of venues.endpoints) logger.info({ venue: venue.name, dialect: venue.dialect, url: venue.restUrl }, 'simulated venue up');
  for (const connector of connectors) await connector.start();

  const dashboard = localKey ? `${gatewayUrl}/#key=${localKey}` : `${gatewayUrl}/`;
  const keyLine = localKey ? `  API key:   ${localKey} (admin, this run only; send it as X-API-Key)` : '  API keys:  from CROSSVENUE_API_KEYS / CROSSVENUE_SECRETS_FILE';
  console.log(`\nCrossvenue embedded run is up.\n  dashboard: ${dashboard}\n  API:       ${gatewayUrl}/openapi.json\n${keyLine}\nCtrl-C stops it.\n`);
  const signal = await untilSignal();
  logger.info(`${signal}: stopping`);
  for (const connector of connectors) await connector.stop();
  await gateway.stop();
  await state.stop();
  await venues.stop();
  await messages.bus.close();
  logger.info('stopped');
  return 0;
}
