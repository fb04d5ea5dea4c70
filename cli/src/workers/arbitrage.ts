import { ArbitrageWorker, parseArbitrageWorkerSettings } from '@crossvenue/processors';
import { parsePortfolioId, TOPICS } from '@crossvenue/schemas';
import type { WorkerDefinition } from './WorkerDefinition.ts';
import { checkedSetting, jsonObjectSetting, requiredSetting } from './workerSettings.ts';

const SETTINGS_EXPECTED = 'arbitrage settings (the config file\'s arbitrage[].settings)';

export const arbitrageWorker: WorkerDefinition = {
  name: 'arbitrage',
  description: 'cross-venue arbitrage (processors/src/arbitrage): spot spreads, or with kind FUNDING basis and funding spreads; reads md.book-snapshots and ref.symbols of its instruments on its venues, state.balances, md.funding-rates and exec.funding-payments (FUNDING), its own intents\' exec.intent-status and exec.fills; publishes exec.intents for both legs, arb.groups (one record when a group opens, one when it closes) and ops.alerts',
  settings: [
    'ARBITRAGE_NAME (required: names its groups, intents and consumer group; one process per name)',
    'PORTFOLIO (required: the portfolio its intents are for; its accounts on the venues hold both assets)',
    'ARBITRAGE_SETTINGS_JSON (required: a JSON object, checked at start: instrument, venues, policy and limits; or kind FUNDING with places, entryApr, exitApr, stopLossBps and limits)',
  ],
  topics: [TOPICS.bookSnapshots, TOPICS.symbols, TOPICS.balances, TOPICS.fundingRates, TOPICS.fundingPayments, TOPICS.intentStatus, TOPICS.fills, TOPICS.intents, TOPICS.arbitrageGroups, TOPICS.alerts],
  async start({ messages, logger, env }) {
    const name = requiredSetting(env, 'ARBITRAGE_NAME', 'a name (lower-case letters, digits and dashes)');
    const portfolio = requiredSetting(env, 'PORTFOLIO', 'a portfolio id');
    parsePortfolioId(portfolio);
    const settings = jsonObjectSetting(env, 'ARBITRAGE_SETTINGS_JSON');
    // Checked before anything is consumed: a worker never trades on settings it would refuse.
    checkedSetting('ARBITRAGE_SETTINGS_JSON', SETTINGS_EXPECTED, env.ARBITRAGE_SETTINGS_JSON, () => parseArbitrageWorkerSettings(settings, 'ARBITRAGE_SETTINGS_JSON'));
    const worker = new ArbitrageWorker({ messages, name, portfolio, settings, logger });
    await worker.start();
    return worker;
  },
};
