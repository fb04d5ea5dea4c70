import { parseFollowers, SynchronizerWorker } from '@crossvenue/processors';
import { SettingError } from '@crossvenue/runtime';
import { TOPICS } from '@crossvenue/schemas';
import type { WorkerDefinition } from './WorkerDefinition.ts';
import { checkedSetting } from './workerSettings.ts';

const EXPECTED = 'a JSON list of followers (the config file\'s followers: section; config/README.md)';

/** SYNCHRONIZER_FOLLOWERS_JSON: the followers, checked as the config check checks them; [] runs none until the API adds some. */
function followers(raw: string | undefined) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new SettingError('SYNCHRONIZER_FOLLOWERS_JSON', EXPECTED, raw ?? '');
  }
  return checkedSetting('SYNCHRONIZER_FOLLOWERS_JSON', EXPECTED, raw, () => parseFollowers(parsed));
}

export const synchronizerWorker: WorkerDefinition = {
  name: 'synchronizer',
  description: 'copy trading (processors/src/synchronizer): reads the leaders\' exec.fills, exec.order-events and exec.intents, its copies\' exec.intent-status, state.positions, state.balances, ref.symbols, md.book-snapshots and control.commands; publishes exec.intents for the followers, sync.decisions, ops.alerts, and control.commands (the leverage a follower asks of its account\'s connector)',
  settings: ['SYNCHRONIZER_FOLLOWERS_JSON (required: the followers, a JSON list in the config file\'s followers: format; [] for none but those configured through the gateway API, PUT /sync/followers/{name})'],
  topics: [
    TOPICS.fills,
    TOPICS.orderEvents,
    TOPICS.intentStatus,
    TOPICS.positions,
    TOPICS.balances,
    TOPICS.symbols,
    TOPICS.bookSnapshots,
    TOPICS.controlCommands,
    TOPICS.intents,
    TOPICS.syncDecisions,
    TOPICS.alerts,
  ],
  async start({ messages, logger, env, metrics }) {
    const worker = new SynchronizerWorker({ messages, followers: followers(env.SYNCHRONIZER_FOLLOWERS_JSON), logger, metrics });
    await worker.start();
    return worker;
  },
};
