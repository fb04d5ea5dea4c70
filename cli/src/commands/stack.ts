import { stackDown, stackStatus, stackUp, startSecureKafka, stopSecureKafka, type StackStatus } from '@crossvenue/infra';
import { parseArgs, UsageError } from '../args.ts';

export const HELP = `usage: crossvenue stack up|down|status [--json]
       crossvenue stack up|down --secure [--json]

  up      install what is missing (Kafka and Apicurio jars with Maven, ClickHouse and kcat with
          apt-get) and start Kafka (KRaft), the schema registry and ClickHouse on loopback;
          reuses servers already healthy; idempotent
  down    stop what \`up\` started
  status  check each server

  --secure  a second Kafka that only speaks SASL_SSL (SCRAM-SHA-512 over TLS) on 127.0.0.1:19094,
            with its own CA, certificates and user, beside the plain one; \`up\` prints the settings a
            worker needs and the file that holds the password

KAFKA_BROKERS, SCHEMA_REGISTRY_URL and CLICKHOUSE_URL point at existing servers instead, which are
then only checked. Data, logs and pid files live in CROSSVENUE_STACK_DIR (default ./.stack).`;

/** `crossvenue stack up|down|status [--json]`: the local Kafka, schema registry and ClickHouse. */
export async function stackCommand(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, { flags: ['json', 'secure'] });
  if (positionals.length > 1) throw new UsageError(`stack takes one action, got "${positionals.join(' ')}"`);
  const [action] = positionals;
  const json = flags.has('json');
  if (flags.has('secure')) return secureKafka(action, json);
  switch (action) {
    case 'up':
      return report(await stackUp(), json);
    case 'down':
      await stackDown();
      return report(await stackStatus(), json, true);
    case 'status':
      return report(await stackStatus(), json);
    default:
      throw new UsageError(`stack needs up, down or status, got ${action ? `"${action}"` : 'nothing'}`);
  }
}

/** The SASL_SSL broker: its settings are printed, its password never (it stays in its 0600 file). */
async function secureKafka(action: string | undefined, json: boolean): Promise<number> {
  if (action === 'down') {
    const outcome = await stopSecureKafka();
    console.log(json ? JSON.stringify({ name: 'kafka-secure', outcome }) : `kafka-secure: ${outcome}`);
    return 0;
  }
  if (action !== 'up') throw new UsageError(`stack --secure needs up or down, got ${action ? `"${action}"` : 'nothing'}`);
  const { settings, settingsFile, pid } = await startSecureKafka();
  const { KAFKA_SASL_PASSWORD: _password, ...shown } = settings;
  if (json) console.log(JSON.stringify({ name: 'kafka-secure', healthy: true, pid, settings: shown, passwordFile: settingsFile }, null, 2));
  else {
    console.log(`up    kafka-secure     ${settings.KAFKA_BROKERS} (SASL_SSL, SCRAM-SHA-512), pid ${pid}`);
    console.log(`settings for a worker; KAFKA_SASL_PASSWORD is in ${settingsFile}:`);
    for (const [name, value] of Object.entries(shown)) console.log(`  ${name}=${value}`);
  }
  return 0;
}

function report(status: StackStatus, json: boolean, expectDown = false): number {
  if (json) console.log(JSON.stringify(status, null, 2));
  else {
    for (const service of status.services) {
      console.log(`${service.healthy ? 'up  ' : 'down'}  ${service.name.padEnd(16)} ${service.endpoint.padEnd(48)} ${service.detail}`);
    }
    console.log(status.healthy ? 'stack: all services healthy' : expectDown ? 'stack: stopped' : 'stack: not all services are healthy');
  }
  return status.healthy || expectDown ? 0 : 1;
}
