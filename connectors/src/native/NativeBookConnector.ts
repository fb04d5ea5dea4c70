import type { Logger, MessageBus } from '@crossvenue/runtime';
import type { Backoff } from '@crossvenue/runtime';
import { BookPublisher } from './BookPublisher.ts';
import { NativeBookFeed } from './NativeBookFeed.ts';
import { bookProtocolFor, venueSymbolOf, type NativeVenue } from '../venues/nativeVenues.ts';

export interface NativeBookConnectorOptions {
  kind: NativeVenue;
  /** Our name for the venue on the records; the kind when absent. */
  venue?: string;
  /** Unified symbols (BTC/USDT, BTC/USDT:USDT). */
  instruments: readonly string[];
  depth: number;
  bookIntervalMs: number;
  /** An unchanged book of a live feed is published again after this long (default 1000 ms). */
  bookHeartbeatMs?: number;
  messages: MessageBus;
  logger: Logger;
  /** A simulator's or capture server's endpoints instead of the venue's. */
  wsUrl?: string;
  restUrl?: string;
  backoff?: Backoff;
}

/**
 * The public market-data side of a venue over its native WebSocket: books kept with the venue's
 * own sequence rules, published as throttled BookSnapshots, with a BOOK_RESYNC alert for each
 * resync. A frame it cannot trust is dead-lettered with its bytes (see BookPublisher.badFrame).
 */
export class NativeBookConnector {
  private readonly feed: NativeBookFeed;
  private readonly publisher: BookPublisher;

  constructor(options: NativeBookConnectorOptions) {
    const { kind, messages, logger } = options;
    // OKX counts a swap's or future's book in contracts (ctVal each, 0.01 BTC for BTC-USDT-SWAP),
    // and this feed does not convert them: its levels would not be base quantities, which is what
    // the router reads beside the ccxt connector's metadata (contractUnits.ts). Refused, not misread.
    const contracts = kind === 'okx' ? options.instruments.filter((instrument) => instrument.includes(':')) : [];
    if (contracts.length > 0) {
      throw new Error(`native okx books: ${contracts.join(', ')} count contracts, which this feed does not convert to the base asset yet; take their books from the ccxt connector`);
    }
    const instruments = new Map(options.instruments.map((instrument) => [venueSymbolOf(kind, instrument), instrument]));
    const protocol = bookProtocolFor(
      { kind, name: options.venue, wsUrl: options.wsUrl, restUrl: options.restUrl, symbols: [...instruments.keys()], depth: options.depth },
      logger,
    );
    this.publisher = new BookPublisher({ messages, instruments, bookIntervalMs: options.bookIntervalMs, bookHeartbeatMs: options.bookHeartbeatMs, logger });
    const venue = options.venue ?? kind;
    this.feed = new NativeBookFeed({
      protocol,
      logger,
      backoff: options.backoff,
      onEvent: (event) => this.publisher.handle(event),
      onBadFrame: (text, reason) => this.publisher.badFrame(venue, text, reason),
    });
  }

  start(): void {
    this.feed.start();
  }

  async stop(): Promise<void> {
    this.feed.stop();
    await this.publisher.stop();
    await this.publisher.flushed();
  }
}
