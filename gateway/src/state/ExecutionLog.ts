import {
  fillIdentity,
  isTerminalOrderState,
  type Fill,
  type Intent,
  type IntentState,
  type IntentStatus,
  type OrderEvent,
  type RouteDecision,
} from '@crossvenue/schemas';
import { RecentMap } from './RecentMap.ts';

/** Everything the gateway saw of one intent, for its execution path. */
export interface IntentHistory {
  intentId: string;
  /** PLACE, MODIFY and CANCEL messages, oldest first. */
  messages: Intent[];
  decisions: RouteDecision[];
  /** Latest event per child order (client order id). */
  orders: Map<string, OrderEvent>;
  /** Per fill identity (venue|account|venueTradeId): a redelivered fill is shown once. */
  fills: Map<string, Fill>;
  /** The latest status the execution side published (exec.intent-status); null before the first. */
  status: IntentStatus | null;
}

/** An intent as GET /intents lists it: its desired state and its latest status. */
export interface IntentSummary {
  desired: Intent;
  status: IntentStatus | null;
}

// Bounds on what a long-running gateway keeps (open orders are never dropped: they are live at a venue).
/** The last 2000 intents written to, with their messages, decisions, child orders, fills and status. */
const RECENT_INTENTS = 2_000;
/** The last 500 orders that reached a terminal state. */
const RECENT_CLOSED_ORDERS = 500;
/** The last 1000 distinct fills. */
const RECENT_FILLS = 1_000;

/** An intent's latest PLACE, MODIFY or CANCEL: what its owner asked (a REROUTE or an EXPIRE is the execution path's own step). */
export function ownersLatest(history: IntentHistory): Intent | undefined {
  return history.messages.findLast((message) => message.action !== 'REROUTE' && message.action !== 'EXPIRE');
}

/**
 * The execution records as the gateway shows them: intents with their route decisions, child
 * orders and fills, open orders, recently closed orders and recent fills. A reporting view folded
 * in arrival order; the execution path never reads it.
 */
export class ExecutionLog {
  private readonly histories = new RecentMap<string, IntentHistory>(RECENT_INTENTS);
  private readonly open = new Map<string, OrderEvent>();
  private readonly closed = new RecentMap<string, OrderEvent>(RECENT_CLOSED_ORDERS);
  private readonly fills = new RecentMap<string, Fill>(RECENT_FILLS);

  /** The desired state of an intent: see ownersLatest. */
  intent(intentId: string): Intent | undefined {
    const history = this.histories.get(intentId);
    return history && ownersLatest(history);
  }

  history(intentId: string): IntentHistory | undefined {
    return this.histories.get(intentId);
  }

  applyIntent(intent: Intent): void {
    this.touch(intent.intentId).messages.push(intent);
  }

  applyDecision(decision: RouteDecision): void {
    this.touch(decision.intentId).decisions.push(decision);
  }

  /** An intent's statuses come in the order published (one partition per portfolio): the last read is the latest. */
  applyStatus(status: IntentStatus): void {
    this.touch(status.intentId).status = status;
  }

  /** Up to `limit` intents, the most recently written first, of `portfolio` and in `state` when given. */
  recentIntents(limit: number, filter: { portfolio?: string; state?: IntentState } = {}): IntentSummary[] {
    const summaries: IntentSummary[] = [];
    for (const history of this.histories.newestFirst()) {
      const desired = this.intent(history.intentId);
      if (!desired || (filter.portfolio && desired.portfolio !== filter.portfolio) || (filter.state && history.status?.state !== filter.state)) continue;
      summaries.push({ desired, status: history.status });
      if (summaries.length === limit) break;
    }
    return summaries;
  }

  applyOrderEvent(event: OrderEvent): void {
    this.touch(event.intentId).orders.set(event.clientOrderId, event);
    if (isTerminalOrderState(event.state)) {
      this.open.delete(event.clientOrderId);
      this.closed.set(event.clientOrderId, event);
    } else {
      // Shown as the log says, in one list only, even if an event ever reopens a closed order.
      this.closed.delete(event.clientOrderId);
      this.open.set(event.clientOrderId, event);
    }
  }

  /** False for a fill already seen (same venue, account and venue trade id). */
  applyFill(fill: Fill): boolean {
    const identity = fillIdentity({ venue: fill.venue, account: fill.account, tradeId: fill.venueTradeId });
    if (this.fills.has(identity)) return false;
    this.fills.set(identity, fill);
    if (fill.intentId !== null) this.touch(fill.intentId).fills.set(identity, fill);
    return true;
  }

  openOrders(portfolio?: string): OrderEvent[] {
    return [...this.open.values()].filter((order) => !portfolio || order.portfolio === portfolio);
  }

  closedOrders(limit: number, portfolio?: string): OrderEvent[] {
    return this.closed.newestFirst().filter((order) => !portfolio || order.portfolio === portfolio).slice(0, limit);
  }

  recentFills(limit: number, portfolio?: string): Fill[] {
    return this.fills.newestFirst().filter((fill) => !portfolio || fill.portfolio === portfolio).slice(0, limit);
  }

  private touch(intentId: string): IntentHistory {
    const history = this.histories.get(intentId) ?? { intentId, messages: [], decisions: [], orders: new Map(), fills: new Map(), status: null };
    this.histories.set(intentId, history);
    return history;
  }
}
