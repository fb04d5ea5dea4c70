import { describe, expect, it } from 'vitest';
import { describeBusContract } from './describeBusContract.ts';
import { InProcessBus } from './InProcessBus.ts';

describeBusContract('in-process', async () => new InProcessBus());

describe('InProcessBus.settled', () => {
  const spec = (name: string) => ({ name, partitions: 2, compacted: false });

  it('resolves only after every consumer has handled what was published, including what handlers published in turn', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([spec('in'), spec('out')]);
    const seen: string[] = [];
    await bus.consume({
      groupId: 'relay',
      topics: ['in'],
      fromBeginning: true,
      handleBatch: async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await bus.publish(batch.records.map((record) => ({ topic: 'out', key: record.key, value: record.value, headers: {} })));
      },
    });
    await bus.consume({
      groupId: 'sink',
      topics: ['out'],
      fromBeginning: true,
      handleBatch: async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        for (const record of batch.records) seen.push(record.key!);
      },
    });
    await bus.settled();
    await bus.publish(['a', 'b', 'c'].map((key) => ({ topic: 'in', key, value: Buffer.from(key), headers: {} })));
    await bus.settled();
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
    await bus.close();
  });

  it('waits while a handler keeps failing (the batch is retried), and settles once that consumer stops', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([spec('in')]);
    const failing = await bus.consume({
      groupId: 'failing',
      topics: ['in'],
      fromBeginning: true,
      handleBatch: async () => {
        throw new Error('always');
      },
    });
    await bus.publish([{ topic: 'in', key: 'a', value: Buffer.from('a'), headers: {} }]);
    let settled = false;
    const settling = bus.settled().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    await failing.stop();
    await settling;
    expect(settled).toBe(true);
  });
});
