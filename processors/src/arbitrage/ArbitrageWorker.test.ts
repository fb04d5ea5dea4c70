import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { Decimal, InvalidInputError, LocalCodec, TOPICS, type Alert, type ArbitrageGroup, type BalanceSnapshot, type Intent } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneLevelBook, spotMarket } from '../execution/executionFixtures.ts';
import { fillOf, statusOf, type Placed } from './arbitrageFixtures.ts';
import { ArbitrageWorker } from './ArbitrageWorker.ts';

const logger = createLogger('arbitrage-worker-test', { level: 'silent' });
const EXAMPLE_GROUP = EXAMPLES.find((e) => e.schema === TOPICS.arbitrageGroups.schema)!.value as ArbitrageGroup;
const SETTINGS = { instrument: 'BTC/USDT', venues: ['venue-a', 'venue-b'], minEdgeBps: '5', maxQuantity: '0.2', maxOpenNotional: '100000', maxInventory: '1' };

/**
 * The worker on the in-process bus with no execution side: the test reads the intents it
 * publishes and answers them with fills and intent status, as execution would.
 */
describe('ArbitrageWorker', () => {
  let messages: MessageBus;
  let worker: ArbitrageWorker | undefined;
  let now = 7_000_000;
  const intents: Intent[] = [];
  const groups: ArbitrageGroup[] = [];
  const alerts: Alert[] = [];

  beforeEach(async () => {
    intents.length = groups.length = alerts.length = 0;
    messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
    await messages.prepare([TOPICS.intents, TOPICS.bookSnapshots, TOPICS.fills, TOPICS.intentStatus, TOPICS.symbols, TOPICS.balances, TOPICS.arbitrageGroups, TOPICS.alerts]);
    await messages.subscribe({
      groupId: 'observer',
      topics: [TOPICS.intents, TOPICS.arbitrageGroups, TOPICS.alerts],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.intents.name) intents.push(value as Intent);
          else if (topic === TOPICS.arbitrageGroups.name) groups.push(value as ArbitrageGroup);
          else alerts.push(value as Alert);
        }
      },
    });
    const funded = (venue: string): BalanceSnapshot => ({
      eventId: `balances-${venue}`,
      venue,
      account: 'main',
      portfolio: 'alpha',
      complete: true,
      balances: [
        { asset: 'USDT', free: '100000', locked: '0', total: '100000' },
        { asset: 'BTC', free: '10', locked: '0', total: '10' },
      ],
      venueTimeMs: null,
      receivedAtMs: 0,
    });
    await messages.publish(TOPICS.symbols, [spotMarket('venue-a'), spotMarket('venue-b')]);
    await messages.publish(TOPICS.balances, [funded('venue-a'), funded('venue-b')]);
  });
  afterEach(async () => worker?.stop());

  const book = (venue: string, bid: string, ask: string) => messages.publish(TOPICS.bookSnapshots, [{ ...oneLevelBook(venue, { price: ask, quantity: '5' }, { price: bid, quantity: '5' }), receivedAtMs: now }]);
  const leg = (intent: Intent): Placed => ({ intentId: intent.intentId, role: 'ENTRY', venue: intent.venues[0]!, side: intent.order!.side, quantity: new Decimal(intent.order!.amount), limitPrice: new Decimal(intent.order!.limitPrice!), timeInForce: 'IOC', postOnly: false });

  it('after a restart, keeps to maxInventory with what its earlier groups left, read back from arb.groups', async () => {
    // An earlier run of this worker: a group that bought 0.2 on venue-a and could not sell it (EXPOSED),
    // and another worker's group, which is not this one's business.
    const example = { ...EXAMPLE_GROUP, strategy: 'arb', portfolio: 'alpha', instrument: 'BTC/USDT', buyVenue: 'venue-a', sellVenue: 'venue-b' };
    const leg = { ...EXAMPLE_GROUP.legs[0]!, venue: 'venue-a', side: 'BUY' as const, filledQuantity: '0.2' };
    await messages.publish(TOPICS.arbitrageGroups, [
      { ...example, eventId: 'arb-old-0:OPEN', groupId: 'arb-old-0', state: 'OPEN', legs: [{ ...leg, filledQuantity: '0', doneAtMs: null }] },
      { ...example, eventId: 'arb-old-0:EXPOSED', groupId: 'arb-old-0', state: 'EXPOSED', legs: [leg], residualQuantity: '0.2', residualSide: 'SELL' },
      { ...example, eventId: 'other-0:CAPTURED', groupId: 'other-0', strategy: 'other', state: 'CAPTURED', legs: [{ ...leg, filledQuantity: '5' }] },
    ]);
    worker = new ArbitrageWorker({ messages, name: 'arb', portfolio: 'alpha', settings: { ...SETTINGS, maxInventory: '0.3' }, logger, clock: () => now });
    await worker.start();
    await waitFor('both legs', async () => {
      if (intents.length === 0) await Promise.all([book('venue-a', '99', '100'), book('venue-b', '101', '102')]);
      return intents.length === 2;
    }, 5_000);
    // 0.2 of venue-a's 0.3 of room was bought before the restart: 0.1 is left.
    expect(intents.map(({ venues, order }) => [venues, order!.side, order!.amount])).toEqual([
      [['venue-a'], 'BUY', '0.1'],
      [['venue-b'], 'SELL', '0.1'],
    ]);
  }, 15_000);

  it('refuses bad settings at construction, naming the key', () => {
    const make = () => new ArbitrageWorker({ messages, name: 'arb', portfolio: 'alpha', settings: { ...SETTINGS, maxQuantity: '-1' }, logger });
    expect(make).toThrow(InvalidInputError);
    expect(make).toThrow('arbitrage arb settings.maxQuantity: must be positive, got -1');
  });

  it('publishes a group when it opens and when it closes, and a CRITICAL alert when the unwinds leave it EXPOSED', async () => {
    worker = new ArbitrageWorker({ messages, name: 'arb', portfolio: 'alpha', settings: SETTINGS, logger, clock: () => now });
    await worker.start();
    // Books keep coming, as a connector's heartbeat would, until the worker has read the markets and balances and trades the spread.
    await waitFor('both legs', async () => {
      if (intents.length === 0) await Promise.all([book('venue-a', '99', '100'), book('venue-b', '101', '102')]);
      return intents.length === 2;
    }, 5_000);
    expect(intents.map(({ action, venues, order }) => [action, venues, order!.side, order!.amount, order!.timeInForce])).toEqual([
      ['PLACE', ['venue-a'], 'BUY', '0.2', 'IOC'],
      ['PLACE', ['venue-b'], 'SELL', '0.2', 'IOC'],
    ]);
    await waitFor('the OPEN record', () => groups.length === 1, 5_000);
    const [buy, sell] = intents.map(leg);
    await messages.publish(TOPICS.fills, [fillOf(buy!, '0.2', '100')]);
    await messages.publish(TOPICS.intentStatus, [statusOf(buy!, 'DONE', '0.2'), statusOf(sell!, 'REJECTED', '0')]);
    // Each unwind goes into a book of venue-a newer than the last leg there ended at (books keep coming), and finds nothing within 20 bps of 100.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await waitFor(`unwind ${attempt + 1}`, async () => {
        now += 10;
        await book('venue-a', '90', '100');
        return intents.length === 3 + attempt;
      }, 5_000);
      expect(intents.at(-1)!.order).toMatchObject({ side: 'SELL', amount: '0.2', limitPrice: '99.8', timeInForce: 'IOC' });
      await messages.publish(TOPICS.intentStatus, [statusOf(leg(intents.at(-1)!), 'EXPIRED', '0')]);
    }
    await waitFor('the close', () => groups.length === 2, 5_000);
    expect(groups.map(({ eventId, state }) => [eventId, state])).toEqual([
      [`arb-group-${(7_000_000).toString(36)}-0:OPEN`, 'OPEN'],
      [`arb-group-${(7_000_000).toString(36)}-0:EXPOSED`, 'EXPOSED'],
    ]);
    expect(groups[1]).toMatchObject({ residualQuantity: '0.2', residualSide: 'SELL', unwindCost: '0' });
    await waitFor('the alert', () => alerts.length === 1, 5_000);
    expect(alerts[0]).toMatchObject({ severity: 'CRITICAL', code: 'ARBITRAGE_EXPOSED', component: 'arbitrage arb', subject: groups[1]!.groupId });
    expect(alerts[0]!.message).toContain('left 0.2 open (SELL flattens it)');
  }, 15_000);
});
