import { randomUUID } from 'node:crypto';
import { ArbitrageWorker } from '@crossvenue/processors';
import { Decimal, TOPICS, type ArbitrageGroup, type BalanceSnapshot, type BookSnapshot, type Fill, type FundingPayment, type Position } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIO, startEmbeddedRun, type EmbeddedRun } from './EmbeddedRun.ts';
import { gatewayClient } from './gatewayClient.ts';
import { localApiKey } from './localApiKey.ts';

const WAIT_MS = 30_000;
const NAME = 'basis-e2e';
const SPOT = { venue: 'sim-binance-a', instrument: 'BTC/USDT' };
const PERPETUAL = { venue: 'sim-usdm', instrument: 'BTC/USDT:USDT' };
/** Short, so the test sees funding settle twice in seconds; the demo's is a minute, a real venue's hours. */
const FUNDING_INTERVAL_MS = 1_500;
/** Per interval: 109.5 % a year if read as 8 hours, far more at 1.5 s; longs pay shorts. */
const HIGH_RATE = '0.001';

const SETTINGS = {
  kind: 'FUNDING',
  places: [SPOT, PERPETUAL],
  entryApr: '0.5',
  exitApr: '0.1',
  holdMs: 3 * 24 * 3_600_000,
  minEdgeBps: '5',
  stopLossBps: '200',
  maxQuantity: '0.05',
  maxOpenNotional: '10000',
  cooldownMs: 60_000,
};

/**
 * Funding arbitrage end to end (issue #20) on the embedded run: the demo's spot venue and the
 * simulated USD-M perpetuals venue, ccxt connectors, router, risk, execution and positions on the
 * in-process bus. The perpetual's funding rate is set high: the worker opens long spot / short
 * perpetual; the venue settles funding on the short twice or more; the connector lists the
 * payments and positions fold them; the rate drops to zero: the worker closes both sides. The
 * funding is in the closing record, in the perpetual's position and in the PnL the gateway charts.
 */
describe('funding arbitrage on the embedded run: spot against the simulated perpetual', () => {
  const logger = createLogger('funding-arbitrage-e2e', { level: 'silent' });
  const groups: ArbitrageGroup[] = [];
  const fills: Fill[] = [];
  const payments: FundingPayment[] = [];
  const positions: Position[] = [];
  const booksOf = new Map<string, number>();
  const funded = new Set<string>();
  let run: EmbeddedRun;
  let worker: ArbitrageWorker;
  let client: ReturnType<typeof gatewayClient>;

  const usdm = () => run.venues.venues.find((venue) => venue.perpetuals !== undefined)!;
  const perpetualPosition = () => positions.filter((position) => position.venue === PERPETUAL.venue && position.instrument === PERPETUAL.instrument).at(-1);
  /** Net base the worker's fills moved on `venue`, from exec.fills. */
  const netOn = (venue: string) => fills.filter((fill) => fill.venue === venue && fill.intentId?.startsWith(`${NAME}-`)).reduce((sum, fill) => (fill.side === 'BUY' ? sum.plus(fill.quantity) : sum.minus(fill.quantity)), new Decimal(0));

  beforeAll(async () => {
    const { keys, key } = localApiKey('trader');
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger, demo: { seed: 13, flow: false, movingPrices: false, strategy: false, funding: true, fundingIntervalMs: FUNDING_INTERVAL_MS } });
    client = gatewayClient(() => run.gatewayUrl, key);
    await run.messages.subscribe({
      groupId: `funding-observer-${randomUUID()}`,
      topics: [TOPICS.arbitrageGroups, TOPICS.fills, TOPICS.fundingPayments, TOPICS.positions, TOPICS.bookSnapshots, TOPICS.balances],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.arbitrageGroups.name) groups.push(value as ArbitrageGroup);
          else if (topic === TOPICS.fills.name) fills.push(value as Fill);
          else if (topic === TOPICS.fundingPayments.name) payments.push(value as FundingPayment);
          else if (topic === TOPICS.positions.name) positions.push(value as Position);
          else if (topic === TOPICS.bookSnapshots.name) booksOf.set((value as BookSnapshot).venue, (booksOf.get((value as BookSnapshot).venue) ?? 0) + 1);
          else funded.add((value as BalanceSnapshot).venue);
        }
      },
    });
    await waitFor('books and balances of both venues', () => [SPOT.venue, PERPETUAL.venue].every((venue) => booksOf.has(venue) && funded.has(venue)), WAIT_MS);
  }, 40_000);

  afterAll(async () => {
    await worker?.stop();
    await run?.stop();
  });

  it('enters above its threshold, collects funding at two funding times or more, exits below its threshold, and the funding is in the position and the PnL', async () => {
    usdm().setFundingRate('BTCUSDT', HIGH_RATE);
    worker = new ArbitrageWorker({ messages: run.messages, name: NAME, portfolio: DEMO_PORTFOLIO, settings: SETTINGS, logger });
    await worker.start();

    // Entry: long spot, short the perpetual, both at once.
    await waitFor('the position opened', () => groups.some((group) => group.strategy === NAME && group.state === 'CAPTURED'), WAIT_MS);
    const opening = groups.find((group) => group.strategy === NAME && group.state === 'CAPTURED')!;
    expect(opening).toMatchObject({ kind: 'BASIS', buyVenue: SPOT.venue, instrument: SPOT.instrument, sellVenue: PERPETUAL.venue, sellInstrument: PERPETUAL.instrument, positionId: opening.groupId, boughtQuantity: '0.05', soldQuantity: '0.05', residualQuantity: '0' });
    expect(new Decimal(opening.expectedFundingApr!).gte(SETTINGS.entryApr)).toBe(true);
    expect(netOn(SPOT.venue).toFixed()).toBe('0.05');
    expect(netOn(PERPETUAL.venue).toFixed()).toBe('-0.05');

    // Held: the venue settles funding on the short every 1.5 s; the connector lists it with its snapshots.
    const received = () => {
      const distinct = new Map(payments.filter((payment) => payment.venue === PERPETUAL.venue && payment.venueTimeMs >= opening.openedAtMs).map((payment) => [payment.fundingId, new Decimal(payment.amount)]));
      return [...distinct.values()].filter((amount) => amount.gt(0));
    };
    await waitFor('two funding payments received on the short', () => received().length >= 2, WAIT_MS);
    expect(groups.filter((group) => group.strategy === NAME && group.state === 'OPEN')).toHaveLength(1);

    // The rate drops to nothing: the differential is below exitApr, and the worker closes both sides.
    usdm().setFundingRate('BTCUSDT', '0');
    const closed = () => groups.find((group) => group.strategy === NAME && group.positionId === opening.groupId && group.groupId !== opening.groupId && group.state !== 'OPEN');
    await waitFor('the position closed', () => closed() !== undefined, WAIT_MS);
    const closing = closed()!;
    expect(closing).toMatchObject({ state: 'CAPTURED', kind: 'BASIS', buyVenue: PERPETUAL.venue, instrument: PERPETUAL.instrument, sellVenue: SPOT.venue, sellInstrument: SPOT.instrument, boughtQuantity: '0.05', soldQuantity: '0.05' });
    expect(closing.reason).toMatch(/^closed: funding differential 0 % a year, below the exit threshold 10 %/);
    expect(netOn(SPOT.venue).toFixed()).toBe('0');
    expect(netOn(PERPETUAL.venue).toFixed()).toBe('0');

    // The funding the record carries: every payment the venue settled on the short while held, as listed by the close.
    const collected = new Decimal(closing.fundingCollected!);
    expect(received().length).toBeGreaterThanOrEqual(2);
    expect(collected.gt(0)).toBe(true);
    // The venue's own list, read back from the engine: the record holds each payment listed by then, once.
    const atVenue = usdm().perpetuals!.income('demo').filter((income) => income.incomeType === 'FUNDING_FEE' && income.time >= opening.openedAtMs);
    const venueTotal = atVenue.reduce((sum, income) => sum.plus(income.income), new Decimal(0));
    expect(collected.lte(venueTotal)).toBe(true);
    expect(received().every((amount) => atVenue.some((income) => income.income.equals(amount)))).toBe(true);

    // Positions fold every listed payment once: the perpetual is flat, its funding is what the venue paid.
    await waitFor('the flat perpetual with all the funding', () => perpetualPosition()?.quantity === '0' && new Decimal(perpetualPosition()!.funding).equals(venueTotal), WAIT_MS);
    // And the gateway's PnL counts it.
    await waitFor('the PnL with the funding', async () => {
      const { body } = await client<{ portfolios: Array<{ portfolio: string; points: Array<{ funding: string }> }> }>(`/charts/pnl?portfolio=${DEMO_PORTFOLIO}`);
      const latest = body.portfolios[0]?.points.at(-1);
      return latest !== undefined && new Decimal(latest.funding).equals(venueTotal);
    }, WAIT_MS);
  }, 90_000);
});
