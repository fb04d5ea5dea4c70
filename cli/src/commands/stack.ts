import { stackDown, stackStatus, stackUp, type StackStatus } from '@crossvenue/infra';
import { parseArgs, UsageError } from '../args.ts';

/** `crossvenue stack up|down|status [--json]`: the local Kafka, schema registry and ClickHouse. */
export async function stackCommand(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv);
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
