import { Decimal } from '@crossvenue/schemas';
import type { BinanceAuth } from '../binance/BinanceAuth.ts';
import { signedPayload } from '../binance/BinanceAuth.ts';
import { asBinance, binanceAnswer, BinanceError, type BinanceAction } from '../binance/BinanceError.ts';
import { binanceParams, integerParam, orderRef, required } from '../binance/binanceParams.ts';
import type { ListenKeys } from '../binance/ListenKeys.ts';
import { MAINTENANCE_MARGIN_RATE } from '../engine/MarginRisk.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import { INTEREST_RATE } from '../engine/FundingRates.ts';
import type { Perpetuals } from '../engine/Perpetuals.ts';
import type { MarginType } from '../engine/PositionBook.ts';
import { header } from '../requestParsing.ts';
import type { VenueRequest, VenueResponse } from '../VenueTransport.ts';
import { usdmRejections } from './usdmErrors.ts';
import {
  MAX_NOTIONAL,
  text,
  usdmAccount,
  usdmBalance,
  usdmFundingRate,
  usdmIncome,
  usdmLeverageBracket,
  usdmOrder,
  usdmOrderResult,
  usdmPositionRiskV2,
  usdmPositionRiskV3,
  usdmSymbol,
  usdmTrade,
} from './usdmFormat.ts';
import { usdmNewOrder } from './usdmParams.ts';

const INCOME_TYPES = ['FUNDING_FEE', 'REALIZED_PNL', 'COMMISSION'];
const NOTHING = new Decimal(0);

/**
 * Binance USD-M futures REST under `/fapi` over the perpetual engine: market data, premium index
 * and funding history, signed trading, leverage and margin type, account, balance, positions and
 * income, and the listenKey endpoints.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info
 */
export class UsdmRestApi {
  constructor(
    private readonly engine: MatchingEngine,
    private readonly perpetuals: Perpetuals,
    private readonly auth: BinanceAuth,
    private readonly listenKeys: ListenKeys,
  ) {}

  handle(request: VenueRequest): VenueResponse {
    return binanceAnswer(() => this.route(request));
  }

  private route(request: VenueRequest): VenueResponse {
    const params = binanceParams(request);
    const route = `${request.method} ${request.path}`;
    const signed = () => this.auth.signed(header(request, 'x-mbx-apikey'), params, signedPayload(request.query, request.body)).name;
    const keyed = () => this.auth.keyed(header(request, 'x-mbx-apikey')).name;
    const ok = (body: unknown, orderAck = false): VenueResponse => ({ status: 200, body, orderAck });
    switch (route) {
      case 'GET /fapi/v1/ping':
        return ok({});
      case 'GET /fapi/v1/time':
        return ok({ serverTime: this.engine.now() });
      case 'GET /fapi/v1/exchangeInfo':
        return ok(this.exchangeInfo());
      case 'GET /fapi/v1/depth':
        return ok(this.depth(params));
      case 'GET /fapi/v1/premiumIndex':
        return ok(this.premiumIndex(params));
      case 'GET /fapi/v1/fundingRate':
        return ok(this.fundingRates(params));
      case 'POST /fapi/v1/order':
        return ok(this.placeOrder(params, signed()), true);
      case 'GET /fapi/v1/order':
        return ok(usdmOrder(this.work('query', () => this.engine.order(signed(), required(params, 'symbol'), orderRef(params))), this.perpetuals));
      case 'DELETE /fapi/v1/order': {
        const account = signed();
        const order = this.work('cancel', () => this.engine.cancel(account, required(params, 'symbol'), orderRef(params)));
        return ok(usdmOrderResult(order, this.perpetuals));
      }
      case 'DELETE /fapi/v1/allOpenOrders': {
        const account = signed();
        const symbol = required(params, 'symbol');
        for (const order of this.work('cancel', () => this.engine.openOrders(account, symbol))) this.engine.cancel(account, symbol, { orderId: order.orderId });
        return ok({ code: 200, msg: 'The operation of cancel all open order is done.' });
      }
      case 'GET /fapi/v1/openOrders': {
        const account = signed();
        const symbol = params.get('symbol') ?? undefined;
        if (symbol) this.market(symbol);
        return ok(this.engine.openOrders(account, symbol).map((order) => usdmOrder(order, this.perpetuals)));
      }
      case 'GET /fapi/v1/allOrders':
        return ok(this.allOrders(params, signed()));
      case 'GET /fapi/v1/userTrades':
        return ok(this.userTrades(params, signed()));
      case 'POST /fapi/v1/leverage':
        return ok(this.setLeverage(params, signed()));
      case 'POST /fapi/v1/marginType':
        return ok(this.setMarginType(params, signed()));
      case 'GET /fapi/v1/leverageBracket': {
        signed();
        const symbols = params.get('symbol') ? [this.market(params.get('symbol')!).symbol] : this.engine.markets().map((rules) => rules.symbol);
        return ok(symbols.map((symbol) => usdmLeverageBracket(symbol, MAINTENANCE_MARGIN_RATE)));
      }
      case 'GET /fapi/v1/income':
        return ok(this.income(params, signed()));
      case 'GET /fapi/v2/account':
      case 'GET /fapi/v3/account':
        return ok(usdmAccount(this.perpetuals.risk(signed()), this.perpetuals.marginAsset, this.engine.now(), request.path.includes('/v2/') ? 2 : 3));
      case 'GET /fapi/v2/balance':
      case 'GET /fapi/v3/balance':
        return ok(usdmBalance(this.perpetuals.risk(signed()), this.perpetuals.marginAsset, this.engine.now()));
      case 'GET /fapi/v2/positionRisk':
      case 'GET /fapi/v3/positionRisk':
        return ok(this.positionRisk(params, signed(), request.path.includes('/v2/') ? 2 : 3));
      case 'POST /fapi/v1/listenKey':
        return ok({ listenKey: this.listenKeys.forAccount(keyed()) });
      case 'PUT /fapi/v1/listenKey':
        return ok({ listenKey: this.listenKeys.forAccount(keyed()) });
      case 'DELETE /fapi/v1/listenKey': {
        const account = keyed();
        this.listenKeys.close(params.get('listenKey') ?? this.listenKeys.forAccount(account));
        return ok({});
      }
      default:
        return { status: 404, body: { code: -1000, msg: `Unknown endpoint ${route}.` } };
    }
  }

  private work<T>(action: BinanceAction, work: () => T): T {
    return asBinance(action, work, usdmRejections);
  }

  private market(symbol: string) {
    return this.work('query', () => this.engine.market(symbol));
  }

  private exchangeInfo() {
    return {
      timezone: 'UTC',
      serverTime: this.engine.now(),
      futuresType: 'U_MARGINED',
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
        { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
      ],
      exchangeFilters: [],
      assets: [{ asset: this.perpetuals.marginAsset, marginAvailable: true, autoAssetExchange: '-10000' }],
      symbols: this.engine.markets().map(usdmSymbol),
    };
  }

  private depth(params: URLSearchParams) {
    const symbol = required(params, 'symbol');
    // USD-M takes limits 5 to 1000; any value in between is answered with that many levels here.
    const limit = integerParam(params, 'limit', 500);
    if (limit < 1 || limit > 1000) throw new BinanceError(400, -1100, "Illegal characters found in parameter 'limit'; legal range is '5, 10, 20, 50, 100, 500, 1000'.");
    const book = this.work('query', () => this.engine.depth(symbol, limit));
    const side = (levels: typeof book.bids) => levels.map((level) => [text(level.price), text(level.total)]);
    const now = this.engine.now();
    return { lastUpdateId: book.updateId, E: now, T: now, bids: side(book.bids), asks: side(book.asks) };
  }

  private premiumIndex(params: URLSearchParams) {
    const entry = (symbol: string) => {
      const markPrice = text(this.perpetuals.markPrice(symbol));
      return {
        symbol,
        markPrice,
        // No separate index: the index price is the mark price, so the premium is the seeded or set rate's.
        indexPrice: markPrice,
        estimatedSettlePrice: markPrice,
        lastFundingRate: text(this.perpetuals.funding.rate(symbol)),
        interestRate: text(INTEREST_RATE),
        nextFundingTime: this.perpetuals.nextFundingTime,
        time: this.engine.now(),
      };
    };
    const symbol = params.get('symbol');
    return symbol ? entry(this.market(symbol).symbol) : this.engine.markets().map((rules) => entry(rules.symbol));
  }

  private fundingRates(params: URLSearchParams) {
    const symbol = params.get('symbol') ?? undefined;
    if (symbol) this.market(symbol);
    const startTime = integerParam(params, 'startTime', 0);
    const endTime = integerParam(params, 'endTime', Number.MAX_SAFE_INTEGER);
    const limit = Math.min(integerParam(params, 'limit', 100), 1000);
    const records = this.perpetuals.funding.history(symbol).filter((r) => r.fundingTime >= startTime && r.fundingTime <= endTime);
    return (params.has('startTime') ? records.slice(0, limit) : records.slice(-limit)).map(usdmFundingRate);
  }

  private placeOrder(params: URLSearchParams, account: string) {
    const { request, reduceOnly } = usdmNewOrder(params, account);
    const order = this.work('new', () => this.perpetuals.place(request, reduceOnly));
    if (params.get('newOrderRespType') === 'RESULT') return usdmOrderResult(order, this.perpetuals);
    // ACK, USD-M's default: the order as accepted, before matching.
    return usdmOrderResult({ ...order, status: 'NEW', executedQuantity: NOTHING, cumulativeQuote: NOTHING }, this.perpetuals);
  }

  private allOrders(params: URLSearchParams, account: string) {
    const symbol = this.market(required(params, 'symbol')).symbol;
    const limit = Math.min(integerParam(params, 'limit', 500), 1000);
    const fromId = params.get('orderId') ? integerParam(params, 'orderId') : undefined;
    const startTime = integerParam(params, 'startTime', 0);
    const endTime = integerParam(params, 'endTime', Number.MAX_SAFE_INTEGER);
    const orders = this.engine.allOrders(account, symbol).filter((o) => (fromId === undefined || o.orderId >= fromId) && o.createdAt >= startTime && o.createdAt <= endTime);
    return (fromId === undefined ? orders.slice(-limit) : orders.slice(0, limit)).map((order) => usdmOrder(order, this.perpetuals));
  }

  private userTrades(params: URLSearchParams, account: string) {
    const symbol = this.market(required(params, 'symbol')).symbol;
    const limit = Math.min(integerParam(params, 'limit', 500), 1000);
    const fromId = integerParam(params, 'fromId', 0);
    const orderId = params.get('orderId') ? integerParam(params, 'orderId') : undefined;
    const startTime = integerParam(params, 'startTime', 0);
    const endTime = integerParam(params, 'endTime', Number.MAX_SAFE_INTEGER);
    return this.engine
      .ownExecutions(account, symbol)
      .filter((e) => e.trade.tradeId >= fromId && e.trade.time >= startTime && e.trade.time <= endTime && (orderId === undefined || e.orderId === orderId))
      .slice(0, limit)
      .map((execution) => usdmTrade(execution, this.perpetuals));
  }

  private setLeverage(params: URLSearchParams, account: string) {
    const symbol = this.market(required(params, 'symbol')).symbol;
    const leverage = integerParam(params, 'leverage');
    this.work('new', () => this.perpetuals.positions.setLeverage(account, symbol, leverage));
    return { leverage, maxNotionalValue: MAX_NOTIONAL, symbol };
  }

  private setMarginType(params: URLSearchParams, account: string) {
    const symbol = this.market(required(params, 'symbol')).symbol;
    const marginType = required(params, 'marginType').toUpperCase();
    if (marginType !== 'ISOLATED' && marginType !== 'CROSSED') throw new BinanceError(400, -4044, 'The margin type is invalid.');
    this.work('new', () => this.perpetuals.positions.setMarginType(account, symbol, marginType as MarginType));
    return { code: 200, msg: 'success' };
  }

  /** v2 lists every symbol; v3 only those with a position or open orders, as Binance does. */
  private positionRisk(params: URLSearchParams, account: string, version: 2 | 3) {
    const symbol = params.get('symbol') ?? undefined;
    if (symbol) this.market(symbol);
    // Reading a position puts the symbol (flat, with its settings) among the account's: v2 lists them all.
    for (const rules of this.engine.markets()) this.perpetuals.positions.get(account, rules.symbol);
    const positions = this.perpetuals.risk(account).positions.filter((p) => symbol === undefined || p.symbol === symbol);
    if (version === 2) return positions.map(usdmPositionRiskV2);
    return positions
      .filter((p) => !p.position.amount.isZero() || p.openOrderInitialMargin.gt(0))
      .map((p) => usdmPositionRiskV3(p, this.perpetuals.marginAsset));
  }

  private income(params: URLSearchParams, account: string) {
    const symbol = params.get('symbol') ?? undefined;
    if (symbol) this.market(symbol);
    const incomeType = params.get('incomeType') ?? undefined;
    if (incomeType !== undefined && !INCOME_TYPES.includes(incomeType)) throw new BinanceError(400, -1100, "Illegal characters found in parameter 'incomeType'.");
    const startTime = integerParam(params, 'startTime', 0);
    const endTime = integerParam(params, 'endTime', Number.MAX_SAFE_INTEGER);
    const limit = Math.min(integerParam(params, 'limit', 100), 1000);
    const incomes = this.perpetuals
      .income(account)
      .filter((i) => (symbol === undefined || i.symbol === symbol) && (incomeType === undefined || i.incomeType === incomeType) && i.time >= startTime && i.time <= endTime);
    return (params.has('startTime') ? incomes.slice(0, limit) : incomes.slice(-limit)).map(usdmIncome);
  }
}
