import { describe, expect, it } from 'vitest';
import { waitFor } from '../testing/waitFor.ts';
import type { ConsumedRecord } from './Bus.ts';
import { describeBusContract } from './describeBusContract.ts';
import { InProcessBus } from './InProcessBus.ts';
import { NamespacedBus } from './NamespacedBus.ts';

describeBusContract('namespaced in-process', async () => new NamespacedBus(new InProcessBus(), 'ns-test.'));

describe('NamespacedBus', () => {
  it('keeps two namespaces on one bus apart, and shows each its own names', async () => {
    const shared = new InProcessBus();
    const [a, b] = [new NamespacedBus(shared, 'a.'), new NamespacedBus(shared, 'b.')];
    const seen: ConsumedRecord[] = [];
    for (const bus of [a, b]) await bus.ensureTopics([{ name: 'orders', partitions: 1, compacted: false }]);
    await b.consume({ groupId: 'reader', topics: ['orders'], fromBeginning: true, handleBatch: async (batch) => void seen.push(...batch.records) });
    await a.publish([{ topic: 'orders', key: 'k', value: Buffer.from('for a') }]);
    await b.publish([{ topic: 'orders', key: 'k', value: Buffer.from('for b') }]);
    await waitFor('b reads its record', () => seen.length === 1, 2_000);
    expect(seen.map(({ topic, value }) => [topic, value?.toString()])).toEqual([['orders', 'for b']]);
    expect(await a.committedOffsets('reader', 'orders')).toEqual([]);
    expect((await b.committedOffsets('reader', 'orders')).map(({ topic, offset }) => [topic, offset])).toEqual([['orders', '1']]);
    await shared.close();
  });

  it('refuses a prefix Kafka would not take in a topic name', () => {
    expect(() => new NamespacedBus(new InProcessBus(), 'e2e run/1')).toThrow('namespace "e2e run/1": use letters, digits, ".", "_" or "-"');
  });
});
