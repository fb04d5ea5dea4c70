import { randomUUID } from 'node:crypto';
import { ccxtClientFor } from '@crossvenue/connectors';
import { ExecutionWorker, followerKey, formatFollower, parseFollower, parseRiskLimits, pauseKey, PositionsWorker, RouterWorker, SynchronizerWorker } from '@crossvenue/processors';
import { ALL_TOPICS, Decimal, RegistryCodec, TOPICS, type Alert, type ControlCommand, type Intent, type Position, type SyncDecision } from '@crossvenue/schemas';
import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { DEFAULT_PERPETUAL_MARKETS, defaultMarket, SimulatedVenue, type VenueEndpoints } from '@crossvenue/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedAccount, simulatedConnector } from './support/simulatedConnector.ts';

/**
 * Followers configured through control.commands, as the gateway's PUT /sync/followers/{name}
 * publishes them (issue #19), over the real Kafka and schema registry under a namespace of its own:
 * a leader on a simulated Binance spot venue, a follower added by command (none in the config
 * file) on a simulated Binance USD-M venue, its leverage set there through its ccxt connector, its
 * copies made; then paused, the synchronizer restarted, and the follower, still configured and
 * still paused, resumed and copying again.
 */

const endpoints = resolveEndpoints();
const logger = createLogger('sync-config-e2e', { level: 'error' });
const SPOT = 'BTC/USDT';
const PERPETUAL = 'BTC/USDT:USDT';
const account = simulatedAccount;
const LEADER = account('leader', { USDT: '1000000', BTC: '10' });
const FOLLOWER = account('copy-perp', { USDT: '100000' });

/** One entry of the config file's followers: list, as a desk would PUT it. */
const ENTRY = {
  name: 'copy-perp',
  leader: { venue: 'sim-spot', account: 'leader' },
  portfolio: 'copy',
  venue: 'sim-usdm',
  account: 'copy-perp',
  sizing: { mode: 'ratio', ratio: '0.5' },
  instruments: [{ leader: SPOT, follower: PERPETUAL }],
  leverage: 5,
};

describe('a follower configured through control.commands, kept over a synchronizer restart (Kafka and the schema registry)', () => {
  const namespace = `sync-config-e2e-${randomUUID().slice(0, 8)}.`;
  const messages = kafkaMessageBus('sync-config-e2e', logger, { endpoints, namespace });
  const codec = new RegistryCodec(endpoints.schemaRegistryUrl);
  const spot = new SimulatedVenue({ name: 'sim-spot', dialect: 'binance', markets: [defaultMarket(SPOT)], fees: { maker: '0.001', taker: '0.001' }, accounts: [LEADER], flowIntervalMs: 0 });
  const usdm = new SimulatedVenue({ name: 'sim-usdm', dialect: 'binanceusdm', markets: DEFAULT_PERPETUAL_MARKETS, fees: { maker: '0.0002', taker: '0.0005' }, accounts: [FOLLOWER], flowIntervalMs: 0 });
  const stops: Array<{ stop(): Promise<void> }> = [];
  const decisions: SyncDecision[] = [];
  const alerts: Alert[] = [];
  const positions = new Map<string, Position>();
  let usdmEndpoints: VenueEndpoints;
  let synchronizer: SynchronizerWorker;
  let leaderIntents = 0;

  const followerPosition = () => new Decimal(positions.get(`sim-usdm|copy-perp|${PERPETUAL}`)?.quantity ?? '0');
  const of = (kind: SyncDecision['kind']) => decisions.filter((decision) => decision.follower === 'copy-perp' && decision.kind === kind);
  const startSynchronizer = async () => {
    // No follower in the config file: copy-perp exists only through control.commands.
    synchronizer = new SynchronizerWorker({ messages, followers: [], logger, tickMs: 1_000, settleMs: 5_000 });
    await synchronizer.start();
  };
  const control = (configKey: string, configValue: string | null): ControlCommand => ({
    eventId: randomUUID(), type: 'CONFIG_CHANGE', scope: 'GLOBAL', portfolio: null, venue: null, account: null, engaged: null, cancelOpenOrders: false,
    configKey, configValue, issuedBy: 'desk', reason: 'sync-config-e2e', issuedAtMs: Date.now(),
  });
  const leaderBuys = async (amount: string) => {
    const intentId = `lead-${namespace.replace(/\./g, '')}-${leaderIntents++}`;
    const intent: Intent = {
      eventId: `${intentId}:place`, intentId, portfolio: 'lead', account: 'leader', venues: ['sim-spot'], instrument: SPOT,
      action: 'PLACE', kind: 'ORDER', targetQuantity: null, algo: null, group: null, reroutes: null, avoidVenues: [], flattens: false, source: 'API', requestedBy: 'sync-config-e2e', createdAtMs: Date.now(),
      order: { side: 'BUY', amount, amountType: 'BASE', limitPrice: null, timeInForce: 'IOC', expireAtMs: null, postOnly: false, reduceOnly: false, trigger: null, icebergQuantity: null },
    };
    await messages.publish(TOPICS.intents, [intent]);
  };
  /** The follower account's leverage on the perpetual, as the venue has it, read by a client of the test's own. */
  const leverageAtVenue = async () => {
    const client = ccxtClientFor(usdmEndpoints, { account: FOLLOWER });
    try {
      const [risk] = (await client.fapiPrivateV2GetPositionRisk({ symbol: 'BTCUSDT' })) as Array<{ leverage: string }>;
      return Number(risk!.leverage);
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    await messages.prepare(ALL_TOPICS);
    const spotEndpoints = await spot.start();
    usdmEndpoints = await usdm.start();
    stops.push(spot, usdm);
    stops.push(await simulatedConnector({ at: spotEndpoints, account: LEADER, portfolio: 'lead', instrument: SPOT, marketData: true, messages, logger }));
    stops.push(await simulatedConnector({ at: usdmEndpoints, account: FOLLOWER, portfolio: 'copy', instrument: PERPETUAL, marketData: true, messages, logger }));
    const limits = parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, maxOrdersPerVenuePerWindow: 100, portfolio: { maxOrderNotional: '100000', priceBand: '0.05', maxOrdersPerWindow: 100 } });
    const router = new RouterWorker({ messages, logger, accounts: [{ venue: 'sim-spot', account: 'leader' }, { venue: 'sim-usdm', account: 'copy-perp' }] });
    for (const worker of [router, new ExecutionWorker({ messages, codec, logger, limits }), new PositionsWorker({ messages, logger })]) {
      await worker.start();
      stops.push(worker);
    }
    await messages.subscribe({
      groupId: 'sync-config-e2e-observer',
      topics: [TOPICS.syncDecisions, TOPICS.alerts, TOPICS.positions],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.syncDecisions.name) decisions.push(value as SyncDecision);
          else if (topic === TOPICS.alerts.name) alerts.push(value as Alert);
          else positions.set(`${(value as Position).venue}|${(value as Position).account}|${(value as Position).instrument}`, value as Position);
        }
      },
    });
    await waitFor('both venues routable', () => router.venuesFor(SPOT).length === 1 && router.venuesFor(PERPETUAL).length === 1, 60_000);
    await startSynchronizer();
  }, 120_000);

  afterAll(async () => {
    await synchronizer?.stop().catch(() => undefined);
    for (const part of stops.reverse()) await part.stop().catch(() => undefined);
    await messages.bus.deleteTopics(ALL_TOPICS.flatMap((topic) => [topic.name, topic.deadLetter.name])).catch(() => undefined);
    await messages.bus.close();
  }, 60_000);

  it('adds the follower, sets its leverage at the venue, copies; paused, restarted, it is still there and paused, and copies once resumed', async () => {
    // As PUT /sync/followers/copy-perp publishes it: the entry checked and written out by the synchronizer's own parser.
    const configuration = formatFollower(parseFollower(ENTRY, 'follower'));
    await messages.publish(TOPICS.controlCommands, [control(followerKey('copy-perp'), JSON.stringify(configuration))]);
    await waitFor('the follower configured', () => of('CONFIGURE').length === 1, 20_000);
    expect(JSON.parse(of('CONFIGURE')[0]!.configuration!)).toEqual(configuration);

    // Its leverage: asked of its account's connector, set at the venue, reported.
    await waitFor('the leverage set', () => alerts.some((alert) => alert.code === 'LEVERAGE_SET' && alert.account === 'copy-perp'), 20_000);
    expect(of('LEVERAGE').map(({ instrument }) => instrument)).toEqual([PERPETUAL]);
    expect(alerts.find((alert) => alert.code === 'LEVERAGE_SET')).toMatchObject({ venue: 'sim-usdm', subject: PERPETUAL });
    expect(await leverageAtVenue()).toBe(5);

    // The leader buys 0.02 BTC spot: the follower holds half of it in the perpetual.
    await leaderBuys('0.02');
    await waitFor('the follower\'s copy filled', () => followerPosition().equals('0.01'), 30_000);

    // Paused, then the synchronizer restarts: both come back from control.commands.
    await messages.publish(TOPICS.controlCommands, [control(pauseKey('copy-perp'), 'true')]);
    await waitFor('paused', () => of('PAUSE').length === 1, 20_000);
    await synchronizer.stop();
    await startSynchronizer();
    expect(synchronizer.configured().map((follower) => formatFollower(follower))).toEqual([configuration]);
    expect(synchronizer.isPaused('copy-perp')).toBe(true);
    // The account was already asked for this leverage: the restart asks nothing again.
    expect(of('LEVERAGE')).toHaveLength(1);

    await messages.publish(TOPICS.controlCommands, [control(pauseKey('copy-perp'), 'false')]);
    await waitFor('resumed', () => !synchronizer.isPaused('copy-perp'), 20_000);
    await leaderBuys('0.02');
    await waitFor('the follower copying again after the restart', () => followerPosition().equals('0.02'), 30_000);
    expect(await leverageAtVenue()).toBe(5);
  }, 120_000);
});
