import { describe, expect, it } from 'vitest';
import { RateLimit } from './RateLimit.ts';

describe('RateLimit', () => {
  it('lets perMinute messages through a minute, holds back the rest, and sums them up once a new minute begins', () => {
    let nowMs = Date.UTC(2024, 4, 13, 16, 0, 0);
    const limit = new RateLimit(3, () => nowMs);
    expect(['drift', 'drift', 'discrepancy'].map((kind) => limit.admit(kind))).toEqual([true, true, true]);
    nowMs += 10_000;
    expect(['drift', 'discrepancy', 'drift'].map((kind) => limit.admit(kind))).toEqual([false, false, false]);
    nowMs += 40_000;
    expect(limit.lifted()).toBeNull();
    nowMs += 10_000;
    expect(limit.lifted()).toBe(
      [
        '[WARNING] rate limit: 3 alerts not sent (2 drift, 1 discrepancy)',
        'between 2024-05-13T16:00:10.000Z and 2024-05-13T16:01:00.000Z; every alert is on ops.alerts and in the audit log',
      ].join('\n'),
    );
    expect(limit.lifted()).toBeNull();
    // The summary was the new minute's first message: two more fit.
    expect(['drift', 'drift', 'drift'].map((kind) => limit.admit(kind))).toEqual([true, true, false]);
  });

  it('says nothing when nothing was held back', () => {
    let nowMs = 0;
    const limit = new RateLimit(1, () => nowMs);
    expect(limit.admit('drift')).toBe(true);
    nowMs += 120_000;
    expect(limit.lifted()).toBeNull();
    expect(limit.admit('drift')).toBe(true);
  });
});
