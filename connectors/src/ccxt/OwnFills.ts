import { partitionForKey, readRanges } from '@crossvenue/runtime';
import { TOPICS, type FillSource } from '@crossvenue/schemas';
import type { Trade } from 'ccxt';
import type { ConnectorContext } from './ConnectorContext.ts';
import { errorMessage } from './failureKind.ts';
import type { OrderReporter } from './OrderReporter.ts';
import { fill, venueTradeOf } from './toMessages.ts';
import { TradeIdSet } from './TradeIdSet.ts';

/**
 * How much earlier than a venue time the fills topic is read back: a fill is written when we
 * received its trade, by our clock, which a venue clock running ahead of ours puts before the
 * trade's own time.
 */
const VENUE_CLOCK_MARGIN_MS = 60_000;
/** Reading back a few minutes of one partition's fills takes well under a second; this bounds a broker that is away. */
const RECALL_TIMEOUT_MS = 60_000;

/** Publishes each of our trades as a Fill exactly once, from whichever path saw it first. */
export class OwnFills {
  private readonly published = new TradeIdSet();
  /** Venue time of the newest trade seen per instrument: where a REST catch-up starts. */
  private readonly lastSeenMs = new Map<string, number>();

  constructor(
    private readonly context: ConnectorContext,
    private readonly reporter: OrderReporter,
  ) {}

  /**
   * Learns the trades of this account already on the fills topic from `sinceMs` (venue time) on,
   * which an earlier run of this connector (or the reconciler) published: a restarted connector's
   * first catch-up would otherwise publish every trade of its window again (chaos probe, issue
   * #16), and the catch-up now starts from the newest of them. Reads the portfolio's partition
   * only, up to its end now. A failed read is a warning: the catch-up then repeats what it cannot rule
   * out, and consumers still apply a venue trade once.
   */
  async recall(sinceMs: number): Promise<number> {
    const { messages, venue, account, portfolio, logger } = this.context;
    const partition = partitionForKey(TOPICS.fills.name, portfolio, TOPICS.fills.partitions);
    try {
      const starts = (await messages.bus.offsetsAt(TOPICS.fills.name, sinceMs - VENUE_CLOCK_MARGIN_MS)).filter((start) => start.partition === partition);
      let recalled = 0;
      await readRanges(
        messages,
        [TOPICS.fills],
        starts.map(({ topic, offset }) => ({ topic, partition, offset: BigInt(offset) })),
        ({ value }) => {
          if (value.venue !== venue || value.account !== account) return;
          this.published.add(value.venueTradeId);
          this.lastSeenMs.set(value.instrument, Math.max(this.lastSeenMs.get(value.instrument) ?? 0, value.venueTimeMs));
          recalled += 1;
        },
        { what: `the fills of ${venue}/${account}`, timeoutMs: RECALL_TIMEOUT_MS },
      );
      return recalled;
    } catch (error) {
      logger.warn({ err: errorMessage(error) }, `reading the fills ${venue}/${account} already published failed; the first catch-up may publish some again`);
      return 0;
    }
  }

  async publish(trades: readonly Trade[], source: FillSource): Promise<number> {
    const fresh = trades.filter((trade) => trade.id !== undefined && this.published.add(String(trade.id)));
    for (const trade of trades) this.lastSeenMs.set(trade.symbol!, Math.max(this.lastSeenMs.get(trade.symbol!) ?? 0, trade.timestamp ?? 0));
    if (fresh.length === 0) return 0;
    const fills = fresh.map((trade) => fill(this.context, trade, this.ownerOf(trade), source));
    try {
      await this.context.messages.publish(TOPICS.fills, fills);
    } catch (error) {
      // Not published (Kafka away): the next sight of these trades (the cache sweep, a catch-up) publishes them.
      for (const trade of fresh) this.published.forget(String(trade.id));
      throw error;
    }
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
