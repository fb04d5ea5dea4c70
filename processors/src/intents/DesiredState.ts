import { InvalidInputError, parseIntentOrder, validateSymbol, type Decimal, type Intent, type OrderGroup, type StandardOrder } from '@crossvenue/schemas';

/** What one intent wants now. `version` rises on every MODIFY; legs of an older version are replaced. */
export interface DesiredIntent {
  intentId: string;
  portfolio: string;
  /** Null lets the router choose among the accounts it is given. */
  account: string | null;
  /** Venues the router may use; empty means any. */
  venues: readonly string[];
  order: StandardOrder;
  group: OrderGroup | null;
  status: 'ACTIVE' | 'CANCELED';
  version: number;
  /** A flatten order: it may trade on the venue it closes although that venue is halted. */
  flattens: boolean;
}

/** Where new orders must not go and working ones must be cancelled: a cancel-all or a flatten in force. */
export type Halt = { scope: 'GLOBAL' } | { scope: 'VENUE'; venue: string } | { scope: 'ACCOUNT'; venue: string; account: string };

export interface DesiredState {
  readonly intents: ReadonlyMap<string, DesiredIntent>;
  readonly halts: readonly Halt[];
}

export const EMPTY_DESIRED_STATE: DesiredState = { intents: new Map(), halts: [] };

/**
 * Folds one Intent message into the desired state. PLACE adds, MODIFY replaces the order (same
 * intent id), CANCEL withdraws. The router works in the base asset, so ORDER and ORDER_GROUP
 * intents with a base amount are accepted; anything else is an InvalidInputError naming the
 * intent, for the caller to dead-letter or reject, and the state is left as it was.
 */
export function applyIntent(state: DesiredState, intent: Intent): DesiredState {
  const current = state.intents.get(intent.intentId);
  const where = `intent ${intent.intentId}`;
  if (intent.action === 'CANCEL') {
    if (!current) throw new InvalidInputError(`${where}: CANCEL of an unknown intent`);
    return withIntent(state, { ...current, status: 'CANCELED' });
  }
  if (intent.action === 'PLACE' && current) throw new InvalidInputError(`${where}: PLACE of an intent that exists; use MODIFY`);
  if (intent.action === 'MODIFY' && (!current || current.status === 'CANCELED')) {
    throw new InvalidInputError(`${where}: MODIFY of an intent that is ${current ? 'canceled' : 'unknown'}`);
  }
  if (intent.kind === 'TARGET_POSITION' || intent.order === null) {
    throw new InvalidInputError(`${where}: only ORDER and ORDER_GROUP intents with an order are executed here`);
  }
  const order = parseIntentOrder(intent.instrument, intent.order);
  if (order.trigger !== null) throw new InvalidInputError(`${where}: conditional (trigger) intents are not executed here`);
  if (order.amountType !== 'BASE') throw new InvalidInputError(`${where}: the intent model needs a base amount, got QUOTE`);
  if (!order.amount.gt(0)) throw new InvalidInputError(`${where}: amount must be positive`);
  return withIntent(state, {
    intentId: intent.intentId,
    portfolio: intent.portfolio,
    account: intent.account,
    venues: intent.venues,
    order,
    group: intent.group,
    status: 'ACTIVE',
    version: current ? current.version + 1 : 0,
    flattens: false,
  });
}

function withIntent(state: DesiredState, intent: DesiredIntent): DesiredState {
  return { ...state, intents: new Map(state.intents).set(intent.intentId, intent) };
}

/**
 * Cancel-all: GLOBAL withdraws every intent and routes nothing anywhere until it is lifted with
 * resume (a kill switch); VENUE and ACCOUNT stop routing there and cancel the
 * orders working there, while the intents live on and their remainder is routed elsewhere (if the
 * re-route policy allows), so that one venue is cleared without touching the others.
 */
export function cancelAll(state: DesiredState, halt: Halt): DesiredState {
  if (halt.scope !== 'GLOBAL') return { ...state, halts: [...state.halts, halt] };
  const intents = new Map([...state.intents].map(([id, intent]) => [id, { ...intent, status: 'CANCELED' as const }]));
  return { intents, halts: [...state.halts, halt] };
}

/** Lifts a halt, e.g. once the venue is back: new orders may go there again. */
export function resume(state: DesiredState, halt: Halt): DesiredState {
  return { ...state, halts: state.halts.filter((existing) => !sameHalt(existing, halt)) };
}

function sameHalt(a: Halt, b: Halt): boolean {
  const venue = (halt: Halt) => (halt.scope === 'GLOBAL' ? null : halt.venue);
  const account = (halt: Halt) => (halt.scope === 'ACCOUNT' ? halt.account : null);
  return a.scope === b.scope && venue(a) === venue(b) && account(a) === account(b);
}

/** Whether a halt in force covers this venue account. */
export function isHalted(state: DesiredState, venue: string, account: string): boolean {
  return state.halts.some(
    (halt) => halt.scope === 'GLOBAL' || (halt.venue === venue && (halt.scope === 'VENUE' || halt.account === account)),
  );
}

/** A position held on one account of the venue being flattened; positive is long, in the base asset. */
export interface VenuePosition {
  account: string;
  portfolio: string;
  instrument: string;
  quantity: Decimal;
}

/**
 * Flattens one venue and nothing else: halts it (its working orders are cancelled, no new ones go
 * there) and adds one reduce-only market intent per open position, pinned to that venue account,
 * which alone may still trade there. Intents on other venues are untouched.
 */
export function flattenVenue(state: DesiredState, venue: string, positions: readonly VenuePosition[], flattenId: string): DesiredState {
  let next = cancelAll(state, { scope: 'VENUE', venue });
  for (const position of positions) {
    if (position.quantity.isZero()) continue;
    // Intent ids allow no '/': BTC/USDT becomes BTC-USDT.
    const intentId = `${flattenId}:${position.account}:${position.instrument.replace(/[^A-Za-z0-9_.:-]/g, '-')}`;
    next = withIntent(next, {
      intentId,
      portfolio: position.portfolio,
      account: position.account,
      venues: [venue],
      order: {
        instrument: validateSymbol(position.instrument),
        side: position.quantity.gt(0) ? 'SELL' : 'BUY',
        amount: position.quantity.abs(),
        amountType: 'BASE',
        limitPrice: null,
        timeInForce: 'IOC',
        expireAtMs: null,
        postOnly: false,
        reduceOnly: true,
        trigger: null,
        icebergQuantity: null,
      },
      group: null,
      status: 'ACTIVE',
      version: 0,
      flattens: true,
    });
  }
  return next;
}
