import { RegistryCodec } from '@crossvenue/schemas';
import { resolveEndpoints } from '../endpoints.ts';
import { createLogger } from '../logger.ts';
import { KafkaBus } from './KafkaBus.ts';
import { describeMessageBusContract } from './describeMessageBusContract.ts';

describeMessageBusContract('kafka + schema registry', async () => {
  const endpoints = resolveEndpoints();
  return {
    bus: new KafkaBus({ brokers: endpoints.kafkaBrokers, clientId: 'message-bus-contract', logger: createLogger('test', { level: 'error' }) }),
    codec: new RegistryCodec(endpoints.schemaRegistryUrl),
  };
});
