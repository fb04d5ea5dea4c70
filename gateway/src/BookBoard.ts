import { TOPICS, type BookSnapshot, type Consumer, type MessageBus } from '@crossvenue/schemas';

export interface TopOfBook {
  venue: string;
  instrument: string;
  bestBid: string | null;
  bestAsk: string | null;
  sequence: number | null;
  receivedAtMs: number;
}

/** The latest top of book per venue and instrument, read from the book-snapshot topic. */
export class BookBoard {
  private readonly tops = new Map<string, TopOfBook>();
  private consumer: Consumer | undefined;

  constructor(private readonly messages: MessageBus) {}

  async start(groupId: string): Promise<void> {
    this.consumer = await this.messages.subscribe({
      groupId,
      topics: [TOPICS.bookSnapshots],
      handle: async (batch) => batch.forEach((message) => this.apply(message.value)),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  snapshot(): TopOfBook[] {
    return [...this.tops.values()].sort((a, b) => `${a.venue}${a.instrument}`.localeCompare(`${b.venue}${b.instrument}`));
  }

  private apply(book: BookSnapshot): void {
    this.tops.set(`${book.venue}\u0000${book.instrument}`, {
      venue: book.venue,
      instrument: book.instrument,
      bestBid: book.bids[0]?.price ?? null,
      bestAsk: book.asks[0]?.price ?? null,
      sequence: book.sequence,
      receivedAtMs: book.receivedAtMs,
    });
  }
}
