import { ApiKeys } from '@crossvenue/gateway';
import { createLogger, settings } from '@crossvenue/runtime';
import { UsageError } from '../args.ts';
import { startEmbeddedRun } from '../embedded/EmbeddedRun.ts';
import { localApiKey } from '../embedded/localApiKey.ts';
import { untilSignal } from '../untilSignal.ts';

export const HELP = `usage: crossvenue start

The embedded run (what \`npm start\` runs): three simulated venues, every worker in one process
over the in-process bus, and the dashboard. Needs no Kafka, registry or ClickHouse and never
contacts a live venue. Prints the dashboard URL with a local admin API key; Ctrl-C stops it.

Settings: GATEWAY_PORT (default 8080); CROSSVENUE_API_KEYS or CROSSVENUE_SECRETS_FILE for your own keys.`;

/**
 * `crossvenue start` (`npm start`): the embedded run (cli/src/embedded/): three simulated venues,
 * the whole pipeline in one process and the dashboard. No Kafka, registry or ClickHouse is needed,
 * and no live venue is ever contacted.
 */
export async function startCommand(argv: string[]): Promise<number> {
  if (argv.length > 0) throw new UsageError(`start takes no arguments, got "${argv[0]}"; run 'crossvenue start --help'`);
  const logger = createLogger('embedded');
  const port = settings.port('GATEWAY_PORT', 8080);
  // A local admin key for this run, unless keys are configured; it is printed once, never logged.
  const local = process.env.CROSSVENUE_API_KEYS || process.env.CROSSVENUE_SECRETS_FILE ? undefined : localApiKey('admin');
  const localKey = local?.key;
  const keys = local?.keys ?? ApiKeys.fromEnvironment();

  const run = await startEmbeddedRun({ gatewayPort: port, keys, logger });
  const { gatewayUrl } = run;
  const dashboard = localKey ? `${gatewayUrl}/#key=${localKey}` : `${gatewayUrl}/`;
  const keyLine = localKey ? `  API key:   ${localKey} (admin, this run only; send it as X-API-Key)` : '  API keys:  from CROSSVENUE_API_KEYS / CROSSVENUE_SECRETS_FILE';
  console.log(`\nCrossvenue embedded run is up.\n  dashboard: ${dashboard}\n  API:       ${gatewayUrl}/openapi.json\n${keyLine}\nCtrl-C stops it.\n`);
  const signal = await untilSignal();
  logger.info(`${signal}: stopping`);
  await run.stop();
  logger.info('stopped');
  return 0;
}
