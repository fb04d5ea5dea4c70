import { Decimal } from '@crossvenue/schemas';
import type { BookStream, DepthBatch } from '../BookStream.ts';
import { BinanceSubscriptions } from '../binance/BinanceSubscriptions.ts';
import type { ListenKeys } from '../binance/ListenKeys.ts';
import type { Faults } from '../Faults.ts';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { Income, Perpetuals } from '../engine/Perpetuals.ts';
import type { EngineEvent, Execution, Order } from '../engine/types.ts';
import type { StreamSocket } from '../StreamSocket.ts';
import { averagePrice, text, usdmTimeInForce, usdmType } from './usdmFormat.ts';

/** `/ws`, `/stream`, Binance's split `/public/…`, `/market/…` and `/private/…` endpoints, with a stream or listenKey in the path. */
const STREAM_PATH = /^(?:\/(?:public|market|private))?\/(ws|stream)(?:\/([^/]+))?$/;
/** Every depth-stream speed a client may ask for; the simulator sends each batch on all of them. */
const DEPTH_SPEEDS = ['', '@100ms', '@250ms', '@500ms'];
const EXECUTION_TYPES: Record<string, string> = { NEW: 'NEW', TRADE: 'TRADE', CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', REPLACED: 'AMENDMENT' };

/**
 * Binance USD-M WebSocket: the diff depth stream (`<symbol>@depth[@100ms|…]` with U, u and pu, the
 * previous event's u) and `<symbol>@trade` / `@aggTrade`, on `/ws`, `/stream` and the split
 * `/public/ws`, `/market/ws`; the user data stream for a listenKey (`/ws/<listenKey>` or
 * `/private/ws?listenKey=`): ORDER_TRADE_UPDATE for every order event (fills through the fill
 * faults; a liquidation's order with type LIQUIDATION) and ACCOUNT_UPDATE with the wallet and the
 * traded positions (reason ORDER) or after a funding payment (reason FUNDING_FEE).
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/user-data-streams
 */
export class UsdmStreams {
  private readonly subscriptions: BinanceSubscriptions;

  constructor(
    private readonly engine: MatchingEngine,
    private readonly perpetuals: Perpetuals,
    faults: Faults,
    private readonly listenKeys: ListenKeys,
    book: BookStream,
  ) {
    this.subscriptions = new BinanceSubscriptions(faults);
    book.subscribe((batch) => this.depth(batch));
    engine.onEvents((events) => this.dispatch(events));
    perpetuals.onFunding((payments) => this.funding(payments));
  }

  connect(socket: StreamSocket, path: string, query: URLSearchParams): boolean {
    const match = STREAM_PATH.exec(path);
    if (!match) return false;
    const [, kind, name] = match;
    const listenKey = query.get('listenKey') ?? name;
    const account = listenKey === undefined ? undefined : this.listenKeys.accountOf(listenKey);
    if (account) {
      this.subscriptions.user(account, socket);
      return true;
    }
    if (path.startsWith('/private/')) return false;
    const streams = new Set([...(query.get('streams') ?? '').split('/'), name ?? ''].filter(Boolean));
    return this.subscriptions.market(socket, streams, kind === 'stream');
  }

  /**
   * `pu` is the previous event's `u`. USD-M's update ids are not contiguous on the wire, and its
   * sync rule takes the first event with U ≤ lastUpdateId ≤ u after a snapshot; U is sent as the
   * previous `u` so that the event after a snapshot straddles it even on a quiet book (levels are
   * absolute, so re-covering that id changes nothing). A withheld batch is never sent; the next
   * event's `pu` then differs from the `u` the client holds.
   */
  private depth(batch: DepthBatch): void {
    if (batch.withheld) return;
    const lower = batch.symbol.toLowerCase();
    const side = (levels: DepthBatch['bids']) => levels.map(([price, quantity]) => [text(price), text(quantity)]);
    const previous = batch.firstUpdateId - 1;
    this.subscriptions.publish(
      DEPTH_SPEEDS.map((speed) => `${lower}@depth${speed}`),
      { e: 'depthUpdate', E: batch.time, T: batch.time, s: batch.symbol, U: previous, u: batch.lastUpdateId, pu: previous, b: side(batch.bids), a: side(batch.asks) },
    );
  }

  private dispatch(events: EngineEvent[]): void {
    /** Which symbols each account traded in this operation, for its ACCOUNT_UPDATE positions. */
    const traded = new Map<string, Set<string>>();
    for (const event of events) {
      if (event.kind === 'trade') {
        const { trade } = event;
        const lower = trade.symbol.toLowerCase();
        const common = { E: trade.time, T: trade.time, s: trade.symbol, p: text(trade.price), q: text(trade.quantity), m: trade.buyerIsMaker };
        this.subscriptions.publish([`${lower}@trade`], { e: 'trade', t: trade.tradeId, X: 'MARKET', ...common });
        this.subscriptions.publish([`${lower}@aggTrade`], { e: 'aggTrade', a: trade.tradeId, f: trade.tradeId, l: trade.tradeId, ...common });
      } else if (event.kind === 'order') {
        const { order, fill } = event;
        if (fill) traded.set(order.account, (traded.get(order.account) ?? new Set()).add(order.symbol));
        this.subscriptions.toUser(order.account, this.orderUpdate(order, event.execution, fill), event.execution === 'TRADE');
      } else if (event.kind === 'balance') {
        this.subscriptions.toUser(event.account, this.accountUpdate(event.account, 'ORDER', [...(traded.get(event.account) ?? [])], event.time), false);
      }
    }
  }

  private funding(payments: Income[]): void {
    for (const payment of payments) this.subscriptions.toUser(payment.account, this.accountUpdate(payment.account, 'FUNDING_FEE', [payment.symbol], payment.time), false);
  }

  /** A liquidation order is a LIMIT IOC in the REST history (as Binance lists it), but type LIQUIDATION on this stream, as Binance pushes it. */
  private orderUpdate(order: Readonly<Order>, execution: string, fill: Execution | undefined) {
    const time = fill?.trade.time ?? order.updatedAt;
    const type = this.perpetuals.liquidations.isLiquidation(order) ? 'LIQUIDATION' : usdmType(order);
    return {
      e: 'ORDER_TRADE_UPDATE',
      E: this.engine.now(),
      T: time,
      o: {
        s: order.symbol,
        c: order.clientOrderId,
        S: order.side,
        o: type,
        f: usdmTimeInForce(order),
        q: text(order.quantity),
        p: text(order.price),
        ap: text(averagePrice(order)),
        sp: '0',
        x: EXECUTION_TYPES[execution],
        X: order.status,
        i: order.orderId,
        l: fill ? text(fill.trade.quantity) : '0',
        z: text(order.executedQuantity),
        L: fill ? text(fill.trade.price) : '0',
        ...(fill ? { N: fill.commissionAsset, n: text(fill.commission) } : {}),
        T: time,
        t: fill?.trade.tradeId ?? 0,
        b: '0',
        a: '0',
        m: fill?.isMaker ?? false,
        R: this.perpetuals.isReduceOnly(order.orderId),
        wt: 'CONTRACT_PRICE',
        ot: type,
        ps: 'BOTH',
        cp: false,
        rp: fill ? text(this.perpetuals.realizedPnl(order.orderId, fill.trade.tradeId)) : '0',
        pP: false,
        si: 0,
        ss: 0,
        V: 'EXPIRE_TAKER',
        pm: 'NONE',
        gtd: 0,
      },
    };
  }

  /** The wallet and the given symbols' positions; `cr` is the position's realized PnL so far (before fees). */
  private accountUpdate(account: string, reason: 'ORDER' | 'FUNDING_FEE', symbols: string[], time: number) {
    const risk = this.perpetuals.risk(account);
    const incomes = this.perpetuals.income(account);
    return {
      e: 'ACCOUNT_UPDATE',
      E: this.engine.now(),
      T: time,
      a: {
        m: reason,
        B: [{ a: this.perpetuals.marginAsset, wb: text(risk.walletBalance), cw: text(risk.crossWalletBalance), bc: '0' }],
        P: risk.positions
          .filter((p) => symbols.includes(p.symbol))
          .map((p) => ({
            s: p.symbol,
            pa: text(p.position.amount),
            ep: text(p.position.entryPrice),
            bep: text(p.position.entryPrice),
            cr: text(incomes.filter((i) => i.symbol === p.symbol && i.incomeType === 'REALIZED_PNL').reduce((sum, i) => sum.plus(i.income), new Decimal(0))),
            up: text(p.unrealizedPnl),
            mt: p.position.marginType === 'ISOLATED' ? 'isolated' : 'cross',
            iw: text(p.isolatedWallet),
            ps: 'BOTH',
            ma: this.perpetuals.marginAsset,
          })),
      },
    };
  }
}
