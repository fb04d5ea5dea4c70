import { RegistryCodec } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { resolveEndpoints } from '../endpoints.ts';
import { BusUnavailableError } from './Bus.ts';
import { describeBusContract } from './describeBusContract.ts';
import { describeMessageBusContract } from './describeMessageBusContract.ts';
import { createKafkaBus, kafkaBusForSetting, platformaticSupported } from './kafkaClient.ts';

const supported = platformaticSupported();
const title = supported ? 'PlatformaticKafkaBus' : `PlatformaticKafkaBus: skipped, @platformatic/kafka needs Node 22.22 or 24.6 or later, this is ${process.versions.node}`;

describe.skipIf(!supported)(title, () => {
  // Built as a worker builds it with KAFKA_CLIENT=platformatic (kafkaMessageBus): the setting is what is tested.
  const viaSetting = (clientId: string) =>
    kafkaBusForSetting('platformatic', { brokers: resolveEndpoints().kafkaBrokers, clientId, logger: createLogger(clientId, { level: 'warn' }) });

  describeBusContract('kafka (@platformatic/kafka)', async () => viaSetting('bus-contract-platformatic'));

  describeMessageBusContract('kafka (@platformatic/kafka) + schema registry', async () => ({
    bus: viaSetting('message-bus-contract-platformatic'),
    codec: new RegistryCodec(resolveEndpoints().schemaRegistryUrl),
  }));

  it('fails a publish with BusUnavailableError when no broker answers', async () => {
    // A loopback port nothing listens on: every connection is refused at once.
    const bus = await createKafkaBus('platformatic', { brokers: ['127.0.0.1:9'], clientId: 'bus-unavailable', logger: createLogger('bus-unavailable', { level: 'silent' }) });
    try {
      await expect(bus.publish([{ topic: 'nowhere', key: 'k', value: Buffer.from('v') }])).rejects.toThrow(BusUnavailableError);
    } finally {
      await bus.close();
    }
  }, 120_000);
});
