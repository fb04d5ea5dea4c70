import type { BookStream } from '../BookStream.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { Faults } from '../Faults.ts';
import type { SimulatedAccount } from '../SimulatedAccount.ts';
import type { Dialect } from '../VenueTransport.ts';
import { BybitAuth } from './BybitAuth.ts';
import { BYBIT_RATE_LIMITED } from './BybitError.ts';
import { BybitRestApi, envelope } from './BybitRestApi.ts';
import { BybitStreams } from './BybitStreams.ts';

/** Bybit v5's REST and WebSocket dialect (spot, unified account) over one engine. */
export function bybitDialect(engine: MatchingEngine, accounts: SimulatedAccount[], faults: Faults, book: BookStream): Dialect {
  const auth = new BybitAuth(accounts, () => engine.now());
  const rest = new BybitRestApi(engine, auth);
  const streams = new BybitStreams(engine, auth, faults, book);
  return {
    handle: (request) => rest.handle(request),
    // Bybit answers a per-UID limit with HTTP 200 and retCode 10006 (an IP ban would be HTTP 403).
    rateLimited: () => envelope(BYBIT_RATE_LIMITED.retCode, BYBIT_RATE_LIMITED.message, {}, engine.now()),
    internalError: () => envelope(10016, 'Internal server error.', {}, engine.now()),
    connect: (socket, path) => streams.connect(socket, path),
  };
}
