import { clientOrderId, Decimal, type Fill, type IntentId, type Position, type RiskDecision, type RouteDecision } from '@crossvenue/schemas';
import { accountKey } from '../config/Config.ts';
import type { VenueLedger, VenueTrade } from './venueLedger.ts';

/** A position's (or a venue ledger's) change over a scenario: the quantity, and the fees per currency that changed. */
export interface Moved {
  quantity: string;
  fees: Record<string, string>;
}

export function moved(quantity: Decimal, fees: Map<string, Decimal>): Moved {
  const changed = [...fees].filter(([, amount]) => !amount.isZero()).sort(([a], [b]) => a.localeCompare(b));
  return { quantity: quantity.toFixed(), fees: Object.fromEntries(changed.map(([currency, amount]) => [currency, amount.toFixed()])) };
}

/**
 * What the trades of each book did to it: base bought less sold, fees per currency. A book is a
 * venue (the trades of one account per venue), or with `bookOf` e.g. one "venue|account".
 */
export function venueMoves(books: readonly string[], trades: readonly VenueTrade[], bookOf: (trade: VenueTrade) => string = (trade) => trade.venue): Record<string, Moved> {
  return Object.fromEntries(
    books.map((book) => {
      let quantity = new Decimal(0);
      const fees = new Map<string, Decimal>();
      for (const trade of trades.filter((candidate) => bookOf(candidate) === book)) {
        quantity = trade.side === 'BUY' ? quantity.plus(trade.quantity) : quantity.minus(trade.quantity);
        fees.set(trade.feeCurrency, (fees.get(trade.feeCurrency) ?? new Decimal(0)).plus(trade.fee));
      }
      return [book, moved(quantity, fees)];
    }),
  );
}

/** Per book (a venue, or a "venue|account": the maps' keys), how the published position changed since the baseline: quantity, fees per currency. */
export function positionMoves(venues: readonly string[], before: ReadonlyMap<string, Position | undefined>, now: ReadonlyMap<string, Position>): Record<string, Moved> {
  return Object.fromEntries(
    venues.map((venue) => {
      const [latest, first] = [now.get(venue), before.get(venue)];
      const fees = new Map<string, Decimal>();
      for (const { currency, amount } of latest?.fees ?? []) fees.set(currency, new Decimal(amount));
      for (const { currency, amount } of first?.fees ?? []) fees.set(currency, (fees.get(currency) ?? new Decimal(0)).minus(amount));
      return [venue, moved(new Decimal(latest?.quantity ?? 0).minus(first?.quantity ?? 0), fees)];
    }),
  );
}

/** Per book, what the venue traded less what the published position moved, in the base asset: the drift a report charts while a scenario converges. */
export function quantityDrift(positions: Record<string, Moved>, venues: Record<string, Moved>): Record<string, string> {
  return Object.fromEntries(Object.entries(venues).map(([venue, traded]) => [venue, new Decimal(traded.quantity).minus(positions[venue]?.quantity ?? 0).toFixed()]));
}

/** What the pipeline published over one scenario, read from Kafka. */
export interface PipelineRecords {
  decisions: readonly RouteDecision[];
  verdicts: readonly RiskDecision[];
  fills: readonly Fill[];
}

/** The evidence of one scenario: the intents sent, the venues' own lists, and the pipeline's records. */
export interface ScenarioEvidence {
  /** The intents the load placed (and was answered for). */
  intents: ReadonlyArray<{ intentId: string }>;
  /** Every intent placed on exec.intents in the run: one whose answer a killed gateway lost, or an earlier scenario's, is still an intent. */
  placedOnBus: readonly string[];
  venues: VenueLedger;
  /**
   * "venue tradeId" of every trade the venues list for the account since the run began. A fill in
   * the scenario's window of a trade made before it (a catch-up or a reconciler that publishes a
   * trade again: consumers apply a venue trade once) is no phantom; one of a trade never made is.
   */
  tradedInRun: ReadonlySet<string>;
  pipeline: PipelineRecords;
  /** Per book (ChaosRun: per "venue|account"), how the published position moved, and how the venue's trades say it moved. */
  positionsMoved: Record<string, Moved>;
  venuesMoved: Record<string, Moved>;
  /** Event ids of the scenario's fills that the ClickHouse audit log lacks. */
  auditMissing: readonly string[];
  /** Dead-letter topics the fault must have fed (poison), and those that got a letter during the scenario. */
  expectedDeadLetters: readonly string[];
  deadLetterTopics: readonly string[];
}

/** What a scenario found; every list is of the offending ids, so a report can say which. */
export interface Findings {
  intentsSent: number;
  /** Intents the router answered (routed, or said why not): the rest left no trace. */
  intentsAccounted: number;
  venueOrders: number;
  /** Our venue orders per "venue|account": which accounts the load traded. */
  ordersByAccount: Record<string, number>;
  duplicateOrders: string[];
  ordersWithoutIntent: string[];
  lostFills: string[];
  fillsNoVenueLists: string[];
  /** Venue trades published on exec.fills more than once (positions apply each once; readers must de-duplicate). */
  republishedFills: string[];
  /** book: "position moved …, venue traded …" where they differ. */
  positionDrift: Record<string, string>;
  auditMissing: string[];
  /** Dead-letter topics that got nothing although the fault put a bad record on their topic. */
  notDeadLettered: string[];
}

/** The first 26 characters of a client order id name its intent (schemas' clientOrderId): the rest are leg and attempt. */
const INTENT_DIGEST_LENGTH = 26;

export function findingsOf(evidence: ScenarioEvidence): Findings {
  const { intents, venues, pipeline } = evidence;
  const placed = [...intents.map(({ intentId }) => intentId), ...evidence.placedOnBus];
  const digests = new Set(placed.map((intentId) => clientOrderId(intentId as IntentId, 0, 0).slice(0, INTENT_DIGEST_LENGTH)));
  const isOurs = (id: string) => id.length === INTENT_DIGEST_LENGTH + 6 && digests.has(id.slice(0, INTENT_DIGEST_LENGTH));
  const ours = venues.orders.filter((order) => isOurs(order.clientOrderId));
  const listings = new Map<string, number>();
  for (const { clientOrderId: id } of ours) listings.set(id, (listings.get(id) ?? 0) + 1);

  const ourOrders = new Set(ours.map((order) => `${order.venue} ${order.orderId}`));
  const venueTrades = new Set(venues.trades.filter((trade) => ourOrders.has(`${trade.venue} ${trade.orderId}`)).map((trade) => `${trade.venue} ${trade.tradeId}`));
  const published = new Map<string, Set<string>>();
  for (const fill of pipeline.fills.filter((candidate) => isOurs(candidate.clientOrderId))) {
    const id = `${fill.venue} ${fill.venueTradeId}`;
    published.set(id, (published.get(id) ?? new Set()).add(fill.eventId));
  }

  const answered = new Set(pipeline.decisions.map(({ intentId }) => intentId));
  const drift = Object.entries(evidence.venuesMoved).flatMap(([venue, traded]) => {
    const position = evidence.positionsMoved[venue];
    return JSON.stringify(position) === JSON.stringify(traded) ? [] : [[venue, `position moved ${JSON.stringify(position)}, venue traded ${JSON.stringify(traded)}`]];
  });
  return {
    intentsSent: intents.length,
    intentsAccounted: intents.filter(({ intentId }) => answered.has(intentId)).length,
    venueOrders: ours.length,
    ordersByAccount: countBy(ours.map(accountKey)),
    duplicateOrders: [...listings].filter(([, count]) => count > 1).map(([id]) => id),
    ordersWithoutIntent: venues.orders.filter((order) => !isOurs(order.clientOrderId)).map(({ venue, clientOrderId: id }) => `${venue} ${id}`),
    lostFills: [...venueTrades].filter((id) => !published.has(id)),
    fillsNoVenueLists: [...published.keys()].filter((id) => !venueTrades.has(id) && !evidence.tradedInRun.has(id)),
    republishedFills: [...published].filter(([, events]) => events.size > 1).map(([id]) => id),
    positionDrift: Object.fromEntries(drift),
    auditMissing: [...evidence.auditMissing],
    notDeadLettered: evidence.expectedDeadLetters.filter((topic) => !evidence.deadLetterTopics.includes(topic)),
  };
}

function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of [...keys].sort()) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** The invariants a scenario must keep (issue #16's "Done when"), each a one-line statement of what broke. */
export function brokenInvariants(findings: Findings): string[] {
  const broken: string[] = [];
  const count = (ids: readonly string[], what: string) => ids.length > 0 && broken.push(`${ids.length} ${what} (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`);
  count(findings.duplicateOrders, 'duplicate venue orders');
  count(findings.ordersWithoutIntent, 'venue orders no intent asked for');
  count(findings.lostFills, 'venue trades missing from exec.fills');
  count(findings.fillsNoVenueLists, 'fills no venue lists');
  count(Object.keys(findings.positionDrift), 'positions drifted from their venue');
  count(findings.auditMissing, 'records missing from the audit log');
  count(findings.notDeadLettered, 'bad records not dead-lettered');
  if (findings.intentsAccounted < findings.intentsSent) broken.push(`${findings.intentsSent - findings.intentsAccounted} of ${findings.intentsSent} intents left no trace`);
  return broken;
}
