import { BinanceAuth } from '../binance/BinanceAuth.ts';
import { BINANCE_FAILURES } from '../binance/BinanceError.ts';
import { ListenKeys } from '../binance/ListenKeys.ts';
import type { BookStream } from '../BookStream.ts';
import type { Faults } from '../Faults.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { Perpetuals } from '../engine/Perpetuals.ts';
import type { SimulatedAccount } from '../SimulatedAccount.ts';
import type { Dialect } from '../VenueTransport.ts';
import { UsdmRestApi } from './UsdmRestApi.ts';
import { UsdmStreams } from './UsdmStreams.ts';

/** Binance USD-M futures' REST and WebSocket dialect over a perpetual engine; security, rate limits and errors as Binance spot's. */
export function binanceUsdmDialect(engine: MatchingEngine, accounts: SimulatedAccount[], faults: Faults, book: BookStream, perpetuals: Perpetuals): Dialect {
  const auth = new BinanceAuth(accounts, () => engine.now());
  const listenKeys = new ListenKeys();
  const rest = new UsdmRestApi(engine, perpetuals, auth, listenKeys);
  const streams = new UsdmStreams(engine, perpetuals, faults, listenKeys, book);
  return {
    handle: (request) => rest.handle(request),
    ...BINANCE_FAILURES,
    connect: (socket, path, query) => streams.connect(socket, path, query),
  };
}
