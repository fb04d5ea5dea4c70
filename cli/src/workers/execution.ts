import { readFileSync } from 'node:fs';
import { ExecutionWorker, parseRiskLimits, type RiskLimits } from '@crossvenue/processors';
import { InvalidInputError, RegistryCodec, TOPICS } from '@crossvenue/schemas';
import { SettingError } from '@crossvenue/runtime';
import type { WorkerDefinition } from './WorkerDefinition.ts';

/**
 * The limits when neither RISK_LIMITS_FILE nor RISK_LIMITS_JSON is set: deliberately small, so that
 * a worker started without its configuration can trade a little and never a lot. Per order at most
 * 10,000 USDT of notional, limit prices within 5 % of the mid, at most 20 orders a second for the
 * portfolio and 50 per venue. A real desk sets its own (the format is parseRiskLimits').
 */
const DEFAULT_RISK_LIMITS = {
  currency: 'USDT',
  rateWindowMs: 1_000,
  maxOrdersPerVenuePerWindow: 50,
  portfolio: { maxOrderNotional: '10000', priceBand: '0.05', maxOrdersPerWindow: 20 },
};

/**
 * RISK_LIMITS_FILE (a JSON file) or RISK_LIMITS_JSON (the same JSON in the variable: what a
 * crossvenue.yaml's portfolio risk becomes, so a worker needs no file beside the config). One or neither.
 */
function riskLimits(env: Record<string, string | undefined>): RiskLimits {
  const path = env.RISK_LIMITS_FILE?.trim();
  const json = env.RISK_LIMITS_JSON?.trim();
  if (path && json) throw new SettingError('RISK_LIMITS_FILE', 'to be unset when RISK_LIMITS_JSON is set (one source of limits)', path);
  if (!path && !json) return parseRiskLimits(DEFAULT_RISK_LIMITS);
  const [key, shown] = path ? ['RISK_LIMITS_FILE', path] : ['RISK_LIMITS_JSON', json!];
  let raw: unknown;
  try {
    raw = JSON.parse(path ? readFileSync(path, 'utf8') : json!);
  } catch (error) {
    throw new SettingError(key, `${path ? 'a readable JSON file' : 'JSON'} (${error instanceof Error ? error.message : String(error)})`, shown);
  }
  try {
    return parseRiskLimits(raw);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new SettingError(key, `valid risk limits (${error.message})`, shown);
  }
}

export const executionWorker: WorkerDefinition = {
  name: 'execution',
  description: 'risk and execution state, partitioned by portfolio: route decisions (with their intents), order events, fills, kill switches and book marks into risk-checked exec.order-commands, exec.risk-decisions and exec.intent-status; snapshots each partition to state.worker-snapshots',
  settings: ['RISK_LIMITS_FILE (JSON risk limits) or RISK_LIMITS_JSON (the same JSON inline; default: 10,000 USDT per order, 5 % price band, 20 orders/s)'],
  topics: [TOPICS.intents, TOPICS.bookSnapshots, TOPICS.routeDecisions, TOPICS.orderEvents, TOPICS.fills, TOPICS.controlCommands, TOPICS.orderCommands, TOPICS.riskDecisions, TOPICS.intentStatus, TOPICS.alerts, TOPICS.workerSnapshots],
  async start({ messages, logger, endpoints, env, metrics }) {
    const limits = riskLimits(env);
    const worker = new ExecutionWorker({ messages, codec: new RegistryCodec(endpoints.schemaRegistryUrl, endpoints.registryAuth), logger, limits, metrics });
    await worker.start();
    return worker;
  },
};
