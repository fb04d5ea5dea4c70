import type { Exchange } from 'ccxt';

type FutureFactory = (messageHash: string) => Promise<unknown>;
interface WsClient {
  future: FutureFactory;
  send: (message: unknown) => Promise<unknown>;
}

const OBSERVED = Symbol('crossvenue.observedFutures');

/**
 * Marks every promise a ccxt websocket client creates as observed: its futures and its sends. ccxt
 * creates some futures it never awaits itself — binance.ensureUserDataStreamWsSubscribeSignature (ccxt 4.5.84,
 * js/src/pro/binance.js) makes one "ahead of the request" — and rejects them all when the
 * connection fails, so a venue that refuses connections raises unhandled rejections that would
 * stop a process. Whoever awaits a future still gets its rejection: the no-op handler added here
 * only tells Node the rejection is known. Our own watches are awaited and their failures handled.
 */
export function observeWsFutures<E extends Exchange>(exchange: E): E {
  const client = exchange.client.bind(exchange);
  exchange.client = ((url: string) => {
    const ws = client(url) as unknown as WsClient & { [OBSERVED]?: true };
    if (!ws[OBSERVED]) {
      const future = ws.future.bind(ws);
      ws.future = (messageHash) => {
        const promise = future(messageHash);
        promise.catch(() => undefined);
        return promise;
      };
      // ccxt's watch sends a subscription once its throttle lets it and ignores what the send
      // returns (`client.throttle(cost).then(() => { client.send(message) })`): a socket that
      // closed meanwhile rejects that send with "WebSocket is not open", unobserved. The watch
      // learns of the close from its own future.
      const send = ws.send.bind(ws);
      ws.send = (message) => {
        const sent = send(message);
        sent.catch(() => undefined);
        return sent;
      };
      ws[OBSERVED] = true;
    }
    return ws;
  }) as typeof exchange.client;
  return exchange;
}
