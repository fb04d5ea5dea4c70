import { DEAD_LETTER_HEADERS, type Logger, type MessageBus } from '@crossvenue/runtime';
import { TOPICS } from '@crossvenue/schemas';
import { VenuePayloadError } from '../VenuePayloadError.ts';
import type { BinanceRest } from './BinanceRest.ts';
import { parseDepthSnapshot } from './parseDepthSnapshot.ts';

export interface BinanceSnapshotConnectorOptions {
  /** Our name for this venue (several Binance-dialect venues may run side by side). */
  venue: string;
  rest: BinanceRest;
  /** Unified symbols (`BTC/USDT`) to publish. */
  instruments: string[];
  depth: number;
  intervalMs: number;
  messages: MessageBus;
  logger: Logger;
}

/**
 * Publishes REST depth snapshots of a Binance-dialect venue as BookSnapshot records. A payload that
 * does not parse is dead-lettered with its original bytes and the poll goes on; a venue that does
 * not answer is logged and asked again on the next interval.
 */
export class BinanceSnapshotConnector {
  private venueSymbols = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(private readonly options: BinanceSnapshotConnectorOptions) {}

  async start(): Promise<void> {
    await this.loadSymbols();
    this.polling = this.pollOnce().then(() => undefined);
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.pollOnce()).then(() => undefined);
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** One round over every instrument; returns how many snapshots were published. */
  async pollOnce(): Promise<number> {
    const { venue, rest, depth, messages, logger } = this.options;
    let published = 0;
    for (const [instrument, venueSymbol] of this.venueSymbols) {
      let response;
      try {
        response = await rest.depth(venueSymbol, depth);
      } catch (error) {
        logger.warn({ venue, instrument, err: error }, `depth of ${venueSymbol} unavailable: ${(error as Error).message}`);
        continue;
      }
      try {
        const payload: unknown = JSON.parse(response.body.toString('utf8'));
        const snapshot = parseDepthSnapshot(payload, { venue, instrument, venueSymbol, receivedAtMs: response.receivedAtMs });
        await messages.publish(TOPICS.bookSnapshots, [snapshot]);
        published++;
      } catch (error) {
        if (!(error instanceof VenuePayloadError) && !(error instanceof SyntaxError)) throw error;
        await messages.deadLetter(TOPICS.bookSnapshots, { key: instrument, value: response.body }, error.message, {
          [DEAD_LETTER_HEADERS.sourceVenue]: venue,
        });
      }
    }
    return published;
  }

  private async loadSymbols(): Promise<void> {
    const info = await this.options.rest.exchangeInfo();
    const byUnified = new Map(info.symbols.map((s) => [`${s.baseAsset}/${s.quoteAsset}`, s.symbol]));
    for (const instrument of this.options.instruments) {
      const venueSymbol = byUnified.get(instrument);
      if (!venueSymbol) throw new Error(`${this.options.venue}: instrument ${instrument} is not listed by the venue`);
      this.venueSymbols.set(instrument, venueSymbol);
    }
  }
}
