import type { SASLOptions } from '@platformatic/kafka';
import type { KafkaSecurity } from '../endpoints.ts';

/** What every @platformatic/kafka client of the bus is made with: where the brokers are, and SASL and TLS when set. */
export function platformaticClientOptions(clientId: string, brokers: string[], security: KafkaSecurity | undefined) {
  return { clientId, bootstrapBrokers: brokers, ...platformaticSecurity(security) };
}

/** The client's SASL and TLS settings for the resolved security settings (none when unset). */
function platformaticSecurity(security: KafkaSecurity | undefined): { sasl?: SASLOptions; tls?: { ca?: string } } {
  const { sasl, tls } = security ?? {};
  return {
    ...(tls && { tls: tls.ca ? { ca: tls.ca } : {} }),
    ...(sasl && { sasl: { mechanism: sasl.mechanism === 'scram-sha-256' ? 'SCRAM-SHA-256' : 'SCRAM-SHA-512', username: sasl.username, password: sasl.password } }),
  };
}
