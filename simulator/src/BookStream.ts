import type { Decimal } from '@crossvenue/schemas';
import type { Faults } from './Faults.ts';
import type { EngineEvent } from './engine/types.ts';

/** One symbol's book changes over one stream interval: update ids `first..last`, each level's latest total. */
export interface DepthBatch {
  symbol: string;
  firstUpdateId: number;
  lastUpdateId: number;
  bids: Array<[Decimal, Decimal]>;
  asks: Array<[Decimal, Decimal]>;
  time: number;
  /** Withheld by the skip-book-updates fault: a dialect sends nothing, so its sequence shows a gap. */
  withheld: boolean;
}

interface Pending {
  firstUpdateId: number;
  lastUpdateId: number;
  bids: Map<string, [Decimal, Decimal]>;
  asks: Map<string, [Decimal, Decimal]>;
  time: number;
}

/**
 * Batches the engine's book changes per symbol over an interval (Binance's `@depth@100ms`,
 * Bybit's 20-100 ms pushes) and hands each batch to the subscribers; the skip-book-updates fault
 * marks batches withheld.
 */
export class BookStream {
  private readonly pending = new Map<string, Pending>();
  private readonly subscribers = new Set<(batch: DepthBatch) => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly faults: Faults) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  subscribe(handle: (batch: DepthBatch) => void): () => void {
    this.subscribers.add(handle);
    return () => this.subscribers.delete(handle);
  }

  record(events: EngineEvent[]): void {
    for (const event of events) {
      if (event.kind !== 'book') continue;
      let batch = this.pending.get(event.symbol);
      if (!batch) {
        batch = { firstUpdateId: event.updateId, lastUpdateId: event.updateId, bids: new Map(), asks: new Map(), time: event.time };
        this.pending.set(event.symbol, batch);
      }
      batch.lastUpdateId = event.updateId;
      batch.time = event.time;
      for (const change of event.changes) {
        (change.side === 'BUY' ? batch.bids : batch.asks).set(change.price.toFixed(), [change.price, change.quantity]);
      }
    }
  }

  flush(): void {
    const batches = [...this.pending.entries()];
    this.pending.clear();
    for (const [symbol, batch] of batches) {
      const out: DepthBatch = {
        symbol,
        firstUpdateId: batch.firstUpdateId,
        lastUpdateId: batch.lastUpdateId,
        bids: [...batch.bids.values()],
        asks: [...batch.asks.values()],
        time: batch.time,
        withheld: this.faults.takeBookSkip(),
      };
      for (const subscriber of this.subscribers) subscriber(out);
    }
  }
}
