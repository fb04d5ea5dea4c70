import { EngineRejection } from '../engine/EngineRejection.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { OrderRequest } from '../engine/types.ts';
import { header } from '../requestParsing.ts';
import type { VenueRequest, VenueResponse } from '../VenueTransport.ts';
import type { BybitAuth } from './BybitAuth.ts';
import { BybitError, bybitErrorFor, paramsError } from './BybitError.ts';
import { bybitCoin, bybitExecution, bybitInstrument, bybitOrder, levels } from './bybitFormat.ts';
import { decimal, optionalText, orderRef, parseBody, spotCategory, text, newOrder, type BybitParams } from './bybitParams.ts';

/** Bybit v5's envelope around a result. */
export function envelope(retCode: number, retMsg: string, result: unknown, time: number): VenueResponse {
  return { status: 200, body: { retCode, retMsg, result, retExtInfo: {}, time } };
}

/**
 * Bybit v5 REST (spot, unified account) over the matching engine.
 * https://bybit-exchange.github.io/docs/v5/intro
 */
export class BybitRestApi {
  constructor(
    private readonly engine: MatchingEngine,
    private readonly auth: BybitAuth,
  ) {}

  handle(request: VenueRequest): VenueResponse {
    const orderAck = request.path === '/v5/order/create';
    try {
      return { ...envelope(0, 'OK', this.route(request), this.engine.now()), orderAck };
    } catch (error) {
      if (error instanceof BybitError) return { ...envelope(error.retCode, error.message, {}, this.engine.now()), orderAck };
      throw error;
    }
  }

  private route(request: VenueRequest): unknown {
    const isPost = request.method === 'POST';
    const params: BybitParams = isPost ? parseBody(request.body) : Object.fromEntries(new URLSearchParams(request.query));
    const signed = () =>
      this.auth.rest(
        {
          key: header(request, 'x-bapi-api-key'),
          timestamp: header(request, 'x-bapi-timestamp'),
          recvWindow: header(request, 'x-bapi-recv-window'),
          sign: header(request, 'x-bapi-sign'),
        },
        isPost ? request.body : request.query,
      ).name;
    switch (`${request.method} ${request.path}`) {
      case 'GET /v5/market/time': {
        const now = this.engine.now();
        return { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` };
      }
      case 'GET /v5/market/instruments-info':
        spotCategory(params);
        return { category: 'spot', nextPageCursor: '', list: this.markets(optionalText(params, 'symbol')).map(bybitInstrument) };
      case 'GET /v5/market/orderbook':
        return this.orderbook(params);
      case 'POST /v5/order/create':
        return this.create(params, signed());
      case 'POST /v5/order/amend':
        return this.amend(params, signed());
      case 'POST /v5/order/cancel': {
        const account = signed();
        spotCategory(params);
        const order = this.asBybit(() => this.engine.cancel(account, text(params, 'symbol'), orderRef(params)));
        return { orderId: String(order.orderId), orderLinkId: order.clientOrderId };
      }
      case 'POST /v5/order/cancel-all': {
        const account = signed();
        spotCategory(params);
        const symbol = text(params, 'symbol');
        const cancelled = this.asBybit(() => this.engine.openOrders(account, symbol).map((o) => this.engine.cancel(account, symbol, { orderId: o.orderId })));
        return { list: cancelled.map((o) => ({ orderId: String(o.orderId), orderLinkId: o.clientOrderId })), success: '1' };
      }
      case 'GET /v5/order/realtime':
        return this.orders(params, signed(), 'open');
      case 'GET /v5/order/history':
        return this.orders(params, signed(), 'closed');
      case 'GET /v5/execution/list':
        return this.executions(params, signed());
      case 'GET /v5/asset/coin/query-info':
        signed();
        return { rows: this.coins().map((coin) => ({ name: coin, coin, remainAmount: '100000000', chains: [] })) };
      case 'GET /v5/account/wallet-balance':
        return this.wallet(params, signed());
      default:
        throw new BybitError(10001, `params error: unknown endpoint ${request.method} ${request.path}`);
    }
  }

  private asBybit<T>(work: () => T, request?: OrderRequest): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof EngineRejection) {
        const rules = request ? this.engine.markets().find((m) => m.symbol === request.symbol) : undefined;
        throw bybitErrorFor(error, rules, request);
      }
      throw error;
    }
  }

  private markets(symbol: string | undefined) {
    return symbol === undefined ? this.engine.markets() : [this.asBybit(() => this.engine.market(symbol))];
  }

  private coins(): string[] {
    return [...new Set(this.engine.markets().flatMap((m) => [m.baseAsset, m.quoteAsset]))];
  }

  private orderbook(params: BybitParams) {
    spotCategory(params);
    const symbol = text(params, 'symbol');
    const limit = params.limit === undefined ? 1 : Number(params.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw paramsError('limit must be 1-200 for spot');
    const book = this.asBybit(() => this.engine.depth(symbol, limit));
    const now = this.engine.now();
    return { s: symbol, b: levels(book.bids), a: levels(book.asks), ts: now, u: book.updateId, seq: book.updateId, cts: now };
  }

  private create(params: BybitParams, account: string) {
    const request = newOrder(params, account);
    const order = this.asBybit(() => this.engine.place(request), request);
    return { orderId: String(order.orderId), orderLinkId: order.clientOrderId };
  }

  /** In place, the order id kept; see MatchingEngine.amend for queue priority. */
  private amend(params: BybitParams, account: string) {
    spotCategory(params);
    const symbol = text(params, 'symbol');
    const amendment = {
      ...(params.qty === undefined ? {} : { quantity: decimal(params, 'qty') }),
      ...(params.price === undefined ? {} : { price: decimal(params, 'price') }),
    };
    if (!amendment.quantity && !amendment.price) throw paramsError('qty or price is required');
    const order = this.asBybit(() => this.engine.amend(account, symbol, orderRef(params), amendment));
    return { orderId: String(order.orderId), orderLinkId: order.clientOrderId };
  }

  /** Open orders (realtime) or finished ones (history); by id or link id, either kind is found. */
  private orders(params: BybitParams, account: string, kind: 'open' | 'closed') {
    spotCategory(params);
    const symbol = optionalText(params, 'symbol');
    if (symbol !== undefined) this.asBybit(() => this.engine.market(symbol));
    if (params.orderId !== undefined || params.orderLinkId !== undefined) {
      if (symbol === undefined) throw paramsError('symbol is required with orderId or orderLinkId');
      try {
        return { category: 'spot', nextPageCursor: '', list: [bybitOrder(this.engine.order(account, symbol, orderRef(params)))] };
      } catch (error) {
        if (error instanceof EngineRejection) return { category: 'spot', nextPageCursor: '', list: [] };
        throw error;
      }
    }
    const list = kind === 'open' ? this.engine.openOrders(account, symbol) : this.engine.closedOrders(account, symbol);
    const page = pageOf(list.reverse(), params, (order) => order.orderId);
    return { category: 'spot', nextPageCursor: page.next, list: page.list.map(bybitOrder) };
  }

  private executions(params: BybitParams, account: string) {
    spotCategory(params);
    const symbol = text(params, 'symbol');
    this.asBybit(() => this.engine.market(symbol));
    const page = pageOf(this.engine.ownExecutions(account, symbol).reverse(), params, (execution) => execution.trade.tradeId);
    const list = page.list.map((execution) => {
      const order = this.engine.order(account, symbol, { orderId: execution.orderId });
      return bybitExecution(execution, order, execution.isMaker ? this.engine.fees.maker : this.engine.fees.taker);
    });
    return { category: 'spot', nextPageCursor: page.next, list };
  }

  private wallet(params: BybitParams, account: string) {
    if (params.accountType !== 'UNIFIED') throw paramsError('accountType only supports UNIFIED');
    const coins = [...this.engine.balances.of(account)].map(([coin, balance]) => bybitCoin(coin, balance));
    return { list: [{ accountType: 'UNIFIED', totalEquity: '', totalWalletBalance: '', totalMarginBalance: '', totalAvailableBalance: '', totalPerpUPL: '0', totalInitialMargin: '0', totalMaintenanceMargin: '0', accountIMRate: '0', accountMMRate: '0', accountLTV: '0', coin: coins }] };
  }
}

/**
 * One page of a newest-first list, Bybit style: `limit` rows (1-50; 50 when absent, more than
 * Bybit's 20 so that one page usually holds a test's history) after the row the `cursor` names,
 * and the cursor of the next page, empty on the last one. The cursor is the id of the last row
 * sent, which stays valid while new rows arrive at the head.
 * https://bybit-exchange.github.io/docs/v5/order/order-list
 */
function pageOf<T>(newestFirst: readonly T[], params: BybitParams, idOf: (row: T) => number): { list: T[]; next: string } {
  const limit = params.limit === undefined ? 50 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw paramsError('limit must be 1-50');
  const cursor = optionalText(params, 'cursor');
  if (cursor !== undefined && !/^\d+$/.test(cursor)) throw paramsError('cursor is invalid');
  const start = cursor === undefined ? 0 : newestFirst.findIndex((row) => idOf(row) < Number(cursor));
  const list = start < 0 ? [] : newestFirst.slice(start, start + limit);
  const more = start >= 0 && start + limit < newestFirst.length;
  return { list, next: more ? String(idOf(list.at(-1)!)) : '' };
}
