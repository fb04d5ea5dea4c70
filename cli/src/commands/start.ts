import { BinanceRest, BinanceSnapshotConnector } from '@crossvenue/connectors';
import { BookBoard, GatewayServer } from '@crossvenue/gateway';
import { InProcessBus, LocalCodec, MessageBus, TOPICS, createLogger, settings } from '@crossvenue/schemas';
import type { Args } from '../args.ts';
import { demoVenue } from '../demoVenues.ts';
import { untilSignal } from '../untilSignal.ts';

/**
 * `crossvenue start` (`npm start`): the embedded run. Every worker in one process over the
 * in-process bus, a simulated venue, and the gateway with its dashboard. No Kafka, registry or
 * ClickHouse is needed, and no live venue is ever contacted.
 */
export async function startCommand(_args: Args): Promise<number> {
  const logger = createLogger('embedded');
  const port = settings.port('GATEWAY_PORT', 8080);
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
  await messages.prepare([TOPICS.bookSnapshots]);

  logger.info('starting the simulated venue');
  const venue = demoVenue();
  const venueUrl = await venue.server.start();

  const board = new BookBoard(messages);
  await board.start('gateway');
  const gateway = new GatewayServer(board);
  const gatewayUrl = await gateway.start(port);

  logger.info({ venue: venueUrl }, 'starting the connector');
  const connector = new BinanceSnapshotConnector({
    venue: 'sim-binance',
    rest: new BinanceRest(venueUrl),
    instruments: ['BTC/USDT', 'ETH/USDT'],
    depth: 20,
    intervalMs: 1_000,
    messages,
    logger,
  });
  await connector.start();

  console.log(`\nCrossvenue embedded run is up.\n  dashboard: ${gatewayUrl}/\n  API:       ${gatewayUrl}/market/books\nCtrl-C stops it.\n`);
  const signal = await untilSignal();
  logger.info(`${signal}: stopping`);
  await connector.stop();
  await board.stop();
  await gateway.stop();
  await venue.stop();
  await messages.bus.close();
  logger.info('stopped');
  return 0;
}
