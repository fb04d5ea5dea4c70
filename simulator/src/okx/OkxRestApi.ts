import { EngineRejection } from '../engine/EngineRejection.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { Execution, Order, OrderRequest } from '../engine/types.ts';
import { header } from '../requestParsing.ts';
import { SentLevels } from '../SentLevels.ts';
import type { VenueRequest, VenueResponse } from '../VenueTransport.ts';
import type { OkxAuth } from './OkxAuth.ts';
import { OkxError, okxErrorFor, parameterError, type OrderAction } from './OkxError.ts';
import { okxBalanceDetail, okxCurrency, okxFill, okxInstrument, okxLevels, okxOrder } from './okxFormat.ts';
import { decimal, integer, newOrder, optionalText, orderRef, parseBody, spotOnly, symbolOf, text, type OkxParams } from './okxParams.ts';

const PREFIX = '/api/v5';
/** The derivative instrument types ccxt asks for at load; this spot venue lists none of them. */
const OTHER_INST_TYPES = ['MARGIN', 'SWAP', 'FUTURES', 'OPTION'];
const MAX_BATCH = 20;

/** OKX v5's envelope around a result. */
const okxBody = (data: unknown[], code = '0', msg = '') => ({ code, msg, data });

/**
 * OKX v5 REST (spot, cash mode) over the matching engine: public instruments, book and time;
 * signed trading (place, batch place, amend, cancel), order queries, fills and balances.
 * https://www.okx.com/docs-v5/en/#order-book-trading-trade
 */
export class OkxRestApi {
  constructor(
    private readonly engine: MatchingEngine,
    private readonly auth: OkxAuth,
  ) {}

  handle(request: VenueRequest): VenueResponse {
    const orderAck = request.method === 'POST' && (request.path === `${PREFIX}/trade/order` || request.path === `${PREFIX}/trade/batch-orders`);
    try {
      return { status: 200, body: this.route(request), orderAck };
    } catch (error) {
      if (error instanceof OkxError) return { status: error.status, body: error.body, orderAck };
      throw error;
    }
  }

  private route(request: VenueRequest): unknown {
    const route = `${request.method} ${request.path.startsWith(PREFIX) ? request.path.slice(PREFIX.length) : request.path}`;
    if (request.method === 'POST') return this.post(route, request);
    const params: OkxParams = Object.fromEntries(new URLSearchParams(request.query));
    const signed = () => this.signed(request, '');
    switch (route) {
      case 'GET /public/time':
        return okxBody([{ ts: String(this.engine.now()) }]);
      case 'GET /public/instruments':
        return okxBody(this.instruments(params));
      case 'GET /market/books':
        return okxBody([this.books(params)]);
      case 'GET /asset/currencies': {
        signed();
        const assets = new Set(this.engine.markets().flatMap((m) => [m.baseAsset, m.quoteAsset]));
        return okxBody([...assets].map(okxCurrency));
      }
      case 'GET /account/balance': {
        const account = signed();
        const wanted = optionalText(params, 'ccy')?.split(',');
        const details = [...this.engine.balances.of(account)].filter(([ccy]) => !wanted || wanted.includes(ccy)).map(([ccy, balance]) => okxBalanceDetail(ccy, balance, this.engine.now()));
        return okxBody([{ adjEq: '', borrowFroz: '', imr: '', isoEq: '0', mgnRatio: '', mmr: '', notionalUsd: '', ordFroz: '', totalEq: '', upl: '', uTime: String(this.engine.now()), details }]);
      }
      case 'GET /trade/order':
        return okxBody([this.order(params, signed())]);
      case 'GET /trade/orders-pending':
        return okxBody(this.orders(params, signed(), 'open'));
      case 'GET /trade/orders-history':
      case 'GET /trade/orders-history-archive':
        return okxBody(this.orders(params, signed(), 'closed'));
      case 'GET /trade/fills':
      case 'GET /trade/fills-history':
        return okxBody(this.fills(params, signed(), route.endsWith('history')));
      default:
        throw new OkxError('50115', `Invalid request method or path: ${route}.`, 404);
    }
  }

  private post(route: string, request: VenueRequest): unknown {
    const one = () => {
      const body = parseBody(request.body);
      if (Array.isArray(body)) throw new OkxError('50002', 'Json data format error: one order object expected.');
      return [body];
    };
    const batch = () => {
      const body = parseBody(request.body);
      const entries = Array.isArray(body) ? body : [body];
      if (entries.length > MAX_BATCH) throw new OkxError('51000', `Parameter error: at most ${MAX_BATCH} orders in a batch`);
      return entries;
    };
    switch (route) {
      case 'POST /trade/order':
        return this.perOrder(one(), this.signed(request, request.body), 'place', (params, account) => this.place(params, account));
      case 'POST /trade/batch-orders':
        return this.perOrder(batch(), this.signed(request, request.body), 'place', (params, account) => this.place(params, account));
      case 'POST /trade/cancel-order':
        return this.perOrder(one(), this.signed(request, request.body), 'cancel', (params, account) => this.engine.cancel(account, symbolOf(this.engine, text(params, 'instId')), orderRef(params)));
      case 'POST /trade/amend-order':
        return this.perOrder(one(), this.signed(request, request.body), 'amend', (params, account) => this.amend(params, account));
      default:
        throw new OkxError('50115', `Invalid request method or path: ${route}.`, 404);
    }
  }

  /** The account of a signed request; the signed text is the path with its query (GET) or the body (POST). */
  private signed(request: VenueRequest, body: string): string {
    const credentials = {
      key: header(request, 'ok-access-key'),
      sign: header(request, 'ok-access-sign'),
      timestamp: header(request, 'ok-access-timestamp'),
      passphrase: header(request, 'ok-access-passphrase'),
    };
    const requestPath = request.query === '' ? request.path : `${request.path}?${request.query}`;
    return this.auth.rest(credentials, request.method, requestPath, body).name;
  }

  /**
   * Place, cancel and amend answer each order in its own `data` entry (`sCode` 0 or the refusal);
   * the request's `code` is 0 when all succeeded, 1 when all failed, 2 when some did.
   */
  private perOrder(entries: OkxParams[], account: string, action: OrderAction, work: (params: OkxParams, account: string) => Order) {
    const data = entries.map((params) => {
      const ts = String(this.engine.now());
      try {
        const order = work(params, account);
        return { ordId: String(order.orderId), clOrdId: order.clientOrderId, tag: '', ts, reqId: '', sCode: '0', sMsg: action === 'place' ? 'Order placed' : '' };
      } catch (error) {
        const refusal = this.asOkx(error, action);
        return { ordId: optionalString(params.ordId), clOrdId: optionalString(params.clOrdId), tag: '', ts, reqId: '', sCode: refusal.code, sMsg: refusal.message };
      }
    });
    const failed = data.filter((entry) => entry.sCode !== '0').length;
    if (failed === 0) return okxBody(data);
    return failed === data.length ? okxBody(data, '1', 'All operations failed') : okxBody(data, '2', 'Bulk operation partially succeeded');
  }

  private asOkx(error: unknown, action: OrderAction, request?: OrderRequest): OkxError {
    if (error instanceof OkxError) return error;
    if (!(error instanceof EngineRejection)) throw error;
    const rules = request ? this.engine.markets().find((market) => market.symbol === request.symbol) : undefined;
    return okxErrorFor(error, action, rules, request);
  }

  private place(params: OkxParams, account: string): Order {
    const request = newOrder(this.engine, params, account);
    try {
      return this.engine.place(request);
    } catch (error) {
      throw this.asOkx(error, 'place', request);
    }
  }

  /** In place, the order id kept; see MatchingEngine.amend for queue priority. */
  private amend(params: OkxParams, account: string): Order {
    const symbol = symbolOf(this.engine, text(params, 'instId'));
    const amendment = {
      ...(params.newSz === undefined ? {} : { quantity: decimal(params, 'newSz') }),
      ...(params.newPx === undefined ? {} : { price: decimal(params, 'newPx') }),
    };
    if (!amendment.quantity && !amendment.price) throw new OkxError('51000', 'Parameter newSz or newPx error: one is required');
    return this.engine.amend(account, symbol, orderRef(params), amendment);
  }

  private instruments(params: OkxParams) {
    const instType = text(params, 'instType');
    if (OTHER_INST_TYPES.includes(instType)) return [];
    if (instType !== 'SPOT') throw parameterError('instType');
    const instId = optionalText(params, 'instId');
    const markets = instId === undefined ? this.engine.markets() : [this.engine.market(symbolOf(this.engine, instId))];
    return markets.map(okxInstrument);
  }

  private books(params: OkxParams) {
    const symbol = symbolOf(this.engine, text(params, 'instId'));
    // What a new book subscription would be sent first: the top `sz` levels as they stand.
    const { top } = new SentLevels(this.engine, symbol, integer(params, 'sz', 1, 1, 400)).next();
    return { asks: okxLevels(top.asks), bids: okxLevels(top.bids), ts: String(this.engine.now()) };
  }

  private order(params: OkxParams, account: string) {
    const symbol = symbolOf(this.engine, text(params, 'instId'));
    try {
      return this.formatted(account, symbol, [this.engine.order(account, symbol, orderRef(params))])[0];
    } catch (error) {
      throw this.asOkx(error, 'query');
    }
  }

  /** Open orders (orders-pending) or finished ones (orders-history), newest first. */
  private orders(params: OkxParams, account: string, kind: 'open' | 'closed') {
    // The pending list takes any instType; the history needs one (SPOT is all this venue lists).
    spotOnly(params, kind === 'closed');
    const instId = optionalText(params, 'instId');
    const symbol = instId === undefined ? undefined : symbolOf(this.engine, instId);
    const list = kind === 'open' ? this.engine.openOrders(account, symbol) : this.engine.closedOrders(account, symbol);
    const wantedType = optionalText(params, 'ordType');
    const wantedState = optionalText(params, 'state');
    const rows = this.formatted(account, symbol, list.reverse()).filter((row) => (!wantedType || row.ordType === wantedType) && (!wantedState || row.state === wantedState));
    return page(rows, params, (row) => Number(row.ordId), (row) => Number(row.cTime));
  }

  /** The account's fills, newest first; by order with `ordId`. `fills-history` needs the instType. */
  private fills(params: OkxParams, account: string, history: boolean) {
    spotOnly(params, history);
    const instId = optionalText(params, 'instId');
    const markets = instId === undefined ? this.engine.markets() : [this.engine.market(symbolOf(this.engine, instId))];
    const ordId = optionalText(params, 'ordId');
    const rows = markets
      .flatMap((rules) => this.engine.ownExecutions(account, rules.symbol).map((execution) => ({ rules, execution })))
      .filter(({ execution }) => ordId === undefined || String(execution.orderId) === ordId)
      .sort((a, b) => b.execution.trade.tradeId - a.execution.trade.tradeId)
      .map(({ rules, execution }) => okxFill(rules, execution, this.engine.order(account, rules.symbol, { orderId: execution.orderId })));
    return page(rows, params, (row) => Number(row.billId), (row) => Number(row.ts));
  }

  /** Orders in OKX's shape, each with its latest fill. */
  private formatted(account: string, symbol: string | undefined, orders: Order[]) {
    const latest = new Map<number, Execution>();
    for (const rules of this.engine.markets()) {
      if (symbol !== undefined && rules.symbol !== symbol) continue;
      for (const execution of this.engine.ownExecutions(account, rules.symbol)) latest.set(execution.orderId, execution);
    }
    return orders.map((order) => okxOrder(this.engine.market(order.symbol), order, latest.get(order.orderId)));
  }
}

/**
 * One page of a newest-first list, OKX style: rows with an id below `after` or above `before`,
 * made within `begin`..`end` (ms), at most `limit` (1-100, default 100).
 * https://www.okx.com/docs-v5/en/#order-book-trading-trade-get-order-list
 */
function page<T>(newestFirst: T[], params: OkxParams, idOf: (row: T) => number, timeOf: (row: T) => number): T[] {
  const limit = integer(params, 'limit', 100, 1, 100);
  const bound = (name: string) => (optionalText(params, name) === undefined ? undefined : integer(params, name, 0, 0, Number.MAX_SAFE_INTEGER));
  const [after, before, begin, end] = ['after', 'before', 'begin', 'end'].map(bound);
  return newestFirst
    .filter((row) => (after === undefined || idOf(row) < after) && (before === undefined || idOf(row) > before))
    .filter((row) => (begin === undefined || timeOf(row) >= begin) && (end === undefined || timeOf(row) <= end))
    .slice(0, limit);
}

const optionalString = (value: unknown) => (typeof value === 'string' ? value : '');
