import { describe, expect, it } from 'vitest';
import { CatchUpTracker } from './CatchUpTracker.ts';

describe('CatchUpTracker', () => {
  it('is behind until every assigned partition reaches the end it had when assigned, and says which', () => {
    const tracker = new CatchUpTracker('positions-1');
    expect(tracker.state()).toEqual({ caughtUp: false, reason: 'group positions-1: no partitions assigned yet' });

    tracker.assigned([
      { topic: 'exec.fills', partition: 0, start: 0n, end: 10n },
      { topic: 'exec.fills', partition: 1, start: 4n, end: 4n },
      { topic: 'exec.fills', partition: 2, start: 0n, end: 3n },
    ]);
    expect(tracker.state()).toEqual({ caughtUp: false, reason: 'group positions-1: exec.fills[0] is 10 records behind the end it had when assigned (and 1 more partitions behind)' });
    tracker.advanced('exec.fills', 0, 6n);
    tracker.advanced('exec.fills', 2, 3n);
    expect(tracker.state()).toEqual({ caughtUp: false, reason: 'group positions-1: exec.fills[0] is 4 records behind the end it had when assigned' });
    tracker.advanced('exec.fills', 0, 12n);
    expect(tracker.state()).toEqual({ caughtUp: true });
  });

  it('counts batches handled before the assignment was known, and forgets the assignment while unassigned', () => {
    const tracker = new CatchUpTracker('g');
    tracker.advanced('t', 0, 8n);
    tracker.assigned([{ topic: 't', partition: 0, start: 2n, end: 8n }]);
    expect(tracker.state()).toEqual({ caughtUp: true });

    tracker.unassigned('reading the offsets of its partitions failed (broker away)');
    expect(tracker.state()).toEqual({ caughtUp: false, reason: 'group g: reading the offsets of its partitions failed (broker away)' });
    tracker.assigned([]);
    expect(tracker.state()).toEqual({ caughtUp: true });
  });

  it('for a group that re-reads its assignment, counts what is handled after the join, before and after the offsets are known', () => {
    const tracker = new CatchUpTracker('positions', true);
    tracker.advanced('exec.fills', 0, 50n);
    // A rebalance: the partition is read again from 0; the consumer reads it whole before its offsets come back.
    tracker.joined();
    tracker.advanced('exec.fills', 0, 20n);
    tracker.assigned([{ topic: 'exec.fills', partition: 0, start: 0n, end: 60n }]);
    expect(tracker.state()).toEqual({ caughtUp: false, reason: 'group positions: exec.fills[0] is 40 records behind the end it had when assigned' });
    tracker.advanced('exec.fills', 0, 60n);
    expect(tracker.state()).toEqual({ caughtUp: true });
    tracker.joined();
    tracker.advanced('exec.fills', 0, 60n);
    tracker.assigned([{ topic: 'exec.fills', partition: 0, start: 0n, end: 60n }]);
    expect(tracker.state()).toEqual({ caughtUp: true });
  });

  it('starts a partition where the consumer was moved to, before or after the assignment is known', () => {
    const tracker = new CatchUpTracker('execution', true);
    tracker.joined();
    tracker.seeked('exec.fills', 0, 90n);
    tracker.assigned([
      { topic: 'exec.fills', partition: 0, start: 0n, end: 90n },
      { topic: 'exec.fills', partition: 1, start: 0n, end: 30n },
    ]);
    expect(tracker.state()).toEqual({ caughtUp: false, reason: 'group execution: exec.fills[1] is 30 records behind the end it had when assigned' });
    tracker.seeked('exec.fills', 1, 25n);
    tracker.advanced('exec.fills', 1, 30n);
    expect(tracker.state()).toEqual({ caughtUp: true });
  });
});
