import { describe, expect, it } from 'vitest';
import { KafkaBus } from './KafkaBus.ts';
import { kafkaBusForSetting, kafkaClientNamed, platformaticSupported } from './kafkaClient.ts';
import { LazyBus } from './LazyBus.ts';
import { createLogger } from '../logger.ts';

describe('KAFKA_CLIENT', () => {
  it('is kafkajs when unset, and names one of the clients', () => {
    expect(kafkaClientNamed(undefined)).toBe('kafkajs');
    expect(kafkaClientNamed('')).toBe('kafkajs');
    expect(kafkaClientNamed('kafkajs')).toBe('kafkajs');
  });

  it('refuses a value that is not a client, in one line naming the choices', () => {
    expect(() => kafkaClientNamed('rdkafka')).toThrow(/^KAFKA_CLIENT=rdkafka is not a Kafka client; use one of kafkajs, platformatic$/);
  });

  it('knows the Node versions @platformatic/kafka runs on', () => {
    expect(['20.20.2', '22.21.0', '24.5.0'].map((version) => platformaticSupported(version))).toEqual([false, false, false]);
    expect(['22.22.0', '23.0.0', '24.6.0', '24.21.0', '25.1.0'].map((version) => platformaticSupported(version))).toEqual([true, true, true, true, true]);
  });

  it('makes the bus it names without connecting: kafkajs as it is, platformatic while it loads', async () => {
    const options = { brokers: ['127.0.0.1:9'], clientId: 'setting-test', logger: createLogger('setting-test', { level: 'silent' }) };
    expect(kafkaBusForSetting(undefined, options)).toBeInstanceOf(KafkaBus);
    if (!platformaticSupported()) {
      expect(() => kafkaBusForSetting('platformatic', options)).toThrow(/^KAFKA_CLIENT=platformatic needs Node 22\.22 or 24\.6 or later; this is Node /);
      return;
    }
    const bus = kafkaBusForSetting('platformatic', options);
    expect(bus).toBeInstanceOf(LazyBus);
    await bus.close();
  });
});
