import {
  formatDecimal,
  InvalidInputError,
  MAX_EPOCH_MS,
  parseDecimal,
  parseIntentOrder,
  whyNotExecuted,
  type ControlCommand,
  type Decimal,
  type Intent,
  type IntentSource,
  type OrderGroup,
  type QuoteConversion,
  type StandardOrder,
} from '@crossvenue/schemas';
import { marketOrder } from './orderIntent.ts';

/** What one intent wants now. `version` rises on every MODIFY; legs of an older version are replaced. */
export interface DesiredIntent {
  intentId: string;
  portfolio: string;
  /** Null lets the router choose among the accounts it is given. */
  account: string | null;
  /** Venues the router may use; empty means any. */
  venues: readonly string[];
  /** Its amount always in the base asset: a QUOTE amount as its route decision converted it (quoteAmount). */
  order: StandardOrder;
  /** The amount the intent gave in the quote currency, when it did; null for a BASE amount. */
  quoteAmount: Decimal | null;
  group: OrderGroup | null;
  /** CANCELED by its owner or a cancel-all; EXPIRED when its DAY or GTD time was up (an EXPIRE). */
  status: 'ACTIVE' | 'CANCELED' | 'EXPIRED';
  version: number;
  /** When a DAY or GTD intent ends, epoch ms (see expiryOf); null for the others. */
  expiresAtMs: number | null;
  /** A flatten order: it may trade on the venue it closes although that venue is halted. */
  flattens: boolean;
  /** Who asked for the intent: its PLACE's source (a MODIFY keeps it). */
  source: IntentSource;
}

/** Where new orders must not go and working ones must be cancelled: a cancel-all or a flatten in force. */
export type Halt = { scope: 'GLOBAL' } | { scope: 'VENUE'; venue: string } | { scope: 'ACCOUNT'; venue: string; account: string };

/**
 * Owned by one fold (a PortfolioExecution, the router's halts): applyIntent updates `intents` in
 * place, because copying every intent on every message made each one cost time in proportion to
 * all intents ever read. Each intent is a value, replaced whole.
 */
export interface DesiredState {
  readonly intents: Map<string, DesiredIntent>;
  readonly halts: readonly Halt[];
}

export function emptyDesiredState(): DesiredState {
  return { intents: new Map(), halts: [] };
}

/**
 * Folds one Intent message into the desired state. PLACE adds, MODIFY replaces the order (same
 * intent id), CANCEL withdraws. What whyNotExecuted refuses (the rule the gateway applies up front
 * too) and anything malformed is an InvalidInputError naming the intent, for the caller to
 * dead-letter or reject, and the state is left as it was. A QUOTE amount is held as the base amount
 * `conversion` (its route decision's) gives; see inBase.
 */
export function applyIntent(state: DesiredState, intent: Intent, conversion: QuoteConversion | null = null): DesiredState {
  const current = state.intents.get(intent.intentId);
  const where = `intent ${intent.intentId}`;
  if (intent.action === 'CANCEL') {
    if (!current) throw new InvalidInputError(`${where}: CANCEL of an unknown intent`);
    return withIntent(state, { ...current, status: current.status === 'EXPIRED' ? 'EXPIRED' : 'CANCELED' });
  }
  if (intent.action === 'EXPIRE') {
    if (!current) throw new InvalidInputError(`${where}: EXPIRE of an unknown intent`);
    // A cancel that came first stands; an expiry asked before a MODIFY moved the time is void.
    const due = current.expiresAtMs !== null && current.expiresAtMs <= intent.createdAtMs;
    return current.status === 'ACTIVE' && due ? withIntent(state, { ...current, status: 'EXPIRED' }) : state;
  }
  if (intent.action === 'REROUTE') {
    // A re-route asks for another routing of terms already held; it changes nothing desired.
    if (!current || current.status !== 'ACTIVE') throw new InvalidInputError(`${where}: REROUTE of an intent that is ${current ? current.status.toLowerCase() : 'unknown'}`);
    return state;
  }
  if (intent.action === 'PLACE' && current) throw new InvalidInputError(`${where}: PLACE of an intent that exists; use MODIFY`);
  if (intent.action === 'MODIFY' && (!current || current.status !== 'ACTIVE')) {
    throw new InvalidInputError(`${where}: MODIFY of an intent that is ${current ? current.status.toLowerCase() : 'unknown'}`);
  }
  // The execution side holds targets apart (TargetPositions) and trades them through child orders.
  if (intent.kind === 'TARGET_POSITION') throw new InvalidInputError(`${where}: a TARGET_POSITION intent is held as a target (TargetPositions), not as an order`);
  if (intent.algo !== null) throw new InvalidInputError(`${where}: an intent with an algo is held as a TWAP (TwapOrders), not as an order`);
  if (intent.order?.icebergQuantity != null) throw new InvalidInputError(`${where}: an intent with an iceberg quantity is held as an iceberg (IcebergOrders), not as an order`);
  const notExecuted = whyNotExecuted(intent);
  if (notExecuted) throw new InvalidInputError(`${where}: ${notExecuted.field}: ${notExecuted.reason}`);
  if (intent.order === null) throw new InvalidInputError(`${where}: ${intent.action} of an ${intent.kind} intent without an order`);
  const given = parseIntentOrder(intent.instrument, intent.order);
  if (!given.amount.gt(0)) throw new InvalidInputError(`${where}: amount must be positive`);
  if ((given.timeInForce === 'GTD') !== (given.expireAtMs !== null)) throw new InvalidInputError(`${where}: expireAtMs is set exactly when timeInForce is GTD`);
  if (given.expireAtMs !== null && (given.expireAtMs <= 0 || given.expireAtMs > MAX_EPOCH_MS)) throw new InvalidInputError(`${where}: expireAtMs ${given.expireAtMs} is not epoch milliseconds up to ${MAX_EPOCH_MS} (year 9999)`);
  const order = inBase(given, current, conversion, where);
  return withIntent(state, {
    intentId: intent.intentId,
    portfolio: intent.portfolio,
    account: intent.account,
    venues: intent.venues,
    order,
    quoteAmount: given.amountType === 'QUOTE' ? given.amount : null,
    group: intent.group,
    status: 'ACTIVE',
    version: current ? current.version + 1 : 0,
    expiresAtMs: expiryOf(order, current, intent.createdAtMs),
    flattens: intent.flattens,
    source: current?.source ?? intent.source,
  });
}

/**
 * The order with its amount in the base asset. A PLACE in QUOTE takes the base amount its route
 * decision converted it to; without a conversion (no book to price it) it is refused. A MODIFY of a
 * QUOTE intent keeps the base amount fixed at its PLACE when it gives the same quote amount, and is
 * refused when it gives another: what was filled was bought at earlier prices, so a new total in
 * quote has no single base amount. The amount type may change by MODIFY to BASE.
 */
function inBase(order: StandardOrder, current: DesiredIntent | undefined, conversion: QuoteConversion | null, where: string): StandardOrder {
  if (order.amountType === 'BASE') return order;
  if (current) {
    if (current.quoteAmount === null || !current.quoteAmount.equals(order.amount)) {
      throw new InvalidInputError(`${where}: a MODIFY cannot change an intent's QUOTE amount (${current.quoteAmount === null ? 'it was given in BASE' : `it was ${formatDecimal(current.quoteAmount)}`}); cancel it and place a new one`);
    }
    return { ...order, amount: current.order.amount, amountType: 'BASE' };
  }
  if (conversion === null) throw new InvalidInputError(`${where}: its QUOTE amount cannot be converted: no venue it may use had a price`);
  const quoteAmount = parseDecimal(conversion.quoteAmount, `${where} conversion quoteAmount`);
  if (!quoteAmount.equals(order.amount)) throw new InvalidInputError(`${where}: its route decision converted ${conversion.quoteAmount}, not the amount ${formatDecimal(order.amount)} it gave`);
  const amount = parseDecimal(conversion.baseAmount, `${where} conversion baseAmount`);
  if (!amount.gt(0)) throw new InvalidInputError(`${where}: its QUOTE amount ${formatDecimal(order.amount)} converts to no base quantity at ${conversion.price}`);
  return { ...order, amount, amountType: 'BASE' };
}

const DAY_MS = 86_400_000;

/**
 * When the intent ends: GTD at its expireAtMs; DAY at the next 00:00 UTC after the PLACE (a MODIFY
 * that keeps DAY keeps the PLACE's day); null for GTC, IOC and FOK. The venues see GTC legs: a
 * DAY's end differs by venue and few take GTD, so the execution side holds the time (expired).
 */
function expiryOf(order: StandardOrder, current: DesiredIntent | undefined, createdAtMs: number): number | null {
  if (order.timeInForce === 'GTD') return order.expireAtMs;
  if (order.timeInForce !== 'DAY') return null;
  if (current?.order.timeInForce === 'DAY') return current.expiresAtMs;
  return (Math.floor(createdAtMs / DAY_MS) + 1) * DAY_MS;
}

function withIntent(state: DesiredState, intent: DesiredIntent): DesiredState {
  state.intents.set(intent.intentId, intent);
  return state;
}

/**
 * Cancel-all: GLOBAL withdraws every intent and routes nothing anywhere until it is lifted with
 * resume (a kill switch); VENUE and ACCOUNT stop routing there and cancel the
 * orders working there, while the intents live on and their remainder is routed elsewhere (if the
 * re-route policy allows), so that one venue is cleared without touching the others.
 */
export function cancelAll(state: DesiredState, halt: Halt): DesiredState {
  const halts = state.halts.some((existing) => sameHalt(existing, halt)) ? state.halts : [...state.halts, halt];
  if (halt.scope !== 'GLOBAL') return { ...state, halts };
  const intents = new Map([...state.intents].map(([id, intent]) => [id, { ...intent, status: intent.status === 'ACTIVE' ? ('CANCELED' as const) : intent.status }]));
  return { intents, halts };
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
export function isHalted(halts: readonly Halt[], venue: string, account: string): boolean {
  return halts.some(
    (halt) => halt.scope === 'GLOBAL' || (halt.venue === venue && (halt.scope === 'VENUE' || halt.account === account)),
  );
}

/**
 * The halt a CANCEL_ALL, FLATTEN or RESUME control command names, or null for other commands
 * (kill switches and settings belong to the risk engine). Throws InvalidInputError when the scope
 * lacks its venue or account.
 */
export function haltOf(command: ControlCommand): Halt | null {
  if (command.type !== 'CANCEL_ALL' && command.type !== 'FLATTEN' && command.type !== 'RESUME') return null;
  const where = `control command ${command.eventId} (${command.type} ${command.scope})`;
  if (command.scope === 'PORTFOLIO') throw new InvalidInputError(`${where}: the scope must be GLOBAL, VENUE or ACCOUNT`);
  if (command.scope === 'GLOBAL') {
    if (command.type === 'FLATTEN') throw new InvalidInputError(`${where}: a flatten needs a VENUE or ACCOUNT scope`);
    return { scope: 'GLOBAL' };
  }
  if (command.venue === null) throw new InvalidInputError(`${where}: venue is missing`);
  if (command.scope === 'VENUE') return { scope: 'VENUE', venue: command.venue };
  if (command.account === null) throw new InvalidInputError(`${where}: account is missing`);
  return { scope: 'ACCOUNT', venue: command.venue, account: command.account };
}

/** Applies a CANCEL_ALL or FLATTEN (a halt) or a RESUME (lifts it); other control commands leave the state as it is. */
export function applyControl(state: DesiredState, command: ControlCommand): DesiredState {
  const halt = haltOf(command);
  if (halt === null) return state;
  return command.type === 'RESUME' ? resume(state, halt) : cancelAll(state, halt);
}

/** A position held on one account of a venue being flattened; positive is long, in the base asset. */
export interface VenuePosition {
  account: string;
  portfolio: string;
  instrument: string;
  quantity: Decimal;
}

/**
 * The orders of a FLATTEN: one reduce-only market intent per open position in the halted venue or
 * account, pinned to that venue account, which alone may still trade there (`flattens`). Their
 * ids derive from the command's event id, so a replayed flatten names the same intents.
 */
export function flattenIntents(command: ControlCommand, positions: readonly VenuePosition[]): Intent[] {
  const halt = haltOf(command);
  if (command.type !== 'FLATTEN' || halt === null || halt.scope === 'GLOBAL') return [];
  const inScope = positions.filter((position) => !position.quantity.isZero() && (halt.scope === 'VENUE' || position.account === halt.account));
  return inScope.map((position) => {
    // Intent ids allow no '/': BTC/USDT becomes BTC-USDT.
    const intentId = `flatten:${command.eventId}:${position.account}:${position.instrument}`.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 128);
    return {
      eventId: `${intentId}:place`,
      intentId,
      portfolio: position.portfolio,
      account: position.account,
      venues: [halt.venue],
      instrument: position.instrument,
      action: 'PLACE',
      kind: 'ORDER',
      order: marketOrder(position.quantity.gt(0) ? 'SELL' : 'BUY', formatDecimal(position.quantity.abs()), true),
      targetQuantity: null,
      algo: null,
      group: null,
      reroutes: null,
      avoidVenues: [],
      flattens: true,
      source: 'EXECUTION',
      requestedBy: `flatten by ${command.issuedBy}: ${command.reason}`,
      createdAtMs: command.issuedAtMs,
    };
  });
}
