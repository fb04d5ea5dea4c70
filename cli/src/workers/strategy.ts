import { StrategyRunner } from '@crossvenue/processors';
import { SettingError } from '@crossvenue/runtime';
import { parsePortfolioId, TOPICS } from '@crossvenue/schemas';
import { loadStrategy } from '../strategy/loadStrategy.ts';
import type { WorkerDefinition } from './WorkerDefinition.ts';

function required(env: Record<string, string | undefined>, key: string, expected: string): string {
  const value = env[key]?.trim();
  if (!value) throw new SettingError(key, expected, env[key] ?? '');
  return value;
}

/** STRATEGY_SETTINGS_JSON: the strategy's settings, a JSON object; none is {}. */
function strategySettings(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SettingError('STRATEGY_SETTINGS_JSON', 'a JSON object', raw);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SettingError('STRATEGY_SETTINGS_JSON', 'a JSON object', raw);
  return parsed as Record<string, unknown>;
}

export const strategyWorker: WorkerDefinition = {
  name: 'strategy',
  description: 'runs one strategy (processors/src/strategy): reads md.book-snapshots of its instruments, its portfolio\'s exec.order-events and exec.fills and its own intents\' exec.intent-status, publishes exec.intents',
  settings: [
    'STRATEGY_NAME (required: names its intents and its consumer group; one process per name)',
    'STRATEGY_MODULE (required: a built-in strategy, e.g. mid-reversion, or the absolute path of a module whose default export is a StrategyFactory)',
    'PORTFOLIO (required: the portfolio its intents are for)',
    'STRATEGY_SETTINGS_JSON (the strategy\'s settings, a JSON object; default {})',
  ],
  topics: [TOPICS.bookSnapshots, TOPICS.orderEvents, TOPICS.fills, TOPICS.intentStatus, TOPICS.intents],
  async start({ messages, logger, env }) {
    const name = required(env, 'STRATEGY_NAME', 'a strategy name (letters, digits, "_", ".", "-")');
    const portfolio = required(env, 'PORTFOLIO', 'a portfolio id');
    parsePortfolioId(portfolio);
    const settings = strategySettings(env.STRATEGY_SETTINGS_JSON);
    const strategy = await loadStrategy(required(env, 'STRATEGY_MODULE', 'a built-in strategy name or a module path'), settings);
    const runner = new StrategyRunner({ messages, strategy, name, portfolio, settings, logger });
    await runner.start();
    return runner;
  },
};
