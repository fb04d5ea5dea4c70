import {
  Decimal,
  formatDecimal,
  type Alert,
  type Fill,
  type OrderEvent,
  type ReconciliationDiscrepancy,
  type VenueOrder,
  type VenueSnapshot,
  transition,
} from '@crossvenue/schemas';
import type { AccountView } from './AccountView.ts';

export interface ReconcilePolicy {
  /** Venue data this close to the snapshot may still be on its way to us: not a discrepancy yet. */
  graceMs: number;
  /** A snapshot older than this when reconciled is stale: reported, never acted on. */
  maxSnapshotAgeMs: number;
  /** Balance differences up to this (dust, rounding) are not discrepancies. */
  balanceTolerance: Decimal;
}

export interface Findings {
  discrepancies: ReconciliationDiscrepancy[];
  /** Corrections, marked source RECONCILIATION: fills the venue made that we never received… */
  fills: Fill[];
  /** …and order states moved to what the venue says. */
  orderEvents: OrderEvent[];
  alerts: Alert[];
}

type Kind = ReconciliationDiscrepancy['kind'];

/** One snapshot being reconciled: what every step reads, and the findings they add to. */
interface Pass {
  snapshot: VenueSnapshot;
  view: AccountView;
  nowMs: number;
  /** The time the snapshot describes: the venue's, or ours when the venue gave none. */
  asOf: number;
  /** Venue data later than this may still be on its way to us: not a discrepancy yet. */
  settled: number;
  findings: Findings;
}

/**
 * Compares what one venue account reports with what we believe, and moves our state toward the
 * venue (the venue wins) with corrections that say so: synthetic fills and order events marked
 * RECONCILIATION, a discrepancy and an alert for each difference. Never a silent edit.
 */
export function reconcile(snapshot: VenueSnapshot, view: AccountView, policy: ReconcilePolicy, nowMs: number): Findings {
  const asOf = snapshot.venueTimeMs ?? snapshot.receivedAtMs;
  const pass: Pass = { snapshot, view, nowMs, asOf, settled: asOf - policy.graceMs, findings: { discrepancies: [], fills: [], orderEvents: [], alerts: [] } };
  if (nowMs - snapshot.receivedAtMs > policy.maxSnapshotAgeMs) {
    report(pass, 'STALE_VENUE', `snapshot ${snapshot.eventId}`, null, null, `not acted on: ${nowMs - snapshot.receivedAtMs} ms old`);
    return pass.findings;
  }
  // The order matters: the synthetic fills of the earlier steps count in what the later ones compare.
  addMissedTrades(pass);
  compareVenueOpenOrders(pass);
  closeOrdersNotOpenAtVenue(pass);
  comparePositions(pass);
  compareBalances(pass, policy.balanceTolerance);
  view.anchorBalances(snapshot.balances, asOf);
  return pass.findings;
}

/** Records a difference: a discrepancy, and an alert that says it to people. */
function report(pass: Pass, kind: Kind, subject: string, internal: Decimal | null, venue: Decimal | null, correction: string, severity: Alert['severity'] = 'WARNING'): void {
  const { snapshot, nowMs, findings } = pass;
  const id = `recon:${snapshot.eventId}:${kind}:${subject}`;
  findings.discrepancies.push({
    eventId: id,
    venue: snapshot.venue,
    account: snapshot.account,
    portfolio: snapshot.portfolio,
    kind,
    subject,
    internalValue: internal && formatDecimal(internal),
    venueValue: venue && formatDecimal(venue),
    correction,
    detectedAtMs: nowMs,
  });
  findings.alerts.push({
    eventId: `${id}:alert`,
    severity,
    code: kind,
    component: 'reconciler',
    venue: snapshot.venue,
    account: snapshot.account,
    subject,
    message: `${snapshot.venue}/${snapshot.account} ${kind.toLowerCase().replace(/_/g, ' ')}: ${subject}; ${correction}`,
    raisedAtMs: nowMs,
  });
}

/** Executions the venue made that never reached us become synthetic fills. */
function addMissedTrades(pass: Pass): void {
  const { snapshot, view, nowMs, findings } = pass;
  for (const trade of snapshot.trades) {
    if (trade.venueTimeMs > pass.settled || view.fillIds.has(trade.venueTradeId)) continue;
    // Binance's trade list names only its own order id: the order is ours if an event named that id.
    const clientOrderId = trade.clientOrderId ?? view.clientOrderIdOf(trade.venueOrderId) ?? null;
    const order = clientOrderId ? view.orders.get(clientOrderId) : undefined;
    const fill: Fill = {
      eventId: `recon:${snapshot.venue}:${snapshot.account}:${trade.venueTradeId}`,
      venue: snapshot.venue,
      account: snapshot.account,
      portfolio: snapshot.portfolio,
      venueTradeId: trade.venueTradeId,
      clientOrderId: clientOrderId ?? '',
      venueOrderId: trade.venueOrderId,
      intentId: order?.intentId ?? null,
      instrument: trade.instrument,
      side: trade.side,
      price: trade.price,
      quantity: trade.quantity,
      fee: trade.fee,
      feeCurrency: trade.feeCurrency,
      liquidity: trade.liquidity,
      venueTimeMs: trade.venueTimeMs,
      receivedAtMs: nowMs,
      source: 'RECONCILIATION',
    };
    view.applyFill(fill);
    findings.fills.push(fill);
    report(pass, 'QUANTITY_MISMATCH', `trade ${trade.venueTradeId} of order ${clientOrderId ?? trade.venueOrderId}`, null, new Decimal(trade.quantity), 'synthetic fill published');
  }
}

/** Our client order id for an order the venue lists; for one placed without ours, its venue id stands in. */
function clientOrderIdOf(order: VenueOrder): string {
  return order.clientOrderId ?? `venue:${order.venueOrderId}`;
}

/** Orders the venue has open: unknown to us (or not open to us), or filled differently. */
function compareVenueOpenOrders(pass: Pass): void {
  const { snapshot, view } = pass;
  for (const order of snapshot.openOrders) {
    const clientOrderId = clientOrderIdOf(order);
    const known = view.orders.get(clientOrderId);
    const filled = new Decimal(order.filledQuantity);
    if (!known || view.openOrders().every((open) => open.clientOrderId !== clientOrderId)) {
      const outcome = moveToVenueOrder(pass, order, known, filled.isZero() ? 'ACCEPTED' : 'PARTIALLY_FILLED', 'open at the venue');
      report(pass, 'UNKNOWN_ORDER_AT_VENUE', clientOrderId, null, new Decimal(order.quantity), outcome, 'CRITICAL');
    } else if (!filled.equals(known.filledQuantity)) {
      const outcome = moveToVenueOrder(pass, order, known, 'PARTIALLY_FILLED', 'filled quantity at the venue');
      report(pass, 'QUANTITY_MISMATCH', clientOrderId, new Decimal(known.filledQuantity), filled, outcome);
    }
  }
}

/** Moves our order to the venue's with an order event, its state from the one transition table; says what it did. */
function moveToVenueOrder(pass: Pass, order: VenueOrder, known: OrderEvent | undefined, event: OrderEvent['event'], reason: string): string {
  const { snapshot, nowMs, findings } = pass;
  const clientOrderId = clientOrderIdOf(order);
  const filled = new Decimal(order.filledQuantity);
  const previousState = known?.state ?? 'UNKNOWN';
  const moved = transition(previousState, event, !filled.isZero(), clientOrderId);
  if (!moved.ok) return `not corrected: ${moved.error.message}`;
  findings.orderEvents.push({
    eventId: `recon:${snapshot.eventId}:order:${clientOrderId}`,
    clientOrderId,
    venueOrderId: order.venueOrderId,
    intentId: known?.intentId ?? '',
    portfolio: snapshot.portfolio,
    venue: snapshot.venue,
    account: snapshot.account,
    instrument: order.instrument,
    side: order.side,
    previousState,
    state: moved.state,
    event,
    rawVenueStatus: order.rawVenueStatus,
    filledQuantity: formatDecimal(filled),
    remainingQuantity: formatDecimal(new Decimal(order.quantity).minus(filled)),
    limitPrice: order.limitPrice,
    averagePrice: known?.averagePrice ?? null,
    reason,
    venueTimeMs: snapshot.venueTimeMs,
    receivedAtMs: nowMs,
    source: 'RECONCILIATION',
  });
  return `order moved to ${moved.state}`;
}

/** Orders we think are open that the venue does not list: filled, or gone. */
function closeOrdersNotOpenAtVenue(pass: Pass): void {
  const { snapshot, view, nowMs, findings } = pass;
  const openAtVenue = new Set(snapshot.openOrders.map(clientOrderIdOf));
  for (const order of view.openOrders()) {
    if (openAtVenue.has(order.clientOrderId) || order.receivedAtMs > pass.settled) continue;
    const quantity = new Decimal(order.filledQuantity).plus(order.remainingQuantity);
    const filled = view.filledByOrder.get(order.clientOrderId) ?? new Decimal(order.filledQuantity);
    // Filled in full; or never reached the venue (its list is the evidence, NOT_FOUND); or canceled there.
    const neverOpened = (order.state === 'PENDING_NEW' || order.state === 'UNKNOWN') && filled.isZero();
    const event: OrderEvent['event'] = filled.greaterThanOrEqualTo(quantity) ? 'FILLED' : neverOpened ? 'NOT_FOUND' : 'CANCELED';
    const moved = transition(order.state, event, !filled.isZero(), order.clientOrderId);
    if (moved.ok) {
      findings.orderEvents.push({
        ...order,
        eventId: `recon:${snapshot.eventId}:order:${order.clientOrderId}`,
        previousState: order.state,
        state: moved.state,
        event,
        rawVenueStatus: 'NOT_OPEN',
        filledQuantity: formatDecimal(filled),
        remainingQuantity: '0',
        reason: 'not open at the venue',
        venueTimeMs: snapshot.venueTimeMs,
        receivedAtMs: nowMs,
        source: 'RECONCILIATION',
      });
    }
    const outcome = moved.ok ? `order marked ${moved.state}` : `not corrected: ${moved.error.message}`;
    report(pass, 'ORDER_MISSING_AT_VENUE', order.clientOrderId, quantity.minus(filled), null, outcome, moved.ok ? 'WARNING' : 'CRITICAL');
  }
}

/**
 * Derivatives positions: ours are the sum of our fills; the difference becomes a synthetic fill at
 * the venue's mark (or entry) price, so our position equals the venue's.
 */
function comparePositions(pass: Pass): void {
  const { snapshot, view, nowMs, findings } = pass;
  const instruments = new Set([...snapshot.positions.map((position) => position.instrument), ...[...view.netQuantity.keys()].filter((i) => i.includes(':'))]);
  for (const instrument of instruments) {
    const atVenue = snapshot.positions.find((position) => position.instrument === instrument);
    const venueQuantity = new Decimal(atVenue?.quantity ?? 0);
    const ours = view.netQuantity.get(instrument) ?? new Decimal(0);
    if (venueQuantity.equals(ours)) continue;
    const price = atVenue?.markPrice ?? atVenue?.entryPrice;
    if (!price) {
      report(pass, 'POSITION_MISMATCH', instrument, ours, venueQuantity, 'not corrected: the venue gave no price', 'CRITICAL');
      continue;
    }
    const difference = venueQuantity.minus(ours);
    const fill: Fill = {
      eventId: `recon:${snapshot.eventId}:position:${instrument}`,
      venue: snapshot.venue,
      account: snapshot.account,
      portfolio: snapshot.portfolio,
      venueTradeId: `recon-position:${snapshot.eventId}:${instrument}`,
      clientOrderId: '',
      venueOrderId: '',
      intentId: null,
      instrument,
      side: difference.isPositive() ? 'BUY' : 'SELL',
      price,
      quantity: formatDecimal(difference.abs()),
      fee: '0',
      feeCurrency: instrument.split(':')[1] ?? '',
      liquidity: 'TAKER',
      venueTimeMs: pass.asOf,
      receivedAtMs: nowMs,
      source: 'RECONCILIATION',
    };
    view.applyFill(fill);
    findings.fills.push(fill);
    report(pass, 'POSITION_MISMATCH', instrument, ours, venueQuantity, `synthetic fill of ${formatDecimal(difference)} at ${price}`, 'CRITICAL');
  }
}

/** Spot balances: the last snapshot plus our fills since should give what the venue reports, within `tolerance`. */
function compareBalances(pass: Pass, tolerance: Decimal): void {
  const { snapshot, view } = pass;
  const expected = snapshot.positions.length === 0 ? view.expectedBalances(pass.asOf) : undefined;
  if (!expected) return;
  const reported = new Map(snapshot.balances.map((balance) => [balance.asset, new Decimal(balance.total)]));
  for (const asset of new Set([...expected.keys(), ...reported.keys()])) {
    const ours = expected.get(asset) ?? new Decimal(0);
    const venue = reported.get(asset) ?? new Decimal(0);
    if (venue.minus(ours).abs().greaterThan(tolerance)) {
      report(pass, 'BALANCE_MISMATCH', asset, ours, venue, 'venue balance adopted', 'CRITICAL');
    }
  }
}
