import { hostname } from 'node:os';
import {
  ApiKeys,
  GatewayServer,
  IdempotencyKeys,
  LIVE_TOPICS,
  LiveState,
  apiRoutes,
  backtestsFolder,
  BACKTESTS_DIR_KEY,
  DEFAULT_BACKTESTS_DIR,
  type AuditReports,
} from '@crossvenue/gateway';
import { listReports, runReport } from '@crossvenue/infra';
import { TOPICS } from '@crossvenue/schemas';
import { resolveEndpoints, settings } from '@crossvenue/runtime';
import type { WorkerDefinition } from './WorkerDefinition.ts';

const GATEWAY_TOPICS = [TOPICS.intents, TOPICS.controlCommands, ...LIVE_TOPICS];

export const gatewayWorker: WorkerDefinition = {
  name: 'gateway',
  description: 'the HTTP/WebSocket API and dashboard: publishes intents and control commands, shows live state',
  settings: ['GATEWAY_PORT (default 8080)', 'GATEWAY_HOST (default 127.0.0.1)', 'CROSSVENUE_API_KEYS or CROSSVENUE_SECRETS_FILE (required)', 'CLICKHOUSE_URL (the audit log GET /reports reads)', `${BACKTESTS_DIR_KEY} (default ${DEFAULT_BACKTESTS_DIR}: the saved backtest runs GET /backtests serves)`],
  topics: GATEWAY_TOPICS,
  async start({ messages, logger, env }) {
    const keys = ApiKeys.fromEnvironment(env);
    const backtests = backtestsFolder(env);
    const state = new LiveState();
    // Every gateway instance reads all of the state, so each has its own consumer group.
    await state.start(messages, `gateway-${hostname()}-${process.pid}`);
    const { clickhouseUrl, clickhouseAuth } = resolveEndpoints(env);
    // GET /reports runs the audit log's reports on the ClickHouse the audit sink writes to.
    const reports: AuditReports = {
      list: async () => (await listReports()).map(({ name, description, parameters }) => ({ name, description, parameters })),
      run: async (name, values) => (await runReport(clickhouseUrl, name, values, clickhouseAuth)).rows,
    };
    const gateway = new GatewayServer(apiRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: Date.now, reports, backtests }), keys, state, logger);
    const url = await gateway.start(settings.port('GATEWAY_PORT', 8080, env), env.GATEWAY_HOST?.trim() || '127.0.0.1');
    logger.info({ url }, `gateway listening on ${url} (dashboard ${url}/, API ${url}/openapi.json)`);
    return {
      stop: async () => {
        await gateway.stop();
        await state.stop();
      },
    };
  },
};
