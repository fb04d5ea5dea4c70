import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaSecurity } from '../endpoints.ts';

/**
 * Kafka could not be reached or refused us at start-up: wrong credentials, a TLS mismatch, no broker.
 * The message is one line that says what and where; it never holds a password.
 */
export class KafkaAccessError extends Error {
  override readonly name = 'KafkaAccessError';
}

/** The kafkajs `ssl` and `sasl` options for the resolved security settings (none when unset). */
export function kafkaJsSecurity(security: KafkaSecurity | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const { sasl, tls } = security ?? {};
  return {
    ...(tls && { ssl: tls.ca ? { ca: [tls.ca] } : true }),
    ...(sasl && { sasl: scram(sasl) }),
  };
}

function scram({ mechanism, username, password }: NonNullable<KafkaSecurity['sasl']>): SASLOptions {
  // kafkajs types each mechanism as its own member of a union.
  return mechanism === 'scram-sha-256' ? { mechanism, username, password } : { mechanism, username, password };
}

/** Node's codes for a certificate the client does not trust or that names another host. */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID/;

/**
 * The one place where kafkajs' connect failures become a KafkaAccessError; anything else is
 * returned as it is. kafkajs wraps the last attempt's error in KafkaJSNumberOfRetriesExceeded, so
 * the cause chain is searched.
 */
export function kafkaAccessError(error: unknown, brokers: string[], security: KafkaSecurity | undefined): unknown {
  const chain = causes(error);
  const where = brokers.join(',');
  const { sasl, tls } = security ?? {};

  const authentication = chain.find((e) => e.name === 'KafkaJSSASLAuthenticationError');
  if (authentication && sasl) {
    return new KafkaAccessError(`kafka: authentication failed for user "${sasl.username}" (SASL ${sasl.mechanism.toUpperCase()}) at ${where}`, { cause: error });
  }
  const protocol = chain.find((e) => (e as { type?: string }).type === 'UNSUPPORTED_SASL_MECHANISM');
  if (protocol && sasl) {
    return new KafkaAccessError(`kafka: the broker at ${where} does not offer SASL ${sasl.mechanism.toUpperCase()} (KAFKA_SASL_MECHANISM)`, { cause: error });
  }
  const certificate = chain.find((e) => CERTIFICATE_CODES.test((e as { code?: string }).code ?? ''));
  if (certificate) {
    return new KafkaAccessError(`kafka: TLS with ${where} failed: ${reason(certificate)} (KAFKA_TLS_CA_FILE names the CA to trust)`, { cause: error });
  }
  const connection = chain.find((e) => e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSConnectionClosedError');
  if (connection) {
    // A TLS or SASL listener closes a connection that starts with a plain request.
    const hint = !tls ? ' (does the listener need KAFKA_TLS=true?)' : !sasl ? ' (does the listener need KAFKA_SASL_*?)' : '';
    const closed = connection.name === 'KafkaJSConnectionClosedError';
    return new KafkaAccessError(`kafka: cannot connect to ${where}: ${reason(connection)}${closed ? hint : ''}`, { cause: error });
  }
  return error;
}

function causes(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let e = error; e instanceof Error && !chain.includes(e); e = e.cause) chain.push(e);
  return chain;
}

/** kafkajs prefixes socket errors with "Connection error: ". */
const reason = (error: Error) => error.message.replace(/^Connection error: /, '');
