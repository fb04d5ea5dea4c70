import type { BookStream } from '../BookStream.ts';
import type { Faults } from '../Faults.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { SimulatedAccount } from '../SimulatedAccount.ts';
import type { Dialect } from '../VenueTransport.ts';
import { BinanceAuth } from './BinanceAuth.ts';
import { BINANCE_RATE_LIMITED } from './BinanceError.ts';
import { BinanceRestApi } from './BinanceRestApi.ts';
import { BinanceStreams } from './BinanceStreams.ts';

/** Binance spot's REST and WebSocket dialect over one engine. */
export function binanceDialect(engine: MatchingEngine, accounts: SimulatedAccount[], faults: Faults, book: BookStream): Dialect {
  const auth = new BinanceAuth(accounts, () => engine.now());
  const rest = new BinanceRestApi(engine, auth);
  const streams = new BinanceStreams(engine, auth, faults, rest.listenKeys, book);
  return {
    handle: (request) => rest.handle(request),
    rateLimited: () => ({ status: BINANCE_RATE_LIMITED.status, body: BINANCE_RATE_LIMITED.body, headers: { 'retry-after': '1' } }),
    internalError: () => ({ status: 500, body: { code: -1000, msg: 'An unknown error occurred while processing the request.' } }),
    connect: (socket, path, query) => streams.connect(socket, path, query),
  };
}
