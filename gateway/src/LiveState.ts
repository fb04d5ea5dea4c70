import { EventEmitter } from 'node:events';
import {
  Decimal,
  formatDecimal,
  isTerminalOrderState,
  TOPICS,
  type BalanceSnapshot,
  type BookSnapshot,
  type Consumer,
  type Intent,
  type MessageBus,
  type OrderEvent,
  type Position,
  type ReconciliationDiscrepancy,
  type VenueHealth,
  type VenueSnapshot,
} from '@crossvenue/schemas';

/** What the gateway reads to show live state. */
export const LIVE_TOPICS = [
  TOPICS.positions,
  TOPICS.balances,
  TOPICS.orderEvents,
  TOPICS.intents,
  TOPICS.discrepancies,
  TOPICS.venueHealth,
  TOPICS.venueSnapshots,
  TOPICS.bookSnapshots,
];

const RECENT_DISCREPANCIES = 200;

export type StateChange =
  | { type: 'position'; data: Position }
  | { type: 'balances'; data: BalanceSnapshot }
  | { type: 'order'; data: OrderEvent }
  | { type: 'intent'; data: Intent }
  | { type: 'discrepancy'; data: ReconciliationDiscrepancy }
  | { type: 'venue-health'; data: VenueHealth }
  | { type: 'reconciled'; data: { venue: string; account: string; portfolio: string; atMs: number } }
  | { type: 'book'; data: { venue: string; instrument: string; bestBid: string | null; bestAsk: string | null; sequence: number | null } };

/**
 * What the gateway shows: the latest state folded from the state and execution topics. This is a
 * reporting view (eventually consistent); the execution path never reads it.
 */
export class LiveState {
  readonly positions = new Map<string, Position>();
  readonly balances = new Map<string, BalanceSnapshot>();
  /** Latest event per client order id. */
  readonly orders = new Map<string, OrderEvent>();
  /** Latest intent message per intent id (its desired state). */
  readonly intents = new Map<string, Intent>();
  readonly venueHealth = new Map<string, VenueHealth>();
  /** When each venue account was last snapshotted for reconciliation. */
  readonly lastReconciled = new Map<string, { venue: string; account: string; portfolio: string; atMs: number }>();
  readonly books = new Map<string, StateChange & { type: 'book' }>();
  discrepancies: ReconciliationDiscrepancy[] = [];
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private consumer: Consumer | undefined;

  async start(messages: MessageBus, groupId: string): Promise<void> {
    this.consumer = await messages.subscribe({
      groupId,
      fromBeginning: true,
      topics: LIVE_TOPICS,
      handle: async (batch) => {
        for (const message of batch) this.apply(message.topic, message.value);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  onChange(listener: (change: StateChange) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  openOrders(portfolio?: string): OrderEvent[] {
    return [...this.orders.values()].filter((order) => !isTerminalOrderState(order.state) && (!portfolio || order.portfolio === portfolio));
  }

  /** Per venue account: when it was last reconciled, its health, and its recent discrepancies. */
  syncReport() {
    const accounts = new Map<string, { venue: string; account: string | null }>();
    for (const { venue, account } of [...this.lastReconciled.values(), ...this.venueHealth.values(), ...this.discrepancies]) {
      accounts.set(`${venue}|${account ?? '*'}`, { venue, account });
    }
    return [...accounts].map(([key, { venue, account }]) => ({
      venue,
      account,
      lastReconciledMs: this.lastReconciled.get(key)?.atMs ?? null,
      health: this.venueHealth.get(key) ?? null,
      discrepancies: this.discrepancies.filter((d) => d.venue === venue && d.account === account),
    }));
  }

  /** Balances per venue and account, and per asset across them all. */
  balanceReport(portfolio?: string) {
    const byAccount = [...this.balances.values()]
      .filter((snapshot) => !portfolio || snapshot.portfolio === portfolio)
      .flatMap(({ portfolio: owner, venue, account, balances }) => balances.map((balance) => ({ portfolio: owner, venue, account, ...balance })));
    const totals = new Map<string, { free: Decimal; locked: Decimal; total: Decimal }>();
    for (const { asset, free, locked, total } of byAccount) {
      const sum = totals.get(asset) ?? { free: new Decimal(0), locked: new Decimal(0), total: new Decimal(0) };
      totals.set(asset, { free: sum.free.plus(free), locked: sum.locked.plus(locked), total: sum.total.plus(total) });
    }
    const aggregated = [...totals].map(([asset, sum]) => ({
      asset,
      free: formatDecimal(sum.free),
      locked: formatDecimal(sum.locked),
      total: formatDecimal(sum.total),
    }));
    return { byAccount, aggregated: aggregated.sort((a, b) => a.asset.localeCompare(b.asset)) };
  }

  /** Folds a message the gateway itself just published, so a follow-up request sees it at once. */
  record(topic: string, value: unknown): void {
    this.apply(topic, value);
  }

  private apply(topic: string, value: unknown): void {
    const change = this.fold(topic, value);
    if (change) this.changes.emit('change', change);
  }

  private fold(topic: string, value: unknown): StateChange | undefined {
    switch (topic) {
      case TOPICS.positions.name: {
        const position = value as Position;
        this.positions.set(TOPICS.positions.key(position), position);
        return { type: 'position', data: position };
      }
      case TOPICS.balances.name: {
        const snapshot = value as BalanceSnapshot;
        this.balances.set(TOPICS.balances.key(snapshot), snapshot);
        return { type: 'balances', data: snapshot };
      }
      case TOPICS.orderEvents.name: {
        const event = value as OrderEvent;
        this.orders.set(event.clientOrderId, event);
        return { type: 'order', data: event };
      }
      case TOPICS.intents.name: {
        const intent = value as Intent;
        this.intents.set(intent.intentId, intent);
        return { type: 'intent', data: intent };
      }
      case TOPICS.discrepancies.name: {
        const discrepancy = value as ReconciliationDiscrepancy;
        this.discrepancies = [discrepancy, ...this.discrepancies].slice(0, RECENT_DISCREPANCIES);
        return { type: 'discrepancy', data: discrepancy };
      }
      case TOPICS.venueHealth.name: {
        const health = value as VenueHealth;
        this.venueHealth.set(TOPICS.venueHealth.key(health), health);
        return { type: 'venue-health', data: health };
      }
      case TOPICS.venueSnapshots.name: {
        const { venue, account, portfolio, receivedAtMs } = value as VenueSnapshot;
        const data = { venue, account, portfolio, atMs: receivedAtMs };
        this.lastReconciled.set(`${venue}|${account}`, data);
        return { type: 'reconciled', data };
      }
      case TOPICS.bookSnapshots.name: {
        const book = value as BookSnapshot;
        const change = {
          type: 'book' as const,
          data: { venue: book.venue, instrument: book.instrument, bestBid: book.bids[0]?.price ?? null, bestAsk: book.asks[0]?.price ?? null, sequence: book.sequence },
        };
        this.books.set(`${book.venue}|${book.instrument}`, change);
        return change;
      }
      default:
        return undefined;
    }
  }
}
