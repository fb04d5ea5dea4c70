import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKETS } from '../markets.ts';
import { BackgroundFlow, type MidWalk } from './BackgroundFlow.ts';
import { MatchingEngine } from './MatchingEngine.ts';
import { seedLadder } from './seedLadder.ts';

const WALK = { seed: 11, stepBps: 1, venueStepBps: 0.3 };

/** A venue's engine with a BTCUSDT ladder around `mid`, 2 bps (12.8) a level, and its flow. */
function venue(mid: string, flowSeed: number, walk: MidWalk = WALK) {
  let now = 1_700_000_000_000;
  const engine = new MatchingEngine({ markets: DEFAULT_MARKETS.map((m) => m.rules), fees: { maker: new Decimal('0.001'), taker: new Decimal('0.001') }, clock: () => now++ });
  seedLadder(engine, 'BTCUSDT', 'seed', { mid, depth: 20, quantity: '0.25', quantityStep: '0.1', spacing: '12.8' });
  const flow = new BackgroundFlow(engine, flowSeed, walk);
  const midOf = () => {
    const { bids, asks } = engine.depth('BTCUSDT', 1);
    return bids[0]!.price.plus(asks[0]!.price).div(2);
  };
  return { engine, flow, mid: midOf };
}

describe('BackgroundFlow with a mid walk', () => {
  it('moves the whole book along one market walk: venues stay a few bps apart, each keeps its depth', () => {
    const a = venue('64000', 1);
    const b = venue('64012.8', 2);
    const mids = new Set<string>();
    let widest = new Decimal(0);
    for (let i = 0; i < 400; i++) {
      a.flow.step();
      b.flow.step();
      mids.add(a.mid().toString());
      widest = Decimal.max(widest, a.mid().minus(b.mid()).abs().div(a.mid()).times(10_000));
    }
    // The mid wanders over many levels rather than staying at its seed.
    expect(mids.size).toBeGreaterThan(10);
    expect([...mids].some((mid) => new Decimal(mid).minus(64000).abs().gte(25.6))).toBe(true);
    // One market: the two venues' mids never drift far apart.
    expect(widest.toNumber()).toBeLessThan(15);
    const { bids, asks } = a.engine.depth('BTCUSDT', 100);
    expect(bids.length).toBeGreaterThanOrEqual(20);
    expect(asks.length).toBeGreaterThanOrEqual(20);
    expect(bids[0]!.price.lt(asks[0]!.price)).toBe(true);
  });

  it('replays the same walk for the same seeds', () => {
    const run = () => {
      const { engine, flow } = venue('64000', 5);
      for (let i = 0; i < 200; i++) flow.step();
      return JSON.stringify(engine.depth('BTCUSDT', 10));
    };
    expect(run()).toBe(run());
  });

  it('jumps the venue\'s mid away by the set bps for the set steps, now and then, and comes back', () => {
    const jumps = { bps: 40, everySteps: 50, forSteps: 8 };
    const still = venue('64000', 3);
    const jumping = venue('64000', 3, { ...WALK, jumps });
    // Each step: how far the jumping venue's mid is from the same venue without jumps, in bps.
    const apart: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      still.flow.step();
      jumping.flow.step();
      apart.push(jumping.mid().minus(still.mid()).div(still.mid()).times(10_000).toNumber());
    }
    // Away: a quarter of the jump or more (outside a jump the two stay within a few bps).
    const away = apart.map((bps) => Math.abs(bps) >= jumps.bps / 4);
    // Runs of steps away from the market, each `forSteps` long (a jump that starts as one ends joins it).
    const runs = away.map((isAway) => (isAway ? '1' : '0')).join('').split(/0+/).filter(Boolean).map((run) => run.length);
    expect(runs.length).toBeGreaterThanOrEqual(8);
    expect(runs.every((length) => length % jumps.forSteps === 0)).toBe(true);
    // Nearly the whole jump: flow orders resting in the way hold the touch back for a step at most.
    const far = apart.filter((bps, i) => away[i] && Math.abs(bps) > jumps.bps * 0.75).length;
    expect(far / away.filter(Boolean).length).toBeGreaterThan(0.9);
    expect(new Set(apart.filter((_, i) => away[i]).map((bps) => Math.sign(bps)))).toEqual(new Set([1, -1]));
  });
});
