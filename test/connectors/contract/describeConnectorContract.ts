import { randomUUID } from 'node:crypto';
import { CCXT_CONNECTOR_TOPICS } from '@crossvenue/connectors';
import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import {
  Decimal,
  LocalCodec,
  TOPICS,
  type Fill,
  type OrderCommand,
  type TopicDefinition,
  type OrderEvent,
  type VenueHealth,
  type VenueSnapshot,
} from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedVenue } from '@crossvenue/simulator';

/** What one contract run needs: a simulated venue and a connector for one of its accounts on `messages`. */
export interface VenueAndConnector {
  venue: SimulatedVenue;
  /** The account name inside the simulator (its engine counts orders by it). */
  simulatedAccount: string;
  connector: { start(): Promise<void>; stop(): Promise<void>; publishSnapshot(): Promise<void>; publishHealth(): Promise<void> };
  venueId: string;
  account: string;
  portfolio: string;
  /** Simulator symbol of the instrument used, e.g. ETHUSDT, and its unified form ETH/USDT. */
  symbol: string;
  instrument: string;
}

export type MakeVenueAndConnector = (messages: MessageBus) => Promise<VenueAndConnector>;

/**
 * The conformance suite every venue connector passes, against a simulated venue and its faults,
 * on the in-process bus: one venue order per client order id, every fill published exactly once,
 * UNKNOWN resolved by venue evidence only, snapshots and health for the reconciler and router.
 */
export function describeConnectorContract(name: string, makeVenueAndConnector: MakeVenueAndConnector): void {
  describe(`connector contract: ${name}`, () => {
    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('contract', { level: 'silent' }));
    const events: OrderEvent[] = [];
    const fills: Fill[] = [];
    const snapshots: VenueSnapshot[] = [];
    const health: VenueHealth[] = [];
    let setup: VenueAndConnector;

    beforeAll(async () => {
      await messages.prepare(CCXT_CONNECTOR_TOPICS);
      await collect(messages, TOPICS.orderEvents, events);
      await collect(messages, TOPICS.fills, fills);
      await collect(messages, TOPICS.venueSnapshots, snapshots);
      await collect(messages, TOPICS.venueHealth, health);
      setup = await makeVenueAndConnector(messages);
      await setup.connector.start();
    });
    afterEach(() => setup.venue.faults.clear());
    afterAll(async () => {
      await setup.connector.stop();
      await setup.venue.stop();
      await messages.bus.close();
    });

    const place = async (overrides: Partial<OrderCommand> = {}) => {
      const command = orderCommand(setup, overrides);
      await messages.publish(TOPICS.orderCommands, [command]);
      return command;
    };
    const eventsOf = (command: OrderCommand) => events.filter((e) => e.clientOrderId === command.clientOrderId);
    const venueOrdersWith = (id: string) =>
      [...setup.venue.engine.openOrders(setup.simulatedAccount), ...setup.venue.engine.closedOrders(setup.simulatedAccount)].filter((o) => o.clientOrderId === id);
    const fillsOf = (command: OrderCommand) => fills.filter((f) => f.clientOrderId === command.clientOrderId);
    const until = (what: string, check: () => boolean) => waitFor(what, check, 10_000);

    it('places a limit order under its client order id and reports it accepted, then cancels it', async () => {
      const command = await place();
      await until('ACCEPTED', () => eventsOf(command).some((e) => e.event === 'ACCEPTED'));
      expect(eventsOf(command)[0]).toMatchObject({ event: 'SUBMITTED', state: 'PENDING_NEW', source: 'INTERNAL', rawVenueStatus: null });
      expect(venueOrdersWith(command.clientOrderId)).toHaveLength(1);

      await messages.publish(TOPICS.orderCommands, [{ ...command, eventId: randomUUID(), commandId: randomUUID(), type: 'CANCEL' }]);
      await until('CANCELED', () => eventsOf(command).some((e) => e.event === 'CANCELED'));
      expect(eventsOf(command).find((e) => e.event === 'CANCELED')).toMatchObject({ state: 'CANCELED', remainingQuantity: '0' });
      expect(eventsOf(command).find((e) => e.event === 'CANCELED')?.rawVenueStatus).toMatch(/cancel/i);
    });

    it('takes only the commands of its own venue account', async () => {
      const command = await place({ account: 'someone-else' });
      const mine = await place();
      await until('own order accepted', () => eventsOf(mine).some((e) => e.event === 'ACCEPTED'));
      expect(eventsOf(command)).toEqual([]);
      expect(venueOrdersWith(command.clientOrderId)).toEqual([]);
    });

    it('a redelivered PLACE never makes a second venue order', async () => {
      const command = await place();
      await messages.publish(TOPICS.orderCommands, [command]);
      await until('ACCEPTED', () => eventsOf(command).some((e) => e.event === 'ACCEPTED'));
      await sleep(200);
      expect(venueOrdersWith(command.clientOrderId)).toHaveLength(1);
      expect(eventsOf(command).filter((e) => e.event === 'SUBMITTED')).toHaveLength(1);
    });

    it('an order refused by the venue is REJECTED with its reason', async () => {
      const command = await place({ quantity: '0.00001' });
      await until('REJECTED', () => eventsOf(command).some((e) => e.event === 'REJECTED'));
      expect(eventsOf(command).at(-1)).toMatchObject({ state: 'REJECTED', source: 'VENUE' });
      expect(eventsOf(command).at(-1)?.reason).toBeTruthy();
    });

    for (const mode of ['destroy', 'hang'] as const) {
      it(`a lost ack (${mode}) never becomes a reject or a second order: the venue's evidence decides`, async () => {
        setup.venue.faults.set({ orderAckTimeouts: 1, orderAckTimeoutMode: mode });
        const command = await place();
        await until('accepted by venue evidence', () => eventsOf(command).some((e) => e.state === 'NEW'));
        await sleep(1_500); // past the client timeout, so the failed REST call has been handled too
        const seen = eventsOf(command);
        expect(seen.at(-1)?.state).toBe('NEW');
        expect(seen.map((e) => e.state)).not.toContain('REJECTED');
        // Either the stream proved the order before the send failed, or SUBMIT_UNKNOWN was
        // followed by evidence (source VENUE or RECONCILIATION, never a timer).
        const unknownAt = seen.findIndex((e) => e.event === 'SUBMIT_UNKNOWN');
        if (unknownAt >= 0) expect(seen[unknownAt + 1]).toMatchObject({ previousState: 'UNKNOWN', state: 'NEW' });
        expect(venueOrdersWith(command.clientOrderId)).toHaveLength(1);
      });
    }

    it('duplicated and reordered fill messages publish each fill exactly once', async () => {
      setup.venue.faults.set({ duplicateFills: true, reorderFills: true });
      const command = await place({ orderType: 'MARKET', limitPrice: null, quantity: '0.3' });
      await until('FILLED', () => eventsOf(command).some((e) => e.state === 'FILLED'));
      await until('fills', () => fillsOf(command).length > 0);
      await sleep(300);
      const venueTrades = setup.venue.engine.ownExecutions(setup.simulatedAccount, setup.symbol).filter((x) => String(x.orderId) === venueOrdersWith(command.clientOrderId)[0]?.orderId.toString());
      expectExactlyOnce(fillsOf(command).map((f) => f.venueTradeId), venueTrades.map((x) => String(x.trade.tradeId)));
      expect(fillsOf(command)[0]).toMatchObject({ intentId: command.intentId, portfolio: setup.portfolio, side: 'BUY' });
    });

    it('fills that happen while the user stream is down are caught up over REST, once', async () => {
      const command = await place({ orderType: 'MARKET', limitPrice: null, quantity: '0.2' });
      await until('FILLED', () => eventsOf(command).some((e) => e.state === 'FILLED'));
      // The connector waits before it reconnects; the order fills inside that gap.
      setup.venue.dropConnections();
      const during = await place({ orderType: 'MARKET', limitPrice: null, quantity: '0.1' });
      await until('fill caught up', () => fillsOf(during).length > 0);
      await until('FILLED after reconnect', () => eventsOf(during).some((e) => e.state === 'FILLED'));
      await sleep(300);
      // The stream does not replay what happened while it was down: the REST catch-up found it.
      expect(fillsOf(during).map((f) => f.source)).toEqual(['RECONCILIATION']);
      const ids = fills.map((f) => f.venueTradeId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(venueOrdersWith(during.clientOrderId)).toHaveLength(1);
    });

    it('publishes venue snapshots (open orders, balances, trades) and venue health', async () => {
      const command = await place();
      await until('ACCEPTED', () => eventsOf(command).some((e) => e.event === 'ACCEPTED'));
      await setup.connector.publishSnapshot();
      await setup.connector.publishHealth();
      await until('snapshot', () => snapshots.length > 0);
      await until('health', () => health.length > 0);
      const snapshot = snapshots.at(-1)!;
      expect(snapshot.openOrders.map((o) => o.clientOrderId)).toContain(command.clientOrderId);
      // A spot venue holds both assets of BASE/QUOTE; a perpetual one (BASE/QUOTE:SETTLE) only its settle asset.
      const [pair, settle] = setup.instrument.split(':') as [string, string | undefined];
      expect(snapshot.balances.map((b) => b.asset)).toEqual(expect.arrayContaining(settle ? [settle] : pair.split('/')));
      expect(snapshot.trades.length).toBeGreaterThan(0);
      // Spot: no positions. A perpetual: the venue's, which is the net of the account's trades (it started flat).
      const net = snapshot.trades.reduce((sum, trade) => (trade.side === 'BUY' ? sum.plus(trade.quantity) : sum.minus(trade.quantity)), new Decimal(0));
      expect(snapshot.positions.map(({ instrument, quantity }) => ({ instrument, quantity: new Decimal(quantity).toFixed() }))).toEqual(settle && !net.isZero() ? [{ instrument: setup.instrument, quantity: net.toFixed() }] : []);
      // Earlier faults (timeouts, rejects) are inside the window, so the state may be DEGRADED: it must say why.
      const latest = health.at(-1)!;
      expect(latest).toMatchObject({ venue: setup.venueId, account: setup.account, userStreamStalenessMs: 0 });
      expect(latest.state).not.toBe('DOWN');
      expect(latest.reason === '').toBe(latest.state === 'HEALTHY');
      expect(latest.latencyP50Ms).not.toBeNull();
    });
  });
}

function expectExactlyOnce(published: string[], atVenue: string[]): void {
  expect(atVenue.length).toBeGreaterThan(0);
  expect([...published].sort()).toEqual([...atVenue].sort());
}

/** Appends every value published on `topic` to `into` (typed by the caller's array). */
async function collect(messages: MessageBus, topic: TopicDefinition, into: unknown[]): Promise<void> {
  await messages.subscribe({
    groupId: `contract-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    handle: async (batch) => {
      for (const { value } of batch) into.push(value);
    },
  });
}

function orderCommand(setup: VenueAndConnector, overrides: Partial<OrderCommand>): OrderCommand {
  const { portfolio, venueId: venue, account, instrument } = setup;
  return limitPlaceCommand({ portfolio, venue, account, instrument, quantity: '0.1', limitPrice: '3000', ...overrides });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
