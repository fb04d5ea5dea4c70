import { randomUUID } from 'node:crypto';
import {
  InProcessBus,
  LocalCodec,
  MessageBus,
  TOPICS,
  createLogger,
  type BalanceSnapshot,
  type Intent,
  type VenueSnapshot,
} from '@crossvenue/schemas';
import { EXAMPLES, waitFor } from '@crossvenue/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ApiKeys } from './auth/ApiKeys.ts';
import { GatewayServer, OPENAPI_DOCUMENT } from './GatewayServer.ts';
import { IdempotencyKeys } from './IdempotencyKeys.ts';
import { LIVE_TOPICS, LiveState } from './LiveState.ts';
import { apiRoutes } from './routes.ts';

/** A JSON answer, read loosely: the assertions check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const KEYS = { admin: 'admin-key-0123456789abcdefghij', trader: 'trader-key-0123456789abcdefghij', read: 'read-key-0123456789abcdefghijkl' };
const order = { portfolio: 'desk-1', instrument: 'BTC/USDT', side: 'buy', amount: '0.25', limitPrice: '64000.5' };

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
    const keys = new ApiKeys(Object.entries(KEYS).map(([role, key]) => ({ name: `${role}-user`, role: role as 'read', key })));
    gateway = new GatewayServer(apiRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: Date.now }), keys, state, createLogger('gateway-test', { level: 'silent' }));
    url = await gateway.start(0);
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
    const { body } = await call('POST', '/execution/unified_order', KEYS.trader, { ...order, amountType: 'quote', timeInForce: 'ioc' });
    await waitFor('the intent', () => published[TOPICS.intents.name]!.some((i) => (i as Intent).intentId === body.intentId));
    const intent = published[TOPICS.intents.name]!.find((i) => (i as Intent).intentId === body.intentId) as Intent;
    expect(intent).toMatchObject({ action: 'PLACE', kind: 'ORDER', portfolio: 'desk-1', instrument: 'BTC/USDT', source: 'API', requestedBy: 'trader-user' });
    expect({ ...intent.order }).toMatchObject({ side: 'BUY', amount: '0.25', amountType: 'QUOTE', limitPrice: '64000.5', timeInForce: 'IOC' });
  });

  it('amends and cancels a known intent, and answers 404 for an unknown one', async () => {
    const { body } = await call('POST', '/execution/unified_order', KEYS.trader, order);
    const amended = await call('POST', '/execution/unified_amend', KEYS.trader, { intentId: body.intentId, amount: '0.5' });
    expect(amended).toMatchObject({ status: 202, body: { action: 'MODIFY' } });
    expect(state.intents.get(body.intentId)?.order?.amount).toBe('0.5');
    expect((await call('POST', '/execution/unified_cancel', KEYS.trader, { intentId: body.intentId })).body.action).toBe('CANCEL');
    expect((await call('POST', '/execution/unified_cancel', KEYS.trader, { intentId: body.intentId })).status).toBe(409);
    const unknown = await call('POST', '/execution/unified_cancel', KEYS.trader, { intentId: 'nope' });
    expect([unknown.status, unknown.body.error.field]).toEqual([404, 'intentId']);
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

  it('reports balances per account and aggregated, exactly, with positions and open orders', async () => {
    const snapshot = EXAMPLES.find((e) => e.schema === TOPICS.balances.schema)!.value as BalanceSnapshot;
    const usdt = (free: string): BalanceSnapshot['balances'] => [{ asset: 'USDT', free, locked: '0.1', total: free }];
    const atBinance: BalanceSnapshot = { ...snapshot, portfolio: 'desk-9', venue: 'binance', account: 'a', balances: usdt('0.1') };
    const atOkx: BalanceSnapshot = { ...snapshot, portfolio: 'desk-9', venue: 'okx', account: 'b', balances: usdt('0.2') };
    await messages.publish(TOPICS.balances, [atBinance, atOkx]);
    await waitFor('both balance snapshots', () => state.balanceReport('desk-9').byAccount.length === 2);
    const { body } = await call('GET', '/execution/account_status?portfolio=desk-9', KEYS.read);
    expect(body.balances.aggregated).toEqual([{ asset: 'USDT', free: '0.3', locked: '0.2', total: '0.3' }]);
    expect(body.balances.byAccount.map((b: Json) => b.venue).sort()).toEqual(['binance', 'okx']);
    expect(body).toHaveProperty('positions');
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

  it('documents exactly the routes it serves in its OpenAPI document', async () => {
    const documented = Object.entries(JSON.parse(OPENAPI_DOCUMENT).paths as Record<string, object>).flatMap(([path, methods]) =>
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
