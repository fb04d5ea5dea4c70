import { TOPICS, type FillSource } from '@crossvenue/schemas';
import type { Trade } from 'ccxt';
import type { ConnectorContext } from './ConnectorContext.ts';
import type { OrderReporter } from './OrderReporter.ts';
import { fill, venueTradeOf } from './toMessages.ts';
import { TradeIdSet } from './TradeIdSet.ts';

/** Publishes each of our trades as a Fill exactly once, from whichever path saw it first. */
export class OwnFills {
  private readonly published = new TradeIdSet();
  /** Venue time of the newest trade seen per instrument: where a REST catch-up starts. */
  private readonly lastSeenMs = new Map<string, number>();

  constructor(
    private readonly context: ConnectorContext,
    private readonly reporter: OrderReporter,
  ) {}

  async publish(trades: readonly Trade[], source: FillSource): Promise<number> {
    const fresh = trades.filter((trade) => trade.id !== undefined && this.published.add(String(trade.id)));
    for (const trade of trades) this.lastSeenMs.set(trade.symbol!, Math.max(this.lastSeenMs.get(trade.symbol!) ?? 0, trade.timestamp ?? 0));
    if (fresh.length === 0) return 0;
    const fills = fresh.map((trade) => fill(this.context, trade, this.ownerOf(trade), source));
    await this.context.messages.publish(TOPICS.fills, fills);
    this.context.metrics?.fills(fills.length);
    return fills.length;
  }

  /** The stream can deliver a fill before the order's REST ack told us its venue order id. */
  private ownerOf(trade: Trade) {
    const clientOrderId = venueTradeOf(this.context, trade).clientOrderId;
    return (clientOrderId ? this.reporter.orders.get(clientOrderId) : undefined) ?? this.reporter.orders.byVenueOrderId(String(trade.order));
  }

  /** Where a catch-up of `instrument` starts: the last trade seen (inclusive, de-duplicated), or `fallbackMs`. */
  catchUpFromMs(instrument: string, fallbackMs: number): number {
    return this.lastSeenMs.get(instrument) ?? fallbackMs;
  }
}
