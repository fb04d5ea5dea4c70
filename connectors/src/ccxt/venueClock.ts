import ccxt, { type Exchange } from 'ccxt';
import type { Logger } from '@crossvenue/runtime';

/** At most one resync this often: a venue that keeps refusing is not asked for its time on every call. */
const RESYNC_EVERY_MS = 5_000;

/**
 * Signs with the venue's clock when it and ours differ. A request the venue refuses for its
 * timestamp (ccxt InvalidNonce: Binance -1021, "outside of the recvWindow") makes the client read
 * the venue's time (ccxt `loadTimeDifference`, which its signing subtracts) before the error goes
 * on to its caller, so the next signed request carries the venue's time. Without it, a venue whose
 * clock runs behind ours refused every signed request for as long as it lasted (the fault
 * matrix's clock-skew scenario: venue snapshots failing for minutes). A venue that signs without
 * a time difference (no fetchTime) is left as it is.
 */
export function followVenueClock(exchange: Exchange, logger: Logger, now: () => number = Date.now): void {
  if (!exchange.has.fetchTime) return;
  const send = exchange.fetch.bind(exchange);
  let lastResyncMs = Number.NEGATIVE_INFINITY;
  exchange.fetch = async (...request: Parameters<Exchange['fetch']>) => {
    try {
      return await send(...request);
    } catch (error) {
      if (error instanceof ccxt.InvalidNonce && now() - lastResyncMs >= RESYNC_EVERY_MS) {
        lastResyncMs = now();
        try {
          await exchange.loadTimeDifference();
          logger.warn({ venue: exchange.id, timeDifferenceMs: exchange.options.timeDifference }, `${exchange.id} refused our request's timestamp: signing with its clock from now on, ${String(exchange.options.timeDifference)} ms behind ours`);
        } catch (resync) {
          logger.warn({ venue: exchange.id, err: resync instanceof Error ? resync.message : String(resync) }, `${exchange.id} refused our request's timestamp, and its time could not be read`);
        }
      }
      throw error;
    }
  };
}
