import { Decimal, type Intent, type IntentOrder, type OrderCommand, type OrderEvent, type OrderEventType } from '@crossvenue/schemas';
import { applyOrderEventMessage, type ExecutionState, type Leg } from '../execution/ExecutionState.ts';
import { applyIntent, emptyDesiredState, type DesiredState } from './DesiredState.ts';
import { converge, placeCommand, recordActions, type CancelAction } from './converge.ts';

/** Builders for the intent tests: wire messages with only what a test cares about spelled out. */
export function intentMessage(intentId: string, order: Partial<IntentOrder> = {}, overrides: Partial<Intent> = {}): Intent {
  return {
    eventId: `e-${intentId}`,
    intentId,
    portfolio: 'p1',
    account: null,
    venues: [],
    instrument: 'BTC/USDT',
    action: 'PLACE',
    kind: 'ORDER',
    order: {
      side: 'BUY',
      amount: '2',
      amountType: 'BASE',
      limitPrice: null,
      timeInForce: 'IOC',
      expireAtMs: null,
      postOnly: false,
      reduceOnly: false,
      trigger: null,
      icebergQuantity: null,
      ...order,
    },
    targetQuantity: null,
    algo: null,
    group: null,
    reroutes: null,
    avoidVenues: [],
    flattens: false,
    source: 'API',
    requestedBy: 'test',
    createdAtMs: 0,
    ...overrides,
  };
}

/** The venue's report of `event` on a leg, with the cumulative filled quantity. */
export function orderEvent(leg: Leg, event: OrderEventType, filled: Decimal | string = '0'): OrderEvent {
  const { order } = leg;
  return {
    eventId: `${order.clientOrderId}-${event}-${filled.toString()}`,
    clientOrderId: order.clientOrderId,
    venueOrderId: null,
    intentId: order.intentId,
    portfolio: 'p1',
    venue: order.venue,
    account: order.account,
    instrument: 'BTC/USDT',
    side: order.side,
    previousState: order.state,
    state: order.state,
    event,
    rawVenueStatus: null,
    filledQuantity: filled.toString(),
    remainingQuantity: '0',
    limitPrice: null,
    averagePrice: null,
    reason: null,
    venueTimeMs: null,
    receivedAtMs: 0,
    source: 'VENUE',
  };
}

/**
 * The intent model without the bus: a desired state, the legs placed for it and what venues said
 * of them. Legs are placed as PortfolioExecution places a route decision's (numbered on from the
 * intent's last leg, for its current version); converge's cancels are recorded as sent.
 */
export class World {
  desired: DesiredState = emptyDesiredState();
  actual: ExecutionState = new Map();
  private ids = 0;

  intent(message: Intent): void {
    this.desired = applyIntent(this.desired, message);
  }

  /** Places one leg per [venue, quantity] for the intent's current terms, at `limitPrice`. */
  place(intentId: string, legs: Array<[string, string]>, limitPrice = '100'): OrderCommand[] {
    const intent = this.desired.intents.get(intentId)!;
    const first = this.actual.get(intentId)?.nextLeg ?? 0;
    const actions = legs.map(([venue, quantity], i) => {
      const leg = { leg: first + i, venue, account: 'main', quantity: new Decimal(quantity), limitPrice: new Decimal(limitPrice) };
      return { kind: 'PLACE' as const, command: placeCommand(intent, leg, this.context()), version: intent.version };
    });
    this.actual = recordActions(this.actual, { actions, routed: [{ intentId, version: intent.version }] });
    return actions.map((action) => action.command);
  }

  /** The cancels converge asks for now, recorded as sent. */
  converge(): CancelAction[] {
    const { actions } = converge(this.desired, this.actual, this.context());
    this.actual = recordActions(this.actual, { actions, routed: [] });
    return actions;
  }

  legs(intentId = 'i1'): readonly Leg[] {
    return this.actual.get(intentId)?.legs ?? [];
  }

  leg(venueName: string, intentId = 'i1'): Leg {
    return [...this.legs(intentId)].reverse().find((leg) => leg.order.venue === venueName)!;
  }

  /** Applies the venue's reports on the latest leg of `intentId` on that venue, each [event, cumulative filled]. */
  report(venueName: string, events: Array<[OrderEventType, string?]>, intentId = 'i1'): void {
    for (const [event, filled] of events) {
      const step = applyOrderEventMessage(this.actual, orderEvent(this.leg(venueName, intentId), event, filled ?? '0'));
      if (step.error) throw new Error(String(step.error));
      this.actual = step.state;
    }
  }

  private context() {
    return { newId: () => `id-${++this.ids}`, nowMs: 1 };
  }
}
