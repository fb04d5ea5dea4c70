import { BusUnavailableError, type MessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { TOPICS, type OrderCommand, type OrderEvent, type TopicDefinition } from '@crossvenue/schemas';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import type { Exchange } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../venues/capabilitiesOf.ts';
import { CcxtExecution } from './CcxtExecution.ts';
import { OrderReporter } from './OrderReporter.ts';
import { baseUnitMarkets, bybitTestContext } from './testContext.ts';
import { TrackedOrders } from './TrackedOrders.ts';

/** The execution side on `ccxtId`'s row with a ccxt client that records cancel and edit calls. */
async function executionOn(ccxtId: string) {
  const calls: unknown[][] = [];
  const exchange = {
    id: ccxtId,
    ...baseUnitMarkets,
    cancelOrder: async (...args: unknown[]) => (calls.push(['cancelOrder', ...args]), { id: 'V1', status: 'canceled', filled: 0, amount: 1, info: {} }),
    editOrder: async (...args: unknown[]) => (calls.push(['editOrder', ...args]), { id: 'V2', status: 'open', filled: 0, amount: 1, info: {} }),
  } as unknown as Exchange;
  const { context: base, published } = await bybitTestContext(TOPICS.orderEvents, 'desk');
  const context = { ...base, exchange, capabilities: capabilitiesOf(ccxtId), venue: ccxtId, account: 'main' };
  const execution = new CcxtExecution(context, new OrderReporter(context, new TrackedOrders()), { notFoundGraceMs: 10, lookupRetryMs: 10, cancelAttempts: 1, startedAtMs: 0 });
  const events = () => (published as OrderEvent[]).map((event) => `${event.event}:${event.source}${event.reason ? `:${event.reason}` : ''}`);
  return { execution, calls, events };
}

const command = (ccxtId: string, overrides: Partial<OrderCommand>): OrderCommand => ({ ...limitPlaceCommand(), venue: ccxtId, account: 'main', portfolio: 'desk', ...overrides });

describe('CcxtExecution on venue capability rows', () => {
  it('refuses a Coinbase cancel before the venue order id is known: Coinbase cancels by its own id only', async () => {
    const { execution, calls, events } = await executionOn('coinbase');
    await execution.handle(command('coinbase', { type: 'CANCEL', instrument: 'BTC/USD', venueOrderId: null }));
    await waitFor('refusal published', () => events().length === 2, 2_000);
    expect(events()).toEqual([
      'CANCEL_REQUESTED:INTERNAL',
      'CANCEL_REJECTED:INTERNAL:the venue order id is not known yet, and Coinbase Advanced Trade gets and cancels orders by its own order id only',
    ]);
    expect(calls).toEqual([]);
  });

  it('cancels on Coinbase by the venue order id, and elsewhere by our id in the venue form', async () => {
    const coinbase = await executionOn('coinbase');
    await coinbase.execution.handle(command('coinbase', { type: 'CANCEL', instrument: 'BTC/USD', venueOrderId: 'cb-1' }));
    expect(coinbase.calls).toEqual([['cancelOrder', 'cb-1', 'BTC/USD', {}]]);
    const hyperliquid = await executionOn('hyperliquid');
    const cancel = command('hyperliquid', { type: 'CANCEL', instrument: 'BTC/USDC:USDC', venueOrderId: null });
    await hyperliquid.execution.handle(cancel);
    expect(hyperliquid.calls).toEqual([['cancelOrder', '', 'BTC/USDC:USDC', { clientOrderId: `0x${cancel.clientOrderId}` }]]);
  });

  it("amends with the row's params: OKX addresses the order by clOrdId, Coinbase's edit takes no client id", async () => {
    const okx = await executionOn('okx');
    const amend = command('okx', { type: 'AMEND', instrument: 'BTC/USDT', venueOrderId: 'okx-1', newLimitPrice: '101' });
    await okx.execution.handle(amend);
    expect(okx.calls).toEqual([['editOrder', 'okx-1', 'BTC/USDT', 'limit', 'buy', '1', '101', { clOrdId: amend.clientOrderId }]]);
    const coinbase = await executionOn('coinbase');
    await coinbase.execution.handle(command('coinbase', { type: 'AMEND', instrument: 'BTC/USD', venueOrderId: 'cb-1', newLimitPrice: '101' }));
    expect(coinbase.calls).toEqual([['editOrder', 'cb-1', 'BTC/USD', 'limit', 'buy', '1', '101', {}]]);
  });

  it('refuses an amend on Binance spot, which has none that keeps the order, and sends nothing', async () => {
    const { execution, calls, events } = await executionOn('binance');
    await execution.handle(command('binance', { type: 'AMEND', instrument: 'BTC/USDT', venueOrderId: 'b-1', newLimitPrice: '101' }));
    await waitFor('refusal published', () => events().length === 2, 2_000);
    expect(events()).toEqual(['AMEND_REQUESTED:INTERNAL', 'AMEND_REJECTED:INTERNAL:binance spot has no amend that keeps the order; the execution side cancels it and places a new leg']);
    expect(calls).toEqual([]);
  });
});

describe('CcxtExecution.handleBatch', () => {
  it('sends the orders of a batch at once, and the commands of one order one after another, a PLACE once', async () => {
    const calls: string[] = [];
    const answers: Array<() => void> = [];
    const answered = (id: string) => ({ id, status: 'open', filled: 0, amount: 1, info: {} });
    const exchange = {
      id: 'bybit',
      ...baseUnitMarkets,
      // Each create waits until the test answers it: the venue is slow.
      createOrder: (...args: unknown[]) => {
        const clientOrderId = String((args[5] as Record<string, unknown>).orderLinkId ?? (args[5] as Record<string, unknown>).clientOrderId);
        calls.push(`create:${clientOrderId}`);
        return new Promise((resolve) => answers.push(() => resolve(answered(`V-${clientOrderId}`))));
      },
      cancelOrder: async (...args: unknown[]) => (calls.push(`cancel:${String(args[0])}`), { ...answered(String(args[0])), status: 'canceled' }),
    } as unknown as Exchange;
    const { context: base } = await bybitTestContext(TOPICS.orderEvents, 'desk');
    const context = { ...base, exchange, capabilities: capabilitiesOf('bybit'), venue: 'bybit', account: 'main' };
    const execution = new CcxtExecution(context, new OrderReporter(context, new TrackedOrders()), { notFoundGraceMs: 10, lookupRetryMs: 10, cancelAttempts: 1, startedAtMs: 0 });
    const a = command('bybit', { clientOrderId: 'cvAAAA' });
    const b = command('bybit', { clientOrderId: 'cvBBBB' });
    const batch = execution.handleBatch([a, b, { ...a, type: 'CANCEL', commandId: 'cancel-a' }, a]);
    await waitFor('both orders sent before either is answered', () => calls.length === 2, 2_000);
    expect(calls.sort()).toEqual(['create:cvAAAA', 'create:cvBBBB']);
    for (const answer of answers) answer();
    await batch;
    expect(calls.slice(2)).toEqual(['cancel:']);
    expect(calls.filter((call) => call === 'create:cvAAAA')).toHaveLength(1);
  });
});

describe('CcxtExecution when Kafka does not take an order event', () => {
  /** A connector whose next `failures` publications fail as while the broker is away, on a venue that records its creates. */
  async function awayOnce(failAt: 'SUBMITTED' | 'answer') {
    const creates: string[] = [];
    const exchange = {
      id: 'bybit',
      ...baseUnitMarkets,
      createOrder: async (...args: unknown[]) => {
        const params = args[5] as Record<string, unknown>;
        creates.push(String(params.orderLinkId ?? params.clientOrderId));
        return { id: 'V1', status: 'open', filled: 0, amount: 1, info: {} };
      },
    } as unknown as Exchange;
    const { context: base, published } = await bybitTestContext(TOPICS.orderEvents, 'desk');
    let failures = 0;
    const messages = {
      publish: async (topic: TopicDefinition, values: OrderEvent[]) => {
        const failing = failAt === 'SUBMITTED' ? values.some((event) => event.event === 'SUBMITTED') : creates.length > 0;
        if (failing && failures++ === 0) throw new BusUnavailableError('Kafka did not take 1 records: Connection error: connect ECONNREFUSED');
        await base.messages.publish(topic, values as never[]);
      },
    } as unknown as MessageBus;
    const context = { ...base, exchange, messages, capabilities: capabilitiesOf('bybit'), venue: 'bybit', account: 'main' };
    const execution = new CcxtExecution(context, new OrderReporter(context, new TrackedOrders()), { notFoundGraceMs: 10, lookupRetryMs: 10, cancelAttempts: 1, startedAtMs: 0 });
    return { execution, creates, events: () => (published as OrderEvent[]).map((event) => event.event) };
  }

  it.each(['SUBMITTED', 'answer'] as const)('publishes every event once the batch is handed in again, and sends the order once (publication failing at %s)', async (failAt) => {
    const { execution, creates, events } = await awayOnce(failAt);
    const place = command('bybit', { clientOrderId: 'cvCCCC' });
    await expect(execution.handleBatch([place])).rejects.toThrow(BusUnavailableError);
    await execution.handleBatch([place]);
    await waitFor('both events published', () => events().length === 2, 2_000);
    expect(events()).toEqual(['SUBMITTED', 'ACCEPTED']);
    expect(creates).toEqual(['cvCCCC']);
  });
});
