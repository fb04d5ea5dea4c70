import { describe, expect, it } from 'vitest';
import { TradeIdSet } from './TradeIdSet.ts';

describe('TradeIdSet', () => {
  it('accepts an id once and forgets the oldest beyond its capacity', () => {
    const ids = new TradeIdSet(2);
    expect([ids.add('a'), ids.add('a'), ids.add('b'), ids.add('c')]).toEqual([true, false, true, true]);
    expect(ids.size).toBe(2);
    expect([ids.add('b'), ids.add('a')]).toEqual([false, true]);
  });
});
