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
});
