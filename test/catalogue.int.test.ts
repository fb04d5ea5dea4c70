import { execFileSync } from 'node:child_process';
import { ALL_TOPICS, RegistryCodec, subjectOf } from '@crossvenue/schemas';
import { KafkaBus, MessageBus, createLogger, resolveEndpoints } from '@crossvenue/runtime';
import { afterAll, describe, expect, it } from 'vitest';

const endpoints = resolveEndpoints();
const logger = createLogger('catalogue-test', { level: 'warn' });
const bus = new KafkaBus({ brokers: endpoints.kafkaBrokers, clientId: 'catalogue-test', logger });

describe('the topic catalogue on the real Kafka and schema registry', () => {
  afterAll(() => bus.close());

  it('creates every topic with its partitions and cleanup policy, and registers every schema', async () => {
    await new MessageBus(bus, new RegistryCodec(endpoints.schemaRegistryUrl), logger).prepare(ALL_TOPICS);

    const metadata = JSON.parse(execFileSync('kcat', ['-b', endpoints.kafkaBrokers[0]!, '-L', '-J'], { encoding: 'utf8' })) as {
      topics: Array<{ topic: string; partitions: unknown[] }>;
    };
    for (const topic of ALL_TOPICS) {
      expect(metadata.topics.find((t) => t.topic === topic.name)?.partitions, topic.name).toHaveLength(topic.partitions);
      expect(metadata.topics.find((t) => t.topic === topic.deadLetter.name), topic.deadLetter.name).toBeDefined();

      const latest = (await (await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subjectOf(topic.name)}/versions/latest`)).json()) as {
        schema: string;
      };
      expect(JSON.parse(latest.schema).name, subjectOf(topic.name)).toBe(topic.schema.name);
    }
    // Preparing again (a restarted worker) verifies and changes nothing.
    await expect(new MessageBus(bus, new RegistryCodec(endpoints.schemaRegistryUrl), logger).prepare(ALL_TOPICS)).resolves.toBeUndefined();
  });
});
