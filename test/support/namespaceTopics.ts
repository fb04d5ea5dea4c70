import { kafkaMessageBus, type Endpoints, type Logger } from '@crossvenue/runtime';
import { ALL_TOPICS } from '@crossvenue/schemas';

/** Deletes the catalogue's topics (and their dead-letter topics) under a test's namespace; the schema subjects are the catalogue's, shared, and stay. */
export async function deleteNamespaceTopics(endpoints: Endpoints, namespace: string, logger: Logger): Promise<void> {
  const cleanup = kafkaMessageBus('namespace-cleanup', logger, { endpoints, namespace });
  await cleanup.bus.deleteTopics(ALL_TOPICS.flatMap((topic) => [topic.name, topic.deadLetter.name])).catch(() => undefined);
  await cleanup.bus.close();
}
