import type { Bus } from './Bus.ts';
import { KafkaBus, type KafkaBusOptions } from './KafkaBus.ts';
import { LazyBus } from './LazyBus.ts';

/** The Kafka client libraries the bus runs on; kafkajs is the default (README, Benchmarks: Kafka clients). */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** @platformatic/kafka needs Node 22.22 (or 24.6) or later: its code uses what older Node lacks. */
export function platformaticSupported(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 6) || (major === 22 && minor >= 22) || major === 23;
}

/** The client a setting names; unset is kafkajs; anything else, or platformatic where Node is too old for it, is refused in one line. */
export function kafkaClientNamed(value: string | undefined, setting = 'KAFKA_CLIENT'): KafkaClientName {
  if (value === undefined || value === '') return 'kafkajs';
  if (!(KAFKA_CLIENTS as readonly string[]).includes(value)) throw new Error(`${setting}=${value} is not a Kafka client; use one of ${KAFKA_CLIENTS.join(', ')}`);
  if (value === 'platformatic' && !platformaticSupported()) throw new Error(`${setting}=platformatic needs Node 22.22 or 24.6 or later; this is Node ${process.versions.node}`);
  return value as KafkaClientName;
}

/**
 * The Kafka bus on the client named. @platformatic/kafka is imported only when asked for, so that
 * loading the runtime stays possible on Node 20, where that library cannot run.
 */
export async function createKafkaBus(client: KafkaClientName, options: KafkaBusOptions): Promise<Bus> {
  if (client === 'kafkajs') return new KafkaBus(options);
  if (!platformaticSupported()) throw new Error(`@platformatic/kafka needs Node 22.22 or 24.6 or later; this is Node ${process.versions.node}`);
  const { PlatformaticKafkaBus } = await import('./PlatformaticKafkaBus.ts');
  return new PlatformaticKafkaBus(options);
}

/**
 * The Kafka bus the KAFKA_CLIENT setting names, made at once for a synchronous construction site
 * (kafkaMessageBus): kafkajs as it is, @platformatic/kafka behind a LazyBus while it loads. A value
 * that cannot work is refused here, before anything runs.
 */
export function kafkaBusForSetting(setting: string | undefined, options: KafkaBusOptions): Bus {
  const client = kafkaClientNamed(setting);
  return client === 'kafkajs' ? new KafkaBus(options) : new LazyBus(createKafkaBus(client, options));
}
