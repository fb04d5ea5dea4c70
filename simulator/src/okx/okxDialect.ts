import type { BookStream } from '../BookStream.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { Faults } from '../Faults.ts';
import type { SimulatedAccount } from '../SimulatedAccount.ts';
import type { Dialect } from '../VenueTransport.ts';
import { OkxAuth } from './OkxAuth.ts';
import { OKX_RATE_LIMITED, OkxError } from './OkxError.ts';
import { OkxRestApi } from './OkxRestApi.ts';
import { OkxStreams } from './OkxStreams.ts';

/** OKX v5's REST and WebSocket dialect (spot, cash mode) over one engine. */
export function okxDialect(engine: MatchingEngine, accounts: SimulatedAccount[], faults: Faults, book: BookStream): Dialect {
  const auth = new OkxAuth(accounts, () => engine.now());
  const rest = new OkxRestApi(engine, auth);
  const streams = new OkxStreams(engine, auth, faults, book);
  return {
    handle: (request) => rest.handle(request),
    // OKX answers a rate limit with HTTP 429 and code 50011.
    rateLimited: () => ({ status: OKX_RATE_LIMITED.status, body: OKX_RATE_LIMITED.body }),
    internalError: () => ({ status: 500, body: new OkxError('50026', 'System error. Try again later.').body }),
    connect: (socket, path) => streams.connect(socket, path),
  };
}
