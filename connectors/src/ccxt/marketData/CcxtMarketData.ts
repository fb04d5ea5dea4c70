import { randomUUID } from 'node:crypto';
import { TOPICS, type MessageOf, type TopicDefinition, type Trade } from '@crossvenue/schemas';
import { type Logger, type MessageBus } from '@crossvenue/runtime';
import type { Exchange, MarketInterface as CcxtMarket, OrderBook, Trade as CcxtTrade } from 'ccxt';
import { ThrottledBook } from '../../book/ThrottledBook.ts';
import { TradeIdSet } from '../TradeIdSet.ts';
import { errorMessage } from '../failureKind.ts';
import { BookFreshness } from './BookFreshness.ts';
import { pollEvery, repeatStream, type StreamControl } from './repeatStream.ts';
import { symbolMetadataOf } from './symbolMetadataOf.ts';
import { bookSnapshotOf, fundingRateOf, publicTradeOf, type MarketSource } from './toMarketMessages.ts';

export interface CcxtMarketDataOptions {
  /** A ccxt pro instance; credentials are not needed for public data. */
  exchange: Exchange;
  /** Our venue id (the `venue` field of every message). */
  venue: string;
  /** Unified ccxt symbols: BTC/USDT, BTC/USDT:USDT. */
  symbols: readonly string[];
  messages: MessageBus;
  logger: Logger;
  now?: () => number;
  /** At most one book snapshot per symbol per interval (default 100 ms); also the REST poll interval without watchOrderBook. */
  bookIntervalMs?: number;
  /** A live stream's unchanged book is published again, received now, after this long without a publication (default 1 s). */
  bookHeartbeatMs?: number;
  /** Levels per side in a book snapshot (default 20). */
  bookDepth?: number;
  /** How often the markets are reloaded and the symbol metadata republished (default 1 h). */
  symbolsRefreshMs?: number;
  /** Funding-rate REST poll interval where the venue has no funding stream (default 60 s). */
  fundingPollMs?: number;
  /** Wait before a dropped stream is watched again (default 1 s). */
  retryDelayMs?: number;
  /** Times REST calls into the venue's health (VenueHealthMonitor.measure); untimed when absent. */
  measure?: <T>(call: () => Promise<T>) => Promise<T>;
}

/** The topics the market-data side publishes. */
export const MARKET_DATA_TOPICS: TopicDefinition[] = [TOPICS.symbols, TOPICS.bookSnapshots, TOPICS.trades, TOPICS.fundingRates];

/**
 * The market-data side of the generic ccxt connector: symbol metadata (at start and on every
 * refresh), throttled book snapshots (ccxt.pro watchOrderBook, or fetchOrderBook polling), public
 * trades once per venue trade id, and funding rates of perpetual swaps.
 */
export class CcxtMarketData {
  private readonly now: () => number;
  private readonly abort = new AbortController();
  private readonly freshness: BookFreshness;
  private readonly tradeIds = new TradeIdSet();
  private readonly books: Array<ThrottledBook<OrderBook>> = [];
  private loops: Array<Promise<void>> = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CcxtMarketDataOptions) {
    this.now = options.now ?? Date.now;
    this.freshness = new BookFreshness(options.symbols, this.now);
  }

  /** Loads the markets and publishes their metadata; an unknown symbol, or an inverse contract, stops the start with one line. */
  async start(): Promise<void> {
    const { exchange, symbols, venue, logger } = this.options;
    await this.measure(() => exchange.loadMarkets());
    const unknown = symbols.filter((symbol) => !exchange.markets?.[symbol]);
    if (unknown.length > 0) throw new Error(`SYMBOLS: ${venue} (ccxt ${exchange.id}) has no market ${unknown.join(', ')}`);
    // Books and trades are published in the base asset (contractUnits.ts), which an inverse contract's are not.
    const inverse = symbols.filter((symbol) => exchange.market(symbol).inverse === true);
    if (inverse.length > 0) throw new Error(`SYMBOLS: ${inverse.join(', ')} on ${venue} ${inverse.length > 1 ? 'are inverse contracts' : 'is an inverse contract'}, whose quantities are not base-asset amounts: not supported`);
    await this.publishSymbols(false);
    this.refreshTimer = setInterval(() => void this.publishSymbols(true), this.options.symbolsRefreshMs ?? 3_600_000);
    const control: StreamControl = { signal: this.abort.signal, retryDelayMs: this.options.retryDelayMs ?? 1_000, logger };
    for (const symbol of symbols) {
      const market = exchange.market(symbol);
      this.loops.push(this.bookLoop(market, control), this.tradeLoop(market, control), ...this.fundingLoops(market, control));
    }
  }

  /** Time since the stalest symbol's last book message; null when no symbol is subscribed. */
  bookStalenessMs(): number | null {
    return this.freshness.stalenessMs();
  }

  /** Publishes the metadata of every symbol, after reloading the markets when `reload`. */
  async publishSymbols(reload: boolean): Promise<void> {
    const { exchange, symbols, venue, logger } = this.options;
    try {
      if (reload) await this.measure(() => exchange.loadMarkets(true));
      const receivedAtMs = this.now();
      const metadata = symbols.map((symbol) => symbolMetadataOf(exchange, exchange.market(symbol), venue, randomUUID(), receivedAtMs));
      await this.options.messages.publish(TOPICS.symbols, metadata);
    } catch (error) {
      if (!reload) throw error;
      logger.warn({ err: errorMessage(error) }, 'symbol metadata refresh failed; the previous metadata stands');
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.refreshTimer);
    // Closing the client rejects the watches the loops wait on.
    await this.options.exchange.close();
    await Promise.all(this.loops);
    await Promise.all(this.books.map((book) => book.stop()));
  }

  private bookLoop(market: CcxtMarket, control: StreamControl): Promise<void> {
    const { exchange, bookIntervalMs = 100, bookHeartbeatMs = 1_000, bookDepth = 20 } = this.options;
    const throttled = new ThrottledBook<OrderBook>({
      intervalMs: bookIntervalMs,
      heartbeatMs: bookHeartbeatMs,
      now: this.now,
      snapshot: (book, receivedAtMs) => bookSnapshotOf(book, bookDepth, this.source(market, receivedAtMs)),
      // Heartbeats included: a book the live stream vouches for is fresh (see ThrottledBook).
      send: (snapshot) => {
        this.freshness.received(market.symbol);
        return this.send(TOPICS.bookSnapshots, [snapshot]);
      },
      logger: control.logger,
    });
    this.books.push(throttled);
    // No limit is passed: the allowed depths differ per venue (Bybit spot 1/50/200/1000), ccxt picks a valid default.
    const watch = exchange.has.watchOrderBook
      ? () => exchange.watchOrderBook(market.symbol)
      : pollEvery(bookIntervalMs, () => this.measure(() => exchange.fetchOrderBook(market.symbol)), control.signal);
    const next = async () => {
      try {
        return await watch();
      } catch (error) {
        throttled.interrupted();
        throw error;
      }
    };
    return repeatStream(`book ${market.symbol}`, next, async (book) => throttled.offer(book, this.now()), control);
  }

  private tradeLoop(market: CcxtMarket, control: StreamControl): Promise<void> {
    const { exchange } = this.options;
    if (!exchange.has.watchTrades) {
      control.logger.warn({ symbol: market.symbol }, `${exchange.id} has no trade stream (watchTrades); public trades off`);
      return Promise.resolve();
    }
    return repeatStream(`trades ${market.symbol}`, () => exchange.watchTrades(market.symbol), (trades) => this.publishTrades(market, trades), control);
  }

  /** Each venue trade id once: a trade seen again after a reconnect is not republished. A malformed trade is skipped alone. */
  private async publishTrades(market: CcxtMarket, trades: CcxtTrade[]): Promise<void> {
    const source = this.source(market, this.now());
    const fresh: Trade[] = [];
    for (const trade of trades) {
      try {
        const message = publicTradeOf(trade, source);
        if (this.tradeIds.add(`${market.symbol}|${message.venueTradeId}`)) fresh.push(message);
      } catch (error) {
        this.options.logger.warn({ err: errorMessage(error) }, 'public trade skipped: malformed ccxt trade');
      }
    }
    if (fresh.length > 0) await this.send(TOPICS.trades, fresh);
  }

  private fundingLoops(market: CcxtMarket, control: StreamControl): Array<Promise<void>> {
    const { exchange, fundingPollMs = 60_000 } = this.options;
    if (!market.swap) {
      control.logger.debug({ symbol: market.symbol }, 'not a perpetual swap: no funding rate');
      return [];
    }
    const next = exchange.has.watchFundingRate
      ? () => exchange.watchFundingRate(market.symbol)
      : exchange.has.fetchFundingRate
        ? pollEvery(fundingPollMs, () => this.measure(() => exchange.fetchFundingRate(market.symbol)), control.signal)
        : undefined;
    if (!next) {
      control.logger.warn({ symbol: market.symbol }, `${exchange.id} serves no funding rate (watchFundingRate / fetchFundingRate)`);
      return [];
    }
    return [repeatStream(`funding ${market.symbol}`, next, (rate) => this.send(TOPICS.fundingRates, [fundingRateOf(rate, this.source(market, this.now()))]), control)];
  }

  private source(market: CcxtMarket, receivedAtMs: number): MarketSource {
    return { venue: this.options.venue, market, receivedAtMs };
  }

  /** A failed publish is logged; the stream goes on with the next update. */
  private async send<T extends TopicDefinition>(topic: T, values: Array<MessageOf<T>>): Promise<void> {
    try {
      await this.options.messages.publish(topic, values);
    } catch (error) {
      this.options.logger.warn({ topic: topic.name, err: errorMessage(error) }, 'publishing market data failed');
    }
  }

  private measure<T>(call: () => Promise<T>): Promise<T> {
    return this.options.measure ? this.options.measure(call) : call();
  }
}
