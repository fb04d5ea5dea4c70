import { randomUUID } from 'node:crypto';
import {
  Decimal,
  RegistryCodec,
  TOPICS,
  type BookSnapshot,
  type Fill,
  type Intent,
  type OrderEvent,
  type RouteDecision,
} from '@crossvenue/schemas';
import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import { routeDecisionId } from '@crossvenue/processors';
import { waitFor } from '@crossvenue/runtime/testing';
import {
  DEMO_PORTFOLIO,
  DEMO_VENUES,
  gatewayClient,
  localApiKey,
  startEmbeddedRun,
  type EmbeddedRun,
} from '@crossvenue/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The execution core end to end on the simulated venues, over the real Kafka and schema registry:
 * API → intent → router → risk and execution → ccxt connectors → simulated venues → order
 * events and fills → positions. The whole pipeline runs under a Kafka namespace of its own, so it
 * neither reads nor disturbs the catalogue topics other tests and a running stack use.
 */

const AMOUNT = new Decimal('1.5');
const WAIT_MS = 20_000;
const BUY = { portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: AMOUNT.toFixed() };

/** What buying `amount` on one venue alone would cost in quote, fee included; null when its book is too thin. */
function singleVenueCost(book: BookSnapshot, amount: Decimal, takerFee: Decimal): Decimal | null {
  let left = amount;
  let notional = new Decimal(0);
  for (const { price, quantity } of book.asks) {
    const take = Decimal.min(left, quantity);
    notional = notional.plus(take.times(price));
    left = left.minus(take);
    if (left.isZero()) return notional.times(takerFee.plus(1));
  }
  return null;
}

/** What the fills cost in quote, fees included (a fee charged in the base asset is valued at its fill's price). */
function realizedCost(fills: Fill[]): Decimal {
  return fills.reduce((sum, fill) => {
    const notional = new Decimal(fill.price).times(fill.quantity);
    const fee = fill.feeCurrency === 'USDT' ? new Decimal(fill.fee) : new Decimal(fill.fee).times(fill.price);
    return sum.plus(notional).plus(fee);
  }, new Decimal(0));
}

const total = (fills: Fill[]) => fills.reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0));

describe('execution end to end on the simulated venues (Kafka and the schema registry)', () => {
  const { key, keys } = localApiKey('trader');
  const books = new Map<string, BookSnapshot>();
  const decisions: RouteDecision[] = [];
  const fills: Fill[] = [];
  const events: OrderEvent[] = [];
  const intents: Intent[] = [];
  let run: EmbeddedRun;

  const api = gatewayClient(() => run.gatewayUrl, key);
  const of = <T extends { intentId: string | null }>(records: T[], intentId: string) => records.filter((record) => record.intentId === intentId);
  const place = async () => {
    const placed = await api<{ intentId: string }>('/execution/unified_order', BUY);
    expect(placed.status).toBe(202);
    return placed.body.intentId;
  };

  /** Waits for the intent's fills to reach the amount; on a timeout the error tells the intent's story. */
  const filled = async (intentId: string) => {
    try {
      await waitFor('the intent filled', () => total(of(fills, intentId)).eq(AMOUNT), WAIT_MS);
    } catch (error) {
      const story = {
        routes: of(decisions, intentId).map((decision) => decision.legs.map((leg) => `${leg.venue} ${leg.quantity}`)),
        events: of(events, intentId).map((event) => `${event.venue} ${event.clientOrderId} ${event.event}→${event.state} ${event.filledQuantity}${event.reason ? ` (${event.reason})` : ''}`),
        fills: of(fills, intentId).map((fill) => `${fill.venue} ${fill.quantity}`),
      };
      throw new Error(`${(error as Error).message}: ${JSON.stringify(story)}`);
    }
  };

  beforeAll(async () => {
    const logger = createLogger('e2e-test', { level: 'silent' });
    const endpoints = resolveEndpoints();
    const namespace = `e2e-${randomUUID().slice(0, 8)}.`;
    const messages = kafkaMessageBus('e2e-test', logger, { endpoints, namespace });
    // Still books (no background flow) at one mid: the split and the costs are the router's
    // doing; with the demo's per-venue offsets the split would hang on which book is fresher.
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger, demo: { seed: 11, flow: false, movingPrices: false }, bus: { messages, codec: new RegistryCodec(endpoints.schemaRegistryUrl) } });
    await run.messages.subscribe({
      groupId: 'e2e-observer',
      topics: [TOPICS.bookSnapshots, TOPICS.routeDecisions, TOPICS.fills, TOPICS.orderEvents, TOPICS.intents],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.routeDecisions.name) decisions.push(value as RouteDecision);
          else if (topic === TOPICS.fills.name) fills.push(value as Fill);
          else if (topic === TOPICS.orderEvents.name) events.push(value as OrderEvent);
          else if (topic === TOPICS.intents.name) intents.push(value as Intent);
          else if ((value as BookSnapshot).instrument === 'BTC/USDT') books.set((value as BookSnapshot).venue, value as BookSnapshot);
        }
      },
    });
    await waitFor('BTC/USDT books of every venue', () => books.size === DEMO_VENUES.length, 60_000);
  }, 120_000);

  afterAll(async () => {
    for (const venue of run?.venues.venues ?? []) await venue.recover();
    await run?.stop();
  });

  it('splits an intent larger than any one top level across venues and fills it at no more than the best single venue would cost', async () => {
    const bestSingle = DEMO_VENUES.map((plan) => singleVenueCost(books.get(plan.name)!, AMOUNT, new Decimal(plan.fees.taker))).filter((cost): cost is Decimal => cost !== null);
    for (const book of books.values()) expect(new Decimal(book.asks[0]!.quantity).lt(AMOUNT)).toBe(true);
    expect(bestSingle.length).toBeGreaterThan(0);

    const intentId = await place();
    await filled(intentId);
    const [decision] = of(decisions, intentId);
    expect(new Set(decision!.legs.map((leg) => leg.venue)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(of(fills, intentId).map((fill) => fill.venue)).size).toBeGreaterThanOrEqual(2);
    expect(realizedCost(of(fills, intentId)).lte(Decimal.min(...bestSingle))).toBe(true);
  }, 60_000);

  it('fills the intent elsewhere when a venue it was routed to goes dark, and never over-fills', async () => {
    // The first test's fills took liquidity from the venues: the router must see books taken since,
    // or it plans on depth that is gone and its IOC legs expire.
    const lastFill = Math.max(...fills.map((fill) => fill.receivedAtMs));
    await waitFor('a book of every venue received after the last fill', () => books.size === DEMO_VENUES.length && [...books.values()].every((book) => book.receivedAtMs > lastFill), WAIT_MS);
    // The plan the router would make now; the venue of its first leg goes dark before the order.
    const preview = await api<{ legs: Array<{ venue: string }> }>('/execution/route_preview', BUY);
    const dark = preview.body.legs[0]!.venue;
    await run.venues.venues[run.venues.endpoints.findIndex((venue) => venue.name === dark)]!.outage();

    const intentId = await place();
    await filled(intentId);
    const routed = of(decisions, intentId);
    // The outage closes the venue's streams too, and its connector says so at once (a dark venue is
    // an input): on a busy machine the router may hear it before it routes this intent. Then it
    // plans nothing there; else the leg there is rejected and every re-route after it avoids it.
    if (routed[0]!.legs.some((leg) => leg.venue === dark)) {
      expect(of(events, intentId).filter((event) => event.venue === dark).map((event) => event.state)).toContain('REJECTED');
      // (A re-route asked for before the rejection came back, for a leg elsewhere that filled short,
      // may still send there, and be rejected.)
      const decisionOf = (reroute: Intent) => of(decisions, intentId).find(({ eventId }) => eventId === routeDecisionId(reroute.eventId));
      const avoidingDark = () => of(intents, intentId).filter((intent) => intent.action === 'REROUTE' && intent.avoidVenues.includes(dark));
      await waitFor('a re-route that avoids the dark venue', () => avoidingDark().length > 0, WAIT_MS);
      const avoiding = avoidingDark();
      await waitFor('the decisions of those re-routes', () => avoiding.every((reroute) => decisionOf(reroute) !== undefined), WAIT_MS);
      for (const reroute of avoiding) expect(decisionOf(reroute)!.legs.map((leg) => leg.venue)).not.toContain(dark);
    }
    expect(of(fills, intentId).filter((fill) => fill.venue === dark)).toEqual([]);

    // Whatever arrives late, the intent never holds more than it asked for.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(total(of(fills, intentId)).toFixed()).toBe(AMOUNT.toFixed());
  }, 60_000);
});
