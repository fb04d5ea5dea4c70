import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import { RegistryCodec } from '@crossvenue/schemas';
import { describeExecutionPath } from './describeExecutionPath.ts';

describeExecutionPath('Kafka and the schema registry', () => {
  const messages = kafkaMessageBus('execution-path-test', createLogger('execution-path-test', { level: 'warn' }));
  return { messages, codec: new RegistryCodec(resolveEndpoints().schemaRegistryUrl), close: () => messages.bus.close() };
});
