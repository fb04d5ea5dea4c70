import { randomUUID } from 'node:crypto';
import { BusUnavailableError, InProcessBus, MessageBus, createLogger } from '@crossvenue/runtime';
import {
  LocalCodec,
  TOPICS,
  parseAccountId,
  parseIntentId,
  parsePortfolioId,
  parseVenueId,
  validateSymbol,
  type BalanceSnapshot,
  type BookSnapshot,
  type ControlCommand,
  type Fill,
  type Intent,
  type IntentStatus,
  type OrderEvent,
  type RouteDecision,
  type SymbolMetadata,
  type Position,
  type VenueSnapshot,
} from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ApiKeys } from './auth/ApiKeys.ts';
import { GatewayServer, OPENAPI_DOCUMENT } from './GatewayServer.ts';
import { IdempotencyKeys } from './IdempotencyKeys.ts';
import { LIVE_TOPICS, LiveState } from './LiveState.ts';
import { positiveDecimal } from './requests/fields.ts';
import { apiRoutes } from './routes.ts';

/** A JSON answer, read loosely: the assertions check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const KEYS = { admin: 'admin-key-0123456789abcdefghij', trader: 'trader-key-0123456789abcdefghij', read: 'read-key-0123456789abcdefghijkl' };
const order = { portfolio: 'desk-1', instrument: 'BTC/USDT', side: 'buy', amount: '0.25', limitPrice: '64000.5' };
const DOCUMENT: Json = JSON.parse(OPENAPI_DOCUMENT);
const DOCUMENTED_SCHEMAS: Record<string, Json> = DOCUMENT.components.schemas;

/** Whether a string schema of the document (minLength, maxLength, pattern) admits the value. */
function documentAdmits(schema: Json, value: string): boolean {
  return value.length >= (schema.minLength ?? 0) && value.length <= (schema.maxLength ?? Infinity) && new RegExp(schema.pattern, 'u').test(value);
}

/** A spot SOL/USDT market: lots of 0.01, ticks of 0.01, 5 USDT minimum. */
function solMarket(venue: string): SymbolMetadata {
  const example = EXAMPLES.find((e) => e.schema === TOPICS.symbols.schema)!.value as SymbolMetadata;
  return {
    ...example, eventId: randomUUID(), venue, instrument: 'SOL/USDT', venueSymbol: 'SOLUSDT', assetType: 'SPOT', base: 'SOL', quote: 'USDT', settle: null,
    contractSize: null, expiryMs: null, strike: null, optionKind: null, minQuantity: '0.01', maxQuantity: '100000', maxMarketQuantity: null, quantityStep: '0.01',
    minPrice: '0.01', maxPrice: '1000000', priceTick: '0.01', minNotional: '5', maxNotional: null, orderTypes: ['LIMIT', 'MARKET'], makerFee: '0.001', takerFee: '0.001',
  };
}

/** A book snapshot received now, levels as [price, quantity]. */
export function book(venue: string, instrument: string, bids: string[][], asks: string[][]): BookSnapshot {
  const example = EXAMPLES.find((e) => e.schema === TOPICS.bookSnapshots.schema)!.value as BookSnapshot;
  const levels = (side: string[][]) => side.map(([price, quantity]) => ({ price: price!, quantity: quantity! }));
  return { ...example, eventId: randomUUID(), venue, instrument, receivedAtMs: Date.now(), bids: levels(bids), asks: levels(asks) };
}

/** A gateway on a free port over `messages` and `state`, with a key for each role in KEYS. */
async function startGateway(messages: MessageBus, state: LiveState): Promise<{ gateway: GatewayServer; url: string }> {
  const keys = new ApiKeys(Object.entries(KEYS).map(([role, key]) => ({ name: `${role}-user`, role: role as 'read', key })));
  const gateway = new GatewayServer(apiRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: Date.now }), keys, state, createLogger('gateway-test', { level: 'silent' }));
  return { gateway, url: await gateway.start(0) };
}

describe('gateway API', () => {
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('gateway-test', { level: 'silent' }));
  const state = new LiveState();
  const published: Record<string, unknown[]> = {};
  let gateway: GatewayServer;
  let url: string;

  beforeAll(async () => {
    await messages.prepare([TOPICS.intents, TOPICS.controlCommands, ...LIVE_TOPICS]);
    await state.start(messages, 'gateway-test');
    for (const topic of [TOPICS.intents, TOPICS.controlCommands]) {
      const seen: unknown[] = (published[topic.name] = []);
      await messages.subscribe({ groupId: `spy-${topic.name}`, topics: [topic], fromBeginning: true, handle: async (batch) => void seen.push(...batch.map((m) => m.value)) });
    }
    ({ gateway, url } = await startGateway(messages, state));
  });
  afterAll(async () => {
    await gateway.stop();
    await state.stop();
    await messages.bus.close();
  });

  async function call(method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  it('refuses a request without a valid API key with 401', async () => {
    expect((await call('GET', '/execution/account_status', undefined)).status).toBe(401);
    const wrong = await call('POST', '/execution/unified_order', 'not-a-key', order);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthenticated');
  });

  it.each([
    [{ ...order, amount: undefined }, 'amount', 'amount: is required'],
    [{ ...order, amount: 0.25 }, 'amount', 'amounts must be decimal strings'],
    [{ ...order, amount: '-1' }, 'amount', 'greater than zero'],
    [{ ...order, side: 'long' }, 'side', 'must be one of BUY, SELL'],
    [{ ...order, instrument: 'BTCUSDT' }, 'instrument', 'expected'],
    [{ ...order, portfolio: undefined }, 'portfolio', 'is required'],
    [{ ...order, timeInForce: 'GTD' }, 'expireAtMs', 'required when timeInForce is GTD'],
    [{ ...order, timeInForce: 'GTD', expireAtMs: Number.MAX_SAFE_INTEGER }, 'expireAtMs', 'up to 253402300799999 (year 9999)'],
    [{ ...order, postOnly: true, limitPrice: undefined }, 'postOnly', 'needs a limitPrice'],
    [{ ...order, trigger: { type: 'stop', triggerPrice: 'x' } }, 'trigger.triggerPrice', 'not a decimal'],
  ])('answers 400 naming the field for %j', async (body, field, message) => {
    const { status, body: answer } = await call('POST', '/execution/unified_order', KEYS.trader, body);
    expect(status).toBe(400);
    expect(answer.error.field).toBe(field);
    expect(answer.error.message).toContain(message);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { status, body } = await call('POST', '/execution/unified_order', KEYS.trader, '{not json');
    expect([status, body.error.code]).toEqual([400, 'invalid_json']);
  });

  it('turns the same Idempotency-Key twice into one intent, and refuses it for another request', async () => {
    const key = randomUUID();
    const first = await call('POST', '/execution/unified_order', KEYS.trader, order, { 'idempotency-key': key });
    const second = await call('POST', '/execution/unified_order', KEYS.trader, { ...order }, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ intentId: first.body.intentId, duplicate: true });
    await waitFor('the intent on the bus', () => published[TOPICS.intents.name]!.some((i) => (i as Intent).intentId === first.body.intentId));
    expect(published[TOPICS.intents.name]!.filter((i) => (i as Intent).intentId === first.body.intentId)).toHaveLength(1);

    const conflict = await call('POST', '/execution/unified_order', KEYS.trader, { ...order, amount: '1' }, { 'idempotency-key': key });
    expect(conflict.status).toBe(422);
    expect(conflict.body.error.code).toBe('idempotency_conflict');
  });

  it('publishes the standard order as an intent with decimal strings and who asked', async () => {
    const { body } = await call('POST', '/execution/unified_order', KEYS.trader, { ...order, amountType: 'base', timeInForce: 'ioc', reduceOnly: true });
    await waitFor('the intent', () => published[TOPICS.intents.name]!.some((i) => (i as Intent).intentId === body.intentId));
    const intent = published[TOPICS.intents.name]!.find((i) => (i as Intent).intentId === body.intentId) as Intent;
    expect(intent).toMatchObject({ action: 'PLACE', kind: 'ORDER', portfolio: 'desk-1', instrument: 'BTC/USDT', source: 'API', requestedBy: 'trader-user' });
    expect({ ...intent.order }).toMatchObject({ side: 'BUY', amount: '0.25', amountType: 'BASE', limitPrice: '64000.5', timeInForce: 'IOC', reduceOnly: true });
  });

  it('takes DAY and GTD orders: the intent carries the time in force and a GTD its expireAtMs', async () => {
    const expireAtMs = Date.now() + 3_600_000;
    for (const terms of [{ timeInForce: 'day' }, { timeInForce: 'GTD', expireAtMs }]) {
      const { status, body } = await call('POST', '/execution/unified_order', KEYS.trader, { ...order, ...terms });
      expect(status).toBe(202);
      await waitFor('the intent', () => published[TOPICS.intents.name]!.some((i) => (i as Intent).intentId === body.intentId));
      const intent = published[TOPICS.intents.name]!.find((i) => (i as Intent).intentId === body.intentId) as Intent;
      expect(intent.order).toMatchObject({ timeInForce: terms.timeInForce.toUpperCase(), expireAtMs: terms.expireAtMs ?? null });
    }
  });

  it.each([
    ['/execution/unified_order', { ...order, timeInForce: 'IOC', icebergQuantity: '0.05' }, 'timeInForce', 'an iceberg rests in slices until filled or cancelled'],
    ['/execution/unified_order', { ...order, timeInForce: 'IOC', algo: { type: 'TWAP', durationMs: 60_000 } }, 'timeInForce', 'a TWAP runs for its durationMs'],
  ])('refuses POST %s %j with 422 naming the field and why, publishes nothing, and leaves its Idempotency-Key unused', async (path, request, field, reason) => {
    const key = randomUUID();
    const intentsBefore = published[TOPICS.intents.name]!.length;
    const { status, body } = await call('POST', path, KEYS.trader, request, { 'idempotency-key': key });
    expect([status, body.error.code, body.error.field]).toEqual([422, 'not_executed', field]);
    expect(body.error.message).toContain(`${field}: ${reason}`);
    const retried = await call('POST', path, KEYS.trader, order, { 'idempotency-key': key });
    expect(retried).toMatchObject({ status: 202, body: { duplicate: false } });
    // The bus keeps order: had the refused intent been published, it would be there before the retry's.
    await waitFor('the retried intent', () => published[TOPICS.intents.name]!.some((i) => (i as Intent).intentId === retried.body.intentId));
    expect(published[TOPICS.intents.name]!.length).toBe(intentsBefore + 1);
    // The document states these combinations as refused (its if / then rules): schemathesis checks it (test/gateway).
  });

  it('takes a stop order: published with its trigger, which the execution side holds until the market crosses it', async () => {
    const { status, body } = await call('POST', '/execution/unified_order', KEYS.trader, { ...order, side: 'sell', limitPrice: undefined, timeInForce: 'ioc', trigger: { type: 'stop', triggerPrice: '63000.50' } });
    expect(status).toBe(202);
    await waitFor('the intent', () => published[TOPICS.intents.name]!.some((i) => (i as Intent).intentId === body.intentId));
    const intent = published[TOPICS.intents.name]!.find((i) => (i as Intent).intentId === body.intentId) as Intent;
    expect(intent.order).toMatchObject({ side: 'SELL', limitPrice: null, trigger: { type: 'STOP', triggerPrice: '63000.5' } });
  });

  it('takes a TWAP: published with its schedule, amended keeping it; refuses what a TWAP does not take, and a preview of one', async () => {
    const { status, body } = await call('POST', '/execution/unified_order', KEYS.trader, { ...order, limitPrice: undefined, algo: { type: 'twap', durationMs: 60_000 } });
    expect(status).toBe(202);
    await waitFor('the intent', () => published[TOPICS.intents.name]!.some((i) => (i as Intent).intentId === body.intentId));
    expect(published[TOPICS.intents.name]!.find((i) => (i as Intent).intentId === body.intentId)).toMatchObject({ kind: 'ORDER', algo: { type: 'TWAP', durationMs: 60_000, sliceIntervalMs: 6_000 } });
    expect(await call('POST', '/execution/unified_amend', KEYS.trader, { intentId: body.intentId, amount: '1' })).toMatchObject({ status: 202 });
    expect(state.execution.intent(body.intentId)).toMatchObject({ action: 'MODIFY', order: { amount: '1' }, algo: { type: 'TWAP', durationMs: 60_000 } });
    const refused = [
      await call('POST', '/execution/unified_order', KEYS.trader, { ...order, timeInForce: 'IOC', algo: { type: 'TWAP', durationMs: 60_000 } }),
      await call('POST', '/execution/unified_order', KEYS.trader, { ...order, algo: { type: 'TWAP', durationMs: 500 } }),
      await call('POST', '/execution/route_preview', KEYS.read, { ...order, algo: { type: 'TWAP', durationMs: 60_000 } }),
    ];
    expect(refused.map(({ status: code, body: answer }) => `${code} ${answer.error.field}`)).toEqual(['422 timeInForce', '400 algo.durationMs', '400 algo']);
  });

  it('takes an amount in the quote currency, and refuses it fill-or-kill, to preview or to place, with 422 naming timeInForce', async () => {
    const { status, body } = await call('POST', '/execution/unified_order', KEYS.trader, { ...order, amount: '1000', amountType: 'quote', timeInForce: 'gtc' });
    expect(status).toBe(202);
    await waitFor('the intent', () => published[TOPICS.intents.name]!.some((i) => (i as Intent).intentId === body.intentId));
    const intent = published[TOPICS.intents.name]!.find((i) => (i as Intent).intentId === body.intentId) as Intent;
    expect(intent.order).toMatchObject({ amount: '1000', amountType: 'QUOTE' });
    const fok = { ...order, amount: '1000', amountType: 'QUOTE', timeInForce: 'FOK' };
    const placed = await call('POST', '/execution/unified_order', KEYS.trader, fok);
    expect([placed.status, placed.body.error.code, placed.body.error.field]).toEqual([422, 'not_executed', 'timeInForce']);
    expect(placed.body.error.message).toContain('FOK needs a BASE amount');
    const preview = await call('POST', '/execution/route_preview', KEYS.read, { instrument: 'BTC/USDT', side: 'buy', amount: '100', amountType: 'QUOTE', timeInForce: 'FOK', limitPrice: '64000' });
    expect([preview.status, preview.body.error.field]).toEqual([422, 'timeInForce']);
  });

  it("refuses with 422 to amend a QUOTE intent's amount: the execution side holds it in base since it was placed", async () => {
    // A strategy publishing on Kafka is not checked by the gateway; the gateway knows the intent from the bus.
    const example = EXAMPLES.find((e) => e.schema === TOPICS.intents.schema)!.value as Intent;
    const quoteOrder = { ...example.order!, amount: '1000', amountType: 'QUOTE' as const, timeInForce: 'GTC' as const, expireAtMs: null, trigger: null, icebergQuantity: null };
    const fromKafka: Intent = { ...example, eventId: randomUUID(), intentId: `strategy-${randomUUID()}`, kind: 'ORDER', group: null, order: quoteOrder };
    await messages.publish(TOPICS.intents, [fromKafka]);
    await waitFor('the strategy intent', () => state.execution.intent(fromKafka.intentId) !== undefined);
    const amended = await call('POST', '/execution/unified_amend', KEYS.trader, { intentId: fromKafka.intentId, amount: '1' });
    expect([amended.status, amended.body.error.code, amended.body.error.field]).toEqual([422, 'not_executed', 'amount']);
    expect(amended.body.error.message).toContain('the amount of an intent given in QUOTE cannot be amended');
    const repriced = await call('POST', '/execution/unified_amend', KEYS.trader, { intentId: fromKafka.intentId, amount: '1000.0', limitPrice: '1' });
    expect(repriced.status).toBe(202);
  });

  it.each([
    ['POST', '/execution/account_status', 'GET'],
    ['GET', '/execution/unified_order', 'POST'],
    ['DELETE', '/intents/some-intent', 'GET'],
    ['PUT', '/intents', 'POST, GET'],
  ])('answers %s %s with 405 and the methods the path supports in Allow', async (method, path, allow) => {
    const response = await fetch(`${url}${path}`, { method, headers: { 'x-api-key': KEYS.admin } });
    expect([response.status, response.headers.get('allow')]).toEqual([405, allow]);
    expect(((await response.json()) as Json).error.code).toBe('method_not_allowed');
  });

  it.each([
    ['/execution/unified_cancel', { intentId: '' }, 'intentId', 'IntentId'],
    ['/execution/unified_amend', { intentId: '', amount: '1' }, 'intentId', 'IntentId'],
    ['/execution/unified_order', { ...order, portfolio: '' }, 'portfolio', 'PortfolioId'],
    ['/execution/unified_order', { ...order, account: '' }, 'account', 'AccountId'],
    ['/execution/unified_order', { ...order, venues: [''] }, 'venues[0]', 'VenueId'],
    ['/execution/unified_order', { ...order, instrument: '' }, 'instrument', 'Instrument'],
    ['/control/flatten', { venue: '', reason: 'x' }, 'venue', 'VenueId'],
    ['/control/resume', { scope: 'GLOBAL', reason: ' ' }, 'reason', 'Reason'],
  ])('refuses an empty id on %s %j with 400, as the document says', async (path, request, field, schema) => {
    const { status, body } = await call('POST', path, KEYS.trader, request);
    expect([status, body.error.field]).toEqual([400, field]);
    const value = (field === 'venues[0]' ? (request as { venues: string[] }).venues[0] : (request as Record<string, string>)[field])!;
    expect(documentAdmits(DOCUMENTED_SCHEMAS[schema], value)).toBe(false);
  });

  it.each([
    ['IntentId', parseIntentId, ['', 'a', 'api-0f3c', 'flatten:c1:main:BTC-USDT', 'x.y_z', '-a', '.a', 'a b', 'a/b', 'é', 'x'.repeat(128), 'x'.repeat(129), 'a\n']],
    ['PortfolioId', parsePortfolioId, ['', 'desk-1', 'A.b_c', '_a', 'a:b', 'a b', 'x'.repeat(64), 'x'.repeat(65), 'a\n']],
    ['AccountId', parseAccountId, ['', 'main', 'sub.1', '-a', 'a/b', 'x'.repeat(64), 'x'.repeat(65)]],
    ['VenueId', parseVenueId, ['', 'binance', 'okx-2', 'a_b', 'Binance', '1okx', 'x'.repeat(32), 'x'.repeat(33), 'a\n']],
    ['Instrument', validateSymbol, ['', 'BTC/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC-220520', 'BTC/USD:BTC-220520-22000-C', 'BTC/USD:BTC-220520-0.5-P', '1000PEPE/USDT', 'BTCUSDT', 'BTC/', '/USDT', 'BTC-USDT', 'BTC/USDT:USDT-2205', 'BTC/USD:BTC-220520-22000-X', 'BTC/USDT\n']],
    ['PositiveDecimal', (raw: unknown) => positiveDecimal({ amount: raw }, 'amount'), ['1', '0.5', '00.10', '64000.5', '0', '0.0', '-1', '.5', '1.', '1e3', ' 1', '', '1\n']],
  ])('documents the %s values the server accepts, and no others', (schema, parse, samples) => {
    const serverAccepts = (value: string) => {
      try {
        parse(value);
        return true;
      } catch {
        return false;
      }
    };
    for (const value of samples) expect([value, documentAdmits(DOCUMENTED_SCHEMAS[schema], value)]).toEqual([value, serverAccepts(value)]);
  });

  it('amends and cancels a known intent, and answers 404 for an unknown one', async () => {
    const { body } = await call('POST', '/execution/unified_order', KEYS.trader, order);
    const amended = await call('POST', '/execution/unified_amend', KEYS.trader, { intentId: body.intentId, amount: '0.5' });
    expect(amended).toMatchObject({ status: 202, body: { action: 'MODIFY' } });
    expect(state.execution.intent(body.intentId)?.order?.amount).toBe('0.5');
    expect((await call('POST', '/execution/unified_cancel', KEYS.trader, { intentId: body.intentId })).body.action).toBe('CANCEL');
    expect((await call('POST', '/execution/unified_cancel', KEYS.trader, { intentId: body.intentId })).status).toBe(409);
    const unknown = await call('POST', '/execution/unified_cancel', KEYS.trader, { intentId: 'nope' });
    expect([unknown.status, unknown.body.error.field]).toEqual([404, 'intentId']);
  });

  it('refuses an amend or a cancel of an intent that is done (filled whole) with 409, as the execution side would', async () => {
    const { body } = await call('POST', '/execution/unified_order', KEYS.trader, order);
    const example = EXAMPLES.find((e) => e.schema === TOPICS.intentStatus.schema)!.value as IntentStatus;
    await messages.publish(TOPICS.intentStatus, [{ ...example, eventId: `${body.intentId}:status:9`, intentId: body.intentId, portfolio: order.portfolio, state: 'DONE' }]);
    await waitFor('the DONE status read', () => state.execution.history(body.intentId)?.status?.state === 'DONE');
    for (const [path, request] of [['/execution/unified_amend', { intentId: body.intentId, amount: '0.5' }], ['/execution/unified_cancel', { intentId: body.intentId }]] as const) {
      const refused = await call('POST', path, KEYS.trader, request);
      expect([refused.status, refused.body.error.code], path).toEqual([409, 'intent_done']);
    }
  });

  it('places a TARGET_POSITION, amends its targetQuantity even once DONE, and refuses order fields on it and targetQuantity on an order', async () => {
    const target = { kind: 'target_position', portfolio: 'desk-1', instrument: 'BTC/USDT', targetQuantity: '-0.50' };
    const { status, body } = await call('POST', '/intents', KEYS.trader, target);
    expect(status).toBe(202);
    await waitFor('the target', () => published[TOPICS.intents.name]!.some((i) => (i as Intent).intentId === body.intentId));
    expect(published[TOPICS.intents.name]!.find((i) => (i as Intent).intentId === body.intentId)).toMatchObject({ action: 'PLACE', kind: 'TARGET_POSITION', order: null, targetQuantity: '-0.5', account: null, venues: [] });
    // DONE is not the end of a target: it is held, and may be moved.
    const example = EXAMPLES.find((e) => e.schema === TOPICS.intentStatus.schema)!.value as IntentStatus;
    await messages.publish(TOPICS.intentStatus, [{ ...example, eventId: `${body.intentId}:status:0`, intentId: body.intentId, portfolio: 'desk-1', state: 'DONE' }]);
    await waitFor('the DONE status read', () => state.execution.history(body.intentId)?.status?.state === 'DONE');
    expect(await call('POST', '/execution/unified_amend', KEYS.trader, { intentId: body.intentId, targetQuantity: '0' })).toMatchObject({ status: 202, body: { action: 'MODIFY' } });
    expect(state.execution.intent(body.intentId)).toMatchObject({ kind: 'TARGET_POSITION', targetQuantity: '0', order: null });
    const refusals = [
      await call('POST', '/intents', KEYS.trader, { ...target, side: 'buy' }),
      await call('POST', '/intents', KEYS.trader, { ...target, targetQuantity: 'half' }),
      await call('POST', '/intents', KEYS.trader, { ...order, targetQuantity: '1' }),
      await call('POST', '/execution/unified_amend', KEYS.trader, { intentId: body.intentId, amount: '1' }),
    ];
    expect(refusals.map(({ status: code, body: answer }) => `${code} ${answer.error.field}`)).toEqual(['400 side', '400 targetQuantity', '400 targetQuantity', '400 amount']);
    const { body: placed } = await call('POST', '/execution/unified_order', KEYS.trader, order);
    const onOrder = await call('POST', '/execution/unified_amend', KEYS.trader, { intentId: placed.intentId, targetQuantity: '1' });
    expect([onOrder.status, onOrder.body.error.field]).toEqual([400, 'targetQuantity']);
  });

  it('lets only an admin key flip a kill switch', async () => {
    const request = { scope: 'VENUE', venue: 'binance', engaged: true, reason: 'venue acting up' };
    const refused = await call('POST', '/control/kill-switch', KEYS.trader, request);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect((await call('POST', '/control/kill-switch', KEYS.admin, { ...request, venue: undefined })).body.error.field).toBe('venue');
    expect((await call('POST', '/control/kill-switch', KEYS.admin, request)).status).toBe(202);
    await waitFor('the kill switch on the control topic', () => published[TOPICS.controlCommands.name]!.length === 1);
    expect(published[TOPICS.controlCommands.name]![0]).toMatchObject({ type: 'KILL_SWITCH', scope: 'VENUE', venue: 'binance', engaged: true, issuedBy: 'admin-user' });
    expect((await call('POST', '/execution/unified_order', KEYS.read, order)).status).toBe(403);
  });

  it.each([
    ['/control/cancel-all', { scope: 'VENUE', venue: 'binance', reason: 'venue acting up' }, { type: 'CANCEL_ALL', scope: 'VENUE', venue: 'binance', account: null }],
    ['/control/flatten', { venue: 'okx', account: 'acct-1', reason: 'close it out' }, { type: 'FLATTEN', scope: 'ACCOUNT', venue: 'okx', account: 'acct-1' }],
    ['/control/flatten', { venue: 'okx', reason: 'close it out' }, { type: 'FLATTEN', scope: 'VENUE', venue: 'okx', account: null }],
    ['/control/resume', { scope: 'GLOBAL', reason: 'all clear' }, { type: 'RESUME', scope: 'GLOBAL', venue: null, account: null }],
  ])('lets a trader POST %s, published as one control command', async (path, request, expected) => {
    expect((await call('POST', path, KEYS.read, request)).status).toBe(403);
    const { status, body } = await call('POST', path, KEYS.trader, request);
    expect([status, body.type]).toEqual([202, expected.type]);
    await waitFor('the command on the control topic', () => published[TOPICS.controlCommands.name]!.some((c) => (c as ControlCommand).eventId === body.eventId));
    const sent = published[TOPICS.controlCommands.name]!.filter((c) => (c as ControlCommand).eventId === body.eventId);
    expect(sent).toEqual([expect.objectContaining({ ...expected, engaged: null, cancelOpenOrders: true, issuedBy: 'trader-user', reason: request.reason })]);
  });

  it.each([
    ['/control/cancel-all', { scope: 'VENUE', reason: 'x' }, 'venue', 'is required for scope VENUE'],
    ['/control/cancel-all', { scope: 'ACCOUNT', venue: 'okx', reason: 'x' }, 'account', 'is required for scope ACCOUNT'],
    ['/control/cancel-all', { scope: 'PORTFOLIO', reason: 'x' }, 'scope', 'must be one of GLOBAL, VENUE, ACCOUNT'],
    ['/control/cancel-all', { scope: 'GLOBAL' }, 'reason', 'is required'],
    ['/control/flatten', { reason: 'x' }, 'venue', 'is required'],
    ['/control/flatten', { venue: 'Not A Venue', reason: 'x' }, 'venue', 'invalid venue id'],
    ['/control/resume', { reason: 'x' }, 'scope', 'is required'],
  ])('answers 400 naming the field for %s %j', async (path, request, field, message) => {
    const { status, body } = await call('POST', path, KEYS.trader, request);
    expect([status, body.error.field]).toEqual([400, field]);
    expect(body.error.message).toContain(message);
  });

  it('previews the router plan over the books, rules and balances it holds, and publishes nothing', async () => {
    const cheap = book('pv-a', 'SOL/USDT', [['99', '5']], [['100', '1']]);
    const dear = book('pv-b', 'SOL/USDT', [['99', '5']], [['101', '5']]);
    const usdt: BalanceSnapshot['balances'] = [{ asset: 'USDT', free: '100000', locked: '0', total: '100000' }];
    const snapshot = EXAMPLES.find((e) => e.schema === TOPICS.balances.schema)!.value as BalanceSnapshot;
    await messages.publish(TOPICS.symbols, [solMarket('pv-a'), solMarket('pv-b')]);
    await messages.publish(TOPICS.balances, ['pv-a', 'pv-b'].map((venue) => ({ ...snapshot, portfolio: 'desk-pv', venue, account: 'main', complete: true, balances: usdt })));
    await messages.publish(TOPICS.bookSnapshots, [cheap, dear]);
    await waitFor('both books', () => state.books.has('pv-a|SOL/USDT') && state.books.has('pv-b|SOL/USDT'));
    const intentsBefore = published[TOPICS.intents.name]!.length;

    const { status, body } = await call('POST', '/execution/route_preview', KEYS.read, { instrument: 'SOL/USDT', side: 'buy', amount: '2', timeInForce: 'IOC' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ preview: true, instrument: 'SOL/USDT', side: 'BUY', quantity: '2', costCurrency: 'USDT' });
    expect(body.legs.map((leg: Json) => [leg.venue, leg.account, leg.quantity, leg.expectedAveragePrice]).sort()).toEqual([
      ['pv-a', 'main', '1', '100'],
      ['pv-b', 'main', '1', '101'],
    ]);
    expect(body.candidates.map((candidate: Json) => [candidate.venue, candidate.chosen]).sort()).toEqual([['pv-a', true], ['pv-b', true]]);
    expect(body.totalExpectedCost).toMatch(/^20\d\.\d+$/);

    const limited = await call('POST', '/execution/route_preview', KEYS.read, { instrument: 'SOL/USDT', side: 'buy', amount: '2', venues: ['pv-b'], timeInForce: 'IOC' });
    expect(limited.body.legs.map((leg: Json) => [leg.venue, leg.quantity])).toEqual([['pv-b', '2']]);
    const bad = await call('POST', '/execution/route_preview', KEYS.read, { instrument: 'SOL/USDT', side: 'buy', amount: 'lots' });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'amount']);
    expect((await call('POST', '/execution/route_preview', undefined, { instrument: 'SOL/USDT', side: 'buy', amount: '1' })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(published[TOPICS.intents.name]!.length).toBe(intentsBefore);
  });

  it('shows an intent\'s execution path: decisions, child orders, fills once each, realized against expected', async () => {
    const { body: placed } = await call('POST', '/execution/unified_order', KEYS.trader, { ...order, portfolio: 'desk-path', instrument: 'SOL/USDT', amount: '2', limitPrice: '105' });
    const intentId: string = placed.intentId;
    const decision = EXAMPLES.find((e) => e.schema === TOPICS.routeDecisions.schema)!.value as RouteDecision;
    const leg = (n: number, venue: string, price: string) => ({ leg: n, venue, account: 'main', quantity: '1', limitPrice: '105', expectedAveragePrice: price, expectedFee: '0.1' });
    await messages.publish(TOPICS.routeDecisions, [{ ...decision, intentId, portfolio: 'desk-path', instrument: 'SOL/USDT', quantity: '2', legs: [leg(0, 'pv-a', '100'), leg(1, 'pv-b', '101')], totalExpectedCost: '201.2', costCurrency: 'USDT' }]);
    const event = EXAMPLES.find((e) => e.schema === TOPICS.orderEvents.schema)!.value as OrderEvent;
    const child = (venue: string, state: OrderEvent['state'], filled: string): OrderEvent => ({
      ...event, eventId: randomUUID(), intentId, portfolio: 'desk-path', venue, account: 'main', instrument: 'SOL/USDT', clientOrderId: `${intentId}-${venue}`, state, filledQuantity: filled, remainingQuantity: state === 'FILLED' ? '0' : '1',
    });
    await messages.publish(TOPICS.orderEvents, [child('pv-a', 'NEW', '0'), child('pv-b', 'NEW', '0')]);
    await waitFor('two open orders', () => state.openOrders('desk-path').length === 2);
    const open = await call('GET', '/execution/orders?portfolio=desk-path', KEYS.read);
    expect(open.body.open.map((o: Json) => [o.venue, o.account, o.state]).sort()).toEqual([['pv-a', 'main', 'NEW'], ['pv-b', 'main', 'NEW']]);

    const exampleFill = EXAMPLES.find((e) => e.schema === TOPICS.fills.schema)!.value as Fill;
    const fill = (venue: string, price: string): Fill => ({
      ...exampleFill, eventId: randomUUID(), intentId, portfolio: 'desk-path', venue, account: 'main', instrument: 'SOL/USDT', venueTradeId: `t-${intentId}-${venue}`, clientOrderId: `${intentId}-${venue}`, price, quantity: '1', fee: '0.1', feeCurrency: 'USDT',
    });
    const fills = [fill('pv-a', '100'), fill('pv-b', '102')];
    await messages.publish(TOPICS.fills, [...fills, { ...fills[1]!, eventId: randomUUID() }]);
    await messages.publish(TOPICS.orderEvents, [child('pv-a', 'FILLED', '1'), child('pv-b', 'FILLED', '1')]);
    await waitFor('both orders filled', () => state.openOrders('desk-path').length === 0 && state.execution.recentFills(10, 'desk-path').length === 2);

    const { status, body: path } = await call('GET', `/intents/${intentId}/path`, KEYS.read);
    expect(status).toBe(200);
    expect(path.intent).toMatchObject({ intentId, action: 'PLACE' });
    expect(path.routeDecisions).toHaveLength(1);
    expect(path.orders.map((o: Json) => [o.venue, o.state]).sort()).toEqual([['pv-a', 'FILLED'], ['pv-b', 'FILLED']]);
    expect(path.fills.map((f: Json) => f.venueTradeId).sort()).toEqual(fills.map((f) => f.venueTradeId).sort());
    expect(path.summary).toEqual({
      costCurrency: 'USDT', routedQuantity: '2', filledQuantity: '2', expectedAveragePrice: '100.5', realizedAveragePrice: '101',
      slippageBps: '49.7512', slippageCost: '1', expectedCost: '201.2', decisionCount: 1, realizedCost: '202.2', fees: [{ currency: 'USDT', amount: '0.2' }],
    });

    const closed = await call('GET', '/execution/orders?portfolio=desk-path&limit=1', KEYS.read);
    expect([closed.body.open.length, closed.body.closed.length, closed.body.closed[0].state]).toEqual([0, 1, 'FILLED']);
    const recent = await call('GET', '/execution/fills?portfolio=desk-path', KEYS.read);
    expect(recent.body.fills.map((f: Json) => f.venue)).toEqual(['pv-b', 'pv-a']);
    expect((await call('GET', '/execution/fills?limit=0', KEYS.read)).body.error.field).toBe('limit');
    expect((await call('GET', '/execution/orders?limit=abc', KEYS.read)).status).toBe(400);
    expect((await call('GET', '/intents/nope/path', KEYS.read)).status).toBe(404);
    expect((await call('GET', `/intents/${intentId}/path`, undefined)).status).toBe(401);
  });

  it('reports balances per asset per venue and aggregated, and positions per underlying and venue, valued in USDT at the mids', async () => {
    const snapshot = EXAMPLES.find((e) => e.schema === TOPICS.balances.schema)!.value as BalanceSnapshot;
    const held = (usdt: string, eth: string): BalanceSnapshot['balances'] => [
      { asset: 'USDT', free: usdt, locked: '0.1', total: usdt },
      { asset: 'ETH', free: eth, locked: '0', total: eth },
    ];
    const atBinance: BalanceSnapshot = { ...snapshot, portfolio: 'desk-9', venue: 'binance', account: 'a', balances: held('0.1', '1.5') };
    const atOkx: BalanceSnapshot = { ...snapshot, portfolio: 'desk-9', venue: 'okx', account: 'b', balances: held('0.2', '0.5') };
    const position = EXAMPLES.find((e) => e.schema === TOPICS.positions.schema)!.value as Position;
    const long: Position = { ...position, portfolio: 'desk-9', venue: 'binance', account: 'a', instrument: 'ETH/USDT', quantity: '1.5' };
    const short: Position = { ...position, portfolio: 'desk-9', venue: 'okx', account: 'b', instrument: 'ETH/USDT', quantity: '-0.5' };
    await messages.publish(TOPICS.balances, [atBinance, atOkx]);
    await messages.publish(TOPICS.positions, [long, short]);
    await messages.publish(TOPICS.bookSnapshots, [book('val-venue', 'ETH/USDT', [['2000', '1']], [['2002', '1']])]);
    await waitFor('balances, positions and the book', () => state.positions.size >= 2 && state.balances.size >= 2 && state.books.has('val-venue|ETH/USDT'));

    const { body } = await call('GET', '/execution/account_status?portfolio=desk-9', KEYS.read);
    const eth = body.balances.aggregated.find((row: Json) => row.asset === 'ETH');
    expect(eth).toMatchObject({ total: '2', price: '2001', value: '4002' });
    expect(eth.venues.map((v: Json) => [v.venue, v.total, v.value])).toEqual([['binance', '1.5', '3001.5'], ['okx', '0.5', '1000.5']]);
    expect(body.balances.aggregated.find((row: Json) => row.asset === 'USDT')).toMatchObject({ free: '0.3', locked: '0.2', total: '0.3', value: '0.3' });
    expect(body.balances).toMatchObject({ valuationCurrency: 'USDT', totalValue: '4002.3', unvaluedAssets: [] });
    expect(body.positions.byUnderlying).toEqual([expect.objectContaining({ underlying: 'ETH', netQuantity: '1', grossQuantity: '2', value: '2001' })]);
    expect(body.positions.byUnderlying[0].venues.map((v: Json) => [v.venue, v.quantity])).toEqual([['binance', '1.5'], ['okx', '-0.5']]);
    expect(body.positions.byVenue).toHaveLength(2);
    expect(body).toHaveProperty('openOrders');
  });

  it('reports when each venue account was last reconciled, with its discrepancies', async () => {
    const snapshot = EXAMPLES.find((e) => e.schema === TOPICS.venueSnapshots.schema)!.value as VenueSnapshot;
    const fresh: VenueSnapshot = { ...snapshot, venue: 'okx', account: 'acct-9', receivedAtMs: 1_800_000_000_000 };
    await messages.publish(TOPICS.venueSnapshots, [fresh]);
    await waitFor('the snapshot', () => state.lastReconciled.has('okx|acct-9'));
    const { body } = await call('GET', '/execution/sync_status', KEYS.read);
    expect(body.accounts).toContainEqual(expect.objectContaining({ venue: 'okx', account: 'acct-9', lastReconciledMs: 1_800_000_000_000, discrepancies: [] }));
  });

  it('streams state changes over the WebSocket to an authenticated client', async () => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/stream?key=${KEYS.read}`);
    const received: Json[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    await call('POST', '/execution/unified_order', KEYS.trader, order);
    await waitFor('an intent change on the stream', () => received.some((change) => change.type === 'intent'));
    socket.close();
    const refused = new WebSocket(`${url.replace('http', 'ws')}/stream`);
    await expect(new Promise((resolve, reject) => refused.once('open', resolve).once('error', reject))).rejects.toThrow(/401/);
  });

  it('serves the dashboard at / and every module it imports, with their content types, without a key', async () => {
    const page = await fetch(`${url}/`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const html = await page.text();
    for (const testId of ['ticket-instrument', 'ticket-side', 'ticket-amount', 'ticket-preview', 'ticket-send', 'intent-path']) expect(html).toContain(`data-testid="${testId}"`);
    const css = await fetch(`${url}/dashboard/dashboard.css`);
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    const modules = new Set<string>(['app.js']);
    for (const name of modules) {
      const script = await fetch(`${url}/dashboard/${name}`);
      expect([name, script.status, script.headers.get('content-type')]).toEqual([name, 200, 'text/javascript; charset=utf-8']);
      for (const [, imported] of (await script.text()).matchAll(/from '\.\/([\w.]+\.js)'/g)) modules.add(imported!);
    }
    expect(modules.size).toBeGreaterThan(5);
    expect((await fetch(`${url}/dashboard/README.md`)).status).toBe(404);
  });

  it('documents exactly the routes it serves in its OpenAPI document', async () => {
    const documented = Object.entries(DOCUMENT.paths as Record<string, object>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = apiRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: Date.now }).map((route) => `${route.method} ${route.path}`);
    expect(documented.sort()).toEqual(served.sort());
    expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
  });
});

describe('ApiKeys', () => {
  it('reads name:role:key entries and authenticates by key', () => {
    const keys = ApiKeys.fromEnvironment({ CROSSVENUE_API_KEYS: `ops:admin:${KEYS.admin},desk:trader:${KEYS.trader}` });
    expect(keys.authenticate(KEYS.trader)).toEqual({ name: 'desk', role: 'trader' });
    expect(keys.authenticate('trader-key-0123456789abcdefghiX')).toBeUndefined();
  });

  it.each([
    ['ops:root:' + KEYS.admin, 'a role (read, trader, admin) in entry 1'],
    ['ops:admin:short', 'a key of at least 24 characters in entry 1 (ops), got "[redacted]"'],
    ['', 'CROSSVENUE_API_KEYS: expected name:role:key entries'],
  ])('stops start-up on %j with one line that never shows the key', (value, message) => {
    expect(() => ApiKeys.fromEnvironment({ CROSSVENUE_API_KEYS: value })).toThrow(message);
  });
});

describe('gateway API while Kafka is away', () => {
  /** A bus whose next publishes fail as KafkaBus's do while the broker is down. */
  class AwayBus extends InProcessBus {
    failures = 0;
    override publish(records: Parameters<InProcessBus['publish']>[0]): Promise<void> {
      if (this.failures === 0) return super.publish(records);
      this.failures--;
      return Promise.reject(new BusUnavailableError(`Kafka did not take ${records.length} records: Connection error: connect ECONNREFUSED 127.0.0.1:1`));
    }
  }
  const bus = new AwayBus();
  const messages = new MessageBus(bus, new LocalCodec(), createLogger('gateway-test', { level: 'silent' }));
  const state = new LiveState();
  const intents: Intent[] = [];
  let gateway: GatewayServer;
  let url: string;

  beforeAll(async () => {
    await messages.prepare([TOPICS.intents, TOPICS.controlCommands, ...LIVE_TOPICS]);
    await state.start(messages, 'gateway-away-test');
    await messages.subscribe({ groupId: 'spy', topics: [TOPICS.intents], fromBeginning: true, handle: async (batch) => void intents.push(...batch.map((m) => m.value)) });
    ({ gateway, url } = await startGateway(messages, state));
  });

  afterAll(async () => {
    await gateway.stop();
    await state.stop();
    await messages.bus.close();
  });

  it('answers 503 with Retry-After (not a 500) when an order cannot be published, and the same Idempotency-Key sent again is one intent', async () => {
    const post = async (headers: Record<string, string>) => {
      const response = await fetch(`${url}/execution/unified_order`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEYS.trader, ...headers }, body: JSON.stringify(order) });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Json };
    };
    bus.failures = 1;
    const away = await post({ 'idempotency-key': 'away-1' });
    expect(away).toMatchObject({ status: 503, retryAfter: '2', body: { error: { code: 'unavailable' } } });
    expect(away.body.error.message).toContain('Kafka did not take this request');
    const again = await post({ 'idempotency-key': 'away-1' });
    expect(again.status).toBe(202);
    await waitFor('the intent published', () => intents.length === 1);
    expect(intents[0]!.intentId).toBe(again.body.intentId);
    expect(intents[0]!.intentId).toBe(IdempotencyKeys.intentId('trader-user', 'away-1'));
    // Had the first try been written after all, the repeat is the same message, dropped downstream as one.
    expect(intents[0]!.eventId).toBe(`${intents[0]!.intentId}:place`);
  });

  it('answers 503 for a control command that cannot be published', async () => {
    bus.failures = 1;
    const response = await fetch(`${url}/control/cancel-all`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEYS.trader }, body: JSON.stringify({ scope: 'GLOBAL', reason: 'desk asked' }) });
    expect(response.status).toBe(503);
  });
});
