import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { Decimal, defineTopic, LocalCodec, TOPICS, type Fill, type MarginFigures, type Position, type VenuePosition, type VenueSnapshot } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { fillMessage } from './fillFixtures.ts';
import { positionFillOf } from './PositionFill.ts';
import { PositionLedger } from './PositionLedger.ts';
import { PositionsWorker } from './PositionsWorker.ts';
import { toPositionMessage } from './toPositionMessage.ts';
import { VenueFiguresBook } from './VenueFigures.ts';

const PERP = { portfolio: 'p1', account: 'a1', venue: 'usdm', instrument: 'BTC/USDT:USDT' };
const SPOT = { ...PERP, venue: 'binance', instrument: 'BTC/USDT' };
const MARGIN: MarginFigures = { leverage: '20', marginMode: 'cross', initialMargin: '320.05', liquidationPrice: '60977.5' };

const fill = (key: typeof PERP, tradeId: string, side: 'BUY' | 'SELL', quantity: string, price: string): Fill =>
  fillMessage({ ...key, tradeId, side, quantity: new Decimal(quantity), price: new Decimal(price), fee: new Decimal('0.128'), feeCurrency: 'USDT', venueTimeMs: 1_700_000_000_000 + Number(tradeId.slice(1)) });

const held = (instrument: string, quantity: string, markPrice: string, margin: MarginFigures | null = MARGIN): VenuePosition => ({
  instrument,
  quantity,
  entryPrice: '64000',
  markPrice,
  unrealizedPnl: null,
  margin,
});

const snapshot = (eventId: string, receivedAtMs: number, positions: VenuePosition[], account = PERP): VenueSnapshot => ({
  eventId,
  venue: account.venue,
  account: account.account,
  portfolio: account.portfolio,
  openOrders: [],
  balances: [],
  positions,
  trades: [],
  tradesSinceMs: 0,
  venueTimeMs: null,
  receivedAtMs,
});

describe('VenueFiguresBook', () => {
  const ledger = new PositionLedger();
  ledger.add(positionFillOf(fill(PERP, 't1', 'BUY', '0.1', '64000')));
  const position = ledger.position('p1|a1|usdm|BTC/USDT:USDT')!;

  it('keeps the latest snapshot of each account by receive time, whatever the arrival order', () => {
    const older = snapshot('s1', 1_000, [held(PERP.instrument, '0.1', '64100')]);
    const newer = snapshot('s2', 2_000, [held(PERP.instrument, '0.1', '64200', { ...MARGIN, leverage: '10' })]);
    for (const order of [[older, newer], [newer, older]]) {
      const book = new VenueFiguresBook();
      for (const one of order) book.apply(one);
      expect(book.figures(position)).toEqual({ markPrice: new Decimal('64200'), margin: { ...MARGIN, leverage: '10' }, reportedAtMs: 2_000 });
    }
  });

  it('drops the figures of an instrument the latest snapshot no longer lists, and shows none on a flat position', () => {
    const book = new VenueFiguresBook();
    book.apply(snapshot('s1', 1_000, [held(PERP.instrument, '0.1', '64100')]));
    book.apply(snapshot('s2', 2_000, []));
    expect(book.figures(position)).toBeNull();
    book.apply(snapshot('s3', 3_000, [held(PERP.instrument, '0.1', '64100')]));
    ledger.add(positionFillOf(fill(PERP, 't2', 'SELL', '0.1', '64050')));
    expect(book.figures(ledger.position('p1|a1|usdm|BTC/USDT:USDT')!)).toBeNull();
  });

  it('refuses a figure that is not a decimal, naming it', () => {
    const bad = snapshot('s9', 1_000, [held(PERP.instrument, '0.1', '64100', { ...MARGIN, liquidationPrice: '6e4' })]);
    expect(() => new VenueFiguresBook().apply(bad)).toThrow('venue snapshot s9 BTC/USDT:USDT liquidationPrice: "6e4" is not a decimal');
  });
});

describe('PositionsWorker with venue snapshots', () => {
  it("shows the venue's mark and margin on a derivative's position without changing what its fills made, and a replay ends the same", async () => {
    const logger = createLogger('positions-test', { level: 'silent' });
    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
    await messages.prepare([TOPICS.fills, TOPICS.fundingPayments, TOPICS.balanceSnapshots, TOPICS.venueSnapshots, TOPICS.positions, TOPICS.balances]);
    const fills = [fill(PERP, 't1', 'BUY', '0.1', '64000'), fill(PERP, 't2', 'BUY', '0.1', '64010'), fill(SPOT, 't3', 'BUY', '0.5', '63990')];
    await messages.publish(TOPICS.fills, fills);
    // The venue says the position is 0.3 (a fill we have not seen): its figures show, its quantity does not.
    await messages.publish(TOPICS.venueSnapshots, [snapshot('s2', 2_000, [held(PERP.instrument, '0.3', '64105.5')]), snapshot('s1', 1_000, [held(PERP.instrument, '0.2', '1')])]);

    // Each run publishes to a topic of its own, so the second (a replay of the same input) is read apart.
    const latest = async (groupId: string) => {
      const topics = { ...TOPICS, positions: defineTopic({ ...TOPICS.positions, name: `${groupId}.positions` }) };
      await messages.prepare([topics.positions]);
      const positions = new Map<string, Position>();
      const worker = new PositionsWorker({ messages, logger, groupId, topics });
      await messages.subscribe({ groupId: `${groupId}-reader`, topics: [topics.positions], fromBeginning: true, handle: async (batch) => void batch.forEach(({ value }) => positions.set((value as Position).instrument, value as Position)) });
      await worker.start();
      await waitFor('the annotated positions', () => positions.get(PERP.instrument)?.eventId === 'position:p1|a1|usdm|BTC/USDT:USDT:2@2000' && positions.has(SPOT.instrument));
      await worker.stop();
      return positions;
    };
    const positions = await latest('positions-a');
    const folded = new PositionLedger();
    for (const one of fills) folded.add(positionFillOf(one));
    const perp = positions.get(PERP.instrument)!;
    expect(perp).toEqual({
      ...toPositionMessage(folded.position('p1|a1|usdm|BTC/USDT:USDT')!),
      eventId: 'position:p1|a1|usdm|BTC/USDT:USDT:2@2000',
      markPrice: '64105.5',
      // Ours: 0.2 x (64105.5 - 64005).
      unrealizedPnl: '20.1',
      margin: MARGIN,
    });
    expect(perp.quantity).toBe('0.2');
    expect(positions.get(SPOT.instrument)).toEqual(toPositionMessage(folded.position('p1|a1|binance|BTC/USDT')!));
    expect(await latest('positions-b')).toEqual(positions);
  });
});
