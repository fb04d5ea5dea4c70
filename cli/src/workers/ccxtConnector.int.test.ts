import { randomUUID } from 'node:crypto';
import { DEFAULT_MARKETS, SimulatedVenue } from '@crossvenue/simulator';
import {
  clientOrderId,
  TOPICS,
  type Fill,
  type IntentId,
  type OrderCommand,
  type OrderEvent,
} from '@crossvenue/schemas';
import { createLogger, kafkaMessageBus, resolveEndpoints, WorkerMetrics } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtConnectorWorker } from './ccxtConnector.ts';
import type { RunningWorker } from './WorkerDefinition.ts';

const endpoints = resolveEndpoints();
const logger = createLogger('ccxt-connector-int', { level: 'warn' });
const TRADER = { name: 'int-trader', apiKey: 'intTraderKey0001', secret: 'intTraderSecret0001', balances: { USDT: '100000', ETH: '10' } };

describe('ccxt-connector worker on Kafka and the schema registry, against a simulated Binance venue', () => {
  const id = randomUUID().slice(0, 8);
  const venueName = `sim-ccxt-${id}`;
  const account = `acct-${id}`;
  const portfolio = `pf-${id}`;
  const simulated = new SimulatedVenue({ name: venueName, dialect: 'binance', markets: DEFAULT_MARKETS, fees: { maker: '0.001', taker: '0.002' }, accounts: [TRADER] });
  const workerBus = kafkaMessageBus(`ccxt-connector-${id}`, logger);
  const testBus = kafkaMessageBus(`ccxt-connector-test-${id}`, logger);
  const events: OrderEvent[] = [];
  const fills: Fill[] = [];
  let worker: RunningWorker;

  beforeAll(async () => {
    const venue = await simulated.start();
    await workerBus.prepare(ccxtConnectorWorker.topics);
    await testBus.prepare(ccxtConnectorWorker.topics);
    await testBus.subscribe({ groupId: `events-${id}`, topics: [TOPICS.orderEvents], fromBeginning: true, handle: async (batch) => void events.push(...batch.map((m) => m.value).filter((e) => e.account === account)) });
    await testBus.subscribe({ groupId: `fills-${id}`, topics: [TOPICS.fills], fromBeginning: true, handle: async (batch) => void fills.push(...batch.map((m) => m.value).filter((f) => f.account === account)) });
    const env = {
      VENUE_ID: 'binance',
      VENUE_NAME: venueName,
      ACCOUNT: account,
      PORTFOLIO: portfolio,
      VENUE_API_KEY: TRADER.apiKey,
      VENUE_API_SECRET: TRADER.secret,
      VENUE_REST_URL: venue.restUrl,
      VENUE_WS_URL: venue.wsUrl,
      INSTRUMENTS: 'ETH/USDT',
    };
    worker = await ccxtConnectorWorker.start({ messages: workerBus, logger, endpoints, env, metrics: new WorkerMetrics('ccxt-connector') });
  });

  afterAll(async () => {
    await worker?.stop();
    await simulated.stop();
    await workerBus.bus.close();
    await testBus.bus.close();
  });

  it('a PLACE command in gives order events and one fill out, and one venue order however often it is delivered', async () => {
    const intentId = `int-${randomUUID()}`;
    const command: OrderCommand = {
      eventId: randomUUID(), commandId: randomUUID(), type: 'PLACE', intentId, leg: 0, attempt: 0,
      clientOrderId: clientOrderId(intentId as IntentId, 0, 0), portfolio, venue: venueName, account, instrument: 'ETH/USDT',
      side: 'BUY', quantity: '0.1', limitPrice: null, orderType: 'MARKET', timeInForce: 'GTC', expireAtMs: null, triggerPrice: null,
      postOnly: false, reduceOnly: false, icebergQuantity: null, newQuantity: null, newLimitPrice: null, venueOrderId: null, createdAtMs: Date.now(), routeDecisionId: null,
    };
    // The worker's fresh consumer group starts at the end of the topic once it has joined; the
    // same command is delivered until it is seen, which also proves a redelivery is not re-sent.
    await waitFor('the worker took the command', async () => {
      await testBus.publish(TOPICS.orderCommands, [command]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      return events.some((e) => e.clientOrderId === command.clientOrderId);
    }, 45_000);
    await waitFor('FILLED and its fill', () => events.some((e) => e.state === 'FILLED') && fills.length > 0, 20_000);

    const mine = events.filter((e) => e.clientOrderId === command.clientOrderId);
    expect(mine[0]).toMatchObject({ event: 'SUBMITTED', state: 'PENDING_NEW', portfolio, intentId });
    expect(mine.at(-1)).toMatchObject({ state: 'FILLED', filledQuantity: '0.1', remainingQuantity: '0' });
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ clientOrderId: command.clientOrderId, intentId, quantity: '0.1', side: 'BUY', venue: venueName, portfolio });
    const venueOrders = simulated.engine.closedOrders(TRADER.name).filter((o) => o.clientOrderId === command.clientOrderId);
    expect(venueOrders).toHaveLength(1);
  });
});
