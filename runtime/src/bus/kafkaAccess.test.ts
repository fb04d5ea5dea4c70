import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { KafkaSecurity } from '../endpoints.ts';
import { KafkaAccessError, kafkaAccessError } from './kafkaAccess.ts';

// kafkajs' own error classes, as its client throws them; its type file lacks some of their constructors.
type ErrorClass = new (...args: unknown[]) => Error;
const { KafkaJSConnectionClosedError, KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } =
  kafkajs as unknown as Record<'KafkaJSConnectionClosedError' | 'KafkaJSConnectionError' | 'KafkaJSNumberOfRetriesExceeded' | 'KafkaJSProtocolError' | 'KafkaJSSASLAuthenticationError', ErrorClass>;
const BROKERS = ['127.0.0.1:19094'];
const SASL: KafkaSecurity = { sasl: { mechanism: 'scram-sha-512', username: 'crossvenue', password: 'pw-never-shown' }, tls: {} };
const afterRetries = (error: Error) => new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 8, retryTime: 30_000 });

describe('kafkaAccessError', () => {
  it('names the user, the mechanism and the broker of a refused login, never the password', () => {
    const error = kafkaAccessError(new KafkaJSSASLAuthenticationError('SASL SCRAM SHA512 authentication failed: invalid credentials'), BROKERS, SASL);
    expect(error).toBeInstanceOf(KafkaAccessError);
    expect((error as Error).message).toBe('kafka: authentication failed for user "crossvenue" (SASL SCRAM-SHA-512) at 127.0.0.1:19094');
  });

  it('says when the broker does not offer the mechanism', () => {
    const unsupported = new KafkaJSProtocolError(Object.assign(new Error('The broker does not support the requested SASL mechanism'), { type: 'UNSUPPORTED_SASL_MECHANISM', code: 33 }));
    const error = kafkaAccessError(unsupported, BROKERS, SASL) as Error;
    expect(error.message).toBe('kafka: the broker at 127.0.0.1:19094 does not offer SASL SCRAM-SHA-512 (KAFKA_SASL_MECHANISM)');
  });

  it('points at the CA file when the broker certificate is not trusted', () => {
    const untrusted = new KafkaJSConnectionError('Connection error: self-signed certificate in certificate chain', { broker: BROKERS[0], code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const error = kafkaAccessError(afterRetries(untrusted), BROKERS, SASL) as Error;
    expect(error.message).toBe('kafka: TLS with 127.0.0.1:19094 failed: self-signed certificate in certificate chain (KAFKA_TLS_CA_FILE names the CA to trust)');
  });

  it('suggests TLS when a plain connection is closed on us', () => {
    const error = kafkaAccessError(afterRetries(new KafkaJSConnectionClosedError('Closed connection')), BROKERS, { sasl: SASL.sasl! }) as Error;
    expect(error.message).toBe('kafka: cannot connect to 127.0.0.1:19094: Closed connection (does the listener need KAFKA_TLS=true?)');
  });

  it('says a refused connection as it is', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:19094', { broker: BROKERS[0], code: 'ECONNREFUSED' });
    expect((kafkaAccessError(afterRetries(refused), BROKERS, undefined) as Error).message).toBe(
      'kafka: cannot connect to 127.0.0.1:19094: connect ECONNREFUSED 127.0.0.1:19094',
    );
  });

  it('leaves any other error as it is', () => {
    const other = new Error('something else');
    expect(kafkaAccessError(other, BROKERS, SASL)).toBe(other);
  });
});
