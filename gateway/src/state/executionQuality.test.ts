import type { Fill, RouteDecision } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { ExecutionLog } from './ExecutionLog.ts';
import { executionQuality } from './executionQuality.ts';
import { MidHistory } from './midHistory.ts';

const book = (venue: string, receivedAtMs: number, bestBid: string, bestAsk: string) => ({ venue, instrument: 'BTC/USDT', bestBid, bestAsk, sequence: null, receivedAtMs });

function fill(venue: string, side: 'BUY' | 'SELL', price: string, venueTimeMs: number, intentId: string | null = null): Fill {
  return { eventId: `${venue}-${venueTimeMs}`, venue, account: 'a', portfolio: 'p', instrument: 'BTC/USDT', side, price, quantity: '1', venueTimeMs, intentId, venueTradeId: `${venueTimeMs}` } as Fill;
}

describe('MidHistory', () => {
  it('answers the mid at a moment once a book at or after it has come, from the last change at or before it', () => {
    const mids = new MidHistory();
    mids.record(book('v', 1_000, '99', '101'));
    mids.record(book('v', 2_000, '100', '102'));
    expect(mids.midAt('v', 'BTC/USDT', 2_500)).toBeNull(); // nothing seen past 2.5 s yet
    mids.record(book('v', 3_000, '100', '102')); // a heartbeat: same mid, the feed alive
    expect(mids.midAt('v', 'BTC/USDT', 2_500)!.toFixed()).toBe('101');
    expect(mids.midAt('v', 'BTC/USDT', 1_999)!.toFixed()).toBe('100');
    expect(mids.midAt('v', 'BTC/USDT', 500)).toBeNull(); // before anything kept
    expect(mids.midAt('other', 'BTC/USDT', 1_500)).toBeNull();
  });
});

describe('executionQuality', () => {
  it('averages each venue\'s markouts per horizon, positive when the mid moved the fill\'s way, counting only fills seen past it', () => {
    const mids = new MidHistory();
    mids.record(book('v', 0, '99.9', '100.1'));
    mids.record(book('v', 1_500, '100.9', '101.1')); // mid 101 from 1.5 s
    mids.record(book('v', 6_000, '101.9', '102.1')); // mid 102 from 6 s: the last book kept
    const fills = [fill('v', 'BUY', '100', 0), fill('v', 'SELL', '100', 1_000)];
    const { markouts } = executionQuality(fills, mids, new ExecutionLog());
    const points = markouts.find(({ venue }) => venue === 'v')!.points;
    // At 1 s: the buy sees mid 100 (0 bps); the sell at 2 s sees 101 (-100 bps). At 5 s: the buy sees 101 (+100), the sell at 6 s sees 102 (-200).
    expect(points.find(({ horizonS }) => horizonS === 1)).toEqual({ horizonS: 1, fills: 2, markoutBps: '-50' });
    expect(points.find(({ horizonS }) => horizonS === 5)).toEqual({ horizonS: 5, fills: 2, markoutBps: '-50' });
    expect(points.find(({ horizonS }) => horizonS === 30)).toEqual({ horizonS: 30, fills: 0, markoutBps: null });
  });

  it('counts each fill\'s slippage against its intent\'s first decision, in 1 bp buckets clamped at ±20, a cost positive', () => {
    const execution = new ExecutionLog();
    execution.applyDecision({ intentId: 'i1', arrivalMid: '100' } as RouteDecision);
    execution.applyDecision({ intentId: 'i1', arrivalMid: '90' } as RouteDecision); // a re-route: not the arrival
    const fills = [fill('v', 'BUY', '100.02', 1, 'i1'), fill('v', 'SELL', '100.02', 2, 'i1'), fill('v', 'BUY', '101', 3, 'i1'), fill('v', 'BUY', '100', 4, null)];
    const { slippage } = executionQuality(fills, new MidHistory(), execution);
    expect(slippage).toEqual([{ venue: 'v', buckets: [{ bps: -2, fills: 1 }, { bps: 2, fills: 1 }, { bps: 20, fills: 1 }] }]);
  });
});
