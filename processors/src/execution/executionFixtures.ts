import { randomUUID } from 'node:crypto';
import {
  TOPICS,
  type BookSnapshot,
  type ControlCommand,
  type Intent,
  type RouteDecision,
  type SymbolMetadata,
  type TopicDefinition,
} from '@crossvenue/schemas';
import type { ExecutionTopics } from './ExecutionWorkerOptions.ts';
import type { RouterTopics } from '../router/RouterWorker.ts';
import { routeDecisionId } from './routeDecisionId.ts';

/** Messages and topics for the execution tests and benchmark. Tests only. */

/** Spot BTC/USDT on `venue`: lot 0.001, tick 0.01, no minimum that a test order could break. */
export function spotMarket(venue: string): SymbolMetadata {
  return {
    eventId: `meta:${venue}:BTC/USDT`,
    venue,
    instrument: 'BTC/USDT',
    venueSymbol: 'BTCUSDT',
    assetType: 'SPOT',
    base: 'BTC',
    quote: 'USDT',
    settle: null,
    active: true,
    contractSize: null,
    inverse: false,
    expiryMs: null,
    strike: null,
    optionKind: null,
    minQuantity: '0.001',
    maxQuantity: '1000',
    maxMarketQuantity: null,
    quantityStep: '0.001',
    minPrice: '0.01',
    maxPrice: '1000000',
    priceTick: '0.01',
    minNotional: '1',
    maxNotional: null,
    orderTypes: ['LIMIT', 'MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK'],
    postOnly: true,
    reduceOnly: false,
    iceberg: false,
    makerFee: '0.001',
    takerFee: '0.001',
    receivedAtMs: 0,
  };
}

/** A BTC/USDT book on `venue` with one ask and one bid level, received now. */
export function oneLevelBook(venue: string, ask: { price: string; quantity: string }, bid: { price: string; quantity: string }): BookSnapshot {
  const now = Date.now();
  return { eventId: `${venue}:book:${randomUUID()}`, venue, instrument: 'BTC/USDT', venueSymbol: 'BTCUSDT', sequence: now, venueTimeMs: now, receivedAtMs: now, bids: [bid], asks: [ask] };
}

export function globalKillSwitch(engaged: boolean): ControlCommand {
  return {
    eventId: `control:${randomUUID()}`,
    type: 'KILL_SWITCH',
    scope: 'GLOBAL',
    portfolio: null,
    venue: null,
    account: null,
    engaged,
    cancelOpenOrders: false,
    configKey: null,
    configValue: null,
    issuedBy: 'test',
    reason: engaged ? 'test stop' : 'test release',
    issuedAtMs: Date.now(),
  };
}

/** The catalogue topics under names of their own, so a test neither sees nor disturbs others' records. */
export function privateTopics(suffix: string = randomUUID().slice(0, 8)): RouterTopics & ExecutionTopics {
  // The same schema, key and partitioning; only the names (and so the dead-letter names) differ.
  const own = <T extends TopicDefinition>(topic: T): T => {
    const name = `${topic.name}.${suffix}`;
    return { ...topic, name, deadLetter: { ...topic.deadLetter, name: `dlq.${name}` } };
  };
  return {
    intents: own(TOPICS.intents),
    bookSnapshots: own(TOPICS.bookSnapshots),
    symbols: own(TOPICS.symbols),
    venueHealth: own(TOPICS.venueHealth),
    routeDecisions: own(TOPICS.routeDecisions),
    orderEvents: own(TOPICS.orderEvents),
    fills: own(TOPICS.fills),
    controlCommands: own(TOPICS.controlCommands),
    orderCommands: own(TOPICS.orderCommands),
    riskDecisions: own(TOPICS.riskDecisions),
    intentStatus: own(TOPICS.intentStatus),
    alerts: own(TOPICS.alerts),
    workerSnapshots: own(TOPICS.workerSnapshots),
  };
}

type Candidate = RouteDecision['candidates'][number];

/** The router's answer to the intent message `intent`, carrying it: one leg per [venue, quantity] at 100 on account main, and the candidates given. */
export function decisionFor(intent: Intent, legs: Array<[string, string]>, candidates: Candidate[] = []): RouteDecision {
  return {
    eventId: routeDecisionId(intent.eventId),
    intentId: intent.intentId,
    portfolio: intent.portfolio,
    instrument: intent.instrument,
    side: intent.order?.side ?? null,
    quantity: '0',
    candidates,
    legs: legs.map(([venue, quantity], leg) => ({ leg, venue, account: 'main', quantity, limitPrice: '100', expectedAveragePrice: '100', expectedFee: '0' })),
    totalExpectedCost: '0',
    costCurrency: 'USDT',
    arrivalMid: '100',
    decidedAtMs: 0,
    intent,
    conversion: null,
  };
}

/** A venue the router left out, and why. */
export function excludedCandidate(venue: string, reason: string): Candidate {
  return { venue, account: 'main', availableQuantity: '0', expectedAveragePrice: null, expectedFee: '0', latencyPenalty: '0', stalenessPenalty: '0', healthPenalty: '0', expectedTotalCost: '0', chosen: false, reason };
}
