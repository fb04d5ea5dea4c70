import { describe, expect, it } from 'vitest';
import { Decimal } from '@crossvenue/schemas';
import { BookFillModel, ProbabilisticFillModel, type FillModel } from './FillModel.ts';
import { ReplayVenue } from './ReplayVenue.ts';
import type { RecordedLevel, ReplayOrderRequest } from './types.ts';

const d = (value: string) => new Decimal(value);
const BIDS: RecordedLevel[] = [['99', '2'], ['98', '5']];
const ASKS: RecordedLevel[] = [['101', '1'], ['102', '3'], ['103', '10']];

function venue(fillModel: FillModel = new BookFillModel(), latency = { insertMs: 10, cancelMs: 5 }) {
  const v = new ReplayVenue({ name: 'rv', fees: { maker: d('-0.0001'), taker: d('0.001') }, latency, fillModel });
  v.onBook('BTC/USDT', BIDS, ASKS, 0);
  return v;
}

function order(overrides: Partial<ReplayOrderRequest> = {}): ReplayOrderRequest {
  return { clientOrderId: 'c1', instrument: 'BTC/USDT', side: 'BUY', quantity: d('2'), limitPrice: d('102'), timeInForce: 'IOC', postOnly: false, ...overrides };
}

/** Sends and lets the order arrive. */
function place(v: ReplayVenue, request: ReplayOrderRequest, sentAtMs = 0) {
  v.submit(request, sentAtMs);
  return v.arrive()[0]!;
}

const fills = (report: { fills: Array<{ price: Decimal; quantity: Decimal; fee: Decimal; liquidity: string }> }) =>
  report.fills.map((fill) => [fill.price.toFixed(), fill.quantity.toFixed(), fill.fee.toFixed(), fill.liquidity]);

describe('ReplayVenue', () => {
  it('walks the recorded book up to the limit, charging the taker fee, and expires an IOC remainder', () => {
    const report = place(venue(), order({ quantity: d('5') }));
    expect(fills(report)).toEqual([
      ['101', '1', '0.101', 'TAKER'],
      ['102', '3', '0.306', 'TAKER'],
    ]);
    expect(report.status).toBe('EXPIRED');
    expect(report.filled.toFixed()).toBe('4');
    expect(report.averagePrice!.toFixed()).toBe('101.75');
  });

  it('executes at arrival, against the book recorded then, not the one when it was sent', () => {
    const v = venue();
    v.submit(order({ quantity: d('1') }), 0);
    expect(v.nextArrivalMs()).toBe(10);
    v.onBook('BTC/USDT', BIDS, [['102', '1'], ['103', '1']], 5);
    expect(fills(v.arrive()[0]!)).toEqual([['102', '1', '0.102', 'TAKER']]);
  });

  it('never fills the same recorded liquidity twice, until the recording replenishes the level', () => {
    const v = venue();
    place(v, order({ clientOrderId: 'a', quantity: d('1'), limitPrice: d('101') }));
    const again = place(v, order({ clientOrderId: 'b', quantity: d('1'), limitPrice: d('101') }));
    expect(again.status).toBe('EXPIRED');
    expect(again.fills).toEqual([]);
    // The same book again: the level is unchanged, so still taken.
    v.onBook('BTC/USDT', BIDS, ASKS, 20);
    expect(place(v, order({ clientOrderId: 'c', quantity: d('1'), limitPrice: d('101') })).fills).toEqual([]);
    // Its recorded quantity changes: replenished.
    v.onBook('BTC/USDT', BIDS, [['101', '1.5'], ...ASKS.slice(1)], 30);
    expect(fills(place(v, order({ clientOrderId: 'e', quantity: d('1'), limitPrice: d('101') })))).toEqual([['101', '1', '0.101', 'TAKER']]);
  });

  it('fills a resting order from recorded trades once the queue ahead of it is used up, at its own price', () => {
    const v = venue();
    const rested = place(v, order({ side: 'BUY', quantity: d('3'), limitPrice: d('99'), timeInForce: 'GTC' }));
    expect(rested.status).toBe('NEW');
    expect(v.onTrade('BTC/USDT', { side: 'SELL', price: d('99'), quantity: d('1.5') }, 20)).toEqual([]);
    const [partial] = v.onTrade('BTC/USDT', { side: 'SELL', price: d('99'), quantity: d('1') }, 30);
    expect(fills(partial!)).toEqual([['99', '0.5', '-0.00495', 'MAKER']]);
    expect(partial!.status).toBe('PARTIALLY_FILLED');
    // A buyer's trade never fills a resting buy; a sell through the price does.
    expect(v.onTrade('BTC/USDT', { side: 'BUY', price: d('99'), quantity: d('9') }, 40)).toEqual([]);
    const [done] = v.onTrade('BTC/USDT', { side: 'SELL', price: d('98'), quantity: d('9') }, 50);
    expect(fills(done!)).toEqual([['99', '2.5', '-0.02475', 'MAKER']]);
    expect(done!.status).toBe('FILLED');
  });

  it('shrinks the queue ahead when the recorded level shrinks below it', () => {
    const v = venue();
    place(v, order({ side: 'BUY', quantity: d('1'), limitPrice: d('99'), timeInForce: 'GTC' }));
    v.onBook('BTC/USDT', [['99', '0.5'], ['98', '5']], ASKS, 20);
    const [report] = v.onTrade('BTC/USDT', { side: 'SELL', price: d('99'), quantity: d('1') }, 30);
    expect(fills(report!)).toEqual([['99', '0.5', '-0.00495', 'MAKER']]);
  });

  it('fills a resting order at its own price when the recorded book crosses it, up to the crossing liquidity', () => {
    const v = venue();
    place(v, order({ side: 'SELL', quantity: d('3'), limitPrice: d('100'), timeInForce: 'GTC' }));
    const [report] = v.onBook('BTC/USDT', [['100.5', '1'], ['100', '1'], ['99', '4']], ASKS, 20);
    expect(fills(report!)).toEqual([['100', '2', '-0.02', 'MAKER']]);
    expect(report!.status).toBe('PARTIALLY_FILLED');
    // The same crossing levels again: already taken.
    expect(v.onBook('BTC/USDT', [['100.5', '1'], ['100', '1'], ['99', '4']], ASKS, 30)).toEqual([]);
  });

  it('refuses a crossing post-only order and expires a FOK it cannot fill whole', () => {
    const v = venue();
    expect(place(v, order({ clientOrderId: 'p', postOnly: true, timeInForce: 'GTC' })).status).toBe('REJECTED');
    const fok = place(v, order({ clientOrderId: 'f', quantity: d('5'), timeInForce: 'FOK' }));
    expect([fok.status, fok.fills.length]).toEqual(['EXPIRED', 0]);
    expect(place(v, order({ clientOrderId: 'x', instrument: 'ETH/USDT' })).reason).toBe('no recorded book for ETH/USDT yet');
  });

  it('cancels a resting order after the cancel latency, and refuses a cancel that overtook its order', () => {
    const v = venue(new BookFillModel(), { insertMs: 10, cancelMs: 2 });
    v.submit(order({ clientOrderId: 'r', limitPrice: d('98'), timeInForce: 'GTC' }), 0);
    v.cancel('r', 1);
    expect(v.nextArrivalMs()).toBe(3);
    expect(v.arrive()[0]!).toMatchObject({ cancelRejected: true, reason: 'unknown order (not arrived yet, or never sent)' });
    expect(v.arrive()[0]!.status).toBe('NEW');
    v.cancel('r', 20);
    expect(v.arrive()[0]!).toMatchObject({ status: 'CANCELED', cancelRejected: false });
    expect(v.onTrade('BTC/USDT', { side: 'SELL', price: d('97'), quantity: d('100') }, 30)).toEqual([]);
  });

  it('fills at the touch by seeded chance in the probabilistic model: the same seed draws the same', () => {
    const run = (seed: number) => {
      const v = venue(new ProbabilisticFillModel(seed, 0.3));
      const times: number[] = [];
      for (let i = 0; i < 40; i++) {
        place(v, order({ clientOrderId: `o${i}`, quantity: d('1'), limitPrice: d('99'), timeInForce: 'GTC' }), i * 100);
        for (let t = 1; t <= 5; t++) if (v.onBook('BTC/USDT', BIDS, ASKS, i * 100 + t).length > 0) times.push(i * 100 + t);
        v.cancel(`o${i}`, i * 100 + 50);
        v.arrive();
      }
      return times;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(run(7).length).toBeGreaterThan(0);
  });
});
