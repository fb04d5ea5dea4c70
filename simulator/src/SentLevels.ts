import { formatDecimal } from '@crossvenue/schemas';
import type { MatchingEngine } from './engine/MatchingEngine.ts';

/** One book level as sent: venue strings, and how many orders rest there (0 for a level gone). */
export interface SentLevel {
  price: string;
  quantity: string;
  orders: number;
}

export interface BookSides {
  bids: SentLevel[];
  asks: SentLevel[];
}

/**
 * What one book subscription (Bybit `orderbook.<depth>`, OKX `books`) has sent of a symbol's top
 * `depth` levels per side. `next` returns the exact change since the previous call (every level on
 * the first: the snapshot), a level that left the top as quantity '0', and takes the client to hold
 * the result whether the push is sent or withheld: a withheld push is lost, as a dropped message
 * is, so the next one carries only what changed after it and a client that ignores the venue's
 * sequence keeps a wrong book.
 */
export class SentLevels {
  private sent = new Map<string, string>();

  constructor(
    private readonly engine: MatchingEngine,
    readonly symbol: string,
    readonly depth: number,
  ) {}

  /** The change to send, and the top levels the client holds after it (best first). */
  next(): { change: BookSides; top: BookSides } {
    const book = this.engine.depth(this.symbol, this.depth);
    const current = new Map<string, string>();
    const change: BookSides = { bids: [], asks: [] };
    const top: BookSides = { bids: [], asks: [] };
    for (const [side, levels] of [['bids', book.bids], ['asks', book.asks]] as const) {
      for (const level of levels) {
        const price = formatDecimal(level.price);
        const sent: SentLevel = { price, quantity: formatDecimal(level.total), orders: level.orders.length };
        const key = `${side}:${price}`;
        current.set(key, sent.quantity);
        top[side].push(sent);
        if (this.sent.get(key) !== sent.quantity) change[side].push(sent);
      }
    }
    for (const key of this.sent.keys()) {
      if (current.has(key)) continue;
      const [side, price] = key.split(':') as ['bids' | 'asks', string];
      change[side].push({ price, quantity: '0', orders: 0 });
    }
    this.sent = current;
    return { change, top };
  }
}

export const isEmpty = (sides: BookSides): boolean => sides.bids.length === 0 && sides.asks.length === 0;
