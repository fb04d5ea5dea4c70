import { formatDecimal } from '@crossvenue/schemas';
import type { BookStream, DepthBatch } from '../BookStream.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { EngineEvent } from '../engine/types.ts';
import type { Faults } from '../Faults.ts';
import { jsonObject } from '../requestParsing.ts';
import { isEmpty, SentLevels } from '../SentLevels.ts';
import type { StreamSocket } from '../StreamSocket.ts';
import { UserStreamSender } from '../UserStreamFaults.ts';
import type { OkxAuth } from './OkxAuth.ts';
import { OkxError } from './OkxError.ts';
import { okxBalanceDetail, okxChecksum, okxLevels, okxOrderPush } from './okxFormat.ts';
import { instIdOf } from './okxParams.ts';

/** `books` is OKX's 400-level channel (snapshot, then updates every 100 ms). */
const BOOK_DEPTH = 400;
const PUBLIC_PATH = '/ws/v5/public';
const PRIVATE_PATH = '/ws/v5/private';

type Arg = Record<string, unknown>;

/** One `books` subscription: what the client holds, and the seqId of the last push (sent or withheld). */
interface BookSubscription {
  socket: StreamSocket;
  instId: string;
  levels: SentLevels;
  seqId: number;
}

/** A logged-in private connection and its `orders` and `account` subscriptions (by their args, as given). */
interface PrivateConnection {
  account: string;
  subscriptions: Map<string, Arg>;
  sender: UserStreamSender;
}

/**
 * OKX v5 WebSocket: public (`/ws/v5/public`: `books` snapshot then updates chained by
 * seqId/prevSeqId with the CRC32 checksum, `trades`) and private (`/ws/v5/private`: `login`
 * with the passphrase signature, then the `orders` channel: every order change, with the fill it
 * reports; `account`: the balances an operation changed). Text "ping" is answered "pong", as OKX does.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
 * https://www.okx.com/docs-v5/en/#order-book-trading-trade-ws-order-channel
 * https://www.okx.com/docs-v5/en/#trading-account-websocket-account-channel
 */
export class OkxStreams {
  private readonly books = new Set<BookSubscription>();
  private readonly trades = new Map<StreamSocket, Set<string>>();
  private readonly privates = new Set<PrivateConnection>();
  private nextConnection = 1;

  constructor(
    private readonly engine: MatchingEngine,
    private readonly auth: OkxAuth,
    private readonly faults: Faults,
    book: BookStream,
  ) {
    book.subscribe((batch) => this.pushBooks(batch));
    engine.onEvents((events) => this.dispatch(events));
  }

  connect(socket: StreamSocket, path: string): boolean {
    if (path !== PUBLIC_PATH && path !== PRIVATE_PATH) return false;
    const connId = (0x5100_0000 + this.nextConnection++).toString(16);
    const isPrivate = path === PRIVATE_PATH;
    let connection: PrivateConnection | undefined;
    socket.onClose(() => {
      for (const subscription of this.books) if (subscription.socket === socket) this.books.delete(subscription);
      this.trades.delete(socket);
      if (connection) this.privates.delete(connection);
    });
    socket.onMessage((raw) => {
      if (raw === 'ping') return socket.sendText('pong');
      const fail = (error: OkxError) => socket.send({ event: 'error', code: error.code, msg: error.message, connId });
      const request = jsonObject(raw);
      if (!request || typeof request.op !== 'string') return fail(new OkxError('60012', `Illegal request: ${raw.slice(0, 200)}`));
      try {
        if (request.op === 'login') {
          if (!isPrivate) throw new OkxError('60008', 'The current WebSocket endpoint does not support subscribing to private channels.');
          if (connection) throw new OkxError('60010', 'Already logged in.');
          const account = this.auth.webSocket(request.args).name;
          connection = { account, subscriptions: new Map(), sender: new UserStreamSender(socket, this.faults) };
          this.privates.add(connection);
          return socket.send({ event: 'login', code: '0', msg: '', connId });
        }
        if (request.op !== 'subscribe' && request.op !== 'unsubscribe') throw new OkxError('60019', `Invalid op: ${request.op}`);
        const args = subscriptionArgs(request.args);
        const subscribe = request.op === 'subscribe';
        // Every arg is checked before any takes effect: a refused request changes nothing.
        for (const arg of args) {
          if (isPrivate) checkPrivate(connection, arg);
          else this.checkPublic(arg);
        }
        for (const arg of args) {
          socket.send({ event: request.op, arg, connId });
          if (isPrivate) togglePrivate(connection!, arg, subscribe);
          else this.togglePublic(socket, arg, subscribe);
        }
      } catch (error) {
        if (!(error instanceof OkxError)) throw error;
        fail(error);
      }
    });
    return true;
  }

  private checkPublic(arg: Arg): void {
    const known = this.engine.markets().some((rules) => instIdOf(rules) === arg.instId);
    if ((arg.channel !== 'books' && arg.channel !== 'trades') || !known) throw doesNotExist(arg);
  }

  private togglePublic(socket: StreamSocket, arg: Arg, subscribe: boolean): void {
    const instId = arg.instId as string;
    if (arg.channel === 'trades') {
      const set = this.trades.get(socket) ?? new Set<string>();
      if (subscribe) set.add(instId);
      else set.delete(instId);
      this.trades.set(socket, set);
      return;
    }
    for (const existing of this.books) if (existing.socket === socket && existing.instId === instId) this.books.delete(existing);
    if (!subscribe) return;
    // A subscription made again starts over with a snapshot: how a client recovers from a gap.
    const rules = this.engine.markets().find((market) => instIdOf(market) === instId)!;
    const subscription: BookSubscription = { socket, instId, levels: new SentLevels(this.engine, rules.symbol, BOOK_DEPTH), seqId: this.engine.updateId(rules.symbol) };
    this.books.add(subscription);
    const { change, top } = subscription.levels.next();
    const data = { asks: okxLevels(change.asks), bids: okxLevels(change.bids), ts: String(this.engine.now()), checksum: okxChecksum(top), prevSeqId: -1, seqId: subscription.seqId };
    socket.send({ arg: { channel: 'books', instId }, action: 'snapshot', data: [data] });
  }

  /** An update only when the top levels changed; a withheld one still takes its seqId, so the next update's prevSeqId shows the gap. */
  private pushBooks(batch: DepthBatch): void {
    for (const subscription of this.books) {
      if (subscription.levels.symbol !== batch.symbol) continue;
      const { change, top } = subscription.levels.next();
      if (isEmpty(change)) continue;
      const prevSeqId = subscription.seqId;
      subscription.seqId = batch.lastUpdateId;
      if (batch.withheld) continue;
      const data = { asks: okxLevels(change.asks), bids: okxLevels(change.bids), ts: String(batch.time), checksum: okxChecksum(top), prevSeqId, seqId: subscription.seqId };
      subscription.socket.send({ arg: { channel: 'books', instId: subscription.instId }, action: 'update', data: [data] });
    }
  }

  private dispatch(events: EngineEvent[]): void {
    for (const event of events) {
      if (event.kind === 'trade') {
        const { trade } = event;
        const instId = instIdOf(this.engine.market(trade.symbol));
        const data = [{ instId, tradeId: String(trade.tradeId), px: formatDecimal(trade.price), sz: formatDecimal(trade.quantity), side: trade.buyerIsMaker ? 'sell' : 'buy', ts: String(trade.time), count: '1' }];
        for (const [socket, instIds] of this.trades) if (instIds.has(instId)) socket.send({ arg: { channel: 'trades', instId }, data });
      } else if (event.kind === 'order') {
        const { order, fill } = event;
        const rules = this.engine.market(order.symbol);
        const wanted = (arg: Arg) => arg.channel === 'orders' && (arg.instId === undefined || arg.instId === instIdOf(rules));
        this.toPrivate(order.account, wanted, () => [okxOrderPush(rules, order, fill)], fill !== undefined);
      } else if (event.kind === 'balance') {
        const now = this.engine.now();
        const wanted = (arg: Arg) => arg.channel === 'account' && (arg.ccy === undefined || event.assets.includes(arg.ccy as string));
        const details = () => event.assets.map((asset) => okxBalanceDetail(asset, this.engine.balances.get(event.account, asset), now));
        this.toPrivate(event.account, wanted, () => [{ uTime: String(now), totalEq: '', isoEq: '0', adjEq: '', ordFroz: '', imr: '', mmr: '', mgnRatio: '', notionalUsd: '', upl: '', details: details() }], false);
      }
    }
  }

  /** One push per connection of `account` with a subscription that wants it, under that subscription's arg. */
  private toPrivate(account: string, wants: (arg: Arg) => boolean, data: () => unknown[], isFill: boolean): void {
    for (const connection of this.privates) {
      const arg = connection.account === account ? [...connection.subscriptions.values()].find(wants) : undefined;
      if (arg) connection.sender.send({ arg: { ...arg, uid: '' }, data: data() }, isFill);
    }
  }
}

function checkPrivate(connection: PrivateConnection | undefined, arg: Arg): void {
  if (!connection) throw new OkxError('60011', 'Please log in.');
  const orders = arg.channel === 'orders' && (arg.instType === 'SPOT' || arg.instType === 'ANY');
  if (!orders && arg.channel !== 'account') throw doesNotExist(arg);
}

function togglePrivate(connection: PrivateConnection, arg: Arg, subscribe: boolean): void {
  const key = JSON.stringify(arg);
  if (subscribe) connection.subscriptions.set(key, arg);
  else connection.subscriptions.delete(key);
}

/** A subscribe request's args: a non-empty array of objects naming a channel. */
function subscriptionArgs(args: unknown): Arg[] {
  const valid = Array.isArray(args) && args.length > 0 && args.every((arg) => typeof arg === 'object' && arg !== null && typeof (arg as Arg).channel === 'string');
  if (!valid) throw new OkxError('60013', 'Invalid args');
  return args as Arg[];
}

const doesNotExist = (arg: Arg) =>
  new OkxError('60018', `Wrong URL or channel:${String(arg.channel)},instId:${String(arg.instId ?? '')} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`);
