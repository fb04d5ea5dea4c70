import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { LocalCodec } from '@crossvenue/schemas';
import { describeExecutionPath } from './describeExecutionPath.ts';

describeExecutionPath('in-process bus', () => {
  const bus = new InProcessBus();
  const codec = new LocalCodec();
  return { messages: new MessageBus(bus, codec, createLogger('execution-path-test', { level: 'silent' })), codec, close: () => bus.close() };
});
