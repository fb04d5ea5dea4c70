import { describe, expect, it } from 'vitest';
import { crashesInARowAfter, MAX_DELAY_MS, restartDelayMs, STABLE_AFTER_MS } from './restartPolicy.ts';

describe('the restart policy', () => {
  it('doubles the delay with each crash in a row, up to the cap', () => {
    expect([1, 2, 3, 4, 5].map(restartDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(restartDelayMs(6)).toBe(MAX_DELAY_MS);
    expect(restartDelayMs(60)).toBe(MAX_DELAY_MS);
  });

  it('counts crashes in a row until a run lasted long enough to call the worker stable', () => {
    expect(crashesInARowAfter(0, 500)).toBe(1);
    expect(crashesInARowAfter(4, STABLE_AFTER_MS - 1)).toBe(5);
    expect(crashesInARowAfter(4, STABLE_AFTER_MS)).toBe(1);
  });
});
