import type { BookStream } from '../BookStream.ts';
import type { Faults } from '../Faults.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { SimulatedAccount } from '../SimulatedAccount.ts';
import type { Dialect } from '../VenueTransport.ts';
import { BinanceAuth } from './BinanceAuth.ts';
import { BINANCE_FAILURES } from './BinanceError.ts';
import { BinanceRestApi } from './BinanceRestApi.ts';
import { BinanceStreams } from './BinanceStreams.ts';

/** Binance spot's REST and WebSocket dialect over one engine. */
export function binanceDialect(engine: MatchingEngine, accounts: SimulatedAccount[], faults: Faults, book: BookStream): Dialect {
  const auth = new BinanceAuth(accounts, () => engine.now());
  const rest = new BinanceRestApi(engine, auth);
  const streams = new BinanceStreams(engine, auth, faults, rest.listenKeys, book);
  return {
    handle: (request) => rest.handle(request),
    ...BINANCE_FAILURES,
    connect: (socket, path, query) => streams.connect(socket, path, query),
  };
}
