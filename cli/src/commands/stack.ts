import { stackDown, stackStatus, stackUp, type StackStatus } from '@crossvenue/infra';
import { parseArgs, UsageError } from '../args.ts';

export const HELP = `usage: crossvenue stack up|down|status [--json]

  up      install what is missing (Kafka and Apicurio jars with Maven, ClickHouse and kcat with
          apt-get) and start Kafka (KRaft), the schema registry and ClickHouse on loopback;
          reuses servers already healthy; idempotent
  down    stop what \`up\` started
  status  check each server

KAFKA_BROKERS, SCHEMA_REGISTRY_URL and CLICKHOUSE_URL point at existing servers instead, which are
then only checked. Data, logs and pid files live in CROSSVENUE_STACK_DIR (default ./.stack).`;

/** `crossvenue stack up|down|status [--json]`: the local Kafka, schema registry and ClickHouse. */
export async function stackCommand(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, { flags: ['json'] });
  if (positionals.length > 1) throw new UsageError(`stack takes one action, got "${positionals.join(' ')}"`);
  const [action] = positionals;
  const json = flags.has('json');
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
