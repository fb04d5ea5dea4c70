import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { EngineEvent, Execution, Order } from '../engine/types.ts';
import { header } from '../requestParsing.ts';
import type { VenueRequest, VenueResponse } from '../VenueTransport.ts';
import type { BinanceAuth } from './BinanceAuth.ts';
import { signedPayload } from './BinanceAuth.ts';
import { asBinance, binanceAnswer, BinanceError } from './BinanceError.ts';
import { binanceCancelResponse, binanceMyTrade, binanceNewOrderResponse, binanceOrder, binanceSymbol, fixed } from './binanceFormat.ts';
import { binanceParams, integerParam, newOrder, orderRef, required } from './binanceParams.ts';
import { ListenKeys } from './ListenKeys.ts';

/**
 * Binance spot REST `/api/v3` over the matching engine: market data, signed trading and account
 * endpoints, and the listenKey user-data-stream endpoints.
 * https://developers.binance.com/docs/binance-spot-api-docs/rest-api
 */
export class BinanceRestApi {
  /** The events of the operation just done, to answer with this request's fills. */
  private lastEvents: EngineEvent[] = [];
  readonly listenKeys = new ListenKeys();

  constructor(
    private readonly engine: MatchingEngine,
    private readonly auth: BinanceAuth,
  ) {
    engine.onEvents((events) => (this.lastEvents = events));
  }

  handle(request: VenueRequest): VenueResponse {
    return binanceAnswer(() => this.route(request));
  }

  private route(request: VenueRequest): VenueResponse {
    const params = binanceParams(request);
    const route = `${request.method} ${request.path}`;
    const signed = () => this.auth.signed(header(request, 'x-mbx-apikey'), params, signedPayload(request.query, request.body)).name;
    const ok = (body: unknown, orderAck = false): VenueResponse => ({ status: 200, body, orderAck });
    switch (route) {
      case 'GET /api/v3/ping':
        return ok({});
      case 'GET /api/v3/time':
        return ok({ serverTime: this.engine.now() });
      case 'GET /api/v3/exchangeInfo':
        return ok(this.exchangeInfo(params));
      case 'GET /api/v3/depth':
        return ok(this.depth(params));
      case 'POST /api/v3/order':
        return ok(this.placeOrder(params, signed()), true);
      case 'GET /api/v3/order':
        return ok(binanceOrder(asBinance('query', () => this.engine.order(signed(), required(params, 'symbol'), orderRef(params)))));
      case 'DELETE /api/v3/order':
        return ok(this.cancelOrder(params, signed()));
      case 'POST /api/v3/order/cancelReplace':
        return this.cancelReplace(params, signed());
      case 'GET /api/v3/openOrders': {
        const account = signed();
        const symbol = params.get('symbol') ?? undefined;
        if (symbol) asBinance('query', () => this.engine.market(symbol));
        return ok(this.engine.openOrders(account, symbol).map(binanceOrder));
      }
      case 'DELETE /api/v3/openOrders': {
        const account = signed();
        const symbol = required(params, 'symbol');
        const open = asBinance('cancel', () => this.engine.openOrders(account, symbol));
        return ok(open.map((order) => binanceCancelResponse(this.engine.cancel(account, symbol, { orderId: order.orderId }), null)));
      }
      case 'GET /api/v3/allOrders':
        return ok(this.allOrders(params, signed()));
      case 'GET /api/v3/myTrades':
        return ok(this.myTrades(params, signed()));
      case 'GET /api/v3/account':
        return ok(this.account(signed()));
      case 'POST /api/v3/userDataStream': {
        const account = this.auth.keyed(header(request, 'x-mbx-apikey')).name;
        return ok({ listenKey: this.listenKeys.create(account) });
      }
      case 'PUT /api/v3/userDataStream':
      case 'DELETE /api/v3/userDataStream': {
        this.auth.keyed(header(request, 'x-mbx-apikey'));
        const listenKey = required(params, 'listenKey');
        if (request.method === 'DELETE') this.listenKeys.close(listenKey);
        else this.listenKeys.check(listenKey);
        return ok({});
      }
      default:
        return { status: 404, body: { code: -1000, msg: `Unknown endpoint ${route}.` } };
    }
  }

  private exchangeInfo(params: URLSearchParams) {
    const wanted = params.get('symbol') ? [params.get('symbol')!] : params.get('symbols') ? (parseSymbols(params.get('symbols')!)) : undefined;
    const markets = wanted ? wanted.map((symbol) => asBinance('query', () => this.engine.market(symbol))) : this.engine.markets();
    return {
      timezone: 'UTC',
      serverTime: this.engine.now(),
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      ],
      exchangeFilters: [],
      symbols: markets.map(binanceSymbol),
    };
  }

  private depth(params: URLSearchParams) {
    const symbol = required(params, 'symbol');
    // Binance takes any limit from 1 and truncates the answer at 5000 levels.
    const limit = Math.min(integerParam(params, 'limit', 100), 5000);
    if (limit < 1) throw new BinanceError(400, -1100, "Illegal characters found in parameter 'limit'; legal range is '1-5000'.");
    const book = asBinance('query', () => this.engine.depth(symbol, limit));
    const side = (levels: typeof book.bids) => levels.map((level) => [fixed(level.price), fixed(level.total)]);
    return { lastUpdateId: book.updateId, bids: side(book.bids), asks: side(book.asks) };
  }

  private placeOrder(params: URLSearchParams, account: string) {
    const request = newOrder(params, account);
    const order = asBinance('new', () => this.engine.place(request));
    const responseType = params.get('newOrderRespType') ?? 'FULL';
    if (responseType === 'ACK') {
      return { symbol: order.symbol, orderId: order.orderId, orderListId: -1, clientOrderId: order.clientOrderId, transactTime: order.createdAt };
    }
    const full = binanceNewOrderResponse(order, this.fillsOf(order));
    return responseType === 'RESULT' ? { ...full, fills: undefined } : full;
  }

  private cancelOrder(params: URLSearchParams, account: string) {
    const symbol = required(params, 'symbol');
    const order = asBinance('cancel', () => this.engine.cancel(account, symbol, orderRef(params)));
    return binanceCancelResponse(order, params.get('newClientOrderId'));
  }

  /**
   * `order.cancelReplace` with cancelReplaceMode STOP_ON_FAILURE: cancel, then place anew (a new
   * order id, so the queue position is lost), as Binance does; this is what ccxt's editOrder calls.
   * https://developers.binance.com/docs/binance-spot-api-docs/rest-api/trading-endpoints#cancel-an-existing-order-and-send-a-new-order-trade
   */
  private cancelReplace(params: URLSearchParams, account: string): VenueResponse {
    const symbol = required(params, 'symbol');
    required(params, 'cancelReplaceMode');
    const request = newOrder(params, account);
    const ref = orderRef(params, 'cancelOrderId', 'cancelOrigClientOrderId');
    let cancelled: Order;
    try {
      cancelled = asBinance('cancel', () => this.engine.cancel(account, symbol, ref));
    } catch (error) {
      if (!(error instanceof BinanceError)) throw error;
      const data = { cancelResult: 'FAILURE', newOrderResult: 'NOT_ATTEMPTED', cancelResponse: error.body, newOrderResponse: null };
      return { status: 400, body: { code: -2022, msg: 'Order cancel-replace failed.', data } };
    }
    const cancelResponseBody = binanceCancelResponse(cancelled, params.get('cancelNewClientOrderId'));
    try {
      const placed = asBinance('new', () => this.engine.place(request));
      const newOrderResponse = binanceNewOrderResponse(placed, this.fillsOf(placed));
      return { status: 200, body: { cancelResult: 'SUCCESS', newOrderResult: 'SUCCESS', cancelResponse: cancelResponseBody, newOrderResponse } };
    } catch (error) {
      if (!(error instanceof BinanceError)) throw error;
      const data = { cancelResult: 'SUCCESS', newOrderResult: 'FAILURE', cancelResponse: cancelResponseBody, newOrderResponse: error.body };
      return { status: 409, body: { code: -2021, msg: 'Order cancel-replace partially failed.', data } };
    }
  }

  private myTrades(params: URLSearchParams, account: string) {
    const symbol = required(params, 'symbol');
    asBinance('query', () => this.engine.market(symbol));
    const limit = Math.min(integerParam(params, 'limit', 500), 1000);
    const fromId = integerParam(params, 'fromId', 0);
    const orderId = params.get('orderId') ? integerParam(params, 'orderId') : undefined;
    const startTime = integerParam(params, 'startTime', 0);
    return this.engine
      .ownExecutions(account, symbol)
      .filter((e) => e.trade.tradeId >= fromId && e.trade.time >= startTime && (orderId === undefined || e.orderId === orderId))
      .slice(0, limit)
      .map(binanceMyTrade);
  }

  /**
   * The account's complete order history for a symbol, oldest first: from `orderId` on when given,
   * else the most recent `limit` (default 500, at most 1000), within startTime/endTime.
   * https://developers.binance.com/docs/binance-spot-api-docs/rest-api/account-endpoints#all-orders-user_data
   */
  private allOrders(params: URLSearchParams, account: string) {
    const symbol = required(params, 'symbol');
    asBinance('query', () => this.engine.market(symbol));
    const limit = Math.min(integerParam(params, 'limit', 500), 1000);
    const fromId = params.get('orderId') ? integerParam(params, 'orderId') : undefined;
    const startTime = integerParam(params, 'startTime', 0);
    const endTime = integerParam(params, 'endTime', Number.MAX_SAFE_INTEGER);
    const orders = this.engine
      .allOrders(account, symbol)
      .filter((o) => (fromId === undefined || o.orderId >= fromId) && o.createdAt >= startTime && o.createdAt <= endTime);
    return (fromId === undefined ? orders.slice(-limit) : orders.slice(0, limit)).map(binanceOrder);
  }

  private account(account: string) {
    const { maker, taker } = this.engine.fees;
    return {
      makerCommission: maker.times(10_000).toNumber(),
      takerCommission: taker.times(10_000).toNumber(),
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: fixed(maker), taker: fixed(taker), buyer: fixed(maker.minus(maker)), seller: fixed(maker.minus(maker)) },
      canTrade: true,
      canWithdraw: false,
      canDeposit: false,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: this.engine.now(),
      accountType: 'SPOT',
      balances: [...this.engine.balances.of(account)].map(([asset, { free, locked }]) => ({ asset, free: fixed(free), locked: fixed(locked) })),
      permissions: ['SPOT'],
      uid: 0,
    };
  }

  private fillsOf(order: Order): Execution[] {
    return this.lastEvents.flatMap((event) => (event.kind === 'order' && event.order.orderId === order.orderId && event.fill ? [event.fill] : []));
  }
}

/** `symbols=["BTCUSDT","ETHUSDT"]`, as Binance takes it. */
function parseSymbols(raw: string): string[] {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) return parsed;
  } catch {
    // fall through to Binance's error
  }
  throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'.");
}
