import { randomUUID } from 'node:crypto';
import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { Decimal, LocalCodec, TOPICS, type OrderCommand, type OrderEvent } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ccxtClientFor,
  CcxtExecution,
  OrderReporter,
  TrackedOrders,
  capabilitiesOf,
  VenueHealthMonitor,
} from '@crossvenue/connectors';
import type { SimulatedVenue } from '@crossvenue/simulator';
import { startTestVenue, TRADER } from '@crossvenue/simulator/testing';
import type { ConnectorContext } from '@crossvenue/connectors';

/**
 * The execution side alone, without the user stream: a lookup by client order id is then the only
 * evidence that can resolve an UNKNOWN order, so these tests see that path on its own.
 */
for (const dialect of ['binance', 'bybit'] as const) {
  describe(`CcxtExecution on a simulated ${dialect} venue, no user stream`, { timeout: 15_000 }, () => {
    let venue: SimulatedVenue;
    let context: ConnectorContext;
    let execution: CcxtExecution;
    const events: OrderEvent[] = [];
    const startedAtMs = Date.now();

    beforeAll(async () => {
      const started = await startTestVenue({ dialect, name: `exec-${dialect}` });
      venue = started.venue;
      const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('test', { level: 'silent' }));
      await messages.prepare([TOPICS.orderEvents]);
      await messages.subscribe({ groupId: 'spy', topics: [TOPICS.orderEvents], fromBeginning: true, handle: async (batch) => void events.push(...batch.map((m) => m.value)) });
      const exchange = ccxtClientFor(started.endpoints, { timeout: 500 });
      await exchange.loadMarkets();
      context = {
        exchange,
        capabilities: capabilitiesOf(exchange.id),
        venue: dialect,
        account: 'acct',
        portfolio: 'pf',
        instruments: ['ETH/USDT'],
        messages,
        logger: createLogger('test', { level: 'silent' }),
        health: new VenueHealthMonitor(dialect, 'acct', Date.now),
        now: Date.now,
      };
      execution = new CcxtExecution(context, new OrderReporter(context, new TrackedOrders()), { notFoundGraceMs: 500, lookupRetryMs: 100, cancelAttempts: 2, startedAtMs });
    });
    afterAll(async () => {
      await execution.stop();
      await context.exchange.close();
      await venue.stop();
    });

    const eventsOf = (command: OrderCommand) => events.filter((e) => e.clientOrderId === command.clientOrderId).map((e) => `${e.event}:${e.state}:${e.source}`);
    const venueOrders = (id: string) => [...venue.engine.openOrders(TRADER.name), ...venue.engine.closedOrders(TRADER.name)].filter((o) => o.clientOrderId === id);

    it('a lost ack is SUBMIT_UNKNOWN, then ACCEPTED on the lookup by client order id', async () => {
      venue.faults.set({ orderAckTimeouts: 1, orderAckTimeoutMode: 'destroy' });
      const command = placeCommand(dialect);
      await execution.handle(command);
      await waitFor('resolved', () => eventsOf(command).length === 3, 5_000);
      expect(eventsOf(command)).toEqual(['SUBMITTED:PENDING_NEW:INTERNAL', 'SUBMIT_UNKNOWN:UNKNOWN:INTERNAL', 'ACCEPTED:NEW:RECONCILIATION']);
      expect(venueOrders(command.clientOrderId)).toHaveLength(1);
    });

    it('a submit refused at connect (outage) is REJECTED at once: the request never left', async () => {
      await venue.outage();
      const command = placeCommand(dialect);
      await execution.handle(command);
      await venue.recover();
      expect(eventsOf(command)).toEqual(['SUBMITTED:PENDING_NEW:INTERNAL', 'REJECTED:REJECTED:VENUE']);
      expect(venueOrders(command.clientOrderId)).toEqual([]);
    });

    it('a PLACE replayed after a restart is looked up first and not sent again', async () => {
      const command = { ...placeCommand(dialect), createdAtMs: startedAtMs - 60_000 };
      venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: new Decimal('0.1'), price: new Decimal('3000'), clientOrderId: command.clientOrderId });
      await execution.handle(command);
      expect(eventsOf(command)).toEqual(['ACCEPTED:NEW:RECONCILIATION']);
      expect(venueOrders(command.clientOrderId)).toHaveLength(1);
    });

    it(dialect === 'bybit' ? 'an amend changes the order at the venue and keeps its client order id' : 'an amend is refused with the reason (no amend keeps the order here) and the order stays as it was', async () => {
      const command = placeCommand(dialect);
      await execution.handle(command);
      await execution.handle({ ...command, type: 'AMEND', commandId: randomUUID(), newQuantity: '0.2', newLimitPrice: '3001' });
      const open = venue.engine.openOrders(TRADER.name).filter((o) => o.clientOrderId === command.clientOrderId);
      if (dialect === 'bybit') {
        expect(eventsOf(command).slice(-2)).toEqual(['AMEND_REQUESTED:PENDING_AMEND:INTERNAL', 'AMEND_ACCEPTED:NEW:VENUE']);
        expect(open.map((o) => [o.quantity.toFixed(), o.price.toFixed()])).toEqual([['0.2', '3001']]);
      } else {
        // Binance spot's cancelReplace would put a second order under this client order id: the execution side cancels and places anew instead.
        expect(eventsOf(command).slice(-2)).toEqual(['AMEND_REQUESTED:PENDING_AMEND:INTERNAL', 'AMEND_REJECTED:NEW:INTERNAL']);
        expect(events.at(-1)?.reason).toMatch(/^binance spot has no amend that keeps the order/);
        expect(open.map((o) => [o.quantity.toFixed(), o.price.toFixed()])).toEqual([[command.quantity, command.limitPrice]]);
      }
    });

    it('unsupported orders are refused before they reach the venue, with the reason', async () => {
      const command = { ...placeCommand(dialect), orderType: 'STOP_LIMIT' as const, triggerPrice: '2900' };
      await execution.handle(command);
      expect(eventsOf(command)).toEqual(['REJECTED:REJECTED:INTERNAL']);
      expect(events.at(-1)?.reason).toBe('order type STOP_LIMIT is not supported by the ccxt connector');
    });

    it('commands of another portfolio are refused before they reach the venue, answered in their own portfolio\'s events', async () => {
      const reason = `portfolio "other" cannot trade on ${dialect}|acct, which belongs to portfolio "pf"`;
      const place = { ...placeCommand(dialect), portfolio: 'other' };
      await execution.handle(place);
      expect(eventsOf(place)).toEqual(['REJECTED:REJECTED:INTERNAL']);
      expect(events.find((e) => e.clientOrderId === place.clientOrderId)).toMatchObject({ portfolio: 'other', reason });
      expect(venueOrders(place.clientOrderId)).toEqual([]);

      // An order of that portfolio already on the venue (this account was once its) stays as it is.
      const open = { ...placeCommand(dialect), portfolio: 'other' };
      const placed = venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: new Decimal('0.1'), price: new Decimal('3000'), clientOrderId: open.clientOrderId });
      const venueOrderId = String(placed.orderId);
      await execution.handle({ ...open, type: 'AMEND', commandId: randomUUID(), venueOrderId, newLimitPrice: '3001' });
      await execution.handle({ ...open, type: 'CANCEL', commandId: randomUUID(), venueOrderId });
      expect(eventsOf(open)).toEqual([
        'AMEND_REQUESTED:PENDING_AMEND:INTERNAL',
        'AMEND_REJECTED:NEW:INTERNAL',
        'CANCEL_REQUESTED:PENDING_CANCEL:INTERNAL',
        'CANCEL_REJECTED:NEW:INTERNAL',
      ]);
      expect(events.filter((e) => e.clientOrderId === open.clientOrderId).map((e) => [e.portfolio, e.reason])).toEqual([['other', null], ['other', reason], ['other', null], ['other', reason]]);
      expect(venueOrders(open.clientOrderId).map((o) => [o.status, o.price.toFixed()])).toEqual([['NEW', '3000']]);
    });
  });
}

function placeCommand(venue: string): OrderCommand {
  return limitPlaceCommand({ portfolio: 'pf', venue, account: 'acct', instrument: 'ETH/USDT', quantity: '0.1', limitPrice: '3000' });
}
