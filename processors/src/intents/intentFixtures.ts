import type { Decimal, Intent, IntentOrder, OrderEvent, OrderEventType } from '@crossvenue/schemas';
import { applyOrderEventMessage, type ExecutionState, type Leg } from '../execution/ExecutionState.ts';
import type { VenueCandidate } from '../router/RouteRequest.ts';
import { levels, venue } from '../router/venueFixtures.ts';
import { EMPTY_DESIRED_STATE, type DesiredState } from './DesiredState.ts';
import { converge, DEFAULT_REROUTE_POLICY, recordActions, type Convergence, type ReroutePolicy } from './converge.ts';

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

const book = (price: string) => ({ asks: levels([[price, '1'], [`${Number(price) + 5}`, '10']]), bids: levels([['90', '10']]) });

/** The world the tests run in: three venues, each with 1 BTC at its best ask. */
export class World {
  desired: DesiredState = EMPTY_DESIRED_STATE;
  actual: ExecutionState = new Map();
  venues: VenueCandidate[] = [venue('binance', book('100')), venue('okx', book('101')), venue('kraken', book('102'))];
  policy: ReroutePolicy = DEFAULT_REROUTE_POLICY;
  private ids = 0;

  converge(): Convergence {
    const convergence = converge(this.desired, this.actual, {
      candidates: () => this.venues,
      policy: this.policy,
      newId: () => `id-${++this.ids}`,
      nowMs: 1,
    });
    this.actual = recordActions(this.actual, convergence);
    return convergence;
  }

  legs(intentId = 'i1'): readonly Leg[] {
    return this.actual.get(intentId)?.legs ?? [];
  }

  leg(venueName: string, intentId = 'i1'): Leg {
    return [...this.legs(intentId)].reverse().find((leg) => leg.order.venue === venueName)!;
  }

  report(venueName: string, ...events: [Parameters<typeof orderEvent>[1], string?][]): void {
    for (const [event, filled] of events) {
      const step = applyOrderEventMessage(this.actual, orderEvent(this.leg(venueName), event, filled ?? '0'));
      if (step.error) throw new Error(String(step.error));
      this.actual = step.state;
    }
  }

  setState(venueName: string, state: 'HEALTHY' | 'DOWN'): void {
    this.venues = this.venues.map((candidate) => (candidate.venue === venueName ? { ...candidate, condition: { ...candidate.condition, state } } : candidate));
  }
}

