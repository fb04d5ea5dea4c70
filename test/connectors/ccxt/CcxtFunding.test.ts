import { PositionsWorker } from '@crossvenue/processors';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { Decimal, TOPICS, type Fill, type FundingPayment, type Position } from '@crossvenue/schemas';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import { collectInto, connectorOnSimulatedVenue, quietConnector } from './connectorFixtures.ts';

const PERPETUAL = 'BTC/USDT:USDT';
const ACCOUNT = { venue: 'funding-venue', account: 'funding-trader', portfolio: 'funding-portfolio' };
/** Short, so the test sees payments settle; the venue's default is 8 hours. */
const FUNDING_INTERVAL_MS = 300;

/**
 * Funding from the venue to PnL, exactly once (issue #17): a perpetual position opened through the
 * connector on the simulated USD-M venue, the venue settling funding on it, the connector listing
 * the payments with each venue snapshot (again and again), and the positions worker folding each
 * into the position's funding once. Checked against the venue's own list, read by a client of the test's own.
 */
describe('funding payments: venue → connector → positions, each once', () => {
  const fills: Fill[] = [];
  const payments: FundingPayment[] = [];
  const positions: Position[] = [];
  const run = connectorOnSimulatedVenue({
    venue: { name: ACCOUNT.venue, dialect: 'binanceusdm', seed: 5, fundingIntervalMs: FUNDING_INTERVAL_MS },
    subscribe: async (messages) => {
      await messages.prepare([TOPICS.positions, TOPICS.balances]);
      await collectInto(messages, TOPICS.fills, fills);
      await collectInto(messages, TOPICS.fundingPayments, payments);
      await collectInto(messages, TOPICS.positions, positions);
    },
    connect: (exchange, messages) => quietConnector({ exchange, messages, ...ACCOUNT, instruments: [PERPETUAL], reconnectDelayMs: 100 }),
  });
  let worker: PositionsWorker;

  beforeAll(async () => {
    worker = new PositionsWorker({ messages: run.messages, logger: createLogger('positions', { level: 'silent' }) });
    await worker.start();
  });
  afterAll(() => worker?.stop());

  it('folds every payment the venue lists into the position\'s funding once, however often it is listed', async () => {
    const command = limitPlaceCommand({ ...ACCOUNT, instrument: PERPETUAL, side: 'BUY', quantity: '0.01', limitPrice: '70000', timeInForce: 'IOC' });
    await run.messages.publish(TOPICS.orderCommands, [command]);
    await waitFor('the buy filled', () => fills.some((fill) => fill.clientOrderId === command.clientOrderId), 10_000);

    // The venue's own list, through a client of the test's own: wait for two payments, then stop funding.
    const venue = ccxtClientFor(run.venue.endpoints);
    const listed = async () => (await venue.fetchFundingHistory(PERPETUAL)).map((entry) => ({ id: String(entry.id), amount: new Decimal((entry.info as { income: string }).income) }));
    await waitFor('two funding payments at the venue', async () => (await listed()).filter(({ amount }) => !amount.isZero()).length >= 2, 10_000);
    run.venue.setFundingRate('BTCUSDT', '0');
    await new Promise((resolve) => setTimeout(resolve, 2 * FUNDING_INTERVAL_MS));
    const atVenue = await listed();
    await venue.close();
    const total = atVenue.reduce((sum, { amount }) => sum.plus(amount), new Decimal(0));
    expect(total.isZero()).toBe(false);

    // Listed with every snapshot: twice here.
    await run.connector.publishSnapshot();
    await run.connector.publishSnapshot();
    const latest = () => positions.filter((position) => position.instrument === PERPETUAL).at(-1);
    await waitFor('the position with every payment the venue listed', () => new Decimal(latest()?.funding ?? 0).equals(total), 10_000);
    // Every payment that moved money, each listed with both snapshots (a zero-rate settlement may follow the listing).
    const paid = (ids: Array<{ id: string; amount: Decimal }>) => new Set(ids.filter(({ amount }) => !amount.isZero()).map(({ id }) => id));
    const listedTwice = () => [...paid(atVenue)].every((id) => payments.filter((payment) => payment.fundingId === id).length === 2);
    await waitFor('each payment listed by both snapshots', listedTwice, 10_000);
    expect(paid(payments.map((payment) => ({ id: payment.fundingId, amount: new Decimal(payment.amount) })))).toEqual(paid(atVenue));
    // Folded once: the worker republished the position for the second listing, and it changed nothing.
    const atTotal = () => positions.filter((position) => position.instrument === PERPETUAL && new Decimal(position.funding).equals(total));
    await waitFor('the position republished after the second listing', () => atTotal().length >= 2, 10_000);
    expect(new Decimal(latest()!.funding).equals(total)).toBe(true);
    expect(latest()).toMatchObject({ quantity: '0.01', quoteCurrency: 'USDT' });
    // Long with a positive rate: the position paid.
    expect(new Decimal(latest()!.funding).isNegative()).toBe(true);
  });
});
