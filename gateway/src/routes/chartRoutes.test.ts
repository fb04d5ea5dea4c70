import { InProcessBus, MessageBus, createLogger } from '@crossvenue/runtime';
import { LocalCodec, TOPICS, type BookSnapshot } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { IdempotencyKeys } from '../IdempotencyKeys.ts';
import { LiveState } from '../LiveState.ts';
import { chartRoutes } from './chartRoutes.ts';

const example = EXAMPLES.find((e) => e.schema === TOPICS.bookSnapshots.schema)!.value as BookSnapshot;
const levels = (...prices: string[]) => prices.map((price) => ({ price, quantity: '1' }));

describe('GET /charts/depth', () => {
  const state = new LiveState();
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('chart-test', { level: 'silent' }));
  const depth = chartRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: () => 7 }).find((route) => route.path === '/charts/depth')!;
  const get = (query: string) => depth.handle({ principal: { name: 'viewer', role: 'read' }, params: {}, query: new URLSearchParams(query), body: async () => ({}), idempotencyKey: undefined });

  it('gives every venue\'s book of the instrument, the best `limit` levels a side', async () => {
    state.record(TOPICS.bookSnapshots.name, { ...example, venue: 'b', instrument: 'BTC/USDT', receivedAtMs: 5, bids: levels('99', '98', '97'), asks: levels('101', '102') });
    state.record(TOPICS.bookSnapshots.name, { ...example, venue: 'a', instrument: 'BTC/USDT', receivedAtMs: 6, bids: levels('99.5'), asks: levels('100.5') });
    state.record(TOPICS.bookSnapshots.name, { ...example, venue: 'a', instrument: 'ETH/USDT', bids: levels('9'), asks: levels('11') });
    expect((await get('instrument=BTC/USDT&limit=2')).body).toEqual({
      asOfMs: 7,
      instrument: 'BTC/USDT',
      venues: [
        { venue: 'a', receivedAtMs: 6, bids: levels('99.5'), asks: levels('100.5') },
        { venue: 'b', receivedAtMs: 5, bids: levels('99', '98'), asks: levels('101', '102') },
      ],
    });
  });

  it('refuses a missing or malformed instrument and a parameter it does not take, naming the field', async () => {
    await expect(get('')).rejects.toMatchObject({ status: 400, field: 'instrument' });
    await expect(get('instrument=BTCUSDT')).rejects.toMatchObject({ status: 400, field: 'instrument' });
    await expect(get('instrument=BTC/USDT&venue=a')).rejects.toMatchObject({ status: 400, field: 'venue' });
  });
});
