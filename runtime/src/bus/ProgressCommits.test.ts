import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { InProcessBus } from './InProcessBus.ts';
import { ProgressCommits } from './ProgressCommits.ts';

describe('ProgressCommits', () => {
  it('takes what arrives within the commit interval into the next transaction, and commits the furthest offset', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([{ name: 'in', partitions: 1, compacted: false }]);
    let transactions = 0;
    const transaction = bus.transaction.bind(bus);
    bus.transaction = (id) => ((transactions += 1), transaction(id));
    const progress = new ProgressCommits(bus, 'tx', 'progress', createLogger('test', { level: 'silent' }), 300);
    const entry = (offset: number) => progress.add({ topic: 'in', partition: 0, offset: String(offset) });

    entry(1);
    await new Promise((resolve) => setImmediate(resolve));
    // The first transaction has run; these three wait for the interval, then commit together.
    entry(2);
    entry(4);
    entry(3);
    expect(progress.pending).toBe(3);
    await progress.drain();
    expect(transactions).toBe(2);
    expect(await bus.committedOffsets('progress', 'in')).toEqual([{ topic: 'in', partition: 0, offset: '4' }]);
  }, 30_000);
});
