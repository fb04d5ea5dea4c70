import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/waitFor.ts';
import { TopicConfigError, type Bus, type ConsumeOptions, type ConsumedRecord, type Consumer } from './Bus.ts';
import { partitionForKey } from './partitioner.ts';

/**
 * The behaviour every Bus implementation must show, run against the in-process bus (unit) and
 * real Kafka (integration): the embedded run is only trustworthy if both pass the same suite.
 */
export function describeBusContract(name: string, makeBus: () => Promise<Bus>): void {
  describe(`${name}: bus contract`, () => {
    let bus: Bus;
    const consumers: Consumer[] = [];
    beforeAll(async () => {
      bus = await makeBus();
    });
    afterAll(async () => {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await bus.close();
    });

    const unique = (label: string) => `test.${label}.${randomUUID().slice(0, 8)}`;
    const text = (record: ConsumedRecord) => record.value!.toString();
    const values = (...items: string[]) => items.map((item) => Buffer.from(item));

    async function createTopic(label: string, partitions = 1, compacted = false): Promise<string> {
      const topic = unique(label);
      await bus.ensureTopics([{ name: topic, partitions, compacted }]);
      return topic;
    }

    async function publish(topic: string, items: Array<[key: string | null, value: string]>): Promise<void> {
      await bus.publish(items.map(([key, value]) => ({ topic, key, value: Buffer.from(value) })));
    }

    async function collect(options: Omit<ConsumeOptions, 'handleBatch'>, handle?: ConsumeOptions['handleBatch']) {
      const received: ConsumedRecord[] = [];
      const consumer = await bus.consume({
        ...options,
        handleBatch: async (batch) => {
          await handle?.(batch);
          received.push(...batch.records);
        },
      });
      consumers.push(consumer);
      return { received, consumer };
    }

    it('delivers every partition in publish order and sends a key always to the same partition', async () => {
      const topic = await createTopic('order', 3);
      const keys = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'DOGE/USDT'];
      const items: Array<[string, string]> = [];
      for (let i = 0; i < 40; i++) items.push([keys[i % keys.length]!, `${keys[i % keys.length]}#${i}`]);
      await publish(topic, items);

      const { received } = await collect({ groupId: unique('g'), topics: [topic], fromBeginning: true });
      await waitFor('40 records', () => received.length >= 40);

      for (const key of keys) {
        const ofKey = received.filter((record) => record.key === key);
        expect(ofKey.map(text)).toEqual(items.filter(([k]) => k === key).map(([, value]) => value));
        expect(new Set(ofKey.map((record) => record.partition))).toEqual(new Set([partitionForKey(topic, key, 3)]));
      }
    });

    it('resumes a group from its committed offsets', async () => {
      const topic = await createTopic('resume');
      const groupId = unique('g');
      await publish(topic, [['k', 'a'], ['k', 'b'], ['k', 'c']]);
      const first = await collect({ groupId, topics: [topic], fromBeginning: true });
      await waitFor('first 3', () => first.received.length === 3);
      await first.consumer.stop();
      expect(await bus.committedOffsets(groupId, topic)).toEqual([{ topic, partition: 0, offset: '3' }]);

      await publish(topic, [['k', 'd'], ['k', 'e']]);
      const second = await collect({ groupId, topics: [topic], fromBeginning: true });
      await waitFor('2 more', () => second.received.length >= 2);
      expect(second.received.map(text)).toEqual(['d', 'e']);
    });

    it('redelivers a batch whose handler failed, losing nothing', async () => {
      const topic = await createTopic('retry');
      await publish(topic, [['k', 'x1'], ['k', 'x2'], ['k', 'x3']]);
      let failures = 0;
      const { received } = await collect({ groupId: unique('g'), topics: [topic], fromBeginning: true }, async () => {
        if (failures++ === 0) throw new Error('downstream unavailable');
      });
      await waitFor('3 records after a failure', () => received.length >= 3);
      expect(failures).toBeGreaterThan(1);
      expect(received.map(text)).toEqual(['x1', 'x2', 'x3']);
    });

    it('seeks back to an earlier offset and delivers from there again', async () => {
      const topic = await createTopic('seek');
      await publish(topic, [['k', 's0'], ['k', 's1'], ['k', 's2'], ['k', 's3']]);
      const { received, consumer } = await collect({ groupId: unique('g'), topics: [topic], fromBeginning: true });
      await waitFor('4 records', () => received.length === 4);
      consumer.seek(topic, 0, '2');
      await waitFor('2 replayed records', () => received.length >= 6);
      expect(received.slice(4).map(text)).toEqual(['s2', 's3']);
    });

    it('publishes more than a broker takes in one batch in one call, every record in order', async () => {
      const topic = await createTopic('large');
      const kilobyte = 'x'.repeat(1024);
      await publish(topic, Array.from({ length: 3000 }, (_, i): [string, string] => ['one-key', `${i}:${kilobyte}`]));
      const { received } = await collect({ groupId: unique('g'), topics: [topic], fromBeginning: true });
      await waitFor('3,000 records', () => received.length >= 3000, 60_000);
      expect(received.map(({ value }) => Number(value!.toString().split(':')[0]))).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    }, 90_000);

    it('tells each partition\'s end offset, 0 for an empty one, and writes to a partition named', async () => {
      const topic = await createTopic('ends', 2);
      expect(await bus.endOffsets(topic)).toEqual([
        { topic, partition: 0, offset: '0' },
        { topic, partition: 1, offset: '0' },
      ]);
      await publish(topic, [['a', 'x'], ['a', 'y'], ['a', 'z']]);
      const ends = await bus.endOffsets(topic);
      expect(ends.map(({ offset }) => offset).sort()).toEqual(['0', '3']);
      // A record written to a partition named, whatever its key says.
      const other = ends.find(({ offset }) => offset === '0')!.partition;
      await bus.publish([{ topic, key: 'a', value: Buffer.from('w'), partition: other }]);
      expect((await bus.endOffsets(topic)).find(({ partition }) => partition === other)!.offset).toBe('1');
    });

    it('tells each partition\'s first offset written at or after a time, its end where none was', async () => {
      const topic = await createTopic('at', 1);
      await publish(topic, [['a', 'x'], ['a', 'y']]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const between = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await publish(topic, [['a', 'z']]);
      expect(await bus.offsetsAt(topic, 0)).toEqual([{ topic, partition: 0, offset: '0' }]);
      expect(await bus.offsetsAt(topic, between)).toEqual([{ topic, partition: 0, offset: '2' }]);
      expect(await bus.offsetsAt(topic, Date.now() + 60_000)).toEqual([{ topic, partition: 0, offset: '3' }]);
    });

    it('a group that does not commit reads a partition that moves to another member from the beginning', async () => {
      const topic = await createTopic('nocommit', 2);
      const groupId = unique('g');
      const items: Array<[string, string]> = Array.from({ length: 8 }, (_, i) => [`key-${i}`, `n${i}`]);
      await publish(topic, items);
      const first = await collect({ groupId, topics: [topic], fromBeginning: true, commit: false });
      await waitFor('the first member read everything', () => first.received.length === items.length);
      await first.consumer.stop();
      expect(await bus.committedOffsets(groupId, topic)).toEqual([]);
      // Every partition moves to the next member, which reads each from the start, not where the first stopped.
      const next = await collect({ groupId, topics: [topic], fromBeginning: true, commit: false });
      await waitFor('the next member read everything again', () => next.received.length === items.length);
      expect(next.received.map(text).sort()).toEqual(items.map(([, value]) => value).sort());
    });

    it('tells a member its partitions on every rebalance, and without commits reads them from the start again', async () => {
      const topic = await createTopic('assigned', 2);
      const groupId = unique('g');
      const items: Array<[string, string]> = Array.from({ length: 8 }, (_, i) => [`key-${i}`, `a${i}`]);
      await publish(topic, items);
      const told: string[][] = [];
      const received: ConsumedRecord[] = [];
      const first = await collect({ groupId, topics: [topic], fromBeginning: true, commit: false, onAssigned: (partitions) => {
        told.push(partitions.map(({ topic: name, partition }) => `${name}:${partition}`).sort());
        received.length = 0;
      } }, async (batch) => void received.push(...batch.records));
      await waitFor('the first member read everything', () => received.length === items.length);
      expect(told.at(-1)).toEqual([`${topic}:0`, `${topic}:1`]);
      const onPartition = [0, 1].map((partition) => received.filter((record) => record.partition === partition).length);
      // A second member takes a partition: the first is told its new share and reads it from the start.
      const second = await collect({ groupId, topics: [topic], fromBeginning: true, commit: false });
      await waitFor('the second member has work', () => second.received.length > 0);
      await waitFor('the first member told its share', () => told.at(-1)!.length === 1);
      const kept = Number(told.at(-1)![0]!.split(':').at(-1));
      const ofKept = onPartition[kept]!;
      await waitFor('the kept partition read again', () => received.length === ofKept);
      expect(received.every(({ partition }) => partition === kept)).toBe(true);
      expect(received[0]!.offset).toBe('0');
      await first.consumer.stop();
    });

    it('shares the partitions of a topic between the members of one group', async () => {
      const topic = await createTopic('share', 4);
      const groupId = unique('g');
      const one = await collect({ groupId, topics: [topic], fromBeginning: true });
      const two = await collect({ groupId, topics: [topic], fromBeginning: true });
      const published = new Set<string>();
      // Publish waves until both members have work: Kafka assigns partitions asynchronously.
      for (let wave = 0; wave < 100 && (one.received.length === 0 || two.received.length === 0); wave++) {
        const items: Array<[string, string]> = Array.from({ length: 8 }, (_, i) => [`key-${i}`, `w${wave}-${i}`]);
        items.forEach(([, value]) => published.add(value));
        await publish(topic, items);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await waitFor('every record', () => new Set([...one.received, ...two.received].map(text)).size === published.size);
      expect(one.received.length).toBeGreaterThan(0);
      expect(two.received.length).toBeGreaterThan(0);
    });

    it('gives one member the same partition numbers of every topic it reads (co-partitioning)', async () => {
      const [orders, fills] = [await createTopic('copart-a', 4), await createTopic('copart-b', 4)];
      const groupId = unique('g');
      const members = [
        await collect({ groupId, topics: [orders, fills], fromBeginning: false }),
        await collect({ groupId, topics: [orders, fills], fromBeginning: false }),
      ];
      const wave = (n: number) => Array.from({ length: 16 }, (_, i): [string, string] => [`portfolio-${i}`, `${n}`]);
      // Kafka assigns asynchronously: publish until both members hold partitions, then judge a fresh wave.
      for (let n = 0; n < 100 && members.some((member) => member.received.length === 0); n++) {
        await publish(orders, wave(n));
        await publish(fills, wave(n));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      for (const member of members) member.received.length = 0;
      await publish(orders, wave(-1));
      await publish(fills, wave(-1));
      await waitFor('the judged wave', () => members.reduce((sum, member) => sum + member.received.length, 0) === 32);

      const partitionsOf = (member: (typeof members)[number], topic: string) =>
        new Set(member.received.filter((record) => record.topic === topic).map((record) => record.partition));
      for (const member of members) expect(partitionsOf(member, orders)).toEqual(partitionsOf(member, fills));
      expect(partitionsOf(members[0]!, orders)).not.toEqual(partitionsOf(members[1]!, orders));
    });

    /** One record published in a transaction that aborts ('aborted'), then one in a transaction that commits ('committed'). */
    async function abortThenCommit(topic: string): Promise<void> {
      const aborted = await bus.transaction(unique('tx'));
      await aborted.publish([{ topic, key: 'k', value: values('aborted')[0]! }]);
      await aborted.abort();
      const committed = await bus.transaction(unique('tx'));
      await committed.publish([{ topic, key: 'k', value: values('committed')[0]! }]);
      await committed.commit();
    }

    it('makes transactional records visible on commit and never on abort', async () => {
      const topic = await createTopic('tx');
      await abortThenCommit(topic);

      const { received } = await collect({ groupId: unique('g'), topics: [topic], fromBeginning: true });
      await waitFor('the committed record', () => received.length >= 1);
      expect(received.map(text)).toEqual(['committed']);
    });

    it('commits consumer offsets as part of a transaction', async () => {
      const topic = await createTopic('txoffsets');
      const groupId = unique('g');
      await publish(topic, [['k', 't0'], ['k', 't1'], ['k', 't2']]);
      const tx = await bus.transaction(unique('tx'));
      await tx.commitOffsets(groupId, [{ topic, partition: 0, offset: '2' }]);
      await tx.commit();
      // Kafka writes the commit markers after commit() returns: wait until the offset is readable.
      await waitFor('the transactional offset', async () => (await bus.committedOffsets(groupId, topic)).some((o) => o.offset === '2'));

      const { received } = await collect({ groupId, topics: [topic], fromBeginning: true });
      await waitFor('the record after the committed offset', () => received.length >= 1);
      expect(received.map(text)).toEqual(['t2']);
    });

    it('is caught up once it has handled what its partitions held when they were assigned, and stays so', async () => {
      const topic = await createTopic('catchup', 2);
      await publish(topic, Array.from({ length: 20 }, (_, i): [string, string] => [`key-${i}`, `backlog-${i}`]));
      let gate = Promise.resolve();
      let open = () => {};
      const close = () => (gate = new Promise<void>((resolve) => (open = resolve)));
      let waiting = false;
      close();
      const { received, consumer } = await collect({ groupId: unique('g'), topics: [topic], fromBeginning: true }, async () => {
        waiting = true;
        await gate;
        waiting = false;
      });
      expect(consumer.catchUp()).toEqual({ caughtUp: false, reason: expect.stringMatching(/^group \S+: /) });

      open();
      await waitFor('caught up', () => consumer.catchUp().caughtUp);
      expect(received.map(text).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `backlog-${i}`).sort());

      // Records arriving later are lag, not a backlog: a busy topic must not make it unready.
      close();
      await publish(topic, [['key-0', 'later']]);
      await waitFor('the later record at the handler', () => waiting);
      expect(consumer.catchUp()).toEqual({ caughtUp: true });
      open();
    });

    it('is caught up on partitions that hold nothing to read, without a batch, and past transaction markers', async () => {
      const empty = await createTopic('idle', 2);
      const idle = await collect({ groupId: unique('g'), topics: [empty], fromBeginning: true });
      await waitFor('caught up on an empty topic', () => idle.consumer.catchUp().caughtUp);

      // On Kafka the commit and abort markers take offsets of their own after the records.
      const topic = await createTopic('markers');
      await abortThenCommit(topic);
      const read = await collect({ groupId: unique('g'), topics: [topic], fromBeginning: true });
      await waitFor('caught up past the markers', () => read.consumer.catchUp().caughtUp);
      expect(read.received.map(text)).toEqual(['committed']);
    });

    it('does nothing when asked to ensure no topics', async () => {
      await expect(bus.ensureTopics([])).resolves.toBeUndefined();
    });

    it('creates topics idempotently and refuses an incompatible existing topic', async () => {
      const topic = await createTopic('config', 2);
      await expect(bus.ensureTopics([{ name: topic, partitions: 2, compacted: false }])).resolves.toBeUndefined();
      // The message names the topic as the broker has it (a namespaced bus adds its prefix).
      const refusal = (what: string) => new RegExp(`^topic \\S*${topic.replaceAll('.', '\\.')} has ${what}$`);
      await expect(bus.ensureTopics([{ name: topic, partitions: 4, compacted: false }])).rejects.toThrow(TopicConfigError);
      await expect(bus.ensureTopics([{ name: topic, partitions: 4, compacted: false }])).rejects.toThrow(refusal('2 partitions; the catalogue needs 4'));
      await expect(bus.ensureTopics([{ name: topic, partitions: 2, compacted: true }])).rejects.toThrow(refusal('cleanup.policy=delete; the catalogue needs compact'));
    });

    it('deletes the named topics that exist, and ignores names that do not', async () => {
      const topic = await createTopic('deleted', 2);
      await bus.deleteTopics([topic, `${topic}.never-created`]);
      // Gone (Kafka deletes in the background): created again with another partition count, it is a new topic, not a mismatch.
      const recreated = () => bus.ensureTopics([{ name: topic, partitions: 3, compacted: false }]).then(() => true, () => false);
      await waitFor(`${topic} deleted and created again with 3 partitions`, recreated, 30_000);
    });
  });
}
