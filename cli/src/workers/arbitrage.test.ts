import { createLogger, InProcessBus, MessageBus, resolveEndpoints, SettingError, WorkerMetrics } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { LocalCodec, TOPICS, type ArbitrageGroup, type BalanceSnapshot, type BookSnapshot, type Intent, type SymbolMetadata } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { arbitrageWorker } from './arbitrage.ts';

const logger = createLogger('arbitrage-worker-test', { level: 'silent' });
const example = <T>(topic: { schema: unknown }) => EXAMPLES.find((e) => e.schema === topic.schema)!.value as T;
const SETTINGS = { instrument: 'BTC/USDT', venues: ['venue-a', 'venue-b'], minEdgeBps: '5', maxQuantity: '0.1', maxOpenNotional: '100000', maxInventory: '1' };

/** The worker on an in-process bus prepared with its own topics only, so a topic it uses and does not declare fails. */
async function started(env: Record<string, string>) {
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
  await messages.prepare(arbitrageWorker.topics);
  const running = await arbitrageWorker.start({ messages, logger, endpoints: resolveEndpoints({}), env, metrics: new WorkerMetrics('arbitrage') }).catch(async (error: unknown) => {
    await messages.bus.close();
    throw error;
  });
  return { messages, stop: async () => (await running.stop(), await messages.bus.close()) };
}

describe('crossvenue worker arbitrage', () => {
  it.each([
    [{ PORTFOLIO: 'desk-1', ARBITRAGE_SETTINGS_JSON: JSON.stringify(SETTINGS) }, /^ARBITRAGE_NAME: expected /],
    [{ ARBITRAGE_NAME: 'spread', ARBITRAGE_SETTINGS_JSON: JSON.stringify(SETTINGS) }, /^PORTFOLIO: expected /],
    [{ ARBITRAGE_NAME: 'spread', PORTFOLIO: 'desk-1', ARBITRAGE_SETTINGS_JSON: '[1]' }, /^ARBITRAGE_SETTINGS_JSON: expected a JSON object, got "\[1\]"$/],
    [{ ARBITRAGE_NAME: 'spread', PORTFOLIO: 'desk-1', ARBITRAGE_SETTINGS_JSON: JSON.stringify({ ...SETTINGS, maxQuantity: undefined }) }, /^ARBITRAGE_SETTINGS_JSON: expected arbitrage settings .*; ARBITRAGE_SETTINGS_JSON\.maxQuantity: required, got "\{/],
    [{ ARBITRAGE_NAME: 'spread', PORTFOLIO: 'desk-1', ARBITRAGE_SETTINGS_JSON: JSON.stringify({ ...SETTINGS, makerVenue: 'venue-a' }) }, /; ARBITRAGE_SETTINGS_JSON\.makerVenue: makerVenue is only for MAKER_TAKER, the policy is BOTH_IOC, got/],
  ])('refuses to start on %j with one line naming the setting', async (env, line) => {
    const error = await started(env).then(() => undefined, (refused: unknown) => refused);
    expect(error).toBeInstanceOf(SettingError);
    expect((error as Error).message).toMatch(line);
    expect((error as Error).message).not.toContain('\n');
  });

  it('trades the spread it is configured for, as its name and portfolio, and publishes the group', async () => {
    const { messages, stop } = await started({ ARBITRAGE_NAME: 'spread', PORTFOLIO: 'desk-1', ARBITRAGE_SETTINGS_JSON: JSON.stringify(SETTINGS) });
    const groups: ArbitrageGroup[] = [];
    const intents: Intent[] = [];
    await messages.subscribe({ groupId: 'spy-groups', topics: [TOPICS.arbitrageGroups], fromBeginning: true, handle: async (batch) => void groups.push(...batch.map((m) => m.value)) });
    await messages.subscribe({ groupId: 'spy-intents', topics: [TOPICS.intents], fromBeginning: true, handle: async (batch) => void intents.push(...batch.map((m) => m.value)) });
    try {
      for (const venue of SETTINGS.venues) {
        await messages.publish(TOPICS.symbols, [{ ...example<SymbolMetadata>(TOPICS.symbols), eventId: `sym-${venue}`, venue, instrument: 'BTC/USDT', venueSymbol: 'BTCUSDT', assetType: 'SPOT', base: 'BTC', quote: 'USDT', settle: null, contractSize: null, expiryMs: null, strike: null, optionKind: null, minQuantity: '0.00001', maxQuantity: '1000', quantityStep: '0.00001', priceTick: '0.01', minNotional: '5', maxNotional: null, makerFee: '0.001', takerFee: '0.001' }]);
        await messages.publish(TOPICS.balances, [{ ...example<BalanceSnapshot>(TOPICS.balances), eventId: `bal-${venue}`, venue, account: 'main', portfolio: 'desk-1', complete: true, balances: [{ asset: 'BTC', free: '5', locked: '0', total: '5' }, { asset: 'USDT', free: '500000', locked: '0', total: '500000' }], receivedAtMs: Date.now() }]);
      }
      // venue-b bids 1 % over venue-a's ask: far more than 20 bps of fees.
      const book = (venue: string, bid: string, ask: string): BookSnapshot => ({ ...example<BookSnapshot>(TOPICS.bookSnapshots), eventId: `book-${venue}`, venue, instrument: 'BTC/USDT', receivedAtMs: Date.now(), bids: [{ price: bid, quantity: '1' }], asks: [{ price: ask, quantity: '1' }] });
      await messages.publish(TOPICS.bookSnapshots, [book('venue-a', '99.9', '100'), book('venue-b', '101', '101.1')]);
      await waitFor('a group opened', () => groups.length > 0);
      expect(groups[0]).toMatchObject({ strategy: 'spread', portfolio: 'desk-1', state: 'OPEN', instrument: 'BTC/USDT', buyVenue: 'venue-a', sellVenue: 'venue-b' });
      await waitFor('its two legs as intents', () => intents.length >= 2);
      expect(intents.map((intent) => [intent.portfolio, intent.venues])).toEqual([['desk-1', ['venue-a']], ['desk-1', ['venue-b']]]);
    } finally {
      await stop();
    }
  });
});
