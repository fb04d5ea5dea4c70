import { InProcessBus, MessageBus, createLogger } from '@crossvenue/runtime';
import { LocalCodec, TOPICS, type ControlCommand, type SyncDecision } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../http/HttpError.ts';
import { IdempotencyKeys } from '../IdempotencyKeys.ts';
import { LiveState } from '../LiveState.ts';
import { syncRoutes } from './syncRoutes.ts';

const decisionExample = EXAMPLES.find((e) => e.schema === TOPICS.syncDecisions.schema)!.value as SyncDecision;
const ENTRY = { name: 'copy-api', leader: { venue: 'binance', account: 'leader' }, portfolio: 'copy', venue: 'bybit', account: 'follower', sizing: { mode: 'ratio', ratio: '0.1' }, instruments: [{ leader: 'BTC/USDT', follower: 'BTC/USDT:USDT' }], leverage: 3 };

describe('PUT and DELETE /sync/followers/{name}', () => {
  const state = new LiveState();
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('sync-routes-test', { level: 'silent' }));
  const published: ControlCommand[] = [];
  const routes = syncRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: () => 7 });
  const call = async (method: 'PUT' | 'DELETE', name: string, body: Record<string, unknown> = {}, query = '') => {
    const route = routes.find((candidate) => candidate.method === method)!;
    try {
      return await route.handle({ principal: { name: 'desk', role: 'trader' }, params: { name }, query: new URLSearchParams(query), body: async () => body, idempotencyKey: undefined });
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, body: error.body() };
      throw error;
    }
  };

  it('publishes a checked configuration as the synchronizer\'s control command, defaults written out', async () => {
    await messages.prepare([TOPICS.controlCommands]);
    await messages.subscribe({ groupId: 'observer', topics: [TOPICS.controlCommands], fromBeginning: true, handle: async (batch) => void published.push(...batch.map(({ value }) => value)) });
    const answer = await call('PUT', 'copy-api', ENTRY, 'reason=desk%20asked');
    expect(answer).toMatchObject({ status: 202, body: { status: 'accepted', follower: 'copy-api', configuration: { ...ENTRY, driftThreshold: '0.05', orphanGraceMs: 60_000, paused: false } } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ type: 'CONFIG_CHANGE', scope: 'GLOBAL', configKey: 'synchronizer.copy-api', issuedBy: 'desk', reason: 'desk asked' });
    expect(JSON.parse(published[0]!.configValue!)).toEqual((answer.body as { configuration: unknown }).configuration);
  });

  it('refuses, before publishing, what the synchronizer would refuse, with its one line; and a name other than the path\'s', async () => {
    const before = published.length;
    expect(await call('PUT', 'copy-api', { ...ENTRY, sizing: { mode: 'ratio', ratio: '-1' } })).toEqual({ status: 400, body: { error: { code: 'invalid_request', message: 'follower.sizing.ratio: must be positive, got -1', field: 'follower.sizing.ratio' } } });
    expect((await call('PUT', 'copy-api', { ...ENTRY, instruments: [{ leader: 'BTC/USDT', follower: 'BTC/USDT' }] })).body).toMatchObject({ error: { message: expect.stringMatching(/^follower\.leverage: BTC\/USDT is spot, which has no leverage/) } });
    expect((await call('PUT', 'copy-api', { ...ENTRY, account: 'leader', venue: 'binance' })).body).toMatchObject({ error: { message: 'follower.account: a follower cannot copy its own account' } });
    expect((await call('PUT', 'other', ENTRY)).body).toMatchObject({ error: { field: 'name', message: 'name: must be the follower the path names ("other")' } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(published).toHaveLength(before);
  });

  it('removes a follower the synchronizer runs, and answers 404 for one it does not know', async () => {
    expect(await call('DELETE', 'copy-api')).toMatchObject({ status: 404 });
    state.synchronizer.apply({ ...decisionExample, eventId: 'c1', follower: 'copy-api', kind: 'CONFIGURE', configuration: JSON.stringify(ENTRY) });
    expect(await call('DELETE', 'copy-api')).toMatchObject({ status: 202, body: { follower: 'copy-api', configuration: null } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(published.at(-1)).toMatchObject({ configKey: 'synchronizer.copy-api', configValue: null, reason: 'DELETE /sync/followers/copy-api' });
  });
});
