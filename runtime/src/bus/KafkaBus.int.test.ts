import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { waitFor } from '../testing/waitFor.ts';
import { resolveEndpoints } from '../endpoints.ts';
import { describeBusContract } from './describeBusContract.ts';
import { KafkaBus } from './KafkaBus.ts';

describeBusContract(
  'kafka',
  async () =>
    new KafkaBus({
      brokers: resolveEndpoints().kafkaBrokers,
      clientId: 'bus-contract',
      logger: createLogger('bus-contract', { level: 'warn' }),
    }),
);

describe('KafkaBus', () => {
  it('keeps a member whose handler outlasts the session: the batch is not handed on and read again', async () => {
    const bus = new KafkaBus({ brokers: resolveEndpoints().kafkaBrokers, clientId: 'bus-slow-handler', logger: createLogger('bus-slow-handler', { level: 'silent' }) });
    const topic = `slow-handler-${randomUUID()}`;
    await bus.ensureTopics([{ name: topic, partitions: 1, compacted: false }]);
    await bus.publish([{ topic, key: 'k', value: Buffer.from('first') }]);
    const handled: string[] = [];
    const consumer = await bus.consume({
      groupId: `slow-handler-${randomUUID()}`,
      topics: [topic],
      fromBeginning: true,
      handleBatch: async (batch) => {
        // Longer than the 15 s session: without heartbeats while handling, the group evicts the member.
        if (handled.length === 0) await new Promise((resolve) => setTimeout(resolve, 20_000));
        handled.push(...batch.records.map(({ value }) => value!.toString()));
      },
    });
    try {
      await waitFor('the slow batch handled', () => handled.length >= 1, 60_000);
      await bus.publish([{ topic, key: 'k', value: Buffer.from('second') }]);
      await waitFor('the next record', () => handled.includes('second'), 60_000);
      expect(handled).toEqual(['first', 'second']);
    } finally {
      await consumer.stop();
      await bus.close();
    }
  }, 120_000);
});
