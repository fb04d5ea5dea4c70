import { describe, expect, it } from 'vitest';
import { certificateFiles } from './certificates.ts';
import { renderSecureServerProperties } from './secureKafka.ts';

const properties = (text: string) =>
  new Map(text.split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));

describe('the secured Kafka configuration', () => {
  const config = properties(
    renderSecureServerProperties('/stack/data/kafka-secure/kraft', certificateFiles('/stack/data/kafka-secure/tls'), {
      brokerPassword: 'broker-pw',
      storePassword: 'store-pw',
    }),
  );

  it('serves clients on SASL_SSL only, on its own ports beside the plain broker', () => {
    expect(config.get('listeners')).toBe('SASL_SSL://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095');
    expect(config.get('advertised.listeners')).toBe('SASL_SSL://127.0.0.1:19094');
    expect(config.get('listener.security.protocol.map')).toBe('SASL_SSL:SASL_SSL,CONTROLLER:SSL');
    expect(config.get('log.dirs')).toBe('/stack/data/kafka-secure/kraft');
    expect([...config.values()].join(' ')).not.toContain('PLAINTEXT');
  });

  it('authenticates with SCRAM-SHA-512, the broker to itself too, and the controller by client certificate', () => {
    expect(config.get('sasl.enabled.mechanisms')).toBe('SCRAM-SHA-512');
    expect(config.get('inter.broker.listener.name')).toBe('SASL_SSL');
    expect(config.get('sasl.mechanism.inter.broker.protocol')).toBe('SCRAM-SHA-512');
    expect(config.get('listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config')).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="broker-pw";',
    );
    expect(config.get('listener.name.controller.ssl.client.auth')).toBe('required');
  });

  it('uses the keystore and truststore the stack made', () => {
    expect(config.get('ssl.keystore.location')).toBe('/stack/data/kafka-secure/tls/broker.p12');
    expect(config.get('ssl.truststore.location')).toBe('/stack/data/kafka-secure/tls/truststore.p12');
    expect(config.get('ssl.keystore.password')).toBe('store-pw');
  });
});
