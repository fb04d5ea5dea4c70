import ccxt from 'ccxt';

export type RejectionVerdict = 'keep-running' | 'exit';

/**
 * What a Kafka worker does with a promise rejection nobody handled. ccxt 4.5.84 sends a websocket
 * subscription through its throttle without catching the send (`Exchange.js` `watch`:
 * `client.throttle(cost).then(() => client.send(message))`), so a connection that closes while it
 * opens leaks a ccxt.NetworkError. The watch loop that owns the connection sees the same drop
 * through its own rejected watch and reconnects, so the worker keeps running. Anything else is a
 * bug of ours or an unknown one: it must stop the worker, never be swallowed.
 */
export function unhandledRejectionVerdict(reason: unknown): RejectionVerdict {
  return reason instanceof ccxt.NetworkError ? 'keep-running' : 'exit';
}
