import type { BookStream, DepthBatch } from '../BookStream.ts';
import type { Faults } from '../Faults.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { EngineEvent } from '../engine/types.ts';
import { jsonObject } from '../requestParsing.ts';
import type { StreamSocket } from '../StreamSocket.ts';
import type { BinanceAuth } from './BinanceAuth.ts';
import { BinanceError, missingParameter } from './BinanceError.ts';
import { binanceExecutionReport, fixed } from './binanceFormat.ts';
import { BinanceSubscriptions } from './BinanceSubscriptions.ts';
import type { ListenKeys } from './ListenKeys.ts';

/**
 * Binance spot WebSocket: market streams (`<symbol>@depth[@100ms]` diff depth with U/u,
 * `<symbol>@trade`) on `/ws` and `/stream`, the listenKey user data stream on `/ws/<listenKey>`,
 * and the WebSocket API on `/ws-api/v3` with `userDataStream.subscribe.signature` (what ccxt.pro
 * 4.5 uses for spot), `ping` and `time`.
 * https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 * https://developers.binance.com/docs/binance-spot-api-docs/websocket-api/user-data-stream-requests
 */
export class BinanceStreams {
  private readonly subscriptions: BinanceSubscriptions;
  private nextSubscriptionId = 0;

  constructor(
    private readonly engine: MatchingEngine,
    private readonly auth: BinanceAuth,
    faults: Faults,
    private readonly listenKeys: ListenKeys,
    book: BookStream,
  ) {
    this.subscriptions = new BinanceSubscriptions(faults);
    book.subscribe((batch) => this.depth(batch));
    engine.onEvents((events) => this.dispatch(events));
  }

  connect(socket: StreamSocket, path: string, query: URLSearchParams): boolean {
    if (path === '/ws-api/v3') return this.webSocketApi(socket);
    if (path === '/ws' || path === '/stream') {
      const streams = new Set((query.get('streams') ?? '').split('/').filter(Boolean));
      return this.subscriptions.market(socket, streams, path === '/stream');
    }
    const name = path.match(/^\/ws\/(.+)$/)?.[1];
    if (!name) return false;
    const account = this.listenKeys.accountOf(name);
    if (account) {
      this.subscriptions.user(account, socket);
      return true;
    }
    return this.subscriptions.market(socket, new Set([name]), false);
  }

  private webSocketApi(socket: StreamSocket): boolean {
    socket.onMessage((text) => {
      const request = jsonObject(text);
      const id = request?.id ?? null;
      const fail = (status: number, code: number, msg: string) => socket.send({ id, status, error: { code, msg } });
      if (!request || typeof request.method !== 'string') return fail(400, -1000, 'Invalid request.');
      try {
        if (request.method === 'ping') return socket.send({ id, status: 200, result: {} });
        if (request.method === 'time') return socket.send({ id, status: 200, result: { serverTime: this.engine.now() } });
        if (request.method !== 'userDataStream.subscribe.signature') return fail(400, -1000, `Unknown method '${request.method}'.`);
        const account = this.verifyWsApi(request.params);
        const subscriptionId = this.nextSubscriptionId++;
        this.subscriptions.user(account, socket, subscriptionId);
        socket.send({ id, status: 200, result: { subscriptionId } });
      } catch (error) {
        if (!(error instanceof BinanceError)) throw error;
        fail(error.status, error.code, error.message);
      }
    });
    return true;
  }

  /** WebSocket API signing: HMAC-SHA256 over the params sorted by name, `signature` excluded. */
  private verifyWsApi(raw: unknown): string {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw missingParameter('apiKey');
    const entries = Object.entries(raw as Record<string, unknown>).map(([key, value]): [string, string] => [key, String(value)]);
    const params = new URLSearchParams(entries);
    const payload = new URLSearchParams(entries.filter(([key]) => key !== 'signature').sort(([a], [b]) => (a < b ? -1 : 1))).toString();
    return this.auth.signed(params.get('apiKey') ?? undefined, params, payload).name;
  }

  /** A withheld batch is never sent; the next event's `U` then skips past the previous `u` + 1. */
  private depth(batch: DepthBatch): void {
    if (batch.withheld) return;
    const lower = batch.symbol.toLowerCase();
    const event = {
      e: 'depthUpdate',
      E: batch.time,
      s: batch.symbol,
      U: batch.firstUpdateId,
      u: batch.lastUpdateId,
      b: batch.bids.map(([price, quantity]) => [fixed(price), fixed(quantity)]),
      a: batch.asks.map(([price, quantity]) => [fixed(price), fixed(quantity)]),
    };
    this.subscriptions.publish([`${lower}@depth`, `${lower}@depth@100ms`], event);
  }

  private dispatch(events: EngineEvent[]): void {
    for (const event of events) {
      if (event.kind === 'trade') {
        const { trade } = event;
        this.subscriptions.publish([`${trade.symbol.toLowerCase()}@trade`], {
          e: 'trade', E: trade.time, s: trade.symbol, t: trade.tradeId, p: fixed(trade.price), q: fixed(trade.quantity), T: trade.time, m: trade.buyerIsMaker, M: true,
        });
      } else if (event.kind === 'order') {
        const report = binanceExecutionReport(event.order, event.execution, event.fill, this.engine.now());
        this.subscriptions.toUser(event.order.account, report, event.execution === 'TRADE');
      } else if (event.kind === 'balance') {
        const balances = event.assets.map((asset) => {
          const { free, locked } = this.engine.balances.get(event.account, asset);
          return { a: asset, f: fixed(free), l: fixed(locked) };
        });
        this.subscriptions.toUser(event.account, { e: 'outboundAccountPosition', E: event.time, u: event.time, B: balances }, false);
      }
    }
  }
}
