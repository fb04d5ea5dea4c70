import { NativeBookConnector, venueSymbolOf } from '@crossvenue/connectors';
import { DEFAULT_FEES } from '@crossvenue/processors';
import { Decimal, parseSymbol, TOPICS, type BookSnapshot } from '@crossvenue/schemas';
import type { Consumer, Logger, MessageBus } from '@crossvenue/runtime';
import { BookFillModel, ReplayVenue, type RecordedLevel } from '@crossvenue/simulator';
import { decimalPlaces, type RecordedInstrument } from '../backtest/RecordedMarket.ts';
import { ReplayConnector } from '../backtest/ReplayConnector.ts';
import { PaperAccount } from './PaperAccount.ts';
import type { PaperVenueSettings } from './paperSettings.ts';

/** The account each paper venue opens: every paper order event, fill and balance carries it. */
export const PAPER_ACCOUNT = 'paper';

/** Levels per side of the live books: what the router sees and what paper orders can take. */
export const PAPER_BOOK_DEPTH = 20;

/** At most one book per instrument per interval, as the embedded run's connectors; a still book is re-published (heartbeat) as often. */
const BOOK_TIMING = { bookIntervalMs: 100, bookHeartbeatMs: 500 };

export interface PaperVenueOptions {
  settings: PaperVenueSettings;
  /** Unified spot symbols. */
  instruments: readonly string[];
  portfolio: string;
  balances: ReadonlyMap<string, Decimal>;
  messages: MessageBus;
  logger: Logger;
}

/**
 * One paper venue: the live venue's public books, and a matching engine that fills our orders
 * against them. The native book adapter (connectors/src/native) follows the venue's public
 * WebSocket (or whatever its URL settings point at) and publishes BookSnapshots on the bus, as the
 * native-books worker does; this venue reads those same snapshots back into a ReplayVenue (the
 * backtest's fill rules, on wall-clock time), so a paper order fills against exactly the book the
 * router saw. The backtest's ReplayConnector takes the order commands of (venue, `paper`) and
 * publishes order events and fills; PaperAccount keeps the balances. Nothing here can reach a
 * venue's private API: there is no client that could sign an order.
 *
 * A market's rules are derived from its live books as the backtest derives them from recorded
 * ones (the finest price and quantity steps seen, trailing zeros ignored), published with its
 * first book and again whenever a later book shows a finer step.
 */
export class PaperVenue {
  private readonly replayVenue: ReplayVenue;
  private readonly connector: ReplayConnector;
  private readonly account: PaperAccount;
  private readonly books: NativeBookConnector;
  private readonly listed = new Map<string, { price: number; quantity: number }>();
  private consumer: Consumer | undefined;

  constructor(private readonly options: PaperVenueOptions) {
    const { settings, messages, logger } = options;
    const venue = settings.kind;
    const latency = { insertMs: settings.latencyMs, cancelMs: settings.latencyMs };
    this.replayVenue = new ReplayVenue({ name: venue, latency, fees: DEFAULT_FEES, fillModel: new BookFillModel() });
    this.connector = new ReplayConnector({
      venue: this.replayVenue,
      account: PAPER_ACCOUNT,
      messages,
      clock: Date.now,
      logger: logger.child({ component: `paper-${venue}` }),
      instruments: [],
      arrivals: 'timers',
    });
    this.account = new PaperAccount({ venue, account: PAPER_ACCOUNT, portfolio: options.portfolio, balances: options.balances, messages, logger, clock: Date.now });
    this.books = new NativeBookConnector({
      kind: venue,
      instruments: options.instruments,
      depth: PAPER_BOOK_DEPTH,
      ...BOOK_TIMING,
      restUrl: settings.restUrl,
      wsUrl: settings.wsUrl,
      messages,
      logger: logger.child({ component: `native-books-${venue}` }),
    });
  }

  get venue(): string {
    return this.options.settings.kind;
  }

  async start(): Promise<void> {
    await this.account.start();
    await this.connector.start();
    this.consumer = await this.options.messages.subscribe({
      groupId: `paper-venue-${this.venue}`,
      topics: [TOPICS.bookSnapshots],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { value: book } of batch) if (book.venue === this.venue) await this.onBook(book);
      },
    });
    this.books.start();
  }

  async stop(): Promise<void> {
    await this.books.stop();
    await this.consumer?.stop();
    await this.connector.stop();
    await this.account.stop();
  }

  private async onBook(book: BookSnapshot): Promise<void> {
    const levels = (side: BookSnapshot['bids']): RecordedLevel[] => side.map(({ price, quantity }) => [price, quantity]);
    const bids = levels(book.bids);
    const asks = levels(book.asks);
    await this.listFinerRules(book.instrument, [...bids, ...asks]);
    await this.connector.publishReports(this.replayVenue.onBook(book.instrument, bids, asks, Date.now()));
  }

  /** Publishes the market's rules when its first book arrives, and again when a book shows a finer step. */
  private async listFinerRules(instrument: string, levels: readonly RecordedLevel[]): Promise<void> {
    const known = this.listed.get(instrument) ?? { price: -1, quantity: -1 };
    const seen = { price: known.price, quantity: known.quantity };
    for (const [price, quantity] of levels) {
      seen.price = Math.max(seen.price, decimalPlaces(price));
      seen.quantity = Math.max(seen.quantity, decimalPlaces(quantity));
    }
    if (seen.price === known.price && seen.quantity === known.quantity) return;
    this.listed.set(instrument, seen);
    const { base, quote } = parseSymbol(instrument);
    const rules: RecordedInstrument = {
      venue: this.venue,
      instrument,
      venueSymbol: venueSymbolOf(this.options.settings.kind, instrument),
      assetType: 'SPOT',
      base,
      quote,
      settle: null,
      priceTick: new Decimal(10).pow(-seen.price),
      quantityStep: new Decimal(10).pow(-seen.quantity),
    };
    await this.connector.list([rules]);
  }
}
