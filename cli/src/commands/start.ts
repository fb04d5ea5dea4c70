import { ApiKeys } from '@crossvenue/gateway';
import { createLogger, settings } from '@crossvenue/runtime';
import { startEmbeddedRun } from '../embedded/EmbeddedRun.ts';
import { localApiKey } from '../embedded/localApiKey.ts';
import { untilSignal } from '../untilSignal.ts';

/**
 * `crossvenue start` (`npm start`): the embedded run (cli/src/embedded/): three simulated venues,
 * the whole pipeline in one process and the dashboard. No Kafka, registry or ClickHouse is needed,
 * and no live venue is ever contacted.
 */
export async function startCommand(): Promise<number> {
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
