import { InProcessBus, MessageBus, createLogger } from '@crossvenue/runtime';
import { LocalCodec, TOPICS, type ArbitrageGroup, type Intent, type IntentStatus, type SymbolMetadata, type SyncDecision } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { IdempotencyKeys } from '../IdempotencyKeys.ts';
import { LiveState, type StateChange } from '../LiveState.ts';
import { readRoutes } from './readRoutes.ts';

const intentExample = EXAMPLES.find((e) => e.schema === TOPICS.intents.schema)!.value as Intent;
const statusExample = EXAMPLES.find((e) => e.schema === TOPICS.intentStatus.schema)!.value as IntentStatus;
const groupExample = EXAMPLES.find((e) => e.schema === TOPICS.arbitrageGroups.schema)!.value as ArbitrageGroup;
const symbolExample = EXAMPLES.find((e) => e.schema === TOPICS.symbols.schema)!.value as SymbolMetadata;
const decisionExample = EXAMPLES.find((e) => e.schema === TOPICS.syncDecisions.schema)!.value as SyncDecision;

const intent = (intentId: string, portfolio: string): Intent => ({ ...intentExample, intentId, portfolio, eventId: `${intentId}:place`, action: 'PLACE' });
const status = (intentId: string, portfolio: string, state: IntentStatus['state'], number: number): IntentStatus => ({ ...statusExample, eventId: `${intentId}:status:${number}`, intentId, portfolio, state });

/** The read routes over a state the test folds messages into. */
function readRoutesOver(state: LiveState) {
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('read-routes-test', { level: 'silent' }));
  const routes = readRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: () => 7 });
  return (path: string, query = '', params: Record<string, string> = {}) =>
    routes.find((route) => route.path === path)!.handle({ principal: { name: 'viewer', role: 'read' }, params, query: new URLSearchParams(query), body: async () => ({}), idempotencyKey: undefined });
}

describe('intent status in the gateway', () => {
  const state = new LiveState();
  const call = readRoutesOver(state);
  const changes: StateChange[] = [];
  state.onChange((change) => changes.push(change));

  state.record(TOPICS.intents.name, intent('a1', 'desk-1'));
  state.record(TOPICS.intents.name, intent('b1', 'desk-2'));
  state.record(TOPICS.intents.name, intent('a2', 'desk-1'));
  state.record(TOPICS.intentStatus.name, status('a1', 'desk-1', 'ACCEPTED', 0));
  state.record(TOPICS.intentStatus.name, status('a1', 'desk-1', 'WORKING', 1));
  state.record(TOPICS.intentStatus.name, status('b1', 'desk-2', 'REJECTED', 0));

  it('streams each status record as an intent-status change', () => {
    expect(changes.filter(({ type }) => type === 'intent-status').map(({ data }) => (data as IntentStatus).eventId)).toEqual(['a1:status:0', 'a1:status:1', 'b1:status:0']);
  });

  it('GET /intents/{id} includes the latest status, null before the first', async () => {
    expect((await call('/intents/{intentId}', '', { intentId: 'a1' })).body).toMatchObject({ desired: { intentId: 'a1' }, status: { eventId: 'a1:status:1', state: 'WORKING' } });
    expect((await call('/intents/{intentId}', '', { intentId: 'a2' })).body).toMatchObject({ desired: { intentId: 'a2' }, status: null });
  });

  it('GET /intents lists recent intents, most recently changed first, with their status, by portfolio and state', async () => {
    const ids = async (query: string) => ((await call('/intents', query)).body as { intents: Array<{ desired: Intent; status: IntentStatus | null }> }).intents.map(({ desired, status: latest }) => `${desired.intentId} ${latest?.state ?? '-'}`);
    expect(await ids('')).toEqual(['b1 REJECTED', 'a1 WORKING', 'a2 -']);
    expect(await ids('portfolio=desk-1')).toEqual(['a1 WORKING', 'a2 -']);
    expect(await ids('state=rejected')).toEqual(['b1 REJECTED']);
    expect(await ids('portfolio=desk-1&state=WORKING&limit=1')).toEqual(['a1 WORKING']);
    expect((await call('/intents')).body).toMatchObject({ asOfMs: 7 });
  });

  it('GET /intents refuses an unknown parameter, one given twice and bad values with a 400 naming it', async () => {
    await expect(call('/intents', 'status=DONE')).rejects.toMatchObject({ status: 400, field: 'status', message: 'status: is not a parameter of this route (it takes portfolio, state, limit)' });
    await expect(call('/intents', 'state=DONE&state=WORKING')).rejects.toMatchObject({ status: 400, field: 'state' });
    await expect(call('/intents', 'state=FILLED')).rejects.toMatchObject({ status: 400, field: 'state' });
    await expect(call('/intents', 'portfolio=desk 1')).rejects.toMatchObject({ status: 400, field: 'portfolio' });
    await expect(call('/intents', 'limit=501')).rejects.toMatchObject({ status: 400, field: 'limit' });
    await expect(call('/intents', 'limit=0')).rejects.toMatchObject({ status: 400, field: 'limit' });
  });
});

describe('arbitrage groups in the gateway', () => {
  const state = new LiveState();
  const call = readRoutesOver(state);
  const changes: StateChange[] = [];
  state.onChange((change) => changes.push(change));
  const group = (groupId: string, strategy: string, state: ArbitrageGroup['state']): ArbitrageGroup => ({ ...groupExample, eventId: `${groupId}:${state}`, groupId, strategy, state });
  const groups = async (query: string) => ((await call('/arbitrage/groups', query)).body as { groups: ArbitrageGroup[] }).groups.map((g) => `${g.groupId} ${g.state}`);

  state.record(TOPICS.arbitrageGroups.name, group('g1', 'spread-btc', 'OPEN'));
  state.record(TOPICS.arbitrageGroups.name, group('g2', 'spread-eth', 'OPEN'));
  state.record(TOPICS.arbitrageGroups.name, group('g3', 'spread-btc', 'OPEN'));
  state.record(TOPICS.arbitrageGroups.name, group('g1', 'spread-btc', 'CAPTURED'));
  state.record(TOPICS.arbitrageGroups.name, group('g2', 'spread-eth', 'UNWOUND'));
  state.record(TOPICS.symbols.name, { ...symbolExample, venue: 'binance', instrument: 'BTC/USDT', priceTick: '0.01', quantityStep: '0.00001' });
  state.record(TOPICS.symbols.name, { ...symbolExample, venue: 'bybit', instrument: 'BTC/USDT', priceTick: '0.1', quantityStep: '0.000001' });

  it('streams every group record as an arbitrage-group change', () => {
    expect(changes.filter(({ type }) => type === 'arbitrage-group').map(({ data }) => (data as ArbitrageGroup).eventId)).toEqual(['g1:OPEN', 'g2:OPEN', 'g3:OPEN', 'g1:CAPTURED', 'g2:UNWOUND']);
  });

  it('GET /arbitrage/groups lists each group once, at its latest record, most recently changed first, by strategy and state', async () => {
    expect(await groups('')).toEqual(['g2 UNWOUND', 'g1 CAPTURED', 'g3 OPEN']);
    expect(await groups('strategy=spread-btc')).toEqual(['g1 CAPTURED', 'g3 OPEN']);
    expect(await groups('state=open')).toEqual(['g3 OPEN']);
    expect(await groups('strategy=spread-btc&state=CAPTURED')).toEqual(['g1 CAPTURED']);
    expect(await groups('limit=2')).toEqual(['g2 UNWOUND', 'g1 CAPTURED']);
    expect(await groups('strategy=nobody')).toEqual([]);
  });

  it('gives each listed instrument\'s finest price and quantity precision among its venues, for display', async () => {
    expect((await call('/arbitrage/groups')).body).toMatchObject({ asOfMs: 7, precision: { 'BTC/USDT': { price: 2, quantity: 6 } } });
  });

  it('refuses an unknown parameter, one given twice and bad values with a 400 naming it', async () => {
    await expect(call('/arbitrage/groups', 'portfolio=desk-1')).rejects.toMatchObject({ status: 400, field: 'portfolio', message: 'portfolio: is not a parameter of this route (it takes strategy, state, limit)' });
    await expect(call('/arbitrage/groups', 'state=OPEN&state=CAPTURED')).rejects.toMatchObject({ status: 400, field: 'state' });
    await expect(call('/arbitrage/groups', 'state=FILLED')).rejects.toMatchObject({ status: 400, field: 'state', message: 'state: must be one of OPEN, CAPTURED, UNWOUND, MISSED, EXPOSED, got "FILLED"' });
    await expect(call('/arbitrage/groups', 'strategy=')).rejects.toMatchObject({ status: 400, field: 'strategy' });
    await expect(call('/arbitrage/groups', 'limit=501')).rejects.toMatchObject({ status: 400, field: 'limit' });
  });
});

describe('synchronizer decisions in the gateway', () => {
  const state = new LiveState();
  const call = readRoutesOver(state);
  const changes: StateChange[] = [];
  state.onChange((change) => changes.push(change));
  const decision = (eventId: string, follower: string, kind: SyncDecision['kind'], fields: Partial<SyncDecision> = {}): SyncDecision => ({ ...decisionExample, eventId, follower, kind, ...fields });
  const decisions = async (query: string) => ((await call('/sync/decisions', query)).body as { decisions: SyncDecision[] }).decisions.map((d) => `${d.eventId} ${d.kind}`);

  state.record(TOPICS.syncDecisions.name, decision('d1', 'copy-small', 'SKIP'));
  state.record(TOPICS.syncDecisions.name, decision('d2', 'copy-big', 'MIRROR', { instrument: 'ETH/USDT', targetQuantity: '2', actualQuantity: '1.5', residualQuantity: '0' }));
  state.record(TOPICS.syncDecisions.name, decision('d3', 'copy-small', 'PAUSE', { targetQuantity: null, actualQuantity: null, residualQuantity: null }));
  state.record(TOPICS.syncDecisions.name, decision('d3', 'copy-small', 'PAUSE', { targetQuantity: null, actualQuantity: null, residualQuantity: null }));
  state.record(TOPICS.syncDecisions.name, decision('d4', 'copy-small', 'SKIP', { reason: 'paused: kept as residual', residualQuantity: '0.0009' }));
  state.record(TOPICS.symbols.name, { ...symbolExample, venue: 'bybit', instrument: 'BTC/USDT:USDT', priceTick: '0.1', quantityStep: '0.001' });

  it('streams every decision once as a sync-decision change', () => {
    expect(changes.filter(({ type }) => type === 'sync-decision').map(({ data }) => (data as SyncDecision).eventId)).toEqual(['d1', 'd2', 'd3', 'd4']);
  });

  it('GET /sync/decisions lists the recent decisions newest first, by follower and kind, with each instrument\'s precision', async () => {
    expect(await decisions('')).toEqual(['d4 SKIP', 'd3 PAUSE', 'd2 MIRROR', 'd1 SKIP']);
    expect(await decisions('follower=copy-small')).toEqual(['d4 SKIP', 'd3 PAUSE', 'd1 SKIP']);
    expect(await decisions('kind=skip')).toEqual(['d4 SKIP', 'd1 SKIP']);
    expect(await decisions('follower=copy-big&kind=SKIP')).toEqual([]);
    expect(await decisions('limit=1')).toEqual(['d4 SKIP']);
    expect((await call('/sync/decisions')).body).toMatchObject({ asOfMs: 7, precision: { 'BTC/USDT:USDT': { price: 1, quantity: 3 } } });
  });

  it('GET /sync/followers gives each follower\'s pause, latest decision, counts and per instrument quantities', async () => {
    const { followers, precision } = (await call('/sync/followers')).body as { followers: Array<Record<string, unknown>>; precision: object };
    expect(followers).toMatchObject([
      { follower: 'copy-big', paused: null, lastKind: 'MIRROR', counts: { MIRROR: 1, SKIP: 0 }, instruments: [{ instrument: 'ETH/USDT', targetQuantity: '2', actualQuantity: '1.5', residualQuantity: '0' }] },
      {
        follower: 'copy-small', paused: true, lastKind: 'SKIP', venue: decisionExample.venue, counts: { MIRROR: 0, SKIP: 2, PAUSE: 1, RESUME: 0 },
        instruments: [{ instrument: 'BTC/USDT:USDT', targetQuantity: decisionExample.targetQuantity, actualQuantity: decisionExample.actualQuantity, residualQuantity: '0.0009' }],
      },
    ]);
    expect(precision).toEqual({ 'BTC/USDT:USDT': { price: 1, quantity: 3 } });
  });

  it('refuses an unknown parameter, one given twice and bad values with a 400 naming it', async () => {
    await expect(call('/sync/decisions', 'portfolio=pf-copy')).rejects.toMatchObject({ status: 400, field: 'portfolio', message: 'portfolio: is not a parameter of this route (it takes follower, kind, limit)' });
    await expect(call('/sync/decisions', 'kind=SKIP&kind=MIRROR')).rejects.toMatchObject({ status: 400, field: 'kind' });
    await expect(call('/sync/decisions', 'kind=FILLED')).rejects.toMatchObject({ status: 400, field: 'kind', message: 'kind: must be one of MIRROR, SKIP, RESIDUAL_TRADE, CORRECTION, ORPHAN_CANCEL, PAUSE, RESUME, CONFIGURE, REMOVE, REFUSE, LEVERAGE, got "FILLED"' });
    await expect(call('/sync/decisions', 'follower=')).rejects.toMatchObject({ status: 400, field: 'follower' });
    await expect(call('/sync/decisions', 'limit=501')).rejects.toMatchObject({ status: 400, field: 'limit' });
    await expect(call('/sync/followers', 'follower=copy-small')).rejects.toMatchObject({ status: 400, field: 'follower', message: 'follower: is not a parameter of this route (it takes none)' });
  });
});
