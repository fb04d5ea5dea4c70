import { StrategyRunner, strategyTopics } from '@crossvenue/processors';
import { parsePortfolioId, TOPICS } from '@crossvenue/schemas';
import { loadStrategy } from '../strategy/loadStrategy.ts';
import type { WorkerDefinition } from './WorkerDefinition.ts';
import { jsonObjectSetting, requiredSetting as required } from './workerSettings.ts';

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
    const settings = jsonObjectSetting(env, 'STRATEGY_SETTINGS_JSON');
    const strategy = await loadStrategy(required(env, 'STRATEGY_MODULE', 'a built-in strategy name or a module path'), settings);
    // What the strategy reads beyond the listed topics (markets, balances) is known once it is loaded.
    await messages.prepare(strategyTopics(strategy));
    const runner = new StrategyRunner({ messages, strategy, name, portfolio, settings, logger });
    await runner.start();
    return runner;
  },
};
