import { readFileSync } from 'node:fs';
import { ExecutionWorker, parseRiskLimits, type RiskLimits } from '@crossvenue/processors';
import { InvalidInputError, RegistryCodec, TOPICS } from '@crossvenue/schemas';
import { SettingError } from '@crossvenue/runtime';
import type { WorkerDefinition } from './WorkerDefinition.ts';

/**
 * The limits when RISK_LIMITS_FILE is not set: deliberately small, so that a worker started
 * without its configuration can trade a little and never a lot. Per order at most 10,000 USDT of
 * notional, limit prices within 5 % of the mid, at most 20 orders a second for the portfolio and
 * 50 per venue. A real desk sets its own file (the format is parseRiskLimits').
 */
const DEFAULT_RISK_LIMITS = {
  currency: 'USDT',
  rateWindowMs: 1_000,
  maxOrdersPerVenuePerWindow: 50,
  portfolio: { maxOrderNotional: '10000', priceBand: '0.05', maxOrdersPerWindow: 20 },
};

function riskLimits(path: string | undefined): RiskLimits {
  if (!path?.trim()) return parseRiskLimits(DEFAULT_RISK_LIMITS);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SettingError('RISK_LIMITS_FILE', `a readable JSON file (${error instanceof Error ? error.message : String(error)})`, path);
  }
  try {
    return parseRiskLimits(raw);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new SettingError('RISK_LIMITS_FILE', `valid risk limits (${error.message})`, path);
  }
}

export const executionWorker: WorkerDefinition = {
  name: 'execution',
  description: 'risk and execution state: intents, route decisions, order events, fills and kill switches into risk-checked exec.order-commands and exec.risk-decisions',
  settings: ['RISK_LIMITS_FILE (JSON risk limits; default: 10,000 USDT per order, 5 % price band, 20 orders/s)'],
  topics: [TOPICS.intents, TOPICS.routeDecisions, TOPICS.orderEvents, TOPICS.fills, TOPICS.controlCommands, TOPICS.orderCommands, TOPICS.riskDecisions],
  async start({ messages, logger, endpoints, env }) {
    const limits = riskLimits(env.RISK_LIMITS_FILE);
    const worker = new ExecutionWorker({ messages, codec: new RegistryCodec(endpoints.schemaRegistryUrl), logger, limits });
    await worker.start();
    return worker;
  },
};
