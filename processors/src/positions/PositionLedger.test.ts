import { Decimal } from '@crossvenue/schemas';
import { seededRandom } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { compareFills, type PositionFill } from './PositionFill.ts';
import { PositionLedger } from './PositionLedger.ts';
import { foldFills } from './PositionState.ts';
import { randomFills, shuffledWithDuplicates } from './fillFixtures.ts';
import { toPositionMessage } from './toPositionMessage.ts';

function foldAll(fills: PositionFill[]) {
  const ledger = new PositionLedger();
  for (const fill of fills) ledger.add(fill);
  return ledger.positions().map((position) => toPositionMessage(position)).sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
}

describe('PositionLedger: every fill exactly once, whatever the order', () => {
  it.each(Array.from({ length: 200 }, (_, seed) => seed))('seed %i: shuffled with 20%% duplicates gives identical positions', (seed) => {
    const random = seededRandom(seed);
    const fills = randomFills(random, 60);
    const canonical = foldAll([...fills].sort(compareFills));
    const replayed = foldAll(shuffledWithDuplicates(random, fills, 0.2));
    expect(replayed).toEqual(canonical);
  });

  it('equals a plain fold of the distinct fills in canonical order', () => {
    const fills = randomFills(seededRandom(7), 300).filter((fill) => fill.instrument === 'BTC/USDT');
    const expected = foldFills(fills[0]!, [...fills].sort(compareFills));
    const ledger = new PositionLedger();
    for (const fill of shuffledWithDuplicates(seededRandom(8), fills, 0.2)) ledger.add(fill);
    expect(ledger.positions()).toHaveLength(1);
    expect(toPositionMessage(ledger.positions()[0]!)).toEqual(toPositionMessage(expected));
    expect(ledger.fillCount).toBe(fills.length);
  });

  it('says duplicate for a replayed fill and conflict for the same identity with other content, keeping the first', () => {
    const [fill] = randomFills(seededRandom(1), 1) as [PositionFill];
    const ledger = new PositionLedger();
    expect(ledger.add(fill).outcome).toBe('applied');
    expect(ledger.add({ ...fill }).outcome).toBe('duplicate');
    const conflict = ledger.add({ ...fill, quantity: fill.quantity.plus(1) });
    expect(conflict).toMatchObject({ outcome: 'conflict', kept: fill });
    expect(ledger.positions()[0]!.fillCount).toBe(1);
    expect(ledger.add({ ...fill, portfolio: 'elsewhere' })).toMatchObject({ outcome: 'conflict', key: conflict.key });
    expect(ledger.positions()).toHaveLength(1);
  });

  it('keeps one position per portfolio, account, venue and instrument', () => {
    const fills = randomFills(seededRandom(3), 100);
    const ledger = new PositionLedger();
    for (const fill of fills) ledger.add(fill);
    expect(ledger.positions().map((p) => `${p.portfolio}|${p.account}|${p.venue}|${p.instrument}`).sort()).toEqual([
      'p1|a1|binance|BTC/USDT',
      'p1|a1|binance|ETH/USDT',
      'p1|a2|okx|BTC/USDT:USDT',
      'p2|a3|okx|ETH/USD',
    ]);
    expect(ledger.positions().reduce((sum, p) => sum + p.fillCount, 0)).toBe(100);
    expect(ledger.positions().every((p) => p.quantity instanceof Decimal)).toBe(true);
  });
});

describe('PositionLedger with a window: bounded, every fill still once', () => {
  const btc = () => [...randomFills(seededRandom(11), 200).filter((fill) => fill.instrument === 'BTC/USDT')].sort(compareFills);
  const positionOf = (ledger: PositionLedger) => toPositionMessage(ledger.positions()[0]!);

  it('recognises a duplicate of a fill it folded away', () => {
    const fills = btc();
    const ledger = new PositionLedger({ window: 3 });
    for (const fill of fills) expect(ledger.add(fill).outcome).toBe('applied');
    expect(ledger.add({ ...fills[0]! }).outcome).toBe('duplicate');
    expect(ledger.add({ ...fills.at(-1)! }).outcome).toBe('duplicate');
    expect(ledger.fillCount).toBe(fills.length);
  });

  it('equals the unbounded fold when fills come in order, or out of order within the window', () => {
    const fills = btc();
    const unbounded = new PositionLedger();
    for (const fill of fills) unbounded.add(fill);
    const bounded = new PositionLedger({ window: 5 });
    // Pairs swapped: each late fill sorts after the fills already folded away, so it is refolded canonically.
    const swapped = fills.map((fill, i) => (i % 2 === 0 ? (fills[i + 1] ?? fill) : fills[i - 1]!));
    for (const fill of swapped) expect(bounded.add(fill)).toEqual({ outcome: 'applied', key: expect.any(String) });
    expect(positionOf(bounded)).toEqual(positionOf(unbounded));
  });

  it('applies a fill later than its window on top, once, with the quantity exact', () => {
    const fills = btc();
    const [first, ...rest] = fills;
    const ledger = new PositionLedger({ window: 2 });
    for (const fill of rest) ledger.add(fill);
    expect(ledger.add(first!)).toMatchObject({ outcome: 'applied', beforeWindow: true });
    expect(ledger.add({ ...first! }).outcome).toBe('duplicate');
    const exact = foldFills(first!, fills);
    expect(ledger.positions()[0]!.quantity.toFixed()).toBe(exact.quantity.toFixed());
    expect(ledger.positions()[0]!.fillCount).toBe(fills.length);
  });
});
