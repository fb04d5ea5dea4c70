import { InProcessBus, MessageBus, createLogger } from '@crossvenue/runtime';
import { LocalCodec, TOPICS, type Intent, type IntentStatus } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { IdempotencyKeys } from '../IdempotencyKeys.ts';
import { LiveState, type StateChange } from '../LiveState.ts';
import { readRoutes } from './readRoutes.ts';

const intentExample = EXAMPLES.find((e) => e.schema === TOPICS.intents.schema)!.value as Intent;
const statusExample = EXAMPLES.find((e) => e.schema === TOPICS.intentStatus.schema)!.value as IntentStatus;

const intent = (intentId: string, portfolio: string): Intent => ({ ...intentExample, intentId, portfolio, eventId: `${intentId}:place`, action: 'PLACE' });
const status = (intentId: string, portfolio: string, state: IntentStatus['state'], number: number): IntentStatus => ({ ...statusExample, eventId: `${intentId}:status:${number}`, intentId, portfolio, state });

describe('intent status in the gateway', () => {
  const state = new LiveState();
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('read-routes-test', { level: 'silent' }));
  const routes = readRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: () => 7 });
  const call = (path: string, query = '', params: Record<string, string> = {}) =>
    routes.find((route) => route.path === path)!.handle({ principal: { name: 'viewer', role: 'read' }, params, query: new URLSearchParams(query), body: async () => ({}), idempotencyKey: undefined });
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
