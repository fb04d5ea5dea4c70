import { formatDecimal } from '@crossvenue/schemas';
import type { BookStream, DepthBatch } from '../BookStream.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { EngineEvent } from '../engine/types.ts';
import type { Faults } from '../Faults.ts';
import { jsonObject } from '../requestParsing.ts';
import { isEmpty, SentLevels, type SentLevel } from '../SentLevels.ts';
import type { StreamSocket } from '../StreamSocket.ts';
import { UserStreamSender } from '../UserStreamFaults.ts';
import type { BybitAuth } from './BybitAuth.ts';
import { BybitError } from './BybitError.ts';
import { bybitCoin, bybitExecution, bybitOrder } from './bybitFormat.ts';

const BOOK_DEPTHS = [1, 50, 200, 1000];

/** One `orderbook.<depth>.<symbol>` subscription: what the client holds, and its push id `u`. */
interface BookSubscription {
  socket: StreamSocket;
  topic: string;
  levels: SentLevels;
  u: number;
}

interface PrivateSubscriber {
  account: string;
  topics: Set<string>;
  sender: UserStreamSender;
}

/**
 * Bybit v5 WebSocket: public spot (`/v5/public/spot`: `orderbook.<depth>.<symbol>` snapshot then
 * deltas with `u` and `seq`, `publicTrade.<symbol>`) and private (`/v5/private`: `auth`, then the
 * `order`, `execution` and `wallet` topics). Each book subscription receives the exact change of
 * its top `depth` levels; `u` counts its pushes, so a withheld push shows as a gap.
 * https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook
 * https://bybit-exchange.github.io/docs/v5/websocket/private/order
 */
export class BybitStreams {
  private readonly books = new Set<BookSubscription>();
  private readonly trades = new Map<StreamSocket, Set<string>>();
  private readonly privates = new Set<PrivateSubscriber>();
  private nextConnection = 1;

  constructor(
    private readonly engine: MatchingEngine,
    private readonly auth: BybitAuth,
    private readonly faults: Faults,
    book: BookStream,
  ) {
    book.subscribe((batch) => this.pushBooks(batch));
    engine.onEvents((events) => this.dispatch(events));
  }

  connect(socket: StreamSocket, path: string): boolean {
    if (path !== '/v5/public/spot' && path !== '/v5/private') return false;
    const connId = `sim-${this.nextConnection++}`;
    const isPrivate = path === '/v5/private';
    let subscriber: PrivateSubscriber | undefined;
    socket.onClose(() => {
      for (const subscription of this.books) if (subscription.socket === socket) this.books.delete(subscription);
      this.trades.delete(socket);
      if (subscriber) this.privates.delete(subscriber);
    });
    socket.onMessage((raw) => {
      const request = jsonObject(raw);
      const reqId = typeof request?.req_id === 'string' ? request.req_id : '';
      const answer = (op: string, success: boolean, retMsg = '') => socket.send({ success, ret_msg: retMsg, conn_id: connId, req_id: reqId, op });
      if (!request || typeof request.op !== 'string') return answer('unknown', false, 'Invalid request: expected {"op": ...}');
      const args = Array.isArray(request.args) ? request.args.map(String) : [];
      try {
        switch (request.op) {
          case 'ping':
            return isPrivate ? socket.send({ req_id: reqId, op: 'pong', args: [String(this.engine.now())], conn_id: connId }) : answer('ping', true, 'pong');
          case 'auth':
            if (!isPrivate) return answer('auth', false, 'auth is only on the private stream');
            subscriber = { account: this.auth.webSocket(request.args).name, topics: new Set(), sender: new UserStreamSender(socket, this.faults) };
            this.privates.add(subscriber);
            return answer('auth', true);
          case 'subscribe':
          case 'unsubscribe': {
            const subscribe = request.op === 'subscribe';
            if (isPrivate) {
              if (!subscriber) return answer(request.op, false, 'Request not authorized');
              const unknown = args.find((topic) => !['order', 'execution', 'wallet'].includes(topic));
              if (unknown) return answer(request.op, false, `error:handler not found,topic:${unknown}`);
              for (const topic of args) if (subscribe) subscriber.topics.add(topic); else subscriber.topics.delete(topic);
              return answer(request.op, true);
            }
            const problem = args.map((topic) => this.checkPublicTopic(topic)).find(Boolean);
            if (problem) return answer(request.op, false, problem);
            answer(request.op, true);
            for (const topic of args) this.togglePublic(socket, topic, subscribe);
            return;
          }
          default:
            return answer(request.op, false, `Invalid op ${request.op}`);
        }
      } catch (error) {
        if (!(error instanceof BybitError)) throw error;
        answer(request.op, false, error.message);
      }
    });
    return true;
  }

  private checkPublicTopic(topic: string): string | undefined {
    const [kind, a, b] = topic.split('.');
    const symbol = kind === 'orderbook' ? b : a;
    if (kind === 'orderbook' && !BOOK_DEPTHS.includes(Number(a))) return `error:handler not found,topic:${topic}`;
    if (kind !== 'orderbook' && kind !== 'publicTrade') return `error:handler not found,topic:${topic}`;
    if (!this.engine.markets().some((m) => m.symbol === symbol)) return `error:invalid symbol :[${symbol ?? ''}]`;
    return undefined;
  }

  private togglePublic(socket: StreamSocket, topic: string, subscribe: boolean): void {
    const [kind, a, b] = topic.split('.') as [string, string, string | undefined];
    if (kind === 'publicTrade') {
      const set = this.trades.get(socket) ?? new Set<string>();
      if (subscribe) set.add(a);
      else set.delete(a);
      this.trades.set(socket, set);
      return;
    }
    for (const existing of this.books) if (existing.socket === socket && existing.topic === topic) this.books.delete(existing);
    if (!subscribe) return;
    const subscription: BookSubscription = { socket, topic, levels: new SentLevels(this.engine, b!, Number(a)), u: 1 };
    this.books.add(subscription);
    const { change } = subscription.levels.next();
    const data = { s: b!, b: pairs(change.bids), a: pairs(change.asks), u: subscription.u, seq: this.engine.updateId(b!) };
    socket.send({ topic, type: 'snapshot', ts: this.engine.now(), data, cts: this.engine.now() });
  }

  /** A push only when the top levels changed; a withheld one still takes its `u`, leaving a gap. */
  private pushBooks(batch: DepthBatch): void {
    for (const subscription of this.books) {
      if (subscription.levels.symbol !== batch.symbol) continue;
      const { change } = subscription.levels.next();
      if (isEmpty(change)) continue;
      subscription.u++;
      if (batch.withheld) continue;
      const data = { s: batch.symbol, b: pairs(change.bids), a: pairs(change.asks), u: subscription.u, seq: batch.lastUpdateId };
      subscription.socket.send({ topic: subscription.topic, type: 'delta', ts: batch.time, data, cts: batch.time });
    }
  }

  private dispatch(events: EngineEvent[]): void {
    const now = this.engine.now();
    for (const event of events) {
      if (event.kind === 'trade') {
        const { trade } = event;
        const data = [{ T: trade.time, s: trade.symbol, S: trade.buyerIsMaker ? 'Sell' : 'Buy', v: formatDecimal(trade.quantity), p: formatDecimal(trade.price), L: 'ZeroPlusTick', i: String(trade.tradeId), BT: false }];
        for (const [socket, symbols] of this.trades) if (symbols.has(trade.symbol)) socket.send({ topic: `publicTrade.${trade.symbol}`, type: 'snapshot', ts: trade.time, data });
      } else if (event.kind === 'order') {
        const { order, fill } = event;
        if (fill) {
          const rate = fill.isMaker ? this.engine.fees.maker : this.engine.fees.taker;
          this.toPrivate(order.account, 'execution', [bybitExecution(fill, order, rate)], now, true);
        }
        this.toPrivate(order.account, 'order', [bybitOrder(order)], now, false);
      } else if (event.kind === 'balance') {
        const coins = event.assets.map((asset) => bybitCoin(asset, this.engine.balances.get(event.account, asset)));
        this.toPrivate(event.account, 'wallet', [{ accountType: 'UNIFIED', coin: coins }], now, false);
      }
    }
  }

  private toPrivate(account: string, topic: string, data: unknown[], now: number, isFill: boolean): void {
    for (const subscriber of this.privates) {
      if (subscriber.account !== account || !subscriber.topics.has(topic)) continue;
      subscriber.sender.send({ id: `${account}-${topic}-${now}`, topic, creationTime: now, data }, isFill);
    }
  }
}

const pairs = (levels: SentLevel[]) => levels.map(({ price, quantity }) => [price, quantity]);
