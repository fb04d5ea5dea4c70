import { describe, expect, it } from 'vitest';
import { RecentMap } from './RecentMap.ts';

describe('RecentMap', () => {
  it('keeps only the most recently written entries, newest first', () => {
    const recent = new RecentMap<string, number>(3);
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3], ['a', 4], ['d', 5]] as const) recent.set(key, value);
    expect(recent.size).toBe(3);
    expect(recent.has('b')).toBe(false);
    expect(recent.newestFirst()).toEqual([5, 4, 3]);
    expect(recent.newestFirst(2)).toEqual([5, 4]);
  });
});
