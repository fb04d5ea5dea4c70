import { jsonObject } from '../requestParsing.ts';
import type { StreamSocket } from '../StreamSocket.ts';
import type { Faults } from '../Faults.ts';
import { UserStreamSender } from '../UserStreamFaults.ts';

interface MarketSubscriber {
  socket: StreamSocket;
  streams: Set<string>;
  /** `/stream` connections wrap each event as `{stream, data}`. */
  combined: boolean;
}

interface UserSubscriber {
  account: string;
  sender: UserStreamSender;
  /** The spot WebSocket API wraps events as `{subscriptionId, event}`; a listenKey stream sends them bare. */
  subscriptionId?: number;
}

/**
 * Who listens to what on a Binance WebSocket endpoint (spot and USD-M alike): market-stream
 * connections with their SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS requests, and user-data
 * subscribers, whose messages go through the fill faults.
 * https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#live-subscribingunsubscribing-to-streams
 */
export class BinanceSubscriptions {
  private readonly markets = new Set<MarketSubscriber>();
  private readonly users = new Set<UserSubscriber>();

  constructor(private readonly faults: Faults) {}

  /** A market-stream connection, starting with `streams` (from its URL). */
  market(socket: StreamSocket, streams: Set<string>, combined: boolean): boolean {
    const subscriber: MarketSubscriber = { socket, streams, combined };
    this.markets.add(subscriber);
    socket.onClose(() => this.markets.delete(subscriber));
    socket.onMessage((text) => {
      const request = jsonObject(text);
      if (!request || (!Array.isArray(request.params) && request.method !== 'LIST_SUBSCRIPTIONS')) {
        return socket.send({ error: { code: 2, msg: 'Invalid request' }, id: request?.id ?? null });
      }
      const params = (request.params ?? []) as unknown[];
      if (request.method === 'SUBSCRIBE') for (const p of params) streams.add(String(p));
      else if (request.method === 'UNSUBSCRIBE') for (const p of params) streams.delete(String(p));
      else if (request.method === 'LIST_SUBSCRIPTIONS') return socket.send({ result: [...streams], id: request.id });
      else return socket.send({ error: { code: 1, msg: `Unknown method ${String(request.method)}` }, id: request.id });
      socket.send({ result: null, id: request.id });
    });
    return true;
  }

  /** A user-data subscriber for `account` on `socket`; returns how to end it. */
  user(account: string, socket: StreamSocket, subscriptionId?: number): () => void {
    const subscriber: UserSubscriber = { account, sender: new UserStreamSender(socket, this.faults), subscriptionId };
    this.users.add(subscriber);
    const end = () => this.users.delete(subscriber);
    socket.onClose(end);
    return end;
  }

  /** Sends `data` to every market connection subscribed to one of `names` (its first match names the stream). */
  publish(names: string[], data: unknown): void {
    for (const subscriber of this.markets) {
      const stream = names.find((name) => subscriber.streams.has(name));
      if (stream) subscriber.socket.send(subscriber.combined ? { stream, data } : data);
    }
  }

  /** Sends a user-data event to the account's subscribers; `isFill` puts it through the fill faults. */
  toUser(account: string, event: unknown, isFill: boolean): void {
    for (const subscriber of this.users) {
      if (subscriber.account !== account) continue;
      subscriber.sender.send(subscriber.subscriptionId === undefined ? event : { subscriptionId: subscriber.subscriptionId, event }, isFill);
    }
  }
}
