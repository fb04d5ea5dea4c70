import { EventEmitter } from 'node:events';
import { MarketView } from '@crossvenue/processors/router';
import {
  InvalidInputError,
  TOPICS,
  type ArbitrageGroup,
  type BalanceSnapshot,
  type BookSnapshot,
  type Fill,
  type Intent,
  type IntentStatus,
  type OrderEvent,
  type Position,
  type ReconciliationDiscrepancy,
  type RouteDecision,
  type SymbolMetadata,
  type SyncDecision,
  type VenueHealth,
  type VenueSnapshot,
} from '@crossvenue/schemas';
import { type Consumer, type Logger, type MessageBus } from '@crossvenue/runtime';
import { balanceReport, positionReport, valuationGraph } from './state/accountReport.ts';
import { ArbitrageLog } from './state/ArbitrageLog.ts';
import { ExecutionLog } from './state/ExecutionLog.ts';
import { InstrumentPrecision } from './state/InstrumentPrecision.ts';
import { SyncLog } from './state/SyncLog.ts';

/** What the gateway reads to show live state and to preview routes. */
export const LIVE_TOPICS = [
  TOPICS.positions,
  TOPICS.balances,
  TOPICS.orderEvents,
  TOPICS.fills,
  TOPICS.intents,
  TOPICS.routeDecisions,
  TOPICS.intentStatus,
  TOPICS.discrepancies,
  TOPICS.venueHealth,
  TOPICS.venueSnapshots,
  TOPICS.bookSnapshots,
  TOPICS.symbols,
  TOPICS.arbitrageGroups,
  TOPICS.syncDecisions,
];

const RECENT_DISCREPANCIES = 200;

export interface TopOfBook {
  venue: string;
  instrument: string;
  bestBid: string | null;
  bestAsk: string | null;
  sequence: number | null;
  receivedAtMs: number;
}

export type StateChange =
  | { type: 'position'; data: Position }
  | { type: 'balances'; data: BalanceSnapshot }
  | { type: 'order'; data: OrderEvent }
  | { type: 'fill'; data: Fill }
  | { type: 'intent'; data: Intent }
  | { type: 'route'; data: RouteDecision }
  | { type: 'intent-status'; data: IntentStatus }
  | { type: 'discrepancy'; data: ReconciliationDiscrepancy }
  | { type: 'venue-health'; data: VenueHealth }
  | { type: 'reconciled'; data: { venue: string; account: string; portfolio: string; atMs: number } }
  | { type: 'book'; data: TopOfBook }
  | { type: 'arbitrage-group'; data: ArbitrageGroup }
  | { type: 'sync-decision'; data: SyncDecision };

export interface LiveStateOptions {
  /** Venue accounts the route preview may use before their first balance snapshot (as the router is given). */
  accounts?: readonly { venue: string; account: string }[];
  /** Where a message that breaks a domain rule is reported before it is skipped. */
  logger?: Logger;
}

/**
 * What the gateway shows: the latest state folded from the state, execution and market topics,
 * and a MarketView like the router's for route previews. This is a reporting view (eventually
 * consistent); the execution path never reads it.
 */
export class LiveState {
  readonly positions = new Map<string, Position>();
  readonly balances = new Map<string, BalanceSnapshot>();
  readonly execution = new ExecutionLog();
  readonly arbitrage = new ArbitrageLog();
  readonly synchronizer = new SyncLog();
  /** Each instrument's display precision, for the views that show its prices and quantities rounded. */
  readonly precision = new InstrumentPrecision();
  readonly venueHealth = new Map<string, VenueHealth>();
  /** When each venue account was last snapshotted for reconciliation. */
  readonly lastReconciled = new Map<string, { venue: string; account: string; portfolio: string; atMs: number }>();
  /** Latest snapshot per venue|instrument. */
  readonly books = new Map<string, BookSnapshot>();
  /** The router's view of books, symbol rules, venue health and balances, for route previews. */
  readonly market: MarketView;
  discrepancies: ReconciliationDiscrepancy[] = [];
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private consumer: Consumer | undefined;

  constructor(private readonly options: LiveStateOptions = {}) {
    this.market = new MarketView(options.accounts);
  }

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
    return this.execution.openOrders(portfolio);
  }

  topOfBooks(): TopOfBook[] {
    return [...this.books.values()].map(topOfBook);
  }

  /** Balances and positions, per venue account and aggregated, valued in USDT at the books' mids. */
  accountReport(portfolio?: string) {
    const graph = valuationGraph(this.books.values());
    const mine = <T extends { portfolio: string }>(items: Iterable<T>) => [...items].filter((item) => !portfolio || item.portfolio === portfolio);
    return { balances: balanceReport(mine(this.balances.values()), graph), positions: positionReport(mine(this.positions.values()), graph, this.precision) };
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
      portfolio: this.lastReconciled.get(key)?.portfolio ?? null,
      lastReconciledMs: this.lastReconciled.get(key)?.atMs ?? null,
      health: this.venueHealth.get(key) ?? null,
      discrepancies: this.discrepancies.filter((d) => d.venue === venue && d.account === account),
    }));
  }

  /** Folds a message the gateway itself just published, so a follow-up request sees it at once. */
  record(topic: string, value: unknown): void {
    this.apply(topic, value);
  }

  private apply(topic: string, value: unknown): void {
    let change: StateChange | undefined;
    try {
      change = this.fold(topic, value);
    } catch (error) {
      // A malformed book or symbol is skipped: it must not stop the view of everything else.
      if (!(error instanceof InvalidInputError)) throw error;
      this.options.logger?.error({ topic }, `skipping a ${topic} message: ${error.message}`);
    }
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
        this.market.applyBalances(snapshot);
        this.balances.set(TOPICS.balances.key(snapshot), snapshot);
        return { type: 'balances', data: snapshot };
      }
      case TOPICS.orderEvents.name: {
        const event = value as OrderEvent;
        this.execution.applyOrderEvent(event);
        return { type: 'order', data: event };
      }
      case TOPICS.fills.name: {
        const fill = value as Fill;
        return this.execution.applyFill(fill) ? { type: 'fill', data: fill } : undefined;
      }
      case TOPICS.intents.name: {
        const intent = value as Intent;
        this.execution.applyIntent(intent);
        return { type: 'intent', data: intent };
      }
      case TOPICS.routeDecisions.name: {
        const decision = value as RouteDecision;
        this.execution.applyDecision(decision);
        return { type: 'route', data: decision };
      }
      case TOPICS.intentStatus.name: {
        const status = value as IntentStatus;
        this.execution.applyStatus(status);
        return { type: 'intent-status', data: status };
      }
      case TOPICS.discrepancies.name: {
        const discrepancy = value as ReconciliationDiscrepancy;
        this.discrepancies = [discrepancy, ...this.discrepancies].slice(0, RECENT_DISCREPANCIES);
        return { type: 'discrepancy', data: discrepancy };
      }
      case TOPICS.venueHealth.name: {
        const health = value as VenueHealth;
        this.market.applyHealth(health);
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
        this.market.applyBook(book);
        this.books.set(`${book.venue}|${book.instrument}`, book);
        return { type: 'book', data: topOfBook(book) };
      }
      case TOPICS.symbols.name:
        this.market.applyMarket(value as SymbolMetadata);
        this.precision.applyMarket(value as SymbolMetadata);
        return undefined;
      case TOPICS.arbitrageGroups.name: {
        const group = value as ArbitrageGroup;
        this.arbitrage.apply(group);
        return { type: 'arbitrage-group', data: group };
      }
      case TOPICS.syncDecisions.name: {
        const decision = value as SyncDecision;
        return this.synchronizer.apply(decision) ? { type: 'sync-decision', data: decision } : undefined;
      }
      default:
        return undefined;
    }
  }
}

function topOfBook(book: BookSnapshot): TopOfBook {
  return {
    venue: book.venue,
    instrument: book.instrument,
    bestBid: book.bids[0]?.price ?? null,
    bestAsk: book.asks[0]?.price ?? null,
    sequence: book.sequence,
    receivedAtMs: book.receivedAtMs,
  };
}
