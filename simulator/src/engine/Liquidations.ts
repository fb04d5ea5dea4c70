import { EngineRejection } from './EngineRejection.ts';
import { pastLiquidation, type AccountRisk, type PositionRisk } from './MarginRisk.ts';
import type { MatchingEngine } from './MatchingEngine.ts';
import type { PositionBook } from './PositionBook.ts';

/** What liquidation reads of the perpetuals: the open positions and an account's risk at the mark. */
export interface LiquidationInputs {
  readonly positions: PositionBook;
  risk(account: string): AccountRisk;
}

/** Binance marks a liquidation order's client id `autoclose-` (an ADL's `adl_autoclose`). */
const CLIENT_ID_PREFIX = 'autoclose-';
/** Binance's ids are the time and a 6-digit sequence (`autoclose-1596107620040000020`); the sequence keeps two in one millisecond apart. */
const SEQUENCE_DIGITS = 6;

/**
 * Binance's liquidation, in outline: once the mark price reaches a position's liquidation price
 * (cross or isolated, as MarginRisk reports it), the account's open orders on that symbol are
 * canceled, then the whole position is sent to the book as one reduce-side LIMIT IOC order at the
 * bankruptcy price, `autoclose-<time><seq>`, a taker: it fills at that price or better, so the loss
 * never exceeds the margin backing the position, and the position's realized PnL and the taker fee
 * move the wallet as any fill's do. No clearance fee is charged, so what the book pays above the
 * bankruptcy price stays with the account (Binance gives it to its insurance fund).
 *
 * Not modelled: the insurance fund and ADL. A part the book cannot take at the bankruptcy price or
 * better expires and stays open, to be liquidated again after a later operation; so does a position
 * the engine's filters refuse to close (below the minimum notional at that price: Binance exempts
 * liquidation orders, the engine does not).
 */
export class Liquidations {
  /** Client ids of the liquidation orders, so the dialect can tell them apart (they are known before the engine numbers the order). */
  private readonly clientOrderIds = new Set<string>();
  private sequence = 0;
  /** Set while liquidating: the liquidation's own operations end in `run` again, and must not liquidate within it. */
  private running = false;

  constructor(
    private readonly inputs: LiquidationInputs,
    private readonly engine: () => MatchingEngine,
  ) {}

  isLiquidation(order: { clientOrderId: string }): boolean {
    return this.clientOrderIds.has(order.clientOrderId);
  }

  /** Liquidates every position past its liquidation price now; each is judged on the account's risk after the ones before. */
  run(): void {
    if (this.running) return;
    this.running = true;
    try {
      for (const [account, symbol] of this.inputs.positions.open()) {
        const risk = this.inputs.risk(account).positions.find((position) => position.symbol === symbol)!;
        if (pastLiquidation(risk)) this.liquidate(account, risk);
      }
    } finally {
      this.running = false;
    }
  }

  private liquidate(account: string, { symbol, position, bankruptcyPrice }: PositionRisk): void {
    const engine = this.engine();
    for (const order of engine.openOrders(account, symbol)) engine.cancel(account, symbol, { orderId: order.orderId });
    const long = position.amount.isPositive();
    // On the tick, on the side where every fill keeps the loss within the margin: a sell at or above, a buy at or below.
    const { tickSize } = engine.market(symbol);
    const ticks = bankruptcyPrice.div(tickSize);
    const price = (long ? ticks.ceil() : ticks.floor()).times(tickSize);
    const clientOrderId = `${CLIENT_ID_PREFIX}${engine.now()}${String(this.sequence++ % 10 ** SEQUENCE_DIGITS).padStart(SEQUENCE_DIGITS, '0')}`;
    this.clientOrderIds.add(clientOrderId);
    try {
      engine.place({ account, symbol, side: long ? 'SELL' : 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: position.amount.abs(), price, clientOrderId });
    } catch (error) {
      if (!(error instanceof EngineRejection)) throw error;
      this.clientOrderIds.delete(clientOrderId);
    }
  }
}
